"""The two calls the adapter makes to Zalo: a consultation reply and a token refresh.

- Reply: POST {api}/v3.0/oa/message/cs, the token in an `access_token` header (not Bearer),
  JSON `{recipient: {user_id, message_id}, message: {text}}`; answer `{error: 0, data:
  {message_id}}` or `{error: <negative>, message}`, with HTTP 200 either way (github
  letrungtin123/zalo-chatbot zaloApi.js: "V3 yêu cầu token trong HEADER"; the citizen's
  msg_id makes it a reply rather than a proactive message, per the issue's reading of
  developers.zalo.me).
- Refresh: POST {oauth}/v4/oa/access_token, header `secret_key` = the app secret, form
  `refresh_token`, `app_id`, `grant_type=refresh_token`; answer `{access_token,
  refresh_token, expires_in}` (github Kai-D13/Kajo_rehab refresh-zalo-token.ps1 and
  n-v-nam/integration-caldav-socket zalo.token.py; developers.zalo.me "xac-thuc-va-uy-quyen-
  cho-ung-dung-new"). The refresh token is single-use: the answer's is the next one.

Neither the token nor the secret is ever part of an exception's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

from storage.repositories.oa_tokens import TokenPair

API_BASE = "https://openapi.zalo.me"
OAUTH_BASE = "https://oauth.zaloapp.com"
TIMEOUT = aiohttp.ClientTimeout(total=15)


class OaError(Exception):
    """Zalo answered with an error code (or not in its envelope: `code` None)."""

    def __init__(self, code: int | None, description: str) -> None:
        super().__init__(f"Zalo OA error {code}: {description[:200]}")
        self.code = code


@dataclass(frozen=True)
class OaApi:
    app_id: str
    app_secret: str
    api_base: str = API_BASE
    oauth_base: str = OAUTH_BASE

    async def reply(
        self,
        session: aiohttp.ClientSession,
        access_token: str,
        user_id: str,
        message_id: str | None,
        text: str,
    ) -> str:
        """Send `text` to the citizen as the answer to their `message_id`; the platform's id
        of the message sent."""
        recipient = {"user_id": user_id}
        if message_id:
            recipient["message_id"] = message_id
        async with session.post(
            f"{self.api_base.rstrip('/')}/v3.0/oa/message/cs",
            json={"recipient": recipient, "message": {"text": text}},
            headers={"access_token": access_token},
            timeout=TIMEOUT,
        ) as response:
            answer = await _json(response)
        code = answer.get("error")
        if code != 0:
            raise OaError(_int(code), str(answer.get("message") or ""))
        data = answer.get("data")
        if not isinstance(data, dict):
            data = {}
        return str(data.get("message_id") or "")

    async def refresh(self, session: aiohttp.ClientSession, refresh_token: str) -> TokenPair:
        """Trade the single-use refresh token for a new pair."""
        async with session.post(
            f"{self.oauth_base.rstrip('/')}/v4/oa/access_token",
            data={
                "refresh_token": refresh_token,
                "app_id": self.app_id,
                "grant_type": "refresh_token",
            },
            headers={"secret_key": self.app_secret},
            timeout=TIMEOUT,
        ) as response:
            answer = await _json(response)
        access, refresh = answer.get("access_token"), answer.get("refresh_token")
        if not isinstance(access, str) or not isinstance(refresh, str) or not access or not refresh:
            raise OaError(
                _int(answer.get("error")),
                str(answer.get("error_description") or answer.get("message") or "no token pair"),
            )
        return TokenPair(access, refresh)


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        answer = await response.json(content_type=None)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise OaError(None, f"HTTP {response.status}, not a JSON object")
    return answer


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
