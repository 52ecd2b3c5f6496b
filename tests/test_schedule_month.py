"""A ward left alone for November 2026 (due before the 16th), on SQLite and PostgreSQL: every
message each unit head, the coordinator and the leader receives, by day and hour."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from chat import Person, person
from outbox_helpers import RecordingSender, deliver, delivery_for
from schedule_month import ZONE, Received, live_through, received
from sqlalchemy import func, select

from bot.app import Application, open_application
from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.scheduler import Scheduler
from bot.ward_setup import ensure_example_ward, invite
from handlers.scheduling.policy import WardCalendar, schedule_of, settings_of
from storage.clock import FixedClock
from storage.models import CONSOLE_CHANNEL, OutboxMessage, Reminder
from storage.vocabulary import OutboxState, Role

CULTURE = "Phòng Văn hóa - Xã hội"
POLICE = "Công an phường"
ECONOMY = "Phòng Kinh tế, Hạ tầng và Đô thị"


def local(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=ZONE)


@dataclass
class Month:
    application: Application
    clock: FixedClock
    ward_id: int
    people: dict[str, Person]

    async def register(self, user: str, role: Role, unit: str | None) -> None:
        async with self.application.transaction() as repositories:
            ward = await repositories.wards.by_id(self.ward_id)
            assert ward is not None
            code = (await invite(repositories, ward, role, unit, 60)).code
        who = person(self.application.dispatcher(self.ward_id), user, user)
        assert "thành công" in (await who.send(f"/start {code}"))[0]
        self.people[user] = who

    async def submit(self, unit_name: str, user: str) -> None:
        async with self.application.transaction() as repositories:
            ward = repositories.for_ward(self.ward_id)
            period = await ward.periods.current()
            unit = await ward.units.find(unit_name)
            heads = await ward.members.with_role(Role.UNIT_HEAD, unit_id=unit.id)  # type: ignore[union-attr]
            submission = await ward.reports.submission(period, unit.id)  # type: ignore[arg-type,union-attr]
            ward.reports.submit(submission, period, heads[0].id)  # type: ignore[arg-type]

    async def raise_blocker(self, unit_name: str, due: datetime) -> None:
        async with self.application.transaction() as repositories:
            ward = repositories.for_ward(self.ward_id)
            unit = await ward.units.find(unit_name)
            await ward.blockers.raise_blocker(
                unit_id=unit.id,  # type: ignore[union-attr]
                task_id=None,
                member_id=None,
                description="Chưa có kinh phí mua thiết bị",
                answer_due_at=due,
            )


@pytest.fixture
async def month(application: Application, clock: FixedClock) -> Month:
    clock._moment = local(31, 18, month=10)
    async with application.transaction() as repositories:
        ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        # A ward's own day off on the 12th, and Saturday the 14th worked in its place.
        schedule = schedule_of({})
        calendar = WardCalendar(
            frozenset({datetime(2026, 11, 12).date()}), frozenset({datetime(2026, 11, 14).date()})
        )
        await repositories.for_ward(ward.id).schedule.save(
            settings_of(schedule.__class__(calendar=calendar))
        )
    state = Month(application, clock, ward.id, {})
    await state.register("vhxh", Role.COORDINATOR, None)
    await state.register("chutich", Role.LEADER, None)
    await state.register("head-culture", Role.UNIT_HEAD, CULTURE)
    await state.register("head-police", Role.UNIT_HEAD, POLICE)
    await state.register("head-economy", Role.UNIT_HEAD, ECONOMY)
    return state


def by_person(messages: list[Received], chat_id: str) -> list[tuple[str, str]]:
    return [
        (message.when, message.kind)
        for message in messages
        if message.chat_id == chat_id and message.kind != "member_registered"
    ]


async def test_a_month_left_alone(month: Month) -> None:
    async def people_act(now: datetime) -> None:
        if now == local(3, 10):
            await month.raise_blocker(ECONOMY, local(5, 17))
        if now == local(6, 10):
            await month.people["head-police"].send("nhắc lại sau")
        if now == local(10, 15):
            await month.submit(CULTURE, "head-culture")

    started = time.process_time()
    await live_through(month.application, month.clock, local(2, 12, month=12), on_hour=people_act)
    # CPU time: the machine is shared, and wall time measures the neighbours too.
    elapsed = time.process_time() - started
    print(f"a month in {elapsed:.2f} s")
    messages = await received(month.application)

    opened = ("02/11 09:00", "period_opened")
    december = ("01/12 09:00", "period_opened")
    assert by_person(messages, "head-culture") == [opened, ("06/11 09:00", "nudge"), december]
    # Snoozed on Friday the 6th: nudged again on Monday the 9th; the 12th is the ward's day
    # off and Saturday the 14th its make-up day; five nudges is the cap.
    assert by_person(messages, "head-police") == [
        opened,
        ("06/11 09:00", "nudge"),
        ("09/11 09:00", "nudge"),
        ("11/11 09:00", "nudge"),
        ("13/11 09:00", "nudge"),
        ("14/11 09:00", "nudge"),
        ("16/11 08:00", "overdue"),
        december,
    ]
    assert by_person(messages, "head-economy") == [
        opened,
        ("06/11 09:00", "nudge"),
        ("11/11 09:00", "nudge"),
        ("13/11 09:00", "nudge"),
        ("14/11 09:00", "nudge"),
        ("16/11 08:00", "overdue"),
        # December opens on Tuesday the 1st.
        december,
    ]
    assert by_person(messages, "vhxh") == [
        ("05/11 17:00", "blocker_overdue"),
        ("06/11 08:00", "blocker_overdue"),
        ("09/11 08:00", "blocker_overdue"),
        ("11/11 08:00", "progress"),
        ("13/11 08:00", "progress"),
        ("14/11 08:00", "progress"),
        ("16/11 08:00", "late_units"),
        ("16/11 08:00", "digest"),
        ("01/12 09:00", "still_open"),
    ]
    assert by_person(messages, "chutich") == [("16/11 08:00", "digest")]
    texts = {(m.chat_id, m.when, m.kind): m.text for m in messages}
    late = texts[("vhxh", "16/11 08:00", "late_units")]
    assert f"{POLICE} (đã nhắc 5 lần)" in late and f"{ECONOMY} (đã nhắc 4 lần)" in late
    assert CULTURE not in late
    progress = texts[("vhxh", "14/11 08:00", "progress")]
    assert "1/" in progress and POLICE in progress and CULTURE not in progress
    assert "Chưa có kinh phí" in texts[("vhxh", "16/11 08:00", "digest")].split("\n")[1]
    assert "nhắc lần 3" in texts[("vhxh", "09/11 08:00", "blocker_overdue")]
    for message in messages:
        assert 7 * 60 + 30 <= message.at.hour * 60 + message.at.minute < 20 * 60, message
    if month.application.engine.dialect.name == "sqlite":
        assert elapsed < 5, elapsed


async def test_running_again_queues_nothing_twice(month: Month) -> None:
    await live_through(month.application, month.clock, local(16, 12))
    first = await received(month.application)
    # Every minute of the due day again, as a process restarted in a loop would.
    month.clock._moment = local(16, 7).astimezone(ZONE)
    await live_through(month.application, month.clock, local(16, 12), every=timedelta(minutes=7))
    assert await received(month.application) == first
    async with month.application.transaction() as repositories:
        keys = (
            await repositories.session.execute(
                select(OutboxMessage.dedup_key, func.count()).group_by(OutboxMessage.dedup_key)
            )
        ).all()
    assert all(count == 1 for key, count in keys if key is not None)


async def test_a_process_down_catches_up_within_the_window_and_never_at_night(
    month: Month,
) -> None:
    # Down from 08:00 to 14:00 on the 6th: that day's nudges go at 14:00. Down all of the 11th
    # until 21:00: that day's nudge and note have gone stale, and nothing goes at night.
    await live_through(
        month.application, month.clock, local(6, 20), down=(local(6, 8), local(6, 14))
    )
    await live_through(
        month.application, month.clock, local(12, 6), down=(local(11, 0), local(11, 21))
    )
    messages = await received(month.application)
    nudges = Counter(m.when for m in messages if m.kind == "nudge")
    assert nudges == {"06/11 14:00": 3}
    assert [m.when for m in messages if m.kind == "progress"] == []


async def test_a_head_who_registers_while_a_period_is_open_is_told_at_once(
    month: Month,
) -> None:
    await live_through(month.application, month.clock, local(4, 10))
    await month.register("late-head", Role.UNIT_HEAD, "Trung tâm Phục vụ Hành chính công")
    messages = await received(month.application)
    assert [(m.when, m.kind) for m in messages if m.chat_id == "late-head"] == [
        ("04/11 10:00", "period_opened")
    ]


async def test_the_coordinator_nudges_now_within_quiet_hours_and_the_cap(month: Month) -> None:
    await live_through(month.application, month.clock, local(4, 10))
    coordinator = month.people["vhxh"]
    answer = await coordinator.send(f"/nhac {POLICE}")
    assert f"Đã nhắc 1 đơn vị: {POLICE}" in answer[0]
    month.clock.advance(timedelta(minutes=1))
    answer = await coordinator.send("/nhac")
    assert "Đã nhắc 3 đơn vị" in answer[0]
    month.clock._moment = local(4, 22)
    assert "giờ nghỉ" in (await coordinator.send("/nhac"))[0]
    for minute in range(5):
        month.clock._moment = local(5, 10) + timedelta(minutes=minute)
        await coordinator.send(f"/nhac {POLICE}")
    answer = await coordinator.send(f"/nhac {POLICE}")
    assert "đã đủ 5 lần" in answer[0]
    async with month.application.transaction() as repositories:
        count = await repositories.session.scalar(
            select(func.count()).select_from(Reminder).where(Reminder.kind == "nudge")
        )
    assert count == 5 + 2
    assert "Không có đơn vị «Phòng Không Có»" in (await coordinator.send("/nhac Phòng Không Có"))[0]
    schedule_text = (await coordinator.send("/lich"))[0]
    assert "Kỳ 2026-11: nhắc lúc 09:00 ngày 06/11/2026" in schedule_text


@pytest.mark.postgres
async def test_two_processes_on_postgresql_queue_each_notification_once(
    month: Month, clock: FixedClock
) -> None:
    """Two processes (two engines, two connection pools) look at the same moments at once:
    the reminders' unique keys alone keep each notification to one row."""
    if month.application.engine.dialect.name != "postgresql":
        pytest.skip("two processes share a database on PostgreSQL")
    async with open_application(month.application.settings, clock) as other:
        first, second = Scheduler(month.application.transaction), Scheduler(other.transaction)
        moments = [local(2, 9), local(6, 9), local(11, 8), local(11, 9), local(16, 8), local(16, 9)]
        for moment in moments:
            clock._moment = moment
            await asyncio.gather(first.run_due(), second.run_due())
    messages = [m for m in await received(month.application) if m.kind != "member_registered"]
    assert Counter((m.chat_id, m.when, m.kind) for m in messages).most_common(1)[0][1] == 1
    assert [(m.when, m.kind) for m in messages if m.chat_id == "head-police"] == [
        ("02/11 09:00", "period_opened"),
        ("06/11 09:00", "nudge"),
        ("11/11 09:00", "nudge"),
        ("16/11 08:00", "overdue"),
    ]
    assert [m.kind for m in messages if m.chat_id == "vhxh"] == ["progress", "late_units", "digest"]


def _sent_to(console: RecordingSender, chat_id: str) -> list[str]:
    return [m.text for chat, m in console.delivered if chat == chat_id and hasattr(m, "text")]


async def test_at_delivery_a_nudge_for_a_unit_that_has_submitted_or_after_dark_is_dropped(
    month: Month,
) -> None:
    console = RecordingSender(CONSOLE_CHANNEL, PLATFORM_CAPABILITIES[Platform.CONSOLE])
    await live_through(month.application, month.clock, local(6, 8))
    await deliver(month.application, console)
    await live_through(month.application, month.clock, local(6, 9))
    # The nudges are queued at 09:00; before they go out the police submit, and then the
    # process that sends is down until the evening.
    await month.submit(POLICE, "head-police")
    console.delivered.clear()
    await delivery_for(month.application, console).deliver_due("head-police")
    assert _sent_to(console, "head-police") == []
    month.clock._moment = local(6, 21)
    await deliver(month.application, console)
    assert _sent_to(console, "head-culture") == [] and _sent_to(console, "head-economy") == []
    async with month.application.transaction() as repositories:
        left = await repositories.outbox.pending(CONSOLE_CHANNEL)
        dropped = (
            await repositories.session.execute(
                select(func.count()).where(OutboxMessage.state == OutboxState.DROPPED)
            )
        ).scalar_one()
    assert left == [] and dropped == 3


async def test_at_delivery_a_digest_caught_by_the_night_waits_for_the_morning_without_holding_up_replies(
    month: Month,
) -> None:
    console = RecordingSender(CONSOLE_CHANNEL, PLATFORM_CAPABILITIES[Platform.CONSOLE])
    # (The clock moves three hours at a time at night: 02:00, 05:00, 08:00.)
    await live_through(month.application, month.clock, local(16, 5))
    await deliver(month.application, console)
    await live_through(month.application, month.clock, local(16, 8))
    # The digest is queued at 08:00; nothing is sent until 21:00, when the coordinator asks.
    month.clock._moment = local(16, 21)
    console.delivered.clear()
    replies = await month.people["vhxh"].send("/toi")
    await deliver(month.application, console)
    assert _sent_to(console, "vhxh") == replies
    assert _sent_to(console, "chutich") == []
    month.clock._moment = local(17, 8)
    await deliver(month.application, console)
    assert _sent_to(console, "chutich")
    async with month.application.transaction() as repositories:
        assert await repositories.outbox.pending(CONSOLE_CHANNEL) == []
