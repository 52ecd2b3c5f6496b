"""The one web server of `reportbot run`: `/healthz`, every channel's webhook route, and file
links (`/f/<token>`): files kept in the database, and evidence fetched from the messenger
that keeps it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.file_links import LINK_PATH, FileLinks, FileUnavailable, LinkedFile, MessengerFiles
from bot.runner import WebhookHandler
from handlers.i18n import _
from storage.repositories import Repositories

log = logging.getLogger(__name__)

Health = Callable[[], Awaitable[dict[str, Any]]]


def web_application(
    health: Health,
    routes: dict[str, WebhookHandler],
    links: FileLinks,
    transaction: Callable[[], AbstractAsyncContextManager[Repositories]],
    messengers: Mapping[str, MessengerFiles] | None = None,
) -> web.Application:
    """`routes` is read at each request, so channels may add theirs once started;
    `messengers` are the running channels that give back the files sent to them, by name."""
    fetchers = messengers or {}

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response(await health())

    async def webhook(request: web.Request) -> web.StreamResponse:
        handler = routes.get(request.path)
        if handler is None:
            raise web.HTTPNotFound()
        return await handler(request)

    async def download(request: web.Request) -> web.StreamResponse:
        linked = links.read(request.match_info["token"])
        if linked is None:
            log.info("a file link was refused: altered or expired")
            raise web.HTTPForbidden(text="This link is not valid or has expired.\n")
        if linked.evidence is not None:
            name, content = await evidence(linked)
            return _attachment(name, content)
        async with transaction() as repositories:
            stored = await repositories.files.get(linked.file_id, linked.ward_id)
        if stored is None:
            raise web.HTTPForbidden(text="This link is not valid or has expired.\n")
        return _attachment(stored.file_name, stored.content)

    async def evidence(linked: LinkedFile) -> tuple[str, bytes]:
        """The piece of evidence a link names, from the messenger that keeps it."""
        assert linked.evidence is not None and linked.ward_id is not None
        async with transaction() as repositories:
            answer = await repositories.for_ward(linked.ward_id).reports.by_id(linked.file_id)
        items = answer.evidence if answer is not None else []
        if not 0 <= linked.evidence < len(items) or "file_id" not in items[linked.evidence]:
            # The answer was changed since the link was made.
            raise web.HTTPNotFound(text=_("Minh chứng này không còn trong báo cáo.") + "\n")
        item = items[linked.evidence]
        messenger = fetchers.get(str(item.get("channel")))
        if messenger is None:
            raise web.HTTPNotFound(
                text=_("Kênh «{channel}» giữ tệp này không chạy trên máy chủ này.").format(
                    channel=item.get("channel")
                )
                + "\n"
            )
        try:
            content, known_name = await messenger.download(str(item["file_id"]))
        except FileUnavailable as error:
            log.info("evidence of answer %s not fetched: %s", linked.file_id, error)
            raise web.HTTPBadGateway(text=f"{error}\n") from None
        fallback = "minh-chung.jpg" if item.get("kind") == "photo" else "minh-chung"
        return str(item.get("name") or known_name or fallback), content

    app = web.Application(client_max_size=20 * 1024 * 1024)
    app.router.add_get("/healthz", healthz)
    app.router.add_get(LINK_PATH + "{token}", download)
    app.router.add_post("/{path:.*}", webhook)
    return app


def _attachment(name: str, content: bytes) -> web.Response:
    return web.Response(
        body=content,
        content_type=_content_type(name),
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "private, no-store",
        },
    )


_CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".pdf": "application/pdf",
    ".md": "text/markdown",
}


def _content_type(name: str) -> str:
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return _CONTENT_TYPES.get(suffix, "application/octet-stream")
