"""What happens to a message no command or flow claims."""

from __future__ import annotations

from handlers.checkin.flow import REPORTING_ROLES
from handlers.checkin.quick import is_quick_report, offer_quick_report
from handlers.checkin.session import load_checkin, no_open_period_text
from handlers.checkin.state import CheckinState, Step, enter
from handlers.citizen import answer_question
from handlers.context import FlowContext
from handlers.help import send_help
from handlers.i18n import _
from handlers.scheduling.commands import snooze
from storage.names import fold

# "Nhắc lại sau" typed under a nudge: as /nhacsau.
_SNOOZE_WORDS = {"nhac lai sau", "nhac sau", "de sau", "nhac lai"}


async def member_text(context: FlowContext) -> None:
    """A registered member typed something outside any flow: a one-message report from a unit
    with a single unit goes to its confirmation; anything else gets the member's commands."""
    units = context.actor.units_for(*REPORTING_ROLES)
    if units and fold(context.event.text).strip(" !.") in _SNOOZE_WORDS:
        await snooze(context)
        return
    if len(units) == 1:
        state = CheckinState(units[0].id)
        enter(context, Step.OVERVIEW, state)
        checkin = await load_checkin(context, state.unit_id, with_coordinating=False, quiet=True)
        if checkin is not None and await offer_quick_report(context, checkin, state):
            return
        context.finish()
        if checkin is None and await is_quick_report(context, units[0].id):
            # A report typed while no period is open: say so, rather than "not understood".
            assert context.actor.ward is not None
            repositories = context.repositories.for_ward(context.actor.ward.id)
            context.reply(await no_open_period_text(repositories))
            return
    if context.actor.roles:
        context.reply(_("Mình chưa hiểu tin nhắn này."))
    # Someone whose roles ended is told so by help, whatever they wrote.
    await send_help(context)


_GREETINGS = {"xin chao", "chao", "chao ban", "alo", "hello", "hi", "chao bot", "chao ad"}


async def citizen_text(context: FlowContext) -> None:
    """An unregistered person wrote: a greeting gets the introduction, anything else is a
    question for the guides."""
    if fold(context.event.text).strip(" !.?") not in _GREETINGS:
        await answer_question(context)
        return
    ward = context.actor.ward
    if ward is not None:
        context.reply(_("Chào bạn! Đây là trợ lý của {ward}.").format(ward=ward.name))
    else:
        context.reply(_("Chào bạn! Đây là trợ lý của UBND phường."))
    await send_help(context)
