"""What the Zalo Official Account API v3 sends and answers, as plain values: the webhook's
signature and events, and the error codes the adapter acts on.

Sources (public material that agrees unless noted):
- webhook signature: hainh.me/zalo-api-php-webhook-callback-official-account.html (the header
  X-ZEvent-Signature holds the SHA-256 of app id + raw JSON body + the body's timestamp + the
  OA secret key — not the app secret), as in the issue's "mac=<hex>"; some integrations
  compare the bare hex, so both forms are accepted.
- events: developers.zalo.me official-account webhook events as listed by
  n8n-nodes-zalo-oa-integration (user_send_text, user_send_image, user_send_file,
  user_send_location, user_send_sticker, user_send_gif, follow, unfollow …); a follow names
  the person in `follower.id` (github: "follower?.id" with `user_id_by_app`), messages in
  `sender.id`, the message in `message.msg_id` / `message.text` (github
  chungbt97/hust-final-be controllers/ZaloController.js); `timestamp` a string in ms.
- error codes: -216 access token invalid or expired (the issue; caresoft lists -201 as an
  invalid token too, so both refresh); -230 "user has not interacted with the OA in the past
  7 days" and -213 "no interaction in 48 hours" (github khoicodedao/Poto_platform
  docs/FIX_ERROR_230.md); -211/-311 out of quota; -32 rate limited.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.epoch import moment

SIGNATURE_HEADER = "X-ZEvent-Signature"
# The free consultation replies count from the citizen's last message: 8 within 48 hours.
REPLY_WINDOW = timedelta(hours=48)

TOKEN_ERRORS = frozenset({-216, -201})
WINDOW_CLOSED_ERRORS = frozenset({-213, -230, -211, -311})
RATE_LIMITED = -32
MAX_ID = 128


def expected_signature(app_id: str, body: bytes, timestamp: str, secret_key: str) -> str:
    """The hex SHA-256 of app id + raw body + timestamp + OA secret key (a plain hash, not an
    HMAC: that is how Zalo signs)."""
    digest = hashlib.sha256()
    digest.update(app_id.encode())
    digest.update(body)
    digest.update(timestamp.encode())
    digest.update(secret_key.encode())
    return digest.hexdigest()


def signed(header: str | None, app_id: str, body: bytes, secret_key: str) -> bool:
    """Whether the webhook call is Zalo's: the header is "mac=<hex>" or the bare hex."""
    if not header:
        return False
    given = header.strip()
    if given.lower().startswith("mac="):
        given = given[4:].strip()
    try:
        payload = json.loads(body)
    except ValueError:
        return False
    if not isinstance(payload, dict):
        return False
    timestamp = payload.get("timestamp")
    if isinstance(timestamp, int):
        timestamp = str(timestamp)
    if not isinstance(timestamp, str):
        return False
    wanted = expected_signature(app_id, body, timestamp, secret_key)
    return hmac.compare_digest(given.lower().encode(), wanted.encode())


@dataclass(frozen=True)
class OaEvent:
    """One webhook call as the adapter uses it."""

    name: str
    user_id: str
    message_id: str | None
    text: str
    sent_at: datetime | None

    @property
    def from_citizen(self) -> bool:
        """A message the citizen sent (the OA's own messages come back as oa_send_*)."""
        return self.name.startswith("user_send_")

    @property
    def update_id(self) -> str:
        if self.message_id:
            return self.message_id
        stamp = int(self.sent_at.timestamp() * 1000) if self.sent_at else 0
        return f"{self.name}:{self.user_id}:{stamp}"


def read_event(payload: dict[str, Any]) -> OaEvent | None:
    """The event in a verified webhook body, or None when it names nobody (nothing to do)."""
    name = str(payload.get("event_name") or "")
    person = payload.get("follower") if name == "follow" else None
    person = person or payload.get("sender") or payload.get("follower") or {}
    user_id = str(person.get("id") or "") if isinstance(person, dict) else ""
    if not _an_id(user_id):
        return None
    message = payload.get("message")
    if not isinstance(message, dict):
        message = {}
    message_id = message.get("msg_id") or message.get("message_id")
    text = message.get("text")
    return OaEvent(
        name=name,
        user_id=user_id,
        message_id=str(message_id) if message_id and _an_id(str(message_id)) else None,
        text=text if isinstance(text, str) else "",
        sent_at=moment(payload.get("timestamp")),
    )


def _an_id(value: str) -> bool:
    """Zalo's ids are short ASCII strings (digits for people, hex for messages); anything
    else is not stored (the columns hold 128 characters)."""
    return 0 < len(value) <= MAX_ID and value.isascii() and value.isprintable()
