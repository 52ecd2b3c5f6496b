"""A fake Zalo Bot API server, built from the platform's documented behaviour (issue 13's wire
facts; docs/ZALO_BOT_API.md as copied in XuanNguyenNB/QuanLyThuChi_Bot_Telegram_Zalom), ugly
parts included:

- every method is `POST /bot<TOKEN>/<method>`; a wrong token is HTTP 401;
- answers are `{ok: true, result}` or `{ok: false, error_code, description}`, and a refused
  text (empty, over 2,000 characters) is `ok: false` with HTTP 200;
- getUpdates takes only `timeout`, returns ONE update (not a list), has no offset, answers
  HTTP 408 when the poll was idle, and refuses while a webhook is set;
- updates carry `event_name`, `message_id`, `date` in milliseconds, `chat {id, chat_type}` and
  `from {id, display_name, is_bot}` (or the older `first_name`);
- webhook calls carry `X-Bot-Api-Secret-Token`, with the body wrapped in `{ok, result}` or bare;
- the month's quota spent is HTTP 429.

It runs in a thread of its own, so a test may block on a subprocess while it serves.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TEXT_LIMIT = 2000


@dataclass
class Sent:
    method: str
    chat_id: str
    text: str
    at: float = field(default_factory=time.monotonic)


class FakeZaloBot:
    def __init__(
        self, token: str = "1234567890:fakeKEYfakeKEY", *, quota: int = 3000, idle_wait: float = 1.0
    ) -> None:
        self.token = token
        self.quota = quota
        self.idle_wait = idle_wait
        self.sent: list[Sent] = []
        self.chat_actions: list[Sent] = []  # sendChatAction calls; not messages, not counted
        self.polls = 0
        self.webhook: dict[str, str] | None = None
        self.refuse_sends_with: int | None = None  # an HTTP status every send gets, if set
        self.hold_sends = threading.Event()  # set: sends wait (a request in flight) until cleared
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._updates: asyncio.Queue[dict[str, Any]] | None = None
        self._runner: web.AppRunner | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.url = ""

    # The test's side --------------------------------------------------------------------

    def __enter__(self) -> FakeZaloBot:
        self._thread.start()
        self._started.wait(10)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.hold_sends.clear()
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def user_says(
        self,
        user_id: str,
        text: str,
        *,
        name: str = "Nguyễn Văn A",
        chat_id: str | None = None,
        group: bool = False,
        event_name: str = "message.text.received",
        older_fields: bool = False,
    ) -> dict[str, Any]:
        """Queue a message for the bot's next getUpdates (or post it to its webhook)."""
        sender: dict[str, Any] = {"id": user_id, "is_bot": False}
        sender["first_name" if older_fields else "display_name"] = name
        update = {
            "event_name": event_name,
            "message": {
                "message_id": secrets.token_hex(10),
                "date": int(time.time() * 1000),
                "chat": {"id": chat_id or user_id, "chat_type": "GROUP" if group else "PRIVATE"},
                "from": sender,
                "text": text,
            },
        }
        self.queue(update)
        return update

    def queue(self, update: dict[str, Any]) -> None:
        assert self._updates is not None
        self._loop.call_soon_threadsafe(self._updates.put_nowait, update)

    def post_to_webhook(self, update: dict[str, Any], *, wrapped: bool, secret: str | None) -> int:
        """What Zalo does in webhook mode; returns the bot's HTTP status."""
        assert self.webhook is not None
        body = {"ok": True, "result": update} if wrapped else update
        request = urllib.request.Request(
            self.webhook["url"],
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"}
            | ({"X-Bot-Api-Secret-Token": secret} if secret is not None else {}),
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def texts_to(self, chat_id: str) -> list[str]:
        with self._lock:
            return [sent.text for sent in self.sent if sent.chat_id == chat_id]

    # The server's side ------------------------------------------------------------------

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._start())
        self._started.set()
        self._loop.run_forever()

    async def _start(self) -> None:
        self._updates = asyncio.Queue()
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._method)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _refused(401, "Unauthorized", status=401)
        try:
            body = await request.json() if request.can_read_body else {}
        except ValueError:
            return _refused(400, "Bad Request: body is not JSON", status=400)
        handler = getattr(self, "_" + request.match_info["method"], None)
        if handler is None:
            return _refused(404, "Not Found: method", status=404)
        answer: web.Response = await handler(body)
        return answer

    async def _getMe(self, _body: dict[str, Any]) -> web.Response:
        return _ok(
            {"id": self.token.split(":")[0], "account_name": "bot.fake", "account_type": "BASIC"}
        )

    async def _getUpdates(self, body: dict[str, Any]) -> web.Response:
        self.polls += 1
        if self.webhook is not None:
            # Refused with HTTP 200: the envelope says so, not the status.
            return _refused(409, "Conflict: getUpdates is not available while a webhook is set")
        timeout = float(body.get("timeout") or 30)
        assert self._updates is not None
        try:
            update = await asyncio.wait_for(self._updates.get(), min(timeout, self.idle_wait))
        except TimeoutError:
            return _refused(408, "Request Timeout", status=408)
        return _ok(update)

    async def _setWebhook(self, body: dict[str, Any]) -> web.Response:
        secret = str(body.get("secret_token") or "")
        if not body.get("url") or not 8 <= len(secret) <= 256:
            return _refused(400, "Bad Request: url and a secret_token of 8-256 characters")
        self.webhook = {"url": str(body["url"]), "secret": secret}
        return _ok({"url": body["url"], "updated_at": int(time.time() * 1000)})

    async def _deleteWebhook(self, _body: dict[str, Any]) -> web.Response:
        self.webhook = None
        return _ok({"url": "", "updated_at": int(time.time() * 1000)})

    async def _getWebhookInfo(self, _body: dict[str, Any]) -> web.Response:
        return _ok({"url": self.webhook["url"] if self.webhook else "", "updated_at": 0})

    async def _sendChatAction(self, body: dict[str, Any]) -> web.Response:
        # "sendChatAction": chat_id and action "typing" ("upload_photo" announced as coming).
        if not body.get("chat_id") or body.get("action") not in ("typing", "upload_photo"):
            return _refused(400, "Bad Request: chat_id and action")
        with self._lock:
            self.chat_actions.append(Sent("sendChatAction", str(body["chat_id"]), body["action"]))
        return _ok(True)

    async def _sendMessage(self, body: dict[str, Any]) -> web.Response:
        text = body.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= TEXT_LIMIT:
            return _refused(400, "Bad Request: text must be 1-2000 characters")
        return await self._deliver("sendMessage", body, text)

    async def _sendPhoto(self, body: dict[str, Any]) -> web.Response:
        if not str(body.get("photo") or "").startswith(("http://", "https://")):
            return _refused(400, "Bad Request: photo must be a URL")
        return await self._deliver(
            "sendPhoto", body, f"[photo {body['photo']}] {body.get('caption', '')}"
        )

    async def _deliver(self, method: str, body: dict[str, Any], text: str) -> web.Response:
        if not body.get("chat_id"):
            return _refused(400, "Bad Request: chat_id")
        if self.refuse_sends_with is not None:
            return _refused(
                self.refuse_sends_with, "Internal Server Error", status=self.refuse_sends_with
            )
        with self._lock:
            if len(self.sent) >= self.quota:
                return _refused(429, "Too Many Requests: monthly quota exceeded", status=429)
            # Received, as the phone will show it, before the answer is written: a sender
            # killed now has delivered it without knowing.
            self.sent.append(Sent(method, str(body["chat_id"]), text))
        while self.hold_sends.is_set():
            await asyncio.sleep(0.05)
        return _ok({"message_id": f"{next(self._ids):020x}", "date": int(time.time() * 1000)})


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _refused(code: int, description: str, *, status: int = 200) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=status
    )
