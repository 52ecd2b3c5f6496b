"""Rendering queued notifications in the recipient's language when they are delivered."""

from __future__ import annotations

from typing import Any

from bot.i18n import _
from handlers.labels import role_label
from storage.vocabulary import Role


def render_notification(payload: dict[str, Any]) -> str:
    kind = payload.get("kind")
    if kind == "member_registered":
        return _("{member} đã đăng ký: {role} — {where}.").format(
            member=payload["member"], role=role_label(Role(payload["role"])), where=payload["where"]
        )
    raise ValueError(f"unknown notification kind: {kind!r}")
