"""Golden outputs of a fixed month: the digest, the Word report's text with its tables, and
page 1 of the Word report as LibreOffice prints it, compared line by line.

When an output changes on purpose, regenerate with REPORTBOT_UPDATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph
from test_checkin import POLICE, Ward, _register, choice_number, ward  # noqa: F401  (the fixture)

from bot.app import Application
from bot.reports.exports import render
from bot.ward_setup import ensure_example_ward
from handlers.reporting.files import ExportFormat
from handlers.reporting.summary import PeriodSummary, summarize
from storage.vocabulary import Role

GOLDEN = Path(__file__).parent / "data" / "golden"


async def _fixed_month(ward: Ward) -> PeriodSummary:  # noqa: F811
    """The demo's month: the police report in one message, then raise a blocker."""
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send(
        "1 ht, đã ký số 100% văn bản\n2 60% vướng kinh phí\n3 ctk\n4 kps\n5 ht\n6 đang làm 40%\n7 ht"
    )
    await ward.head.send(choice_number(ward.head, "Lưu"))
    await ward.head.send(choice_number(ward.head, "Gửi báo cáo"))
    await ward.head.send("/vuongmac Chưa có kinh phí mua thiết bị")
    # Not tied to a task: a typed number there would name a task of the list.
    await ward.head.send("không")
    async with ward.application.transaction() as repositories:
        example = await repositories.wards.get("Hồng Bàng")
        period = await repositories.for_ward(example.id).periods.current()
        assert period is not None
        return await summarize(repositories, example, period)


def _compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("REPORTBOT_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text.splitlines() == path.read_text(encoding="utf-8").splitlines()


def _body_text(data: bytes) -> str:
    """The document's body in order: each paragraph a line, each table row its cells joined
    by " | " (a cell's paragraphs by " / ")."""
    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = [
                    " / ".join(p.text for p in cell.paragraphs if p.text.strip())
                    for cell in row.cells
                ]
                lines.append(" | ".join(cells))
    return "\n".join(line.replace("\xa0", " ") for line in lines) + "\n"


async def test_golden_digest_and_word_text(ward: Ward) -> None:  # noqa: F811
    summary = await _fixed_month(ward)
    _compare("digest-2026-11.md", render(summary, ExportFormat.MARKDOWN).decode())
    _compare("word-2026-11.txt", _body_text(render(summary, ExportFormat.WORD)))


@pytest.fixture
async def sqlite_ward(sqlite_application: Application) -> Ward:
    """The example ward on SQLite only: one printing of the page is enough."""
    async with sqlite_application.transaction() as repositories:
        example, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
    dispatcher = sqlite_application.dispatcher(example.id)
    people = [
        await _register(sqlite_application, dispatcher, user, name, role, unit)
        for user, name, role, unit in (
            ("coord", "Phạm Thu", Role.COORDINATOR, None),
            ("head", "Lê Hùng", Role.UNIT_HEAD, POLICE),
        )
    ]
    return Ward(sqlite_application, example.id, people[0], people[1], people[1], people[0])


@pytest.mark.subprocess
async def test_page_one_as_libreoffice_prints_it(sqlite_ward: Ward, tmp_path: Path) -> None:
    """The header block, the title and the first table of the demo's report, as a clerk sees
    them printed: pdftotext's layout of page 1, spaces between columns counted as one."""
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        pytest.skip("LibreOffice (soffice) and poppler-utils (pdftotext) are not installed")
    summary = await _fixed_month(sqlite_ward)
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(render(summary, ExportFormat.WORD))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    page = subprocess.run(
        [pdftotext, "-layout", "-f", "1", "-l", "1", str(tmp_path / "bao-cao.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [re.sub(r"\s{2,}", "  ", line.strip()) for line in page.splitlines()]
    _compare("word-2026-11-page-1.txt", "\n".join(line for line in lines if line) + "\n")
