"""The `reportbot` command as a coordinator uses it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from appendix_files import plan_file
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("REPORTBOT_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("REPORTBOT_CONFIG", str(tmp_path / "absent.toml"))
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _setup_ward() -> None:
    assert invoke("ward", "add", "Phường Hồng Bàng", "--report-day", "16")[0] == 0
    for name in (
        "Phòng Văn hóa - Xã hội",
        "Văn phòng HĐND và UBND phường",
        "Trung tâm Phục vụ Hành chính công",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Công an phường",
    ):
        assert invoke("unit", "add", "--ward", "Hồng Bàng", name)[0] == 0


def test_a_coordinator_sets_up_a_ward_and_imports_its_plan() -> None:
    _setup_ward()
    code, out, _ = invoke(
        "plan",
        "import",
        str(plan_file("hong-bang-2026-phu-luc.docx")),
        "--ward",
        "phường Hồng Bàng",
        "--number",
        "54/KH-UBND",
    )
    assert code == 0
    assert "Đã tạo kế hoạch 54/KH-UBND" in out and "Nhiệm vụ: 29" in out
    assert (
        "I. NHIỆM VỤ TRỌNG TÂM: 15" in out and "Đơn vị khớp với danh sách: 5; đơn vị mới: 0" in out
    )
    code, out, _ = invoke(
        "plan",
        "import",
        str(plan_file("hong-bang-2026-phu-luc.xlsx")),
        "--ward",
        "Hồng Bàng",
        "--number",
        "54/KH-UBND",
    )
    assert code == 0 and "Đã cập nhật kế hoạch" in out and "giữ nguyên 29" in out
    code, out, _ = invoke("plan", "show", "--ward", "Hồng Bàng", "--json")
    tasks = json.loads(out)
    assert code == 0 and len(tasks) == 29
    assert set(tasks[0]) == {
        "plan",
        "appendix",
        "code",
        "section",
        "content",
        "lead_units",
        "coordinating_units",
        "output",
        "deadline",
        "kpi",
    }
    assert tasks[3]["kpi"] == {"value": 90, "unit": "%", "comparator": ">="}


def test_invites_print_a_one_time_code() -> None:
    _setup_ward()
    code, out, err = invoke(
        "invite", "--ward", "Hồng Bàng", "--unit", "Phòng VHXH", "--role", "head"
    )
    assert code == 0
    assert len(out.strip()) == 9 and out.strip()[4] == "-"
    assert "/start" in err
    assert (
        invoke("invite", "--ward", "Hồng Bàng", "--role", "head")[2].strip()
        == "Vai trò head cần --unit."
    )
    assert (
        "Vai trò phải là một trong" in invoke("invite", "--ward", "Hồng Bàng", "--role", "boss")[2]
    )
    code, _, err = invoke(
        "invite", "--ward", "Hồng Bàng", "--unit", "Phòng Tài chính", "--role", "staff"
    )
    assert code == 2 and "Không có đơn vị «Phòng Tài chính»" in err and "Công an phường" in err


def test_unknown_ward_lists_the_known_ones() -> None:
    _setup_ward()
    code, _, err = invoke("plan", "show", "--ward", "Cầu Giấy")
    assert code == 2
    assert err.strip() == "Không có phường «Cầu Giấy». Các phường đã có: Phường Hồng Bàng"


def test_a_file_that_is_not_an_appendix_is_refused_with_what_was_expected(tmp_path: Path) -> None:
    _setup_ward()
    junk = tmp_path / "bao-cao.xlsx"
    junk.write_bytes(b"not a workbook")
    code, out, err = invoke("plan", "import", str(junk), "--ward", "Hồng Bàng")
    assert code == 2 and out == ""
    assert "Tệp không phải bảng tính Excel (.xlsx) hợp lệ." in err and "Chưa có gì được ghi." in err
    assert json.loads(invoke("plan", "show", "--ward", "Hồng Bàng", "--json")[1]) == []


def test_bad_ward_settings_are_refused() -> None:
    assert "từ 1 đến 28" in invoke("ward", "add", "Phường X", "--report-day", "31")[2]
    assert "múi giờ" in invoke("ward", "add", "Phường X", "--timezone", "Mars/Base")[2]
    invoke("ward", "add", "Phường X")
    assert "đã có" in invoke("ward", "add", "phường X")[2]


def test_opening_a_period_from_the_cli_says_what_the_chat_says() -> None:
    _setup_ward()
    code, out, _ = invoke("period", "open", "--ward", "Hồng Bàng", "--month", "2026-11")
    assert code == 0 and out == (
        "Đã mở kỳ 2026-11, hạn gửi trước 00:00 ngày 16/11/2026. Đã báo cho thủ trưởng 0 đơn vị.\n"
    )
    code, _, err = invoke("period", "open", "--ward", "Hồng Bàng", "--period", "2026-11")
    assert code == 2 and err == "Kỳ 2026-11 đã được mở trước đó.\n"
    code, _, err = invoke("period", "open", "--ward", "Hồng Bàng", "--month", "2026-13")
    assert code == 2 and err == (
        "Kỳ báo cáo ghi dạng NĂM-THÁNG (/moky 2026-11) hoặc NĂM-H1, NĂM-H2 cho 6 tháng "
        "(/moky 2026-H1).\n"
    )
    arguments = ("--ward", "Hồng Bàng", "--month", "2026-12", "--due-day", "40")
    assert invoke("period", "open", *arguments)[2] == "Ngày hạn phải từ 1 đến 31.\n"


def test_a_bad_setting_is_reported_when_a_command_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTBOT_DEFAULT_REPORT_DAY", "mười sáu")
    monkeypatch.setenv("REPORTBOT_SQL_ECHO", "s3cret-value")
    code, _, err = invoke("ward", "list")
    assert code == 2 and err.startswith("Cấu hình không hợp lệ: REPORTBOT_DEFAULT_REPORT_DAY: ")
    assert "REPORTBOT_SQL_ECHO" in err and "s3cret" not in err and "mười sáu" not in err
    code, out, _ = invoke("period", "--help")
    assert code == 0 and "Mở kỳ báo cáo" in out


@pytest.mark.subprocess
def test_importing_the_cli_reads_no_settings(tmp_path: Path) -> None:
    environment = {**os.environ, "REPORTBOT_DEFAULT_REPORT_DAY": "mười sáu"}
    result = subprocess.run(
        [sys.executable, "-c", "import bot.cli"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_help_speaks_the_configured_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTBOT_DEFAULT_LOCALE", "en")
    from handlers.i18n import set_process_locale

    try:
        code, out, _ = invoke("period", "open", "--help")
        assert code == 0 and "Open a reporting period" in out and "Ward name." in out
    finally:
        set_process_locale("vi")


def test_db_upgrade_hides_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = invoke("db", "upgrade")
    assert code == 0 and "phiên bản mới nhất" in out


def test_english_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTBOT_DEFAULT_LOCALE", "en")
    from handlers.i18n import set_process_locale

    set_process_locale("en")
    try:
        _, _, err = invoke("plan", "show", "--ward", "Nowhere")
        assert err.startswith("There is no ward “Nowhere”.")
    finally:
        set_process_locale("vi")


def _run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("REPORTBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.subprocess
def test_demo_runs_on_a_fresh_machine(tmp_path: Path) -> None:
    result = _run("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Nhiệm vụ: 29" in result.stdout
    assert "Đăng ký thành công: thủ trưởng đơn vị — Phòng Văn hóa - Xã hội" in result.stdout
    assert "đã đăng ký: thủ trưởng đơn vị" in result.stdout
    assert "Mã đăng ký này đã được dùng" in result.stdout
    month = result.stdout.split("=== 8.")[1]
    assert "06/11 10:00 ← Công an phường: nhắc lại sau" in month
    assert "Công an phường (đã nhắc 5 lần)" in month and "16/11 08:00 → Chủ tịch phường" in month
    exported = sorted(path.suffix for path in (tmp_path / "reportbot-demo").iterdir())
    assert exported == [".docx", ".png", ".xlsx"]
    assert [path.name for path in tmp_path.iterdir()] == ["reportbot-demo"]


@pytest.mark.subprocess
def test_console_creates_the_embedded_default(tmp_path: Path) -> None:
    result = _run("console", "--as-unit", "Công an phường", cwd=tmp_path, stdin="/toi\n/thoat\n")
    assert result.returncode == 0, result.stderr
    assert "Đã tạo cơ sở dữ liệu với phường mẫu Phường Hồng Bàng." in result.stdout
    assert "• thủ trưởng đơn vị — Công an phường" in result.stdout
    assert (tmp_path / "reportbot.db").exists()
    again = _run("console", "--as-citizen", cwd=tmp_path, stdin="/toi\n")
    assert "Đã tạo cơ sở dữ liệu" not in again.stdout and "chưa đăng ký" in again.stdout


def test_ask_answers_with_sources_or_hands_over() -> None:
    code, out, _ = invoke("ask", "quên mật khẩu vneid", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["guide_id"] == "vneid-forgot-password" and not answer["handoff"]
    assert answer["sources"] and "«Quên mật khẩu»" in answer["answer"][:300]
    assert answer["entry_id"] == "reset"
    assert set(answer) >= {"answer", "guide_id", "score", "handoff", "choices"}
    code, out, _ = invoke("ask", "giá vàng hôm nay bao nhiêu", "--json")
    answer = json.loads(out)
    assert answer["handoff"] and answer["guide_id"] is None
    assert "chưa có hướng dẫn chắc chắn" in invoke("ask", "giá vàng hôm nay")[1]


def test_question_figures_for_a_month(tmp_path: Path) -> None:
    import asyncio

    from chat import person

    from bot.app import open_application
    from bot.config import Settings
    from bot.ward_setup import ensure_example_ward

    async def ask_some() -> None:
        async with open_application(Settings()) as application:
            async with application.transaction() as repositories:
                ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
            citizen = person(application.dispatcher(ward.id), "c")
            for text in ("quen mk vneid", "giá vàng hôm nay", "Giá vàng hôm nay?"):
                await citizen.send(text)

    asyncio.run(ask_some())
    month = __import__("datetime").date.today().strftime("%Y-%m")
    code, out, _ = invoke("questions", "--ward", "Hồng Bàng", "--month", month)
    assert code == 0
    assert "Tổng số câu hỏi: 3; trả lời được: 1" in out and "chuyển cán bộ: 2" in out
    assert "2 × giá vàng hôm nay" in out
    assert "NĂM-THÁNG" in invoke("questions", "--ward", "Hồng Bàng", "--month", "11/2026")[2]


def test_report_prints_the_digest_of_a_period(tmp_path: Path) -> None:
    import asyncio

    from chat import person

    from bot.app import open_application
    from bot.config import Settings
    from bot.ward_setup import ensure_example_ward, invite as make_invite
    from storage.vocabulary import Role

    async def a_month() -> None:
        async with open_application(Settings()) as application:
            async with application.transaction() as repositories:
                ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
                code = (await make_invite(repositories, ward, Role.COORDINATOR, None, 7)).code
            coordinator = person(application.dispatcher(ward.id), "c")
            await coordinator.send(f"/start {code}")
            await coordinator.send("/moky 2026-11")
            await coordinator.send("/moky 2099-12")

    asyncio.run(a_month())
    code, out, _ = invoke("report", "--ward", "Hồng Bàng", "--period", "2026-11", "--format", "md")
    assert code == 0 and out.startswith("TỔNG HỢP KỲ 2026-11 — Phường Hồng Bàng")
    assert "Đơn vị đã gửi: 0/5" in out
    target = tmp_path / "digest.md"
    assert invoke("report", "--ward", "Hồng Bàng", "--period", "2026-11", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("TỔNG HỢP KỲ 2026-11")
    assert (
        "Không có kỳ báo cáo 2026-10"
        in invoke("report", "--ward", "Hồng Bàng", "--period", "2026-10")[2]
    )
    # A quarter, made from its months; a period that is no period; one not begun yet.
    code, out, _ = invoke("report", "--ward", "Hồng Bàng", "--period", "2026-q4")
    assert code == 0 and out.startswith("TỔNG HỢP KỲ 2026-Q4 — Phường Hồng Bàng")
    assert "Tổng hợp từ các kỳ" not in out  # one month only: the quarter is that month's
    assert (
        "Không hiểu kỳ «2026-Q5»" in invoke("report", "-w", "Hồng Bàng", "--period", "2026-Q5")[2]
    )
    future = ("report", "-w", "Hồng Bàng", "--period", "2099-12", "--format", "docx")
    code, _, err = invoke(*future, "-o", str(tmp_path / "future.docx"))
    assert code != 0 and "Kỳ 2099-12 bắt đầu từ ngày 1 tháng 12 năm 2099" in err
    assert not (tmp_path / "future.docx").exists()
    assert (
        "các định dạng: md, docx, xlsx, png"
        in invoke("report", "--ward", "Hồng Bàng", "--period", "2026-11", "--format", "pdf")[2]
    )
    for export, signature in (("docx", b"PK"), ("xlsx", b"PK"), ("png", b"\x89PNG")):
        path = tmp_path / f"report.{export}"
        arguments = ("--ward", "Hồng Bàng", "--period", "2026-11", "--format", export)
        assert invoke("report", *arguments, "-o", str(path))[0] == 0
        assert path.read_bytes().startswith(signature)
    assert (
        "cần -o"
        in invoke("report", "--ward", "Hồng Bàng", "--period", "2026-11", "--format", "docx")[2]
    )
    city = tmp_path / "city.xlsx"
    assert (
        invoke("report", "--all-wards", "--period", "2026-11", "--format", "xlsx", "-o", str(city))[
            0
        ]
        == 0
    )
    import openpyxl

    assert "Các phường" in openpyxl.load_workbook(city).sheetnames
    assert (
        "dùng --format xlsx"
        in invoke(
            "report", "--all-wards", "--period", "2026-11", "--format", "docx", "-o", str(city)
        )[2]
    )
    assert "--ward TÊN hoặc --all-wards" in invoke("report", "--period", "2026-11")[2]


def test_report_settings_are_set_shown_and_refused_when_wrong(tmp_path: Path) -> None:
    _setup_ward()
    code, out, _ = invoke("ward", "report-settings", "--ward", "Hồng Bàng")
    assert code == 0
    assert "Cơ quan ban hành: ỦY BAN NHÂN DÂN PHƯỜNG HỒNG BÀNG" in out
    assert "Người ký: TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH (chưa có tên)" in out
    code, out, _ = invoke(
        "ward",
        "report-settings",
        "--ward",
        "Hồng Bàng",
        "--superior",
        "UBND THÀNH PHỐ HẢI PHÒNG",
        "--authority",
        "kt.",
        "--signer-name",
        "Nguyễn Thị  Vân Anh",
        "--number-symbol",
        "bc-ubnd",
        "--recipient",
        "UBND thành phố (để b/c);",
        "--recipient",
        "Các phòng, đơn vị thuộc phường",
    )
    assert code == 0
    assert "Cơ quan cấp trên: UBND THÀNH PHỐ HẢI PHÒNG" in out
    assert "Người ký: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH Nguyễn Thị Vân Anh" in out
    assert "Số văn bản: Số: …/BC-UBND" in out
    assert (
        "Nơi nhận: UBND thành phố (để b/c); Các phòng, đơn vị thuộc phường; Lưu: VT, VHXH." in out
    )
    for option, value, message in (
        ("--authority", "thay mặt", "TM hoặc KT"),
        ("--number-symbol", "BC UBND", "không hợp lệ"),
        ("--signer-name", "x" * 201, "tối đa 200"),
        ("--issuing-body", "UBND\x07", "ký tự điều khiển"),
    ):
        code, _, err = invoke("ward", "report-settings", "--ward", "Hồng Bàng", option, value)
        assert code != 0 and message in err and "Traceback" not in err
    # A refused change changed nothing; --reset goes back to the defaults.
    assert "KT. CHỦ TỊCH" in invoke("ward", "report-settings", "-w", "Hồng Bàng")[1]
    out = invoke("ward", "report-settings", "-w", "Hồng Bàng", "--reset")[1]
    assert "Cơ quan cấp trên: (không ghi)" in out and "KT." not in out


def test_members_are_listed_removed_and_a_head_handed_over() -> None:
    import asyncio

    from chat import person

    from bot.app import open_application
    from bot.config import Settings
    from bot.ward_setup import ensure_example_ward

    async def register(*codes: tuple[str, str, str]) -> list[list[str]]:
        async with open_application(Settings()) as application:
            async with application.transaction() as repositories:
                ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
            dispatcher = application.dispatcher(ward.id)
            return [
                await person(dispatcher, user, name).send(f"/start {code}")
                for user, name, code in codes
            ]

    asyncio.run(register())
    police = ("--ward", "Hồng Bàng", "--unit", "Công an")
    code, head_code, _ = invoke("invite", *police, "--role", "trưởng", "--name", "Lê Hùng")
    assert code == 0
    staff_code = invoke("invite", *police, "--role", "thanh-vien")[1].strip()
    asyncio.run(register(("h", "lh", head_code.strip()), ("s", "Ngô Minh", staff_code)))
    code, out, _ = invoke("member", "list", "--ward", "Hồng Bàng")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "Tên\tVai trò\tĐơn vị\tỨng dụng\tTừ ngày"
    assert lines[1].startswith("Lê Hùng\tthủ trưởng đơn vị\tCông an phường\ttest\t")
    assert lines[2].startswith("Ngô Minh\tcán bộ đơn vị\tCông an phường\ttest\t")
    # The head hands over: the new one's code names the old head, who is gone once it is used.
    assert (
        "không có thủ trưởng tên «Ai Đó»"
        in (invoke("invite", *police, "--role", "head", "--replaces", "Ai Đó")[2])
    )
    new_code = invoke("invite", *police, "--role", "head", "--replaces", "le hung")[1].strip()
    assert "Lê Hùng" in [
        line.split("\t")[0] for line in invoke("member", "list", "-w", "Hồng Bàng")[1].splitlines()
    ]
    registered = asyncio.run(register(("n", "Hoàng Nam", new_code)))[0]
    assert any(
        reply.startswith("Bạn thay Lê Hùng làm thủ trưởng Công an phường") for reply in registered
    )
    names = [
        line.split("\t")[0] for line in invoke("member", "list", "-w", "Hồng Bàng")[1].splitlines()
    ]
    assert names == ["Tên", "Ngô Minh", "Hoàng Nam"]
    # Removing asks first; anything but «có» keeps everything.
    result = runner.invoke(
        app, ["member", "remove", "ngo minh", "-w", "Hồng Bàng"], input="không\n"
    )
    assert (
        result.exit_code == 1
        and "Thu hồi mọi vai trò của Ngô Minh (cán bộ đơn vị — Công an phường)?" in result.stderr
    )
    assert "Ngô Minh" in invoke("member", "list", "-w", "Hồng Bàng")[1]
    result = runner.invoke(app, ["member", "remove", "ngo minh", "-w", "Hồng Bàng"], input="có\n")
    assert result.exit_code == 0 and result.stdout.startswith("Đã thu hồi 1 vai trò của Ngô Minh.")
    assert "Ngô Minh" not in invoke("member", "list", "-w", "Hồng Bàng")[1]
    code, _, err = invoke("member", "remove", "Ngô Minh", "-w", "Hồng Bàng", "--yes")
    assert code == 2 and "Không có ai tên «Ngô Minh» đang giữ vai trò ở phường" in err
    assert invoke("member", "remove", "Hoàng Nam", "-w", "Hồng Bàng", "--yes")[0] == 0
