"""People talking to a bot through the fake Bot API, for end-to-end tests that read like a
transcript: a line sent (or a button pressed), then the bot's new messages once it is quiet."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from fake_telegram import FakeTelegram, User

# The bot is done answering when nothing changed in its chat for this long.
QUIET_SECONDS = 0.8


@dataclass
class Chat:
    fake: FakeTelegram
    user: User
    chat_id: int | None = None

    @property
    def id(self) -> int:
        return self.chat_id if self.chat_id is not None else self.user.id

    async def says(self, text: str, **extra: Any) -> list[dict[str, Any]]:
        before = self._seen()
        self.fake.send(self.user, text, chat_id=self.chat_id, **extra)
        return await self._answer(before)

    async def sends_document(
        self, name: str, content: bytes, *, photo: bool = False
    ) -> list[dict[str, Any]]:
        before = self._seen()
        self.fake.send_document(self.user, name, content, photo=photo)
        return await self._answer(before)

    async def presses(self, message: dict[str, Any], label: str) -> list[dict[str, Any]]:
        """Press the button labelled `label` on `message` (as it was when shown)."""
        before = self._seen()
        self.fake.press(self.user, message, button_data(message, label))
        return await self._answer(before)

    def messages(self) -> list[dict[str, Any]]:
        return self.fake.messages_to(self.id)

    def _seen(self) -> tuple[int, str]:
        shown = self.messages()
        return len(shown), repr(shown)

    async def _answer(self, before: tuple[int, str]) -> list[dict[str, Any]]:
        """The bot's messages new since `before` (edits show in `messages()`)."""
        count, _ = before
        await self.fake.wait_for(lambda: self._seen() != before, timeout=30)
        while True:
            state = self._seen()
            await asyncio.sleep(QUIET_SECONDS)
            if self._seen() == state:
                return self.messages()[count:]


def button_data(message: dict[str, Any], label: str) -> str:
    for row in message.get("reply_markup", {}).get("inline_keyboard", []):
        for button in row:
            if button["text"] == label and "callback_data" in button:
                return str(button["callback_data"])
    raise AssertionError(f"no button «{label}» on: {message.get('text')}")


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or m.get("caption") or "" for m in messages)
