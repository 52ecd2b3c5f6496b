"""Sending on the Zalo Bot API: texts (the port has split them to 2,000 characters and written
choices as numbered lines) and photos by URL; documents reach Zalo as links (the port)."""

from __future__ import annotations

from bot.channels import Capabilities
from bot.sending import OutboundFile, OutboundMessage, SendFailed
from bot.zalo_bot.client import QUOTA_SPENT, UNAUTHORIZED, ZaloBotClient, ZaloBotError

# Refusals no retry can mend: a bad token, a chat the bot may not write to, a text refused.
_PERMANENT = {UNAUTHORIZED, 400, 403, 404}


class ZaloBotSender:
    def __init__(self, name: str, capabilities: Capabilities, client: ZaloBotClient) -> None:
        self.name = name
        self.capabilities = capabilities
        self._client = client

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        if isinstance(message, OutboundFile):
            if not (message.photo and message.url):
                raise SendFailed(
                    "the Zalo Bot API sends files only as photos by URL", permanent=True
                )
            # docs/ZALO_BOT_API.md "sendPhoto": chat_id, photo (a URL), caption (1–2,000).
            payload = {"chat_id": chat_id, "photo": message.url}
            if message.caption:
                payload["caption"] = message.caption[: self.capabilities.max_text]
            method = "sendPhoto"
        else:
            # docs/ZALO_BOT_API.md "sendMessage": chat_id, text of 1 to 2,000 characters.
            payload = {"chat_id": chat_id, "text": message.text or "…"}
            method = "sendMessage"
        try:
            result = await self._client.call(method, payload)
        except ZaloBotError as error:
            if error.code == QUOTA_SPENT:
                # The port holds the row for next month and tells the coordinators.
                raise SendFailed(
                    "the month's message quota is spent", permanent=True, quota_spent=True
                ) from None
            raise SendFailed(str(error), permanent=error.code in _PERMANENT) from None
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return str(message_id or "")

    async def show_working(self, chat_id: str) -> None:
        # docs/ZALO_BOT_API.md "sendChatAction": chat_id, action "typing"; shown up to 5 s.
        await self._client.call("sendChatAction", {"chat_id": chat_id, "action": "typing"})
