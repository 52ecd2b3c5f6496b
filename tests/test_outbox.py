"""The outbox of record: a turn's replies are rows, delivered at least once, in order per chat,
by one sender at a time; a redelivered update re-sends and never runs again."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from chat import Person, person
from outbox_helpers import RecordingSender, delivery_for, queue

from bot.app import Application
from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.sending import OutboundFile, OutboundMessage, OutboundText, RetryPolicy, SendFailed
from bot.ward_setup import ensure_example_ward, invite
from handlers.events import DocumentReply, TextReply
from handlers.i18n import use_locale
from handlers.outbox_records import reply_from_row, reply_record
from storage.clock import FixedClock
from storage.models import CONSOLE_CHANNEL
from storage.repositories.outbox import QueuedMessage
from storage.vocabulary import OutboxKind, OutboxState, Role

CONSOLE = PLATFORM_CAPABILITIES[Platform.CONSOLE]
ZALO_BOT = PLATFORM_CAPABILITIES[Platform.ZALO_BOT]


def texts(sender: RecordingSender) -> list[str]:
    return [m.text for _chat, m in sender.delivered if isinstance(m, OutboundText)]


async def _coordinator(application: Application) -> Person:
    async with application.transaction() as repositories:
        ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        code = (await invite(repositories, ward, Role.COORDINATOR, None, 7)).code
    coordinator = person(application.dispatcher(ward.id), "coord", "Phạm Thu")
    await coordinator.send(f"/start {code}", update_id="reg")
    return coordinator


async def _states(application: Application) -> list[OutboxState]:
    async with application.transaction() as repositories:
        rows = await repositories.outbox.pending(CONSOLE_CHANNEL)
    return [row.state for row in rows]


async def test_a_turns_replies_are_sent_from_the_outbox_in_order_once(
    application: Application,
) -> None:
    coordinator = await _coordinator(application)
    console = RecordingSender(CONSOLE_CHANNEL, CONSOLE)
    await deliver_all(application, console)
    console.delivered.clear()
    replies = await coordinator.send("/toi", update_id="t1")
    assert await deliver_all(application, console) == len(replies)
    assert texts(console) == replies
    # Nothing is left to send, and nothing goes out twice.
    assert await deliver_all(application, console) == 0
    assert await _states(application) == []


async def test_a_redelivered_update_resends_what_is_unconfirmed_and_never_runs_again(
    application: Application,
) -> None:
    coordinator = await _coordinator(application)
    console = RecordingSender(CONSOLE_CHANNEL, CONSOLE)
    await deliver_all(application, console)
    console.delivered.clear()
    first = await coordinator.send("/moky 2026-11", update_id="open")
    assert first[0].startswith("Đã mở kỳ 2026-11")
    # The process died before sending; the messenger delivers the update again.
    again = await coordinator.send("/moky 2026-11", update_id="open")
    assert again == []
    await deliver_all(application, console)
    # The turn ran once (a second run would say the period is already open) and its
    # replies went out once.
    assert texts(console) == first


async def test_killed_between_commit_and_send_another_process_sends_everything_once(
    application: Application,
) -> None:
    coordinator = await _coordinator(application)
    replies = await coordinator.send("/huongdan", update_id="h1")
    # No delivery ran in the process that handled it; another process starts and delivers.
    console = RecordingSender(CONSOLE_CHANNEL, CONSOLE)
    await delivery_for(application, console, holder="second").deliver_due()
    # The registration's replies and this turn's, each once, in order.
    assert texts(console)[-len(replies) :] == replies
    assert len(texts(console)) == len(replies) + len(coordinator.replies) - len(replies)
    assert await _states(application) == []


class DyingSender(RecordingSender):
    """Receives one message and never answers: the process is killed during the request."""

    def __init__(self) -> None:
        super().__init__(CONSOLE_CHANNEL, CONSOLE)
        self.received = asyncio.Event()

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        self.delivered.append((chat_id, message))
        self.received.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_killed_during_a_send_only_that_row_repeats(
    application: Application, clock: FixedClock
) -> None:
    await queue(application, CONSOLE_CHANNEL, "c1", [TextReply("một"), TextReply("hai")])
    await queue(application, CONSOLE_CHANNEL, "c2", [TextReply("ba")])
    dying = DyingSender()
    first = delivery_for(application, dying, holder="killed")
    sending = asyncio.create_task(first.deliver_due())
    await dying.received.wait()
    sending.cancel()  # kill -9: no release, no record; its claims stay until they expire
    await asyncio.gather(sending, return_exceptions=True)
    survivor = RecordingSender(CONSOLE_CHANNEL, CONSOLE)
    second = delivery_for(application, survivor, holder="second")
    before_expiry = await second.deliver_due()
    clock.advance(timedelta(minutes=2))
    after_expiry = await second.deliver_due()
    assert before_expiry + after_expiry == 3
    received = [m.text for _c, m in dying.delivered + survivor.delivered]  # type: ignore[union-attr]
    # Every row arrived; the only repeats are rows in flight (one per chat) when it died.
    assert sorted(set(received)) == ["ba", "hai", "một"]
    in_flight = {m.text for _c, m in dying.delivered}  # type: ignore[union-attr]
    assert in_flight <= {"một", "ba"}
    assert {text for text in received if received.count(text) > 1} <= in_flight
    assert [m.text for c, m in survivor.delivered if c == "c1"][-1] == "hai"  # type: ignore[union-attr]


class FlakySender(RecordingSender):
    def __init__(self, failures: list[SendFailed]) -> None:
        super().__init__(CONSOLE_CHANNEL, CONSOLE)
        self.failures = failures

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        if self.failures:
            raise self.failures.pop(0)
        return await super().send(chat_id, message)


async def test_a_failed_send_is_retried_later_and_keeps_the_chats_order(
    application: Application, clock: FixedClock
) -> None:
    await queue(application, CONSOLE_CHANNEL, "c1", [TextReply("một"), TextReply("hai")])
    flaky = FlakySender([SendFailed("429 Too Many Requests", retry_after=30)])
    delivery = delivery_for(application, flaky)
    assert await delivery.deliver_due() == 0
    # "hai" waits for "một": a chat's second message never overtakes its first.
    assert texts(flaky) == []
    clock.advance(timedelta(seconds=31))
    assert await delivery.deliver_due() == 2
    assert texts(flaky) == ["một", "hai"]
    async with application.transaction() as repositories:
        assert await repositories.outbox.pending(CONSOLE_CHANNEL) == []


async def test_a_send_that_cannot_succeed_is_given_up_and_the_chat_goes_on(
    application: Application, clock: FixedClock
) -> None:
    await queue(application, CONSOLE_CHANNEL, "c1", [TextReply("một"), TextReply("hai")])
    flaky = FlakySender([SendFailed("403 Forbidden: bot was blocked", permanent=True)])
    assert await delivery_for(application, flaky).deliver_due() == 1
    assert texts(flaky) == ["hai"]
    async with application.transaction() as repositories:
        backlog = await repositories.outbox.backlog()
    assert backlog == {CONSOLE_CHANNEL: {"failed": 1}}


async def test_retries_are_bounded_with_growing_waits(
    application: Application, clock: FixedClock
) -> None:
    await queue(application, CONSOLE_CHANNEL, "c1", [TextReply("một")])
    flaky = FlakySender([SendFailed("timeout") for _ in range(10)])
    retry = RetryPolicy(first=timedelta(seconds=2), longest=timedelta(seconds=60), attempts=4)
    delivery = delivery_for(application, flaky, retry=retry)
    waits = []
    for _ in range(4):
        await delivery.deliver_due()
        async with application.transaction() as repositories:
            [row] = await repositories.outbox.pending(CONSOLE_CHANNEL) or [None]
        if row is None:
            break
        waits.append(row.next_attempt_at - clock.now())  # type: ignore[operator]
        clock.advance(waits[-1])
    assert waits == [timedelta(seconds=2), timedelta(seconds=4), timedelta(seconds=8)]
    async with application.transaction() as repositories:
        assert (await repositories.outbox.backlog())[CONSOLE_CHANNEL] == {"failed": 1}


async def test_a_channels_monthly_quota_is_kept(application: Application) -> None:
    async with application.transaction() as repositories:
        await repositories.channels.ensure("zalo", "zalo_bot")
        await repositories.sent_counts.add("zalo", "2026-11", 2999)
    await queue(application, "zalo", "c1", [TextReply("một"), TextReply("hai")])
    zalo = RecordingSender("zalo", ZALO_BOT)
    assert await delivery_for(application, zalo).deliver_due() == 1
    async with application.transaction() as repositories:
        assert await repositories.sent_counts.sent("zalo", "2026-11") == 3000
        [refused] = await repositories.outbox.pending("zalo") or [None]
        assert refused is None
        # Held for next month, not failed (tests/test_economy.py).
        assert (await repositories.outbox.backlog())["zalo"] == {"held": 1}


async def test_two_senders_share_the_rows_and_each_goes_out_once(
    application: Application,
) -> None:
    for chat in range(12):
        await queue(
            application, CONSOLE_CHANNEL, f"c{chat}", [TextReply(f"{chat}:{n}") for n in range(3)]
        )

    class SlowSender(RecordingSender):
        async def send(self, chat_id: str, message: OutboundMessage) -> str:
            await asyncio.sleep(0.001)
            return await super().send(chat_id, message)

    one, other = SlowSender(CONSOLE_CHANNEL, CONSOLE), SlowSender(CONSOLE_CHANNEL, CONSOLE)
    sent = await asyncio.gather(
        delivery_for(application, one, holder="one").deliver_due(),
        delivery_for(application, other, holder="other").deliver_due(),
    )
    everything = texts(one) + texts(other)
    assert sum(sent) == 36 and sorted(everything) == sorted(
        f"{chat}:{n}" for chat in range(12) for n in range(3)
    )
    for chat in range(12):
        in_order = [
            t for _c, m in one.delivered + other.delivered if (t := m.text).startswith(f"{chat}:")
        ]  # type: ignore[union-attr]
        assert sorted(in_order) == [f"{chat}:{n}" for n in range(3)]


async def test_a_file_made_after_the_commit_is_sent_in_its_place(
    application: Application,
) -> None:
    coordinator = await _coordinator(application)
    await coordinator.send("/moky 2026-11", update_id="open")
    console = RecordingSender(CONSOLE_CHANNEL, CONSOLE)
    await deliver_all(application, console)
    console.delivered.clear()
    replies = await coordinator.send("/xuat", update_id="x1")
    await deliver_all(application, console)
    made = [m for _c, m in console.delivered if isinstance(m, OutboundFile)]
    assert [m.file_name.rsplit(".", 1)[1] for m in made] == ["docx", "xlsx", "png"]
    assert made[0].content[:2] == b"PK" and made[2].content[:4] == b"\x89PNG"
    # Each in its place among the turn's replies, as the person reads them.
    assert [
        m.caption if isinstance(m, OutboundFile) else m.text for _c, m in console.delivered
    ] == replies


async def test_a_file_reaches_a_channel_without_documents_as_a_link(
    application: Application,
) -> None:
    async with application.transaction() as repositories:
        await repositories.channels.ensure("zalo", "zalo_bot")
        file_id = await repositories.files.keep(None, "bao-cao.docx", b"PK...")
        record = reply_record(
            DocumentReply("bao-cao.docx", b"PK...", "Báo cáo kỳ 2026-11"), file_id
        )
        await repositories.outbox.add_replies(
            channel="zalo",
            update_id="u1",
            messages=[QueuedMessage("c1", {"reply": record})],
            ward_id=None,
            locale=None,
            pressed=None,
            holder="t",
            making_for=timedelta(minutes=5),
        )
    zalo = RecordingSender("zalo", ZALO_BOT)
    links = delivery_for(application, zalo, file_link=lambda f, w: f"https://bot.example/f/{f}")
    await links.deliver_due()
    [text] = texts(zalo)
    assert text.startswith("Báo cáo kỳ 2026-11") and f"https://bot.example/f/{file_id}" in text


async def test_a_file_whose_maker_died_is_told_as_not_made(
    application: Application, clock: FixedClock
) -> None:
    async with application.transaction() as repositories:
        await repositories.outbox.add_replies(
            channel=CONSOLE_CHANNEL,
            update_id="u1",
            messages=[QueuedMessage("c1", {}, making=True)],
            ward_id=None,
            locale="vi",
            pressed=None,
            holder="dead",
            making_for=timedelta(minutes=5),
        )
    console = RecordingSender(CONSOLE_CHANNEL, CONSOLE)
    assert await delivery_for(application, console).deliver_due() == 0
    clock.advance(timedelta(minutes=6))
    assert await delivery_for(application, console).deliver_due() == 1
    assert texts(console) == ["Xin lỗi, chưa tạo được tệp. Bạn vui lòng gửi lại lệnh sau ít phút."]


def test_a_notification_row_is_worded_at_delivery() -> None:
    payload = {"kind": "accepted", "period": "2026-11", "unit": "Công an phường"}
    with use_locale("en"):
        reply = reply_from_row(OutboxKind.NOTIFICATION, payload)
    assert isinstance(reply, TextReply)
    assert reply.text == "🔔 The 2026-11 report of Công an phường has been accepted."


async def test_one_poller_holds_a_channel_until_its_lease_runs_out(
    application: Application, clock: FixedClock
) -> None:
    lasting = timedelta(seconds=15)
    async with application.transaction() as repositories:
        assert await repositories.leases.take(CONSOLE_CHANNEL, "a", lasting)
    async with application.transaction() as repositories:
        assert not await repositories.leases.take(CONSOLE_CHANNEL, "b", lasting)
        assert await repositories.leases.take(CONSOLE_CHANNEL, "a", lasting)
    clock.advance(timedelta(seconds=16))
    async with application.transaction() as repositories:
        assert await repositories.leases.take(CONSOLE_CHANNEL, "b", lasting)
    async with application.transaction() as repositories:
        assert not await repositories.leases.take(CONSOLE_CHANNEL, "a", lasting)
        await repositories.leases.give_up(CONSOLE_CHANNEL, "b")
    async with application.transaction() as repositories:
        assert await repositories.leases.take(CONSOLE_CHANNEL, "a", lasting)


async def deliver_all(application: Application, sender: RecordingSender) -> int:
    return await delivery_for(application, sender).deliver_due()
