"""Download links for kept files: `/f/<token>`, where the token names one file of one ward and
when the link ends, signed so it cannot be changed. Whoever holds the link may download the
file until then; any process sharing the database can serve it (the key is shared there).

A file is one this application made (kept in the database), or evidence a unit sent: one item
of an answer's evidence, which its messenger keeps (the answer holds its file id and channel)
and the server fetches from it when the link is opened.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, runtime_checkable

from storage.clock import Clock

LINK_PATH = "/f/"
SECRET_NAME = "file_links"
_SIGNATURE_BYTES = 16


@dataclass(frozen=True)
class LinkedFile:
    """A kept file's id, or with `evidence` (the item's place in the list) an answer's id."""

    file_id: int
    ward_id: int | None
    evidence: int | None = None


class FileUnavailable(Exception):
    """The messenger would not give the file back; the message says why, for the person who
    opened the link."""


@runtime_checkable
class MessengerFiles(Protocol):
    """A channel whose messenger keeps the files people send and gives them back by id."""

    async def download(self, file_id: str) -> tuple[bytes, str | None]:
        """The file's content, and its name where the messenger knows one; raises
        FileUnavailable."""
        ...


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

    def token(self, file_id: int, ward_id: int | None, evidence: int | None = None) -> str:
        expires = int((self._clock.now() + self._valid_for).timestamp())
        fields = [str(file_id), "" if ward_id is None else str(ward_id), str(expires)]
        if evidence is not None:
            fields.append(str(evidence))
        body = _encode(".".join(fields).encode())
        return f"{body}.{self._sign(body)}"

    def url(self, file_id: int, ward_id: int | None) -> str:
        return f"{self.base_url}{LINK_PATH}{self.token(file_id, ward_id)}"

    def evidence_url(self, answer_id: int, item: int, ward_id: int) -> str:
        """A link to the `item`-th piece of evidence of an answer (0 is the first)."""
        return f"{self.base_url}{LINK_PATH}{self.token(answer_id, ward_id, item)}"

    def read(self, token: str) -> LinkedFile | None:
        """The file a token names, or None when it was altered, is malformed or has expired."""
        body, _, signature = token.partition(".")
        if not body or not signature or len(token) > 200 or not token.isascii():
            return None
        if not hmac.compare_digest(self._sign(body), signature):
            return None
        try:
            file_part, ward_part, expires_part, *evidence_part = (
                _decode(body).decode("ascii").split(".")
            )
            file_id, expires = int(file_part), int(expires_part)
            ward_id = int(ward_part) if ward_part else None
            evidence = int(evidence_part[0]) if evidence_part else None
        except ValueError:
            return None
        if len(evidence_part) > 1 or self._clock.now().timestamp() >= expires:
            return None
        return LinkedFile(file_id, ward_id, evidence)
