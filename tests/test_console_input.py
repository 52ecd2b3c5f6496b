"""The console takes a pasted block of lines as one message (issue 17), a command alone."""

from __future__ import annotations

import asyncio
import io
import os
from pathlib import Path

from sqlalchemy import select

from bot.app import Application
from bot.console import ConsoleChat, console_identity
from bot.console_input import TypedMessages
from bot.ward_setup import ensure_example_ward, find_unit
from storage.models import TaskReport
from storage.vocabulary import Role


async def _all(messages: TypedMessages) -> list[str]:
    read = []
    while (message := await messages.next()) is not None:
        read.append(message)
    return read


async def test_lines_that_come_together_are_one_message_up_to_an_empty_line() -> None:
    typed = io.StringIO("1 HT\n2 60% vướng kinh phí\n\n/baocao\n/thoat\n3 ctk\r\n")
    assert await _all(TypedMessages(typed)) == [
        "1 HT\n2 60% vướng kinh phí",
        "/baocao",
        "/thoat",
        "3 ctk",
    ]


async def test_a_command_ends_a_block_and_is_a_message_of_its_own() -> None:
    assert await _all(TypedMessages(io.StringIO("1 ht\n2 ht\n/huy\n"))) == ["1 ht\n2 ht", "/huy"]


async def test_a_line_typed_alone_is_sent_without_waiting_for_an_empty_line() -> None:
    read_end, write_end = os.pipe()
    with (
        open(read_end, encoding="utf-8") as reader,
        open(write_end, "w", encoding="utf-8") as writer,
    ):
        messages = TypedMessages(reader)
        writer.write("60\n")
        writer.flush()
        assert await asyncio.wait_for(messages.next(), 2) == "60"
        await asyncio.sleep(0.2)
        writer.write("70\n")
        writer.flush()
        assert await asyncio.wait_for(messages.next(), 2) == "70"


async def test_a_one_message_report_pasted_in_the_console_is_understood(
    sqlite_application: Application, tmp_path: Path
) -> None:
    async with sqlite_application.transaction() as repositories:
        ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        police = await find_unit(repositories, ward, "Công an phường")
    coordinator = await console_identity(sqlite_application, ward, role=Role.COORDINATOR)
    dispatcher = sqlite_application.dispatcher(ward.id)
    await ConsoleChat(
        sqlite_application,
        dispatcher,
        coordinator,
        stdin=io.StringIO("/moky 2026-11\n"),
        stdout=io.StringIO(),
        files_dir=tmp_path,
    ).run()
    head = await console_identity(sqlite_application, ward, unit=police, role=Role.UNIT_HEAD)
    out = io.StringIO()
    await ConsoleChat(
        sqlite_application,
        dispatcher,
        head,
        stdin=io.StringIO("1 HT\n2 60% vướng kinh phí\n3 ctk\n\n1\n/thoat\n"),
        stdout=out,
        files_dir=tmp_path,
    ).run()
    assert "Lưu 3 nhiệm vụ" in out.getvalue() and "Đã lưu 3 nhiệm vụ." in out.getvalue()
    async with sqlite_application.sessions() as session:
        assert len(list((await session.execute(select(TaskReport))).scalars())) == 3
