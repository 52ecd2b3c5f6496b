"""`reportbot demo`: the product on a temporary database, as a printed transcript."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, TextIO

from bot.app import Application, open_application
from bot.config import Settings
from bot.console import ConsoleChat, console_identity
from bot.messages import summary_text
from bot.plan_json import task_as_json
from bot.ward_setup import ensure_example_ward, invite
from handlers.events import Sender
from handlers.i18n import _
from handlers.reporting.letterhead import Authority, letterhead, letterhead_lines
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


async def run_demo(out: TextIO, files_dir: Path = DEMO_FILES) -> None:
    """The transcript goes to `out`; the Word report, workbook and chart the coordinator
    receives are written to `files_dir`, to open and look at."""
    transcript = _Transcript(out, files_dir)
    with tempfile.TemporaryDirectory(prefix="reportbot-demo-") as folder:
        database = Path(folder) / "demo.db"
        settings = Settings(database_url=f"sqlite:///{database}")
        async with open_application(settings) as application:
            await _script(application, transcript, settings)


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
