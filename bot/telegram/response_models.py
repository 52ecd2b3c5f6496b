"""Keeps the models aiogram reads the Bot API's answers with.

aiogram reads every answer as `Response[T]`, T the method's result type, and pydantic keeps the
classes it makes for `Response[T]` in a weak cache: once a garbage collection has dropped one,
the next request builds it anew, its whole validator included (about 3 ms for `Response[Message]`;
12% of `reportbot run`'s CPU in bench/telegram.py). Held here, each is made once a process."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType


class KeepResponseModels(BaseRequestMiddleware):
    def __init__(self) -> None:
        self._kept: dict[type[TelegramMethod[Any]], type[Response[Any]]] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        kind = type(method)
        if kind not in self._kept:
            self._kept[kind] = Response[method.__returning__]  # type: ignore[name-defined]
        return await make_request(bot, method)
