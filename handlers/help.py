"""`/huongdan`: what the sender can do, for their role."""

from __future__ import annotations

from bot.i18n import _
from handlers.context import FlowContext
from handlers.router import Router

router = Router()


async def send_help(context: FlowContext) -> None:
    """Reply with the commands the sender's roles allow (the dispatcher fills them in)."""
    actor = context.actor
    lines = [command.describe() for command in context.commands]
    if actor.is_citizen:
        intro = _(
            "Bạn có thể hỏi về VNeID, iHanoi và dịch vụ công trực tuyến. "
            "Cán bộ phường đăng ký bằng mã được cấp."
        )
    else:
        intro = _("Các lệnh bạn dùng được:")
    context.reply("\n".join([intro, *lines]))


@router.command(
    "huongdan",
    "help",
    "trogiup",
    describe=lambda: _("/huongdan — xem cách dùng"),
    citizens=True,
)
async def show_help(context: FlowContext) -> None:
    await send_help(context)
