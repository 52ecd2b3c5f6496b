"""A fake Zalo Official Account platform, built from what the public sources say Zalo does
(see bot/zalo_oa/wire.py and api.py for the sources), not from what the adapter sends:

- it signs its webhook calls: X-ZEvent-Signature "mac=" + SHA-256(app id + body + timestamp +
  OA secret key), with `timestamp` a string of milliseconds in the body;
- /v3.0/oa/message/cs takes the token in an `access_token` header and answers HTTP 200 with
  `{error: 0, data: {message_id}}` or a negative error: -216 for a token it does not know or
  that expired, -230 when the citizen's last message is older than the reply window, -211 once
  8 replies were sent since it;
- /v4/oa/access_token trades a refresh token (form, with `app_id`, `grant_type`, and the app
  secret in a `secret_key` header) for a new pair, once: the refresh token is single-use.

It runs on its own thread and loop, so a test can drive a `reportbot run` subprocess with
blocking calls while the fake answers it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

FREE_REPLIES = 8
WINDOW_SECONDS = 48 * 3600


@dataclass
class Reply:
    user_id: str
    message_id: str | None
    text: str


@dataclass
class Citizen:
    last_message_at: float = 0.0
    last_msg_id: str = ""
    replies_since: int = 0


@dataclass
class FakeOa:
    app_id: str = "1234567890123456789"
    oa_id: str = "579745863508352884"
    secret_key: str = field(default_factory=lambda: "oa-secret-" + secrets.token_hex(8))
    app_secret: str = field(default_factory=lambda: "app-secret-" + secrets.token_hex(8))
    access_tokens: set[str] = field(default_factory=set)
    refresh_tokens: dict[str, bool] = field(default_factory=dict)  # token -> still unused
    citizens: dict[str, Citizen] = field(default_factory=dict)
    replies: list[Reply] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)  # (user id, error)
    refreshes: int = 0
    url: str = ""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.first_pair = self.new_pair()

    def new_pair(self) -> tuple[str, str]:
        access, refresh = "AT-" + secrets.token_urlsafe(24), "RT-" + secrets.token_urlsafe(24)
        self.access_tokens.add(access)
        self.refresh_tokens[refresh] = True
        return access, refresh

    def expire_access_tokens(self) -> None:
        """Every access token runs out (they last about 25 hours)."""
        with self._lock:
            self.access_tokens.clear()

    def age(self, user_id: str, seconds: float) -> None:
        """The citizen's last message was `seconds` earlier than it was."""
        with self._lock:
            self.citizens[user_id].last_message_at -= seconds

    def replies_to(self, user_id: str) -> list[Reply]:
        with self._lock:
            return [reply for reply in self.replies if reply.user_id == user_id]

    # The webhook side: what Zalo posts to the bot when a person writes.
    def event(
        self,
        bot_url: str,
        user_id: str,
        event_name: str = "user_send_text",
        text: str | None = None,
        *,
        signature: str | None = None,
    ) -> int:
        """Post one event to the bot's webhook as Zalo does; returns the HTTP status."""
        now_ms = int(time.time() * 1000)
        msg_id = secrets.token_hex(16)
        payload: dict[str, Any] = {"app_id": self.app_id, "event_name": event_name}
        if event_name == "follow":
            payload |= {"oa_id": self.oa_id, "follower": {"id": user_id}, "source": "oa_profile"}
        else:
            payload |= {
                "sender": {"id": user_id},
                "recipient": {"id": self.oa_id},
                "message": {"msg_id": msg_id, **({"text": text} if text is not None else {})},
            }
        payload["timestamp"] = str(now_ms)
        body = json.dumps(payload, ensure_ascii=False).encode()
        if signature is None:
            mac = hashlib.sha256(
                self.app_id.encode() + body + str(now_ms).encode() + self.secret_key.encode()
            ).hexdigest()
            signature = f"mac={mac}"
        if event_name.startswith("user_") or event_name == "follow":
            with self._lock:
                citizen = self.citizens.setdefault(user_id, Citizen())
                citizen.last_message_at, citizen.replies_since = time.time(), 0
                citizen.last_msg_id = msg_id
        self._last = (body, signature)
        return self._post(bot_url, body, signature)

    def repeat(self, bot_url: str) -> int:
        """Post the last event again, as Zalo does when the webhook was slow to answer."""
        return self._post(bot_url, *self._last)

    def _post(self, bot_url: str, body: bytes, signature: str) -> int:
        request = urllib.request.Request(
            f"{bot_url}/zalo-oa/zalo_oa",
            data=body,
            headers={"Content-Type": "application/json", "X-ZEvent-Signature": signature},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    # The API side.
    async def _message_cs(self, request: web.Request) -> web.Response:
        body = await request.json()
        recipient = body.get("recipient", {})
        user_id = str(recipient.get("user_id", ""))
        with self._lock:
            if request.headers.get("access_token") not in self.access_tokens:
                return self._error(user_id, -216, "Access token is invalid or expired")
            citizen = self.citizens.get(user_id)
            if citizen is None or time.time() - citizen.last_message_at > WINDOW_SECONDS:
                return self._error(user_id, -230, "User has not interacted with the OA")
            if citizen.replies_since >= FREE_REPLIES:
                return self._error(user_id, -211, "Out of quota")
            citizen.replies_since += 1
            self.replies.append(
                Reply(user_id, recipient.get("message_id"), body.get("message", {}).get("text"))
            )
        return web.json_response(
            {"error": 0, "message": "Success", "data": {"message_id": secrets.token_hex(8)}}
        )

    def _error(self, user_id: str, code: int, message: str) -> web.Response:
        self.refused.append((user_id, code))
        return web.json_response({"error": code, "message": message})

    async def _access_token(self, request: web.Request) -> web.Response:
        form = await request.post()
        with self._lock:
            if request.headers.get("secret_key") != self.app_secret:
                return web.json_response({"error": -14002, "error_name": "Invalid secret key"})
            token = str(form.get("refresh_token", ""))
            if (
                form.get("grant_type") != "refresh_token"
                or form.get("app_id") != self.app_id
                or not self.refresh_tokens.get(token)
            ):
                return web.json_response(
                    {
                        "error": -14014,
                        "error_name": "Invalid refresh token",
                        "error_description": "Refresh token is invalid or used",
                    }
                )
            self.refresh_tokens[token] = False
            self.refreshes += 1
            access, refresh = self.new_pair()
        return web.json_response(
            {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}
        )

    def start(self) -> FakeOa:
        ready = threading.Event()

        async def serve() -> None:
            app = web.Application()
            app.router.add_post("/v3.0/oa/message/cs", self._message_cs)
            app.router.add_post("/v4/oa/access_token", self._access_token)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
            self._stopping = asyncio.Event()
            ready.set()
            await self._stopping.wait()
            await runner.cleanup()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(serve())

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(10)

    def environment(self, ward: str) -> dict[str, str]:
        """What an operator sets for this OA (the first token pair Zalo gave them)."""
        access, refresh = self.first_pair
        return {
            "REPORTBOT_ZALO_OA_APP_ID": self.app_id,
            "REPORTBOT_ZALO_OA_SECRET_KEY": self.secret_key,
            "REPORTBOT_ZALO_OA_APP_SECRET": self.app_secret,
            "REPORTBOT_ZALO_OA_ACCESS_TOKEN": access,
            "REPORTBOT_ZALO_OA_REFRESH_TOKEN": refresh,
            "REPORTBOT_ZALO_OA_WARD": ward,
            "REPORTBOT_ZALO_OA_API_BASE": self.url,
            "REPORTBOT_ZALO_OA_OAUTH_BASE": self.url,
        }
