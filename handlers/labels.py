"""Translated names of the vocabularies, for messages."""

from __future__ import annotations

from bot.i18n import _
from storage.vocabulary import Role


def role_label(role: Role) -> str:
    labels = {
        Role.COORDINATOR: _("chuyên viên đầu mối (phòng Văn hóa - Xã hội)"),
        Role.UNIT_HEAD: _("thủ trưởng đơn vị"),
        Role.UNIT_STAFF: _("cán bộ đơn vị"),
        Role.LEADER: _("lãnh đạo UBND phường"),
    }
    return labels[role]
