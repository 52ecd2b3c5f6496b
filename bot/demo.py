"""`reportbot demo`: the product on a temporary database, as a printed transcript."""

from __future__ import annotations

import itertools
import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.app import Application, open_application
from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.config import Settings
from bot.console import PLATFORM, ConsoleChat, console_event, console_identity
from bot.delivery import Delivery
from bot.messages import summary_text
from bot.plan_json import task_as_json
from bot.scheduler import Scheduler
from bot.sending import OutboundMessage, OutboundText, SendingPort
from bot.ward_setup import ensure_example_ward, find_unit, invite
from handlers.events import Sender
from handlers.i18n import _
from handlers.reporting.letterhead import Authority, letterhead, letterhead_lines
from storage.clock import FixedClock
from storage.models import CONSOLE_CHANNEL
from storage.vocabulary import Role


class _Transcript:
    def __init__(self, out: TextIO, files_dir: Path) -> None:
        self.out = out
        self.files_dir = files_dir

    def heading(self, text: str) -> None:
        self.out.write(f"\n=== {text} ===\n")

    def line(self, text: str) -> None:
        self.out.write(text + "\n")


class _Speaker:
    """One person in the transcript: their lines and the bot's replies, labelled."""

    def __init__(
        self,
        application: Application,
        sender: Sender,
        name: str,
        transcript: _Transcript,
        ward_id: int,
    ) -> None:
        self.name = name
        self.transcript = transcript
        self.chat = ConsoleChat(
            application,
            application.dispatcher(ward_id),
            sender,
            files_dir=transcript.files_dir,
            stdout=_Indented(transcript.out, "    Bot: "),
        )

    async def says(self, line: str) -> None:
        self.transcript.line(f"  {self.name}: {line}")
        await self.chat.say(line)


class _Indented:
    """A text stream that labels and indents every reply block."""

    def __init__(self, out: TextIO, prefix: str) -> None:
        self._out = out
        self._prefix = prefix

    def write(self, text: str) -> int:
        body = text.rstrip("\n")
        if body:
            pad = " " * len(self._prefix)
            lines = body.split("\n")
            self._out.write(self._prefix + lines[0] + "\n")
            for line in lines[1:]:
                self._out.write(pad + line + "\n")
        return len(text)

    def flush(self) -> None:
        self._out.flush()


def _this_month(application: Application) -> str:
    """The demo reports on the month under way: a report is never for a period that has not
    begun, so its Word report is an interim one ("số liệu đến ngày …")."""
    today = application.clock.now().date()
    return f"{today.year:04d}-{today.month:02d}"


DEMO_FILES = Path("reportbot-demo")
# How the example ward's plan is signed (the seed plan of Hồng Bàng, in Hải Phòng).
DEMO_SIGNING: dict[str, Any] = {
    "superior": "UBND THÀNH PHỐ HẢI PHÒNG",
    "signer_name": "Nguyễn Thị Vân Anh",
    "recipients": [
        "UBND thành phố (để b/c)",
        "Thường trực Đảng ủy - HĐND phường",
        "CT, các PCT UBND phường",
        "Các phòng, đơn vị thuộc phường",
    ],
}

# The units whose heads the month's transcript follows.
_MONTH_UNITS = ("Công an phường", "Phòng Văn hóa - Xã hội", "Phòng Kinh tế, Hạ tầng và Đô thị")


async def run_demo(out: TextIO, files_dir: Path = DEMO_FILES) -> None:
    """The transcript goes to `out`; the Word report, workbook and chart the coordinator
    receives are written to `files_dir`, to open and look at."""
    transcript = _Transcript(out, files_dir)
    with tempfile.TemporaryDirectory(prefix="reportbot-demo-") as folder:
        database = Path(folder) / "demo.db"
        settings = Settings(database_url=f"sqlite:///{database}")
        async with open_application(settings) as application:
            await _script(application, transcript, settings)
        await _month_left_alone(transcript, Path(folder) / "month.db")


async def _script(application: Application, transcript: _Transcript, settings: Settings) -> None:
    transcript.heading(_("1. Phường mẫu và phụ lục kế hoạch"))
    async with application.transaction() as repositories:
        ward, summary = await ensure_example_ward(
            repositories, settings.default_timezone, settings.default_locale
        )
        assert summary is not None
        transcript.line(summary_text(summary))
        tasks = await repositories.for_ward(ward.id).plans.tasks()
        plan_number = summary.plan_number
        transcript.line(_("Ba nhiệm vụ đầu (JSON như «reportbot plan show --json»):"))
        for task in tasks[:3]:
            transcript.line(json.dumps(task_as_json(task, plan_number), ensure_ascii=False))
        transcript.line(
            f'$ reportbot ward report-settings --ward "{ward.name}" --superior '
            f'"{DEMO_SIGNING["superior"]}" --authority KT --signer-name '
            f'"{DEMO_SIGNING["signer_name"]}" '
            + " ".join(f'--recipient "{r}"' for r in DEMO_SIGNING["recipients"])
        )
        stored = await repositories.for_ward(ward.id).report_settings.update(
            {**DEMO_SIGNING, "authority": Authority.FOR_CHAIR.value}
        )
        for text in letterhead_lines(letterhead(ward.name, stored)):
            transcript.line(f"  {text}")
        head_invite = await invite(
            repositories, ward, Role.UNIT_HEAD, "Phòng Văn hóa - Xã hội", settings.invite_valid_days
        )
    transcript.heading(_("2. Chuyên viên đầu mối mời thủ trưởng phòng Văn hóa - Xã hội"))
    transcript.line(
        f'$ reportbot invite --ward "{ward.name}" --unit "Phòng Văn hóa - Xã hội" --role head'
    )
    transcript.line(head_invite.code)
    coordinator = _Speaker(
        application,
        await console_identity(application, ward, role=Role.COORDINATOR),
        _("Chuyên viên"),
        transcript,
        ward.id,
    )

    transcript.heading(_("3. Thủ trưởng đơn vị đăng ký"))
    head = _Speaker(
        application,
        Sender("console", "demo-head", "Nguyễn Thị Lan"),
        _("Thủ trưởng"),
        transcript,
        ward.id,
    )
    await head.says("xin chào")
    await head.says("/start ABCD-2345")
    await head.says(f"/start {head_invite.code.lower()}")
    await head.says("/toi")
    await head.says("/huongdan")
    await head.says("/baocao-khong-co")
    transcript.heading(_("4. Chuyên viên đầu mối nhận thông báo"))
    await coordinator.says("/toi")

    transcript.heading(_("5. Mã đã dùng thì không dùng lại được"))
    other = _Speaker(
        application,
        Sender("console", "demo-other", "Trần Văn Minh"),
        _("Người khác"),
        transcript,
        ward.id,
    )
    await other.says(f"/start {head_invite.code}")
    await other.says("/toi")

    transcript.heading(_("6. Mở kỳ báo cáo; Công an phường báo cáo bằng một tin nhắn"))
    async with application.transaction() as repositories:
        police_invite = await invite(
            repositories, ward, Role.UNIT_HEAD, "Công an phường", settings.invite_valid_days
        )
    police = _Speaker(
        application,
        Sender("console", "demo-police", "Đỗ Văn Hải"),
        "Công an phường",
        transcript,
        ward.id,
    )
    await police.says(f"/start {police_invite.code}")
    await coordinator.says(f"/moky {_this_month(application)}")
    await police.says("/baocao")
    await police.says(
        "1 HT\n2 60% vướng kinh phí\nI.15: đang thực hiện 80%\n4 kps\nII.12 ht, đã diễn tập ứng cứu sự cố\n6 đang làm 50%\n7 ctk\n9 ht"
    )
    await police.says("1")
    await police.says("1")
    await coordinator.says("/tiendo")
    await coordinator.says("/duyet Công an phường")
    await coordinator.says("/tonghop")
    await coordinator.says("/xuat")
    await police.says("/vuongmac")
    await police.says("II.12")
    await police.says("Chưa có kinh phí mua thiết bị giám sát an ninh mạng")
    await coordinator.says("/traloi 1 Đã đề xuất bố trí kinh phí trong dự toán năm 2027")
    await police.says("/toi")

    transcript.heading(_("7. Người dân hỏi trợ lý của phường"))
    citizen = _Speaker(
        application, Sender("console", "demo-citizen", None), _("Người dân"), transcript, ward.id
    )
    await citizen.says("xin chào")
    await citizen.says("quen mat khau vneid thi lam sao")
    await citizen.says("co nguoi xung cong an goi bao doc ma OTP de kich hoat vneid")
    await citizen.says("ubnd phuong lam viec may gio")
    await citizen.says("cho xin số điện thoại của chủ tịch phường")


class _Inbox:
    """The console channel as the month's transcript shows it: each message under the time on
    the demo's clock and the person it reached."""

    name = CONSOLE_CHANNEL
    capabilities = PLATFORM_CAPABILITIES[Platform.CONSOLE]

    def __init__(self, transcript: _Transcript, clock: FixedClock, names: dict[str, str]) -> None:
        self._transcript = transcript
        self._clock = clock
        self.names = names
        self._sent = itertools.count(1)

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        local = self._clock.now().astimezone(_DEMO_ZONE)
        text = message.text if isinstance(message, OutboundText) else message.file_name
        who = self.names.get(chat_id, chat_id)
        self._transcript.line(f"  {local:%d/%m %H:%M} → {who}: " + text.replace("\n", "\n      "))
        return str(next(self._sent))


_DEMO_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def _month_left_alone(transcript: _Transcript, database: Path) -> None:
    """November 2026 on a fake clock, an hour at a time: the period opens by itself, the units
    that have not submitted are nudged (never at night, never on a day off), one asks to be
    reminded later, the coordinator is told who is late and gets the digest, the leader too."""
    transcript.heading(
        _("8. Một tháng phường tự chạy (đồng hồ giả: tháng 11/2026, hạn trước ngày 16)")
    )
    clock = FixedClock(datetime(2026, 10, 31, 23, 0, tzinfo=_DEMO_ZONE))
    settings = Settings(database_url=f"sqlite:///{database}")
    async with open_application(settings, clock) as application:
        async with application.transaction() as repositories:
            ward, _summary = await ensure_example_ward(
                repositories, settings.default_timezone, settings.default_locale
            )
        inbox = _Inbox(transcript, clock, {})
        people = [
            (Role.COORDINATOR, None, _("Chuyên viên VHXH")),
            (Role.LEADER, None, _("Chủ tịch phường")),
        ] + [(Role.UNIT_HEAD, unit, unit) for unit in _MONTH_UNITS]
        for role, unit_name, label in people:
            async with application.transaction() as repositories:
                unit = await find_unit(repositories, ward, unit_name) if unit_name else None
            sender = await console_identity(application, ward, unit=unit, role=role)
            inbox.names[sender.user_id] = label
        police = next(user for user, name in inbox.names.items() if name == _MONTH_UNITS[0])
        delivery = Delivery(
            application.transaction,
            {CONSOLE_CHANNEL: SendingPort(inbox, application.transaction, clock, ward.timezone)},
            application.holder,
            settings.default_locale,
        )
        scheduler = Scheduler(application.transaction)
        dispatcher = application.dispatcher(ward.id)
        end = datetime(2026, 11, 16, 12, 0, tzinfo=_DEMO_ZONE)
        while clock.now() < end:
            # An hour at a time by day, three at night: nothing is sent then anyway.
            night = not 8 <= clock.now().astimezone(_DEMO_ZONE).hour < 20
            clock.advance(timedelta(hours=3 if night else 1))
            local = clock.now().astimezone(_DEMO_ZONE)
            if local == datetime(2026, 11, 6, 10, 0, tzinfo=_DEMO_ZONE):
                transcript.line(f"  {local:%d/%m %H:%M} ← {_MONTH_UNITS[0]}: nhắc lại sau")
                await dispatcher.handle(
                    console_event(Sender(PLATFORM, police, None), "nhắc lại sau")
                )
            await scheduler.run_due()
            await delivery.deliver_due()
