"""Evidence back from Telegram: the file a person sent, by its file id (getFile, then the
download from `<api base>/file/bot<token>/<file_path>`). Telegram's own Bot API gives bots
files of up to 20 MB; a self-hosted Bot API server gives larger ones."""

from __future__ import annotations

import logging

import aiohttp
from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import GetFile

from bot.file_links import FileUnavailable
from handlers.i18n import _

log = logging.getLogger(__name__)

# How long one download may take; a 20 MB file over a slow link takes a while.
DOWNLOAD_SECONDS = 120


async def download(bot: Bot, channel: str, file_id: str) -> tuple[bytes, str | None]:
    try:
        found = await bot(GetFile(file_id=file_id))
    except TelegramAPIError as error:
        if "too big" in error.message.lower():
            raise FileUnavailable(
                _(
                    "Tệp lớn hơn 20 MB: Telegram không cho trợ lý tải tệp cỡ này. Bạn mở tệp "
                    "ngay trong Telegram, hoặc đề nghị đơn vị gửi bản nhỏ hơn hay đường link."
                )
            ) from None
        log.warning("getFile of %s failed: %s", channel, error.message)
        raise _not_now() from None
    if not found.file_path:
        raise _not_now()
    try:
        content = await bot.download_file(found.file_path, timeout=DOWNLOAD_SECONDS)
    except (aiohttp.ClientError, TimeoutError) as error:
        # The error may quote the download's address, which holds the token.
        log.warning("downloading a file of %s failed: %s", channel, type(error).__name__)
        raise _not_now() from None
    assert content is not None
    return content.read(), found.file_path.rsplit("/", 1)[-1] or None


def _not_now() -> FileUnavailable:
    return FileUnavailable(_("Chưa lấy được tệp từ Telegram. Bạn thử lại sau ít phút."))
