"""A fake Telegram Bot API server (aiohttp on 127.0.0.1), built from the Bot API documentation
(core.telegram.org/bots/api) including its awkward parts:

- every answer is `{"ok": true, "result": ...}` or `{"ok": false, "error_code", "description",
  "parameters"?}`; a 429 says `parameters.retry_after`;
- getUpdates confirms every update below `offset` and returns the rest again until confirmed;
  with `timeout` it waits (long polling); a second getUpdates while one waits ends the first
  with 409 "terminated by other getUpdates request"; while a webhook is set it is a 409;
- with a webhook set, updates are POSTed to it with X-Telegram-Bot-Api-Secret-Token, and one
  not answered with a 2xx is delivered again;
- requests come as JSON, a form, or multipart with `attach://` files (how aiogram sends them);
- HTML parse mode: an unknown tag or an unescaped "<" is a 400 "can't parse entities"; the
  text's limit (4,096) counts UTF-16 units after parsing; callback data over 64 bytes is a 400;
- editing a message to the same content is a 400 "message is not modified"; a person who
  blocked the bot is a 403 "bot was blocked by the user"; an unknown chat a 400 "chat not found".

Tests play people (`send`, `press`, `send_document`), read what the bot sent (`calls`,
`messages_to`, `wait_for`), and make the API fail on purpose (`fail_next`).
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "123456:TEST-token-for-the-fake"
BOT_ID = 123456
BOT_USERNAME = "ReportBot_test_bot"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Form fields that carry JSON (aiogram serialises objects and lists this way).
_JSON_FIELDS = {
    "reply_markup",
    "allowed_updates",
    "commands",
    "scope",
    "link_preview_options",
    "reply_parameters",
    "entities",
    "caption_entities",
}
_HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
_HTML_TAGS |= {"span", "tg-spoiler", "blockquote", "tg-emoji"}


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass(frozen=True)
class User:
    id: int
    first_name: str
    language_code: str | None = "vi"

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            found["language_code"] = self.language_code
        return found


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


@dataclass
class Failure:
    method: str
    code: int
    description: str
    retry_after: int | None
    times: int


def _group_json(chat_id: int, title: str) -> dict[str, Any]:
    return {"id": chat_id, "type": "group" if chat_id > -(10**12) else "supergroup", "title": title}


def _private_json(user: User) -> dict[str, Any]:
    return {"id": user.id, "type": "private", "first_name": user.first_name}


class _TelegramHtml(HTMLParser):
    """Reads a text in Telegram's HTML: only its tags, everything else escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            self.problem = f'Unsupported start tag "{tag}"'

    def handle_endtag(self, tag: str) -> None:
        if tag not in _HTML_TAGS:
            self.problem = f'Unsupported end tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def parsed_html(text: str) -> str:
    """The text a person reads, or an ApiError as Telegram gives one."""
    if re.search(r"<(?![a-zA-Z/])", text):
        raise ApiError(400, 'Bad Request: can\'t parse entities: unexpected "<" character')
    if re.search(r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)", text):
        raise ApiError(400, 'Bad Request: can\'t parse entities: unescaped "&" character')
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.problem:
        raise ApiError(400, f"Bad Request: can't parse entities: {parser.problem}")
    return "".join(parser.parts)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}


class FakeTelegram:
    """One bot's Bot API, as a server and as the people talking to it."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] | None = None
        self.blocked: set[int] = set()
        # Menus by scope ("default", "all_group_chats", "chat:<id>") and language.
        self.commands: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update id, status answered)
        self._chats: dict[int, dict[str, Any]] = {}
        self._update_ids = itertools.count(1000)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._callbacks: dict[str, bool] = {}
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._failures: list[Failure] = []
        self._changed = asyncio.Condition()
        self._poller: asyncio.Future[None] | None = None
        self._pusher: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self.base_url = ""

    # The server.

    async def start(self, port: int = 0) -> str:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{bound}"
        return self.base_url

    async def close(self) -> None:
        if self._pusher is not None:
            self._pusher.cancel()
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, "Unauthorized"))
        name = request.match_info["method"]
        params, files = await _read_params(request)
        call = Call(name, params, files)
        self.calls.append(call)
        await self._notify()
        try:
            self._injected_failure(name)
            handler = getattr(self, f"_m_{name.lower()}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params, files)
        except ApiError as error:
            return _error(error)
        await self._notify()
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        for name, content in self.files.values():
            if f"documents/{name}" == path or f"photos/{name}" == path:
                return web.Response(body=content)
        return web.Response(status=404)

    def _injected_failure(self, method: str) -> None:
        for failure in self._failures:
            if failure.method == method and failure.times > 0:
                failure.times -= 1
                raise ApiError(failure.code, failure.description, failure.retry_after)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # Bot API methods (named _m_<method in lower case>).

    async def _m_getme(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "ReportBot",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getupdates(self, params: dict[str, Any], files: Any) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        if self._poller is not None and not self._poller.done():
            self._poller.set_exception(
                ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
            )
            await self._notify()
        offset = int(params.get("offset", 0) or 0)
        limit = min(int(params.get("limit", 100) or 100), 100)
        timeout = float(params.get("timeout", 0) or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and timeout > 0:
            poller: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._poller = poller
            try:
                await asyncio.wait_for(self._until_update(poller), timeout)
            except TimeoutError:
                pass
            finally:
                if self._poller is poller:
                    self._poller = None
            if poller.done() and poller.exception() is not None:
                raise poller.exception()  # type: ignore[misc]
        return self.updates[:limit]

    async def _until_update(self, poller: asyncio.Future[None]) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: bool(self.updates) or poller.done())

    async def _m_sendmessage(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        chat_id = self._writable_chat(params)
        text = self._text(params, "text", 4096)
        markup = _checked_markup(params.get("reply_markup"))
        return self._keep(chat_id, {"text": text, **({"reply_markup": markup} if markup else {})})

    async def _m_sendchataction(self, params: dict[str, Any], files: Any) -> bool:
        # Bot API "sendChatAction": chat_id and one of the documented actions; True.
        self._writable_chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _m_editmessagetext(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        chat_id = self._writable_chat(params)
        message = self._message(chat_id, params)
        text = self._text(params, "text", 4096)
        markup = _checked_markup(params.get("reply_markup"))
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message["text"] = text
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = 1_700_000_001
        return message

    async def _m_editmessagereplymarkup(self, params: dict[str, Any], files: Any) -> Any:
        chat_id = self._writable_chat(params)
        message = self._message(chat_id, params)
        markup = _checked_markup(params.get("reply_markup"))
        if message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return message

    async def _m_answercallbackquery(self, params: dict[str, Any], files: Any) -> bool:
        query = str(params.get("callback_query_id", ""))
        if self._callbacks.get(query) is not False:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._callbacks[query] = True
        return True

    async def _m_senddocument(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return self._keep_file(params, files, "document")

    async def _m_sendphoto(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return self._keep_file(params, files, "photo")

    async def _m_getfile(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        name, content = self.files[file_id]
        if len(content) > 20 * 1024 * 1024:
            # Bots download files of up to 20 MB from Telegram's own Bot API.
            raise ApiError(400, "Bad Request: file is too big")
        folder = "photos" if name.endswith(".jpg") else "documents"
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": f"{folder}/{name}",
        }

    async def _m_setwebhook(self, params: dict[str, Any], files: Any) -> bool:
        url = str(params.get("url", ""))
        if not url:
            return await self._m_deletewebhook(params, files)
        if not url.startswith(("http://", "https://")):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        self.webhook = {"url": url, "secret": params.get("secret_token")}
        if params.get("drop_pending_updates") in (True, "true", "True"):
            self.updates.clear()
        if self._poller is not None and not self._poller.done():
            self._poller.set_exception(ApiError(409, "Conflict: terminated by setWebhook request"))
            await self._notify()
        self._pusher = self._pusher or asyncio.create_task(self._push_forever())
        return True

    async def _m_deletewebhook(self, params: dict[str, Any], files: Any) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates") in (True, "true", "True"):
            self.updates.clear()
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }

    async def _m_setmycommands(self, params: dict[str, Any], files: Any) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope") or {"type": "default"}
        name = scope["type"]
        if name == "chat":
            # A chat's own menu: only a chat the bot knows.
            try:
                chat_id = int(scope.get("chat_id", ""))
            except ValueError:
                raise ApiError(400, "Bad Request: chat not found") from None
            if chat_id not in self._chats:
                raise ApiError(400, "Bad Request: chat not found")
            name = f"chat:{chat_id}"
        self.commands[(name, params.get("language_code") or None)] = commands
        return True

    # What the methods share.

    def _writable_chat(self, params: dict[str, Any]) -> int:
        try:
            chat_id = int(params.get("chat_id", ""))
        except ValueError:
            raise ApiError(400, "Bad Request: chat not found") from None
        if chat_id not in self._chats:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _text(self, params: dict[str, Any], name: str, limit: int) -> str:
        raw = str(params.get(name, ""))
        text = parsed_html(raw) if params.get("parse_mode") == "HTML" else raw
        if not text.strip():
            raise ApiError(400, f"Bad Request: message {name} is empty")
        if utf16_length(text) > limit:
            raise ApiError(400, f"Bad Request: message {name} is too long")
        return text

    def _message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        message = self.messages.get((chat_id, int(params.get("message_id", 0) or 0)))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _keep(self, chat_id: int, content: dict[str, Any]) -> dict[str, Any]:
        message_id = next(self._message_ids.setdefault(chat_id, itertools.count(1)))
        message = {
            "message_id": message_id,
            "from": {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "ReportBot",
                "username": BOT_USERNAME,
            },
            "chat": self._chats[chat_id],
            "date": 1_700_000_000,
            **content,
        }
        self.messages[(chat_id, message_id)] = message
        return message

    def _keep_file(
        self, params: dict[str, Any], files: dict[str, tuple[str, bytes]], kind: str
    ) -> dict[str, Any]:
        chat_id = self._writable_chat(params)
        reference = str(params.get(kind, ""))
        if not reference.startswith("attach://") or reference[9:] not in files:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        name, content = files[reference[9:]]
        if len(content) > 50 * 1024 * 1024:
            raise ApiError(413, "Request Entity Too Large")
        caption = self._text(params, "caption", 1024) if params.get("caption") else None
        file_id = f"F{next(self._file_ids)}"
        self.files[file_id] = (name, content)
        about = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(content)}
        item: Any = (
            [{**about, "width": 800, "height": 600}]
            if kind == "photo"
            else {**about, "file_name": name}
        )
        return self._keep(chat_id, {kind: item, **({"caption": caption} if caption else {})})

    # Webhook delivery.

    async def _push_forever(self) -> None:
        """Deliver pending updates to the webhook, oldest first; one not answered with a 2xx
        stays pending and is tried again."""
        self._client = self._client or aiohttp.ClientSession()
        while True:
            async with self._changed:
                await self._changed.wait_for(lambda: bool(self.updates and self.webhook))
            assert self.webhook is not None
            update = self.updates[0]
            headers = {SECRET_HEADER: self.webhook["secret"]} if self.webhook["secret"] else {}
            try:
                async with self._client.post(
                    self.webhook["url"], json=update, headers=headers
                ) as r:
                    status = r.status
            except aiohttp.ClientError:
                status = 0
            self.webhook_deliveries.append((update["update_id"], status))
            if 200 <= status < 300:
                if self.updates and self.updates[0] is update:
                    self.updates.pop(0)
                await self._notify()
            else:
                await asyncio.sleep(0.2)

    # People.

    def join(self, user: User) -> None:
        self._chats.setdefault(user.id, _private_json(user))

    def add_group(self, chat_id: int, title: str) -> None:
        self._chats.setdefault(chat_id, _group_json(chat_id, title))

    def send(
        self,
        user: User,
        text: str,
        *,
        chat_id: int | None = None,
        reply_to: int | None = None,
        **extra: Any,
    ) -> int:
        """`user` writes `text` (in a group when `chat_id` is given); the update's id."""
        self.join(user)
        message = self._incoming(user, chat_id, reply_to)
        message["text"] = text
        entities = _entities(text)
        if entities:
            message["entities"] = entities
        message.update(extra)
        return self.push({"message": message})

    def send_document(
        self, user: User, name: str, content: bytes, *, caption: str = "", photo: bool = False
    ) -> int:
        self.join(user)
        file_id = f"F{next(self._file_ids)}"
        self.files[file_id] = (name, content)
        message = self._incoming(user, None, None)
        about = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(content)}
        if photo:
            message["photo"] = [
                {**about, "file_id": f"{file_id}s", "width": 90, "height": 60},
                {**about, "width": 1280, "height": 960},
            ]
        else:
            message["document"] = {**about, "file_name": name, "mime_type": "application/pdf"}
        if caption:
            message["caption"] = caption
        return self.push({"message": message})

    def press(self, user: User, message: dict[str, Any], data: str) -> int:
        """`user` presses the button with `data` on the bot's `message`."""
        query_id = f"Q{next(self._callback_ids)}"
        self._callbacks[query_id] = False
        return self.push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.as_json(),
                    "message": message,
                    "chat_instance": "ci",
                    "data": data,
                }
            }
        )

    def push(self, content: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **content})
        asyncio.get_running_loop().create_task(self._notify())
        return update_id

    def redeliver(self, update: dict[str, Any]) -> None:
        """Telegram delivers an update again (the bot's answer to it was lost)."""
        self.updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())

    def fail_next(
        self,
        method: str,
        code: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        self._failures.append(Failure(method, code, description, retry_after, times))

    def callback_answered(self, query_id: str) -> bool:
        return self._callbacks.get(query_id) is True

    def _incoming(self, user: User, chat_id: int | None, reply_to: int | None) -> dict[str, Any]:
        chat = self._chats[chat_id] if chat_id is not None else _private_json(user)
        message_id = next(self._message_ids.setdefault(chat["id"], itertools.count(1)))
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": user.as_json(),
            "chat": chat,
            "date": 1_700_000_000,
        }
        if reply_to is not None:
            message["reply_to_message"] = self.messages[(chat["id"], reply_to)]
        return message

    # Reading what the bot did.

    def messages_to(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat as they stand now (edits applied), oldest first."""
        found = [m for (chat, _), m in self.messages.items() if chat == chat_id]
        return [m for m in found if m["from"]["id"] == BOT_ID]

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, condition: Callable[[], Any], timeout: float = 20) -> Any:
        """Wait until `condition()` is truthy; its value."""

        async def until() -> Any:
            async with self._changed:
                while not (found := condition()):
                    await self._changed.wait()
                return found

        return await asyncio.wait_for(until(), timeout)


def _entities(text: str) -> list[dict[str, Any]]:
    found = []
    for match in re.finditer(r"(?:^/[A-Za-z0-9_]+(?:@\w+)?)|(?:@\w+)", text):
        start = utf16_length(text[: match.start()])
        kind = "bot_command" if match.group().startswith("/") else "mention"
        found.append({"type": kind, "offset": start, "length": utf16_length(match.group())})
    return found


def _checked_markup(markup: Any) -> dict[str, Any] | None:
    if not markup:
        return None
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
    return dict(markup) if markup.get("inline_keyboard") else None


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """Parameters as the Bot API takes them: query string, JSON, form or multipart."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, tuple[str, bytes]] = {}
    if request.content_type == "application/json":
        params.update(await request.json())
        return params, files
    if request.method == "POST" and request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = (value.filename, value.file.read())
            elif key in _JSON_FIELDS:
                params[key] = json.loads(str(value))
            else:
                params[key] = str(value)
    return params, files


def _error(error: ApiError) -> web.Response:
    body: dict[str, Any] = {
        "ok": False,
        "error_code": error.code,
        "description": error.description,
    }
    if error.retry_after is not None:
        body["parameters"] = {"retry_after": error.retry_after}
    return web.json_response(body, status=error.code)


def visible(text: str) -> str:
    """What a person reads of an HTML text."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


@asynccontextmanager
async def serving(*people: User) -> AsyncIterator[FakeTelegram]:
    """A started fake whose `people` have opened the bot's chat; closed after."""
    fake = FakeTelegram()
    await fake.start()
    for person in people:
        fake.join(person)
    try:
        yield fake
    finally:
        await fake.close()
