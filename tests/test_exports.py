"""The digest, the Word report and the workbook of one period agree number for number."""

from __future__ import annotations

import io
import re

import docx
import openpyxl
from test_checkin import Ward, choice_number, ward  # noqa: F401  (the fixture)

from bot.reports.exports import render
from handlers.events import DocumentReply, ImageReply
from handlers.reporting.files import ExportFormat
from handlers.reporting.summary import PeriodSummary, summarize

COUNT_LINE = re.compile(r"^[•-] (?P<label>.+?): (?P<count>\d+)[;.]?$")


async def _a_month(ward: Ward) -> PeriodSummary:  # noqa: F811
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("1 ht\n2 60% vướng kinh phí\n3 ctk\n4 kps\n5 ht\n6 đang làm 40%\n7 ht")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    await ward.head.send(choice_number(ward.head, "Gửi báo cáo"))
    async with ward.application.transaction() as repositories:
        example = await repositories.wards.get("Hồng Bàng")
        period = await repositories.for_ward(example.id).periods.current()
        assert period is not None
        return await summarize(repositories, example, period)


def _counts_after(lines: list[str], heading: str) -> dict[str, int]:
    start = next(i for i, line in enumerate(lines) if line.startswith(heading)) + 1
    counts = {}
    for line in lines[start:]:
        match = COUNT_LINE.match(line.strip())
        if not match:
            break
        counts[match["label"].lower()] = int(match["count"])
    return counts


def _digest_counts(summary: PeriodSummary) -> tuple[dict[str, int], str]:
    lines = render(summary, ExportFormat.MARKDOWN).decode().splitlines()
    submitted = next(line for line in lines if line.startswith("Đơn vị đã gửi:")).split(": ")[1]
    return _counts_after(lines, "Tình trạng "), submitted


def _word_counts(summary: PeriodSummary) -> tuple[dict[str, int], str]:
    document = docx.Document(io.BytesIO(render(summary, ExportFormat.WORD)))
    lines = [paragraph.text for paragraph in document.paragraphs]
    submitted = next(
        re.search(r"(\d+/\d+)", line)[1] for line in lines if line.startswith("Đã có ")
    )  # type: ignore[index]
    return _counts_after(lines, "Tổng số nhiệm vụ theo dõi"), submitted


def _workbook_counts(summary: PeriodSummary) -> tuple[dict[str, int], str]:
    sheet = openpyxl.load_workbook(io.BytesIO(render(summary, ExportFormat.EXCEL)))["Tổng hợp"]
    rows = {str(row[0]): row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    counts = {
        label.lower(): value
        for label, value in rows.items()
        if isinstance(value, int)
        and label.lower()
        not in {
            "số đơn vị đã gửi",
            "tổng số đơn vị",
            "tổng số nhiệm vụ",
            "vướng mắc chờ trả lời",
            "vướng mắc quá hạn trả lời",
        }
    }
    return counts, str(rows["Đơn vị đã gửi"])


async def test_digest_word_and_workbook_agree(ward: Ward) -> None:  # noqa: F811
    summary = await _a_month(ward)
    expected = {(label.lower()): count for label, count in _digest_counts(summary)[0].items()}
    assert sum(expected.values()) == len(summary.tasks) == 29
    for counts, submitted in (
        _digest_counts(summary),
        _word_counts(summary),
        _workbook_counts(summary),
    ):
        assert counts == expected
        assert submitted == "1/5"


async def test_coordinator_receives_the_files_in_the_chat(ward: Ward) -> None:  # noqa: F811
    await _a_month(ward)
    await ward.coordinator.send("/xuat")
    files = ward.coordinator.replies[-3:]
    assert [type(f) for f in files] == [DocumentReply, DocumentReply, ImageReply]
    word, workbook, chart = files
    assert word.file_name.endswith("2026-11.docx") and word.content.startswith(b"PK")  # type: ignore[union-attr]
    assert workbook.file_name.endswith(".xlsx") and workbook.content.startswith(b"PK")  # type: ignore[union-attr]
    assert chart.content.startswith(b"\x89PNG")  # type: ignore[union-attr]
    assert "Bạn không có quyền" in (await ward.head.send("/xuat"))[0]
