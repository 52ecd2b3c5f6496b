"""A process that runs the scheduler and the delivery loop once at a nudge moment, for the kill
test: `python tests/fanout_process.py DB LOG [KILL_AT [RATE]]`. Its fake messenger logs each
message it receives; with KILL_AT the process kills itself (SIGKILL) while sending the
KILL_AT-th, after the messenger has it and before the outbox hears back, when the sends before
it may be waiting to be recorded together. With RATE the messenger says it sends RATE messages
a second, as the Telegram adapter does, so the loop keeps more rows in flight."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import open_application
from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.config import Settings
from bot.delivery import Delivery
from bot.scheduler import Scheduler
from bot.sending import OutboundMessage, SendingPort
from storage.clock import FixedClock
from storage.models import CONSOLE_CHANNEL, Task
from storage.vocabulary import DeadlineKind, PeriodKind, Role

UNITS = 60
# Friday 6 November 2026, 09:00 in Hanoi: the first nudge of the November period.
NUDGE_MOMENT = datetime(2026, 11, 6, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


class LoggingMessenger:
    name = CONSOLE_CHANNEL
    capabilities = PLATFORM_CAPABILITIES[Platform.CONSOLE]

    def __init__(self, log: Path, kill_at: int | None) -> None:
        self._log = log
        self._kill_at = kill_at
        self._count = 0

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        self._count += 1
        with self._log.open("a") as log:
            log.write(f"{chat_id}\n")
        if self._count == self._kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return f"m{self._count}"


class PacedMessenger(LoggingMessenger):
    def __init__(self, log: Path, kill_at: int | None, rate: float) -> None:
        super().__init__(log, kill_at)
        self.messages_per_second = rate


async def make_ward(application) -> None:  # type: ignore[no-untyped-def]
    async with application.transaction() as repositories:
        if await repositories.wards.find("Phường Thử") is not None:
            return
        ward = await repositories.wards.add(
            "Phường Thử", timezone="Asia/Ho_Chi_Minh", report_day=16, locale="vi"
        )
        scoped = repositories.for_ward(ward.id)
        plan = await scoped.plans.add("1/KH-UBND", "Kế hoạch thử")
        scoped.plans.add_task(
            Task(
                plan_id=plan.id,
                position=1,
                code="1",
                content="Báo cáo chuyển đổi số",
                lead_all_units=True,
                coordinate_all_units=False,
                deadline_kind=DeadlineKind.RECURRING,
                deadline_text="Thường xuyên",
                source_text="Báo cáo chuyển đổi số",
                active=True,
            )
        )
        for number in range(UNITS):
            unit = await scoped.units.add(f"Đơn vị {number:02d}")
            head = await scoped.members.add(f"Thủ trưởng {number:02d}")
            scoped.members.link_identity(head, "console", f"head-{number:02d}")
            scoped.members.grant(head, Role.UNIT_HEAD, unit.id)
        period = await scoped.periods.open(
            "2026-11",
            PeriodKind.MONTH,
            datetime(2026, 11, 1).date(),
            datetime(2026, 11, 30).date(),
            datetime(2026, 11, 16, 0, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        )
        assert period is not None


async def main(database: str, log: Path, kill_at: int | None, rate: float | None) -> None:
    clock = FixedClock(NUDGE_MOMENT)
    async with open_application(Settings(database_url=database), clock) as application:
        await make_ward(application)
        await Scheduler(application.transaction).run_due()
        messenger = (
            LoggingMessenger(log, kill_at) if rate is None else PacedMessenger(log, kill_at, rate)
        )
        port = SendingPort(messenger, application.transaction, clock, "Asia/Ho_Chi_Minh")
        delivery = Delivery(
            application.transaction, {CONSOLE_CHANNEL: port}, application.holder, "vi"
        )
        await delivery.deliver_due()
        # A restart finds its predecessor's claims held until they run out.
        clock.advance(timedelta(minutes=2))
        await delivery.deliver_due()


if __name__ == "__main__":
    kill_at = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] != "-" else None
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else None
    asyncio.run(main(sys.argv[1], Path(sys.argv[2]), kill_at, rate))
