"""Two messages of one person, handled out of the order they were sent (two processes took
them): the earlier one is never applied to the step the later one moved the conversation to."""

from __future__ import annotations

import itertools
from dataclasses import replace

from chat import Person, person
from sqlalchemy import func, select

from bot.app import Application, open_application
from bot.config import Settings
from bot.ward_setup import ensure_example_ward, invite
from handlers.events import parse_text_event
from storage.clock import FixedClock
from storage.models import Submission
from storage.vocabulary import Role

POLICE = "Công an phường"
SENT_EARLIER = "được gửi trước câu trả lời bạn vừa gửi"
_updates = itertools.count(1)


async def _send(who: Person, text: str, sent_order: int) -> list[str]:
    event = parse_text_event(f"o{next(_updates)}", who.sender, who.sender.user_id, text)
    return await who.deliver(replace(event, sent_order=sent_order))


async def _head_at_confirmation(application: Application) -> tuple[Person, int]:
    async with application.transaction() as repositories:
        ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        coordinator_code = (await invite(repositories, ward, Role.COORDINATOR, None, 7)).code
        head_code = (await invite(repositories, ward, Role.UNIT_HEAD, POLICE, 7)).code
    dispatcher = application.dispatcher(ward.id)
    coordinator = person(dispatcher, "coordinator")
    await coordinator.send(f"/start {coordinator_code}")
    await coordinator.send("/moky 2026-11")
    head = person(dispatcher, "head")
    await head.send(f"/start {head_code}")
    # The police answer 7 tasks: all of them, so the report can be sent.
    report = "\n".join(f"{n} ht" for n in range(1, 8))
    confirmation = await _send(head, report, sent_order=1_000)
    assert "1. Lưu 7 nhiệm vụ" in confirmation[0]
    return head, ward.id


async def _submissions(application: Application) -> int:
    async with application.sessions() as session:
        return (await session.execute(select(func.count()).select_from(Submission))).scalar_one()


async def test_an_earlier_message_handled_later_gets_the_current_question_again(
    application: Application,
) -> None:
    head, _ = await _head_at_confirmation(application)
    # "1" (save) sent at 3,000 is handled first; the "1" sent at 2,000 was meant for the same
    # confirmation, and on the review screen it would mean "Gửi báo cáo".
    saved = await _send(head, "1", sent_order=3_000)
    assert saved[0] == "Đã lưu 7 nhiệm vụ." and "1. Gửi báo cáo" in saved[1]
    late = await _send(head, "1", sent_order=2_000)
    assert SENT_EARLIER in late[0]
    assert "1. Gửi báo cáo" in late[-1]
    assert await _submissions(application) == 0
    # A message sent after the last one applied is read as usual.
    submitted = await _send(head, "1", sent_order=4_000)
    assert submitted[0].startswith("Đã gửi báo cáo kỳ 2026-11")
    assert await _submissions(application) == 1


async def test_a_command_sent_earlier_still_counts(application: Application) -> None:
    """A command stands on its own: /huy sent before the save still stops the flow."""
    head, _ = await _head_at_confirmation(application)
    await _send(head, "1", sent_order=3_000)
    stopped = await _send(head, "/huy", sent_order=2_000)
    assert not any(SENT_EARLIER in reply for reply in stopped)


async def test_the_order_holds_across_two_processes(database_url: str, clock: FixedClock) -> None:
    """The later message through one process, the earlier through another: the stored order
    decides, not the process that saw it."""
    async with (
        open_application(Settings(database_url=database_url), clock) as one,
        open_application(Settings(database_url=database_url), clock) as other,
    ):
        head, ward_id = await _head_at_confirmation(one)
        await _send(head, "1", sent_order=3_000)
        elsewhere = person(other.dispatcher(ward_id), head.sender.user_id)
        late = await _send(elsewhere, "1", sent_order=2_000)
        assert SENT_EARLIER in late[0]
        assert await _submissions(one) == 0


async def test_messages_without_an_order_are_read_in_arrival_order(
    application: Application,
) -> None:
    """The console and older updates carry no order: nothing is held back."""
    head, _ = await _head_at_confirmation(application)
    await _send(head, "1", sent_order=3_000)
    submitted = await head.send("1")
    assert submitted[0].startswith("Đã gửi báo cáo kỳ 2026-11")
