"""Message economy: a channel's monthly quota and its reserve, a bot's cap on users, and
accounts that cannot be reached (issue 13 item 2, issue 12 item 3, issue 14 item 8)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from outbox_helpers import RecordingSender, delivery_for, queue
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.app import Application
from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.delivery import Delivery
from bot.economy import QuotaState, quota_state, standing, watch_user_cap
from bot.sending import OutboundMessage, OutboundText, SendFailed, SendingPort
from bot.ward_setup import ensure_example_ward
from handlers.events import Sender, TextReply, parse_text_event
from handlers.notify import notify
from handlers.scheduling.relevance import judged_at_delivery
from handlers.scheduling.rules import Window
from storage.clock import FixedClock
from storage.models import Identity, Member, OutboxMessage
from storage.repositories import Repositories
from storage.vocabulary import OutboxState, Role

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ZALO, TELEGRAM = "zalo", "tg"
ZALO_BOT = PLATFORM_CAPABILITIES[Platform.ZALO_BOT]
TELEGRAM_CAPS = PLATFORM_CAPABILITIES[Platform.TELEGRAM]


@dataclass(frozen=True)
class Ward:
    id: int
    coordinator: Member
    head: Member


async def _ward(application: Application) -> Ward:
    """A coordinator on both the Zalo bot and Telegram, a unit head on each."""
    async with application.transaction() as repositories:
        await repositories.channels.ensure(ZALO, Platform.ZALO_BOT)
        await repositories.channels.ensure(TELEGRAM, Platform.TELEGRAM)
        ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        members = repositories.for_ward(ward.id).members
        coordinator = await members.add("Chị Thu")
        members.grant(coordinator, Role.COORDINATOR, None)
        members.link_identity(coordinator, "zalo_bot", "coord-z", ZALO)
        members.link_identity(coordinator, "telegram", "coord-t", TELEGRAM)
        head = await members.add("Anh Nam")
        members.link_identity(head, "zalo_bot", "head-z", ZALO)
        members.link_identity(head, "telegram", "head-t", TELEGRAM)
    return Ward(ward.id, coordinator, head)


def _nudge(due_at: datetime) -> dict[str, Any]:
    """A nudge as the scheduler queues it: it holds until the unit's due moment."""
    return {
        "kind": "nudge",
        "period": "2026-11",
        "unit": "Công an phường",
        "due_at": due_at.isoformat(),
        "timezone": "Asia/Ho_Chi_Minh",
        "tasks": 30,
        "left": 30,
        **judged_at_delivery(Window("1", due_at - timedelta(days=5), due_at)),
    }


async def _notify_row(
    application: Application, channel: str, chat_id: str, payload: dict[str, Any], key: str
) -> None:
    async with application.transaction() as repositories:
        await repositories.outbox.enqueue(
            channel=channel, chat_id=chat_id, payload=payload, dedup_key=key
        )


async def _rows(application: Application, kind: str | None = None) -> list[OutboxMessage]:
    async with application.transaction() as repositories:
        rows = (
            await repositories.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        ).scalars()
        return [row for row in rows if kind is None or row.payload.get("kind") == kind]


def _texts(sender: RecordingSender, chat_id: str | None = None) -> list[str]:
    return [
        message.text
        for chat, message in sender.delivered
        if isinstance(message, OutboundText) and chat_id in (None, chat)
    ]


def test_a_month_is_ok_then_in_its_reserve_then_spent() -> None:
    assert quota_state(2699, 3000, 0.9) is QuotaState.OK
    assert quota_state(2700, 3000, 0.9) is QuotaState.RESERVE
    assert quota_state(3000, 3000, 0.9) is QuotaState.SPENT
    assert quota_state(10**6, None, 0.9) is QuotaState.OK


async def test_in_the_reserve_nudges_wait_while_replies_and_digests_go(
    application: Application, clock: FixedClock
) -> None:
    await _ward(application)
    async with application.transaction() as repositories:
        await repositories.sent_counts.add(ZALO, "2026-11", 2700)
    # The nudge is first in the head's chat: waiting, it holds back nothing behind it.
    await _notify_row(
        application, ZALO, "head-z", _nudge(datetime(2026, 12, 15, tzinfo=ZONE)), "n1"
    )
    await _notify_row(
        application, ZALO, "head-z", _nudge(datetime(2026, 11, 15, tzinfo=ZONE)), "n2"
    )
    await _notify_row(application, ZALO, "coord-z", {"kind": "digest", "text": "Tổng hợp"}, "d1")
    await queue(application, ZALO, "head-z", [TextReply("Đã ghi báo cáo.")])
    zalo = RecordingSender(ZALO, ZALO_BOT)
    assert await delivery_for(application, zalo).deliver_due() == 2
    assert _texts(zalo) == ["🔔 Tổng hợp", "Đã ghi báo cáo."]
    async with application.transaction() as repositories:
        assert (await repositories.outbox.backlog())[ZALO] == {"held": 2}
        assert await repositories.sent_counts.sent(ZALO, "2026-11") == 2702
        state = await standing(repositories, ZALO, ZALO_BOT, "2026-11", 0.9)
    assert state["quota_state"] == "reserve" and state["quota_left"] == 298

    # The month's first day, local time: the nudge still ahead of its due day goes; the one
    # whose due moment passed while it waited is dropped, never sent late.
    clock.advance(datetime(2026, 12, 1, 0, 0, tzinfo=ZONE) - clock.now())
    assert await delivery_for(application, zalo).deliver_due() == 1
    assert "15/12" in _texts(zalo)[-1]
    states = {row.dedup_key: row.state for row in await _rows(application, "nudge")}
    assert states == {"n1": OutboxState.SENT, "n2": OutboxState.DROPPED}


async def test_a_spent_channel_sends_nothing_tells_the_coordinators_once_elsewhere_and_resumes(
    application: Application, clock: FixedClock
) -> None:
    await _ward(application)
    async with application.transaction() as repositories:
        await repositories.sent_counts.add(ZALO, "2026-11", 2999)
    await queue(application, ZALO, "head-z", [TextReply("một"), TextReply("hai")])
    await _notify_row(application, ZALO, "coord-z", {"kind": "digest", "text": "Tổng hợp"}, "d1")
    zalo, telegram = RecordingSender(ZALO, ZALO_BOT), RecordingSender(TELEGRAM, TELEGRAM_CAPS)
    sent = await delivery_for(application, zalo, telegram).deliver_due()
    assert _texts(zalo) == ["một"], (_texts(zalo), _texts(telegram))
    assert sent == 2
    [told] = _texts(telegram)
    assert "zalo" in told and "2026-11" in told
    # Only on the coordinator's other channel: the spent one carries nothing.
    assert [(row.channel, row.chat_id) for row in await _rows(application, "quota_spent")] == [
        (TELEGRAM, "coord-t")
    ]
    # Another process, another row: still nothing on the spent channel, and no second notice.
    await queue(application, ZALO, "head-z", [TextReply("ba")])
    assert await delivery_for(application, zalo, telegram, holder="other").deliver_due() == 0
    assert len(await _rows(application, "quota_spent")) == 1 and len(zalo.delivered) == 1
    async with application.transaction() as repositories:
        assert (await repositories.outbox.backlog())[ZALO] == {"held": 3}
        state = await standing(repositories, ZALO, ZALO_BOT, "2026-11", 0.9)
    assert (state["quota_state"], state["quota_left"]) == ("spent", 0)

    clock.advance(datetime(2026, 12, 1, 0, 0, tzinfo=ZONE) - clock.now())
    assert await delivery_for(application, zalo, telegram).deliver_due() == 3
    assert _texts(zalo, "head-z") == ["một", "hai", "ba"]
    assert _texts(zalo, "coord-z") == ["🔔 Tổng hợp"]
    async with application.transaction() as repositories:
        assert await repositories.sent_counts.sent(ZALO, "2026-12") == 3


async def test_a_spent_notice_lost_with_its_transaction_is_queued_again(
    application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The transaction that records the hold (and queues the notice) rolls back: the next
    one queues the notice again, once."""
    await _ward(application)
    async with application.transaction() as repositories:
        await repositories.sent_counts.add(ZALO, "2026-11", 3000)
    await queue(application, ZALO, "head-z", [TextReply("một")])
    zalo, telegram = RecordingSender(ZALO, ZALO_BOT), RecordingSender(TELEGRAM, TELEGRAM_CAPS)
    delivery = delivery_for(application, zalo, telegram)
    claim, calls = Delivery._claim, []

    async def failing_once(self: Delivery, *args: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:  # the transaction recording the hold
            raise RuntimeError("the database went away")
        return await claim(self, *args)

    monkeypatch.setattr(Delivery, "_claim", failing_once)
    with pytest.raises(RuntimeError):
        await delivery.deliver_due()
    assert await _rows(application, "quota_spent") == []
    await delivery.deliver_due()
    assert len(await _rows(application, "quota_spent")) == 1
    [told] = _texts(telegram)
    assert "zalo" in told and zalo.delivered == []


async def test_the_platform_saying_the_quota_is_spent_holds_the_row(
    application: Application,
) -> None:
    """Another tool may have used the same bot: Zalo's 429 counts as spent, whatever the
    count says."""
    await _ward(application)

    class Spent(RecordingSender):
        async def send(self, chat_id: str, message: OutboundMessage) -> str:
            raise SendFailed("429 quota", permanent=True, quota_spent=True)

    await queue(application, ZALO, "head-z", [TextReply("một"), TextReply("hai")])
    zalo, telegram = Spent(ZALO, ZALO_BOT), RecordingSender(TELEGRAM, TELEGRAM_CAPS)
    assert await delivery_for(application, zalo, telegram).deliver_due() == 1
    assert len(_texts(telegram)) == 1
    async with application.transaction() as repositories:
        assert (await repositories.outbox.backlog())[ZALO] == {"held": 2}


async def test_coordinators_are_warned_once_when_a_bot_nears_its_cap_of_users(
    application: Application,
) -> None:
    ward = await _ward(application)
    async with application.transaction() as repositories:
        members = repositories.for_ward(ward.id).members
        for number in range(42):
            member = await members.add(f"Cán bộ {number}")
            members.link_identity(member, "zalo_bot", f"u{number}", ZALO)
        # 44 people on the bot: 6 places left, nothing said yet.
        assert await watch_user_cap(repositories, ZALO, ZALO_BOT) == 44
    assert await _rows(application, "user_cap_near") == []
    async with application.transaction() as repositories:
        members = repositories.for_ward(ward.id).members
        member = await members.add("Người thứ 45")
        members.link_identity(member, "zalo_bot", "u45", ZALO)
        # A second account of someone already counted is not a new person.
        members.link_identity(member, "telegram", "u45", TELEGRAM)
    for _look in range(3):
        async with application.transaction() as repositories:
            assert await watch_user_cap(repositories, ZALO, ZALO_BOT) == 45
    warnings = await _rows(application, "user_cap_near")
    assert sorted(row.chat_id for row in warnings) == ["coord-t", "coord-z"]
    assert warnings[0].payload["users"] == 45 and warnings[0].payload["cap"] == 50
    async with application.transaction() as repositories:
        state = await standing(repositories, ZALO, ZALO_BOT, "2026-11", 0.9)
        assert (state["users"], state["user_cap"]) == (45, 50)
        assert await watch_user_cap(repositories, TELEGRAM, TELEGRAM_CAPS) == 3


async def test_an_unreachable_person_is_marked_told_once_skipped_and_cleared_when_they_write(
    application: Application,
) -> None:
    ward = await _ward(application)

    class Blocked(RecordingSender):
        async def send(self, chat_id: str, message: OutboundMessage) -> str:
            if chat_id == "head-t":
                raise SendFailed("Forbidden: bot was blocked by the user", unreachable=True)
            return await super().send(chat_id, message)

    await queue(application, TELEGRAM, "head-t", [TextReply("một"), TextReply("hai")])
    telegram, zalo = Blocked(TELEGRAM, TELEGRAM_CAPS), RecordingSender(ZALO, ZALO_BOT)
    delivery = delivery_for(application, telegram, zalo)
    await delivery.deliver_due()
    # Told once, on each of the coordinator's accounts; the second row is not tried.
    told = await _rows(application, "member_unreachable")
    assert sorted(row.chat_id for row in told) == ["coord-t", "coord-z"]
    assert any("Anh Nam" in text for text in _texts(zalo, "coord-z"))
    head_rows = [row for row in await _rows(application) if row.chat_id == "head-t"]
    assert [row.state for row in head_rows] == [OutboxState.FAILED, OutboxState.FAILED]
    assert head_rows[0].attempts == 1 and head_rows[1].attempts == 0

    async def notify_head(key: str) -> int:
        async with application.transaction() as repositories:
            head = await repositories.session.get(
                Member, ward.head.id, options=[selectinload(Member.identities)]
            )
            assert head is not None
            payload = {"kind": "accepted", "period": "2026-11", "unit": "Công an phường"}
            return await notify(repositories, ward.id, [head], payload, dedup=key)

    # Further notices skip the blocked account (the head's Zalo account still gets them).
    assert await notify_head("accepted:1") == 1
    # The head writes again on Telegram: the mark is cleared, notices reach them there.
    event = parse_text_event("u1", Sender("telegram", "head-t", "Anh Nam"), "head-t", "/toi")
    await application.dispatcher().handle(replace(event, channel=TELEGRAM))
    async with application.transaction() as repositories:
        marks = (
            await repositories.session.execute(
                select(Identity.external_id, Identity.unreachable_since)
            )
        ).all()
    assert all(since is None for _id, since in marks)
    assert await notify_head("accepted:2") == 2
    await delivery.deliver_due()
    assert len(await _rows(application, "member_unreachable")) == 2


async def test_a_chat_no_member_is_behind_is_only_a_permanent_failure(
    application: Application,
) -> None:
    await _ward(application)

    class Gone(RecordingSender):
        async def send(self, chat_id: str, message: OutboundMessage) -> str:
            raise SendFailed("Bad Request: chat not found", unreachable=True)

    await queue(application, TELEGRAM, "-100123", [TextReply("một"), TextReply("hai")])
    await delivery_for(application, Gone(TELEGRAM, TELEGRAM_CAPS)).deliver_due()
    assert await _rows(application, "member_unreachable") == []
    states = [row.state for row in await _rows(application)]
    assert states == [OutboxState.FAILED, OutboxState.FAILED]


async def test_the_quota_check_costs_no_transaction_of_its_own(
    application: Application,
) -> None:
    """One transaction per month to read the count; after that the count comes back from
    the delivery loop's recordings (which the port does not open)."""
    await _ward(application)
    await queue(application, ZALO, "head-z", [TextReply(str(n)) for n in range(5)])
    opened = 0

    def counting() -> AbstractAsyncContextManager[Repositories]:
        nonlocal opened
        opened += 1
        return application.transaction()

    zalo = RecordingSender(ZALO, ZALO_BOT)
    port = SendingPort(zalo, counting, application.clock, "Asia/Ho_Chi_Minh")
    await Delivery(application.transaction, {ZALO: port}, "tester", "vi").deliver_due()
    assert len(zalo.delivered) == 5
    # The month's first look only.
    assert opened == 1
