"""Logging for `reportbot run`: one line per event, and never a token or secret.

Tokens also sit in URLs (Telegram's and the Zalo Bot API's `/bot<TOKEN>/method`), which
libraries log on errors: every configured secret is scrubbed, and anything shaped like a bot
token in a URL path as well.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

REDACTED = "***"
# "/bot123456:AAE…/getUpdates" (Telegram) and "/bot<id>:<key>/sendMessage" (Zalo Bot API):
# both tokens are an id, a colon and a key; "//bot-api.…" (a host) is not one.
_TOKEN_IN_PATH = re.compile(r"(?<!/)(/bot)(?=[^/\s?#]*:)[^/\s?#]{8,}")
# Secrets learnt while running (a refreshed Official Account token pair): scrubbed as well.
_LEARNT: set[str] = set()


def also_redact(*secrets: str) -> None:
    """Scrub these from every log line from now on, like the configured secrets."""
    _LEARNT.update(secret for secret in secrets if secret)


class Redacting(logging.Formatter):
    """A formatter whose lines carry no secret and no line break (a traceback is folded)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        # Longest first, so a secret containing another is replaced whole.
        self._secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        return self.scrub(super().format(record)).replace("\n", " | ")

    def scrub(self, text: str) -> str:
        for secret in (*self._secrets, *sorted(_LEARNT, key=len, reverse=True)):
            text = text.replace(secret, REDACTED)
        return _TOKEN_IN_PATH.sub(rf"\1{REDACTED}", text)


def configure_logging(secrets: Iterable[str], level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(Redacting(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiohttp logs every request at INFO: one line each is what we want, but not the
    # access log's own format (it would show query strings).
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
