"""The digest, the Word report and the workbook of one period agree number for number."""

from __future__ import annotations

import io
import re
from collections import Counter

import docx
import openpyxl
from PIL import Image
from test_checkin import Ward, choice_number, ward  # noqa: F401  (the fixture)

from bot.reports.exports import render
from handlers.events import DocumentReply, ImageReply
from handlers.reporting.files import ExportFormat
from handlers.reporting.spans import parse_span
from handlers.reporting.summary import PeriodSummary, summarize, summarize_span
from storage.vocabulary import TaskStatus

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


def _chart_counts(summary: PeriodSummary) -> dict[str, int]:
    """The counts the chart prints, as its PNG's description keeps them."""
    description = Image.open(io.BytesIO(render(summary, ExportFormat.CHART))).info["Description"]
    return {
        label.lower(): int(count)
        for label, count in (part.rsplit(": ", 1) for part in description.split(" · "))
    }


def _task_sheet_counts(summary: PeriodSummary) -> dict[str, int]:
    sheet = openpyxl.load_workbook(io.BytesIO(render(summary, ExportFormat.EXCEL)))["Nhiệm vụ"]
    return dict(
        Counter(str(row[4]).lower() for row in sheet.iter_rows(min_row=2, values_only=True))
    )


def _agree(summary: PeriodSummary, submitted: str) -> dict[str, int]:
    expected = {(label.lower()): count for label, count in _digest_counts(summary)[0].items()}
    assert sum(expected.values()) == len(summary.tasks) == 29
    for counts, units in (
        _digest_counts(summary),
        _word_counts(summary),
        _workbook_counts(summary),
    ):
        assert counts == expected
        assert units == submitted
    assert _chart_counts(summary) == _task_sheet_counts(summary) == expected
    return expected


async def test_digest_chart_word_and_workbook_agree(ward: Ward) -> None:  # noqa: F811
    _agree(await _a_month(ward), "1/5")


async def _answer(ward: Ward, text: str) -> None:  # noqa: F811
    await ward.head.send(text)
    await ward.head.send(choice_number(ward.head, "Lưu"))
    await ward.head.send(choice_number(ward.head, "Gửi báo cáo"))


async def test_a_quarter_from_its_months_agrees_across_the_four(ward: Ward) -> None:  # noqa: F811
    await ward.coordinator.send("/moky 2026-10")
    await _answer(ward, "1 đang làm 40%, đã mua máy\n2 ctk\n3 ctk\n4 kps\n5 ht\n6 ctk\n7 kps")
    await ward.coordinator.send("/dongky")
    await ward.coordinator.send("/moky 2026-11")
    await _answer(ward, "1 ht, đã ký số 100% văn bản\n2 60% vướng kinh phí\n3 ctk")
    await ward.head.send("/vuongmac")
    await ward.head.send("II.12")
    await ward.head.send("Chưa có kinh phí mua thiết bị giám sát")
    async with ward.application.transaction() as repositories:
        example = await repositories.wards.get("Hồng Bàng")
        quarter = await summarize_span(repositories, example, parse_span("2026-Q4"))
    assert quarter is not None
    assert quarter.covers == ("2026-10", "2026-11") and quarter.period == "2026-Q4"
    assert quarter.previous is None and quarter.newly_done == quarter.newly_overdue == ()
    answers = {a.code: a for a in quarter.answers}
    # Each task's latest answer, with every month's words under it.
    latest = next(a for a in quarter.answers if a.result == "đã ký số 100% văn bản")
    assert latest.status is TaskStatus.DONE and latest.result == "đã ký số 100% văn bản"
    assert [(n.period, n.status, n.progress_percent) for n in latest.history] == [
        ("2026-10", TaskStatus.IN_PROGRESS, 40),
        ("2026-11", TaskStatus.DONE, 100),
    ]
    # Tasks answered only in October still count in the quarter.
    assert len(answers) == 7
    assert answers[latest.code].history[0].difficulties == "đã mua máy"
    # The units' submissions are those of the last month: November's is not sent yet.
    _agree(quarter, "0/5")
    word = docx.Document(io.BytesIO(render(quarter, ExportFormat.WORD)))
    text = "\n".join(p.text.replace("\xa0", " ") for p in word.paragraphs)
    cells = "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
    assert "quý IV/2026" in text
    assert "Tháng 10: 40%" in cells and "Tháng 10: đã mua máy" in cells
    assert "Tháng 11: đã ký số 100% văn bản" in cells
    # A blocker raised on a task in the quarter is listed under the task.
    assert "Công an phường: Chưa có kinh phí mua thiết bị giám sát" in cells
    # The coordinator asks for it in the chat.
    await ward.coordinator.send("/xuat 2026-Q4")
    assert ward.coordinator.replies[-3].file_name.endswith("2026-Q4.docx")  # type: ignore[union-attr]
    assert "Không hiểu kỳ" in (await ward.coordinator.send("/xuat 2026-Q5"))[0]
    assert "Không có kỳ báo cáo 2027-Q1" in (await ward.coordinator.send("/xuat 2027-Q1"))[0]
    # "So với kỳ trước" only where there is a previous period.
    async with ward.application.transaction() as repositories:
        october, november = [
            await summarize_span(repositories, example, parse_span(label))
            for label in ("2026-10", "2026-11")
        ]
    assert october is not None and november is not None
    assert october.previous is None and november.previous == "2026-10"
    assert "So với kỳ trước" not in render(october, ExportFormat.MARKDOWN).decode()
    # A period that has not begun gets no Word report, in the chat as in the CLI.
    await ward.coordinator.send("/moky 2099-12")
    reply = (await ward.coordinator.send("/xuat 2099-12"))[0]
    assert reply.startswith("Kỳ 2099-12 bắt đầu từ ngày 1 tháng 12 năm 2099")


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


async def test_coordinators_see_how_the_report_is_headed_and_signed(ward: Ward) -> None:  # noqa: F811
    async with ward.application.transaction() as repositories:
        example = await repositories.wards.get("Hồng Bàng")
        await repositories.for_ward(example.id).report_settings.update(
            {"signer_name": "Nguyễn Thị Vân Anh", "authority": "KT"}
        )
    text = "\n".join(await ward.coordinator.send("/toi"))
    assert "Báo cáo Word của phường (reportbot ward report-settings):" in text
    assert "• Cơ quan ban hành: ỦY BAN NHÂN DÂN PHƯỜNG HỒNG BÀNG" in text
    assert "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH Nguyễn Thị Vân Anh" in text
    assert "Báo cáo Word" not in "\n".join(await ward.head.send("/toi"))
    # The Word report is signed so.
    summary = await _a_month(ward)
    closing = next(
        table
        for table in docx.Document(io.BytesIO(render(summary, ExportFormat.WORD))).tables
        if table.rows[0].cells[0].text.startswith("Nơi nhận")
    )
    signature = [p.text for p in closing.rows[0].cells[1].paragraphs if p.text]
    assert signature == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Thị Vân Anh",
    ]
