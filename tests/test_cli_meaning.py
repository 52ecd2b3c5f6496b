"""The CLI speaks the reader's language and refuses what the operator did not mean (issue 17)."""

from __future__ import annotations

import asyncio
import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from chat import person
from typer.testing import CliRunner

from bot.app import open_application
from bot.cli import app
from bot.config import Settings
from bot.ward_setup import ensure_example_ward, invite
from storage.vocabulary import Role

runner = CliRunner()


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("REPORTBOT_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("REPORTBOT_CONFIG", str(tmp_path / "absent.toml"))
    return path


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "expected", "english"),
    [
        (("ward", "add"), "Lỗi: thiếu tham số name.", "Missing"),
        (("nosuch",), "Lỗi: không có lệnh «nosuch».", "No such command"),
        (
            ("invite", "-w", "X", "--role", "head", "--days", "abc"),
            "--days không hợp lệ",
            "Invalid",
        ),
        (("ward", "add", "A", "B"), "Lỗi: thừa tham số (B).", "unexpected extra"),
        (("ward", "add", "--help"), "Xem hướng dẫn này rồi thoát.", "Show this message"),
        (("ward", "add", "--help"), "[bắt buộc]", "required"),
    ],
)
def test_typer_words_are_vietnamese(args: tuple[str, ...], expected: str, english: str) -> None:
    _, out, err = invoke(*args)
    assert expected in out + err and english not in out + err
    assert "Cách dùng: " in out + err and "Usage:" not in out + err


def test_and_english_where_the_configuration_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTBOT_DEFAULT_LOCALE", "en")
    _, _, err = invoke("ward", "add")
    assert "Usage: " in err and "Error: missing argument name." in err


def test_a_ward_needs_a_name_and_a_known_language() -> None:
    code, _, err = invoke("ward", "add", "  ")
    assert code == 2 and "Tên phường không được để trống" in err
    code, _, err = invoke("ward", "add", "Phường Vĩnh Tuy", "--locale", "fr")
    assert code == 2 and "Ngôn ngữ «fr» chưa có; chọn một trong: vi, en." in err
    assert invoke("ward", "list")[1] == ""


def test_zero_days_of_validity_is_refused_not_replaced() -> None:
    assert invoke("ward", "add", "Phường Vĩnh Tuy")[0] == 0
    code, out, err = invoke("invite", "--ward", "Vĩnh Tuy", "--role", "coordinator", "--days", "0")
    assert code == 2 and "Số ngày hiệu lực phải từ 1 trở lên." in err and out == ""


def test_a_period_whose_due_day_has_passed_opens_with_a_warning() -> None:
    assert invoke("ward", "add", "Phường Vĩnh Tuy")[0] == 0
    code, _, err = invoke("period", "open", "--ward", "Vĩnh Tuy", "--month", "2020-01")
    assert code == 0 and "Lưu ý: hạn của kỳ 2020-01" in err and "đã qua" in err
    code, _, err = invoke("period", "open", "--ward", "Vĩnh Tuy", "--month", "2100-01")
    assert code == 0 and "Lưu ý" not in err


def test_os_and_database_errors_are_explained_and_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("ward", "add", "Phường Vĩnh Tuy")[0] == 0
    code, _, err = invoke("plan", "import", str(tmp_path / "absent.xlsx"), "--ward", "Vĩnh Tuy")
    assert code != 0 and "không có tệp hoặc thư mục này" in err
    assert "No such file" not in err and "cơ sở dữ liệu" not in err
    monkeypatch.setenv("REPORTBOT_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:1/x")
    code, _, err = invoke("ward", "list")
    assert code == 2 and err.startswith("Không mở được cơ sở dữ liệu")
    assert "Connect call failed" not in err and "máy chủ" in err


@pytest.mark.subprocess
def test_a_broken_pipe_is_no_error(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("REPORTBOT_")}
    subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        cwd=tmp_path,
        env=environment,
        input="/thoat\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # The reader is gone before the command writes a line ("| head" that has read enough).
    listing = subprocess.Popen(
        [sys.executable, "-m", "bot", "plan", "show", "--ward", "Hồng Bàng"],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert listing.stdout is not None and listing.stderr is not None
    listing.stdout.close()
    listing.wait(timeout=120)
    # Quiet: not reported as a database failure, no traceback (typer exits with 1).
    assert listing.stderr.read() == b""


def test_console_adds_the_example_ward_only_to_an_empty_database() -> None:
    assert invoke("ward", "add", "Phường Vĩnh Tuy")[0] == 0
    code, out, err = invoke("console", stdin="/thoat\n")
    assert code == 2 and "Chọn phường: --ward TÊN. Các phường đã có: Phường Vĩnh Tuy" in err
    assert "phường mẫu" not in out
    code, out, _ = invoke("console", "--ward", "Vĩnh Tuy", stdin="/thoat\n")
    assert code == 0 and "phường mẫu" not in out
    assert invoke("ward", "list")[1].count("\n") == 1


def test_a_citizen_in_the_console_is_never_the_registered_console_user() -> None:
    async def code_for_a_head() -> str:
        async with (
            open_application(Settings()) as application,
            application.transaction() as repositories,
        ):
            ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
            return (await invite(repositories, ward, Role.UNIT_HEAD, "Công an phường", 7)).code

    code = asyncio.run(code_for_a_head())
    _, out, _ = invoke("console", stdin=f"/start {code}\n/toi\n/thoat\n")
    assert "Đăng ký thành công" in out and "thủ trưởng đơn vị — Công an phường" in out
    _, out, _ = invoke("console", "--as-citizen", stdin="/toi\n/thoat\n")
    assert "chưa đăng ký" in out and "thủ trưởng" not in out


def test_empty_and_emoji_only_messages_are_not_counted_as_questions() -> None:
    async def ask_some() -> None:
        async with open_application(Settings()) as application:
            async with application.transaction() as repositories:
                ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
            citizen = person(application.dispatcher(ward.id), "c")
            for text in ("giá vàng hôm nay", "😀", "🙏🙏", "...", "quen mk vneid"):
                await citizen.send(text)

    asyncio.run(ask_some())
    month = datetime.date.today().strftime("%Y-%m")
    _, out, _ = invoke("questions", "--ward", "Hồng Bàng", "--month", month)
    assert "Tổng số câu hỏi: 2; trả lời được: 1" in out and "chuyển cán bộ: 1" in out


def test_configuration_errors_are_worded_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORTBOT_SQL_ECHO", "maybe")
    code, _, err = invoke("ward", "list")
    assert code == 2 and err == "Cấu hình không hợp lệ: REPORTBOT_SQL_ECHO: cần true hoặc false.\n"
    monkeypatch.delenv("REPORTBOT_SQL_ECHO")
    broken = tmp_path / "broken.toml"
    broken.write_text('database_url = "x\n', encoding="utf-8")
    monkeypatch.setenv("REPORTBOT_CONFIG", str(broken))
    code, _, err = invoke("ward", "list")
    assert code == 2 and err.startswith(f"Tệp cấu hình {broken} sai cú pháp TOML ở dòng 1, cột")
    assert invoke("--help")[0] == 0
