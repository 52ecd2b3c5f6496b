"""A thin aiohttp client for the Zalo Bot API: one call, its envelope checked.

`ok: false` may come with HTTP 200 (the envelope decides, never the status alone); the token
sits in the URL path, so no URL or token ever reaches an error message or a log line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp

# An idle long poll is answered 408 (issue 13's wire facts): not an error, poll again.
IDLE_POLL = 408
UNAUTHORIZED = 401
# The month's outbound quota is spent: not a rate to back off from.
QUOTA_SPENT = 429


class ZaloBotError(Exception):
    """A call the platform refused, or that did not reach it."""

    def __init__(self, method: str, code: int | None, description: str) -> None:
        super().__init__(f"{method}: {code} {description}".strip())
        self.method = method
        self.code = code
        self.description = description


class ZaloBotClient:
    def __init__(
        self, session: Callable[[], aiohttp.ClientSession], api_base: str, token: str
    ) -> None:
        """`session` gives the HTTP session to use (made in the running loop)."""
        self._session = session
        self._root = f"{api_base.rstrip('/')}/bot{token}/"

    async def call(
        self, method: str, payload: dict[str, Any] | None = None, *, timeout: float = 30
    ) -> Any:
        """The method's `result`; raises ZaloBotError with the platform's code otherwise."""
        try:
            async with self._session().post(
                self._root + method,
                json=payload or {},
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                status = response.status
                try:
                    body = await response.json(content_type=None)
                except (ValueError, aiohttp.ContentTypeError):
                    body = None
        except TimeoutError:
            raise ZaloBotError(method, None, "timed out") from None
        except aiohttp.ClientError as error:
            # The error's text would carry the URL, hence the token.
            raise ZaloBotError(method, None, type(error).__name__) from None
        if not isinstance(body, dict):
            raise ZaloBotError(method, status, "no JSON envelope")
        if body.get("ok") is True:
            return body.get("result")
        code = body.get("error_code")
        raise ZaloBotError(
            method,
            code if isinstance(code, int) else status,
            str(body.get("description") or "")[:200],
        )
