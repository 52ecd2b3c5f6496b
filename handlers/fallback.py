"""What happens to a message no command or flow claims."""

from __future__ import annotations

from bot.i18n import _
from handlers.context import FlowContext
from handlers.help import send_help


async def member_text(context: FlowContext) -> None:
    """A registered member typed something outside any flow: say so and show their commands."""
    context.reply(_("Mình chưa hiểu tin nhắn này."))
    await send_help(context)


async def citizen_text(context: FlowContext) -> None:
    """An unregistered person wrote: introduce the assistant and how staff register."""
    ward = context.actor.ward
    if ward is not None:
        context.reply(_("Chào bạn! Đây là trợ lý của {ward}.").format(ward=ward.name))
    else:
        context.reply(_("Chào bạn! Đây là trợ lý của UBND phường."))
    await send_help(context)
