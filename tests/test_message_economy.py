"""What a month costs on the Zalo Bot's 3,000 messages (issue 13 item 2's target): a unit head
with 30 tasks, every outbound message to them counted as the sending port sends it (split at
2,000 characters), through a whole month of the scheduler under a fake clock."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest
from appendix_files import Layout, write_csv
from outbox_helpers import RecordingSender, delivery_for
from schedule_month import ZONE, live_through

from bot.app import Application
from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.plan_import.importer import import_appendix
from bot.ward_setup import invite
from handlers.events import Sender, parse_text_event
from storage.clock import FixedClock
from storage.vocabulary import Role

TASKS = 30
ZALO = "zalo"
HEAD = "head"
# The target is 8; measured, the quiet month costs the head 5 messages and the worst 12
# (README, "Message economy"), which is the bound: a message more is a regression.
QUIET_MONTH_AT_MOST = 8
WORST_MONTH_AT_MOST = 12


def local(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=ZONE)


def _appendix(folder: Path) -> Path:
    rows = [["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"]]
    for number in range(1, TASKS + 1):
        rows.append(
            [
                str(number),
                f"Triển khai nhiệm vụ chuyển đổi số số {number} của phường",
                "Các phòng, đơn vị thuộc phường",
                "Tháng 12/2026",
            ]
        )
    return write_csv(Layout(4, rows), folder / "appendix.csv")


def one_message_report() -> str:
    """Every task in one message, as /huongdan shows on Zalo."""
    lines = []
    for number in range(1, TASKS + 1):
        if number % 3 == 0:
            lines.append(f"{number} 60% vướng kinh phí")
        elif number % 7 == 0:
            lines.append(f"{number} kps")
        else:
            lines.append(f"{number} ht")
    return "\n".join(lines)


@dataclass
class ZaloMonth:
    application: Application
    clock: FixedClock
    zalo: RecordingSender
    updates: int = 0

    async def says(self, text: str) -> list[str]:
        self.updates += 1
        event = parse_text_event(
            f"z{self.updates}", Sender("zalo_bot", HEAD, "Anh Nam"), HEAD, text
        )
        outgoing = await self.application.dispatcher().handle(replace(event, channel=ZALO))
        await self.deliver()
        return outgoing.texts()

    async def deliver(self) -> None:
        await delivery_for(self.application, self.zalo).deliver_due()

    def to_head(self) -> list[str]:
        return [
            getattr(message, "text", "") for chat, message in self.zalo.delivered if chat == HEAD
        ]


@pytest.fixture
async def zalo_month(application: Application, clock: FixedClock, tmp_path: Path) -> ZaloMonth:
    clock._moment = local(31, 18, month=10)
    async with application.transaction() as repositories:
        await repositories.channels.ensure(ZALO, Platform.ZALO_BOT)
        ward = await repositories.wards.add(
            "Phường Đo Tải", timezone="Asia/Ho_Chi_Minh", report_day=16, locale="vi"
        )
        in_ward = repositories.for_ward(ward.id)
        await in_ward.units.add("Phòng Kinh tế")
        coordinator = await in_ward.members.add("Chị Thu")
        in_ward.members.grant(coordinator, Role.COORDINATOR, None)
        in_ward.members.link_identity(coordinator, "console", "vhxh")
        await import_appendix(repositories, ward, _appendix(tmp_path), number="1/KH")
        code = (await invite(repositories, ward, Role.UNIT_HEAD, "Phòng Kinh tế", 60)).code
    month = ZaloMonth(
        application, clock, RecordingSender(ZALO, PLATFORM_CAPABILITIES[Platform.ZALO_BOT])
    )
    assert "thành công" in (await month.says(f"/start {code}"))[0]
    # The month is counted from its first day: registering was last month's.
    month.zalo.delivered.clear()
    return month


async def _live(month: ZaloMonth, acts: dict[datetime, list[str]]) -> list[str]:
    async def hour(now: datetime) -> None:
        await month.deliver()
        for text in acts.get(now, []):
            await month.says(text)

    await live_through(month.application, month.clock, local(1, 12, month=12), on_hour=hour)
    await month.deliver()
    return month.to_head()


async def test_a_head_who_reports_in_one_message_on_the_opening_day(
    zalo_month: ZaloMonth,
) -> None:
    # Sunday the 1st is not a working day: the period opens on Monday the 2nd at 09:00.
    received = await _live(zalo_month, {local(2, 10): [one_message_report(), "1", "1"]})
    print(f"quiet month: {len(received)} messages to the head:", *received, sep="\n---\n")
    assert received[0].startswith("🔔 Kỳ báo cáo 2026-11 đã mở")
    assert any(text.startswith("Đã gửi báo cáo kỳ 2026-11") for text in received), received
    assert not any("Nhắc báo cáo" in text for text in received)
    # December's opening notice is next month's.
    assert sum("2026-12 đã mở" in text for text in received) == 1
    november = [text for text in received if "2026-12 đã mở" not in text]
    assert len(november) <= QUIET_MONTH_AT_MOST, november


async def test_the_worst_month_nudged_to_the_cap_and_reporting_late(
    zalo_month: ZaloMonth,
) -> None:
    # Snoozing after the first nudge brings one more, to the cap of five.
    received = await _live(
        zalo_month,
        {local(6, 10): ["nhắc lại sau"], local(17, 10): [one_message_report(), "1", "1"]},
    )
    november = [text for text in received if "2026-12 đã mở" not in text]
    nudges = sum("Nhắc báo cáo" in text for text in november)
    print(f"worst month: {len(november)} messages, {nudges} nudges:", *november, sep="\n---\n")
    assert nudges == 5
    assert any("đã quá hạn" in text for text in november)
    assert any(text.startswith("Đã gửi báo cáo kỳ 2026-11") for text in november), november
    assert len(november) <= WORST_MONTH_AT_MOST, november
