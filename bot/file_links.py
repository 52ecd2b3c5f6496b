"""Download links for kept files: `/f/<token>`, where the token names one file of one ward and
when the link ends, signed so it cannot be changed. Whoever holds the link may download the
file until then; any process sharing the database can serve it (the key is shared there).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from storage.clock import Clock

LINK_PATH = "/f/"
SECRET_NAME = "file_links"
_SIGNATURE_BYTES = 16


@dataclass(frozen=True)
class LinkedFile:
    file_id: int
    ward_id: int | None


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class FileLinks:
    def __init__(self, key: str, clock: Clock, base_url: str, valid_for: timedelta) -> None:
        self._key = key.encode()
        self._clock = clock
        # Where links point; `reportbot run` sets it once it knows its port, when no public
        # URL is configured.
        self.base_url = base_url.rstrip("/")
        self._valid_for = valid_for

    def _sign(self, body: str) -> str:
        digest = hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest()
        return _encode(digest[:_SIGNATURE_BYTES])

    def token(self, file_id: int, ward_id: int | None) -> str:
        expires = int((self._clock.now() + self._valid_for).timestamp())
        body = _encode(f"{file_id}.{ward_id if ward_id is not None else ''}.{expires}".encode())
        return f"{body}.{self._sign(body)}"

    def url(self, file_id: int, ward_id: int | None) -> str:
        return f"{self.base_url}{LINK_PATH}{self.token(file_id, ward_id)}"

    def read(self, token: str) -> LinkedFile | None:
        """The file a token names, or None when it was altered, is malformed or has expired."""
        body, _, signature = token.partition(".")
        if not body or not signature or len(token) > 200 or not token.isascii():
            return None
        if not hmac.compare_digest(self._sign(body), signature):
            return None
        try:
            file_part, ward_part, expires_part = _decode(body).decode("ascii").split(".")
            file_id, expires = int(file_part), int(expires_part)
            ward_id = int(ward_part) if ward_part else None
        except ValueError:
            return None
        if self._clock.now().timestamp() >= expires:
            return None
        return LinkedFile(file_id, ward_id)
