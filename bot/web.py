"""The one web server of `reportbot run`: `/healthz`, every channel's webhook route, and file
links (`/f/<token>`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.file_links import LINK_PATH, FileLinks
from bot.runner import WebhookHandler
from storage.repositories import Repositories

log = logging.getLogger(__name__)

Health = Callable[[], Awaitable[dict[str, Any]]]


def web_application(
    health: Health,
    routes: dict[str, WebhookHandler],
    links: FileLinks,
    transaction: Callable[[], AbstractAsyncContextManager[Repositories]],
) -> web.Application:
    """`routes` is read at each request, so channels may add theirs once started."""

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
        async with transaction() as repositories:
            stored = await repositories.files.get(linked.file_id, linked.ward_id)
        if stored is None:
            raise web.HTTPForbidden(text="This link is not valid or has expired.\n")
        name = stored.file_name
        return web.Response(
            body=stored.content,
            content_type=_content_type(name),
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
                "Cache-Control": "private, no-store",
            },
        )

    app = web.Application(client_max_size=20 * 1024 * 1024)
    app.router.add_get("/healthz", healthz)
    app.router.add_get(LINK_PATH + "{token}", download)
    app.router.add_post("/{path:.*}", webhook)
    return app


_CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".md": "text/markdown",
}


def _content_type(name: str) -> str:
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return _CONTENT_TYPES.get(suffix, "application/octet-stream")
