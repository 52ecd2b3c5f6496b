"""The period workbook and the city roll-up, read back with openpyxl."""

from __future__ import annotations

import io
import random
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from bot.reports.workbook import (
    matrix_text,
    render_city_workbook,
    render_workbook,
)
from handlers.i18n import use_locale
from handlers.reporting.standing import (
    STANDING_ORDER,
    Reply,
    Standing,
    answer_standing,
    standing_label,
    task_standing,
)
from handlers.reporting.summary import (
    KpiLine,
    OpenBlocker,
    PeriodSummary,
    Proposal,
    TaskLine,
    UnitAnswer,
    UnitProgress,
)
from storage.vocabulary import Comparator, SubmissionState, TaskStatus

UNIT_NAMES = [
    "Văn phòng HĐND và UBND phường",
    "Phòng Văn hóa - Xã hội",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Công an phường",
    "Trung tâm Phục vụ hành chính công phường",
    "Ban Chỉ huy quân sự phường",
    "Trạm Y tế phường",
    "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
]
# Due dates a task may have: passed before the period's end, after it, none (recurring).
DUES = [date(2026, 11, 5), date(2026, 12, 31), None]
AS_OF = date(2026, 11, 30)


def make_summary(
    ward: str = "Phường Hồng Bàng",
    units: int = 5,
    tasks: int = 12,
    answered: float = 0.8,
    text_length: int = 40,
    kpis: int = 3,
    blockers: int = 2,
    seed: int = 1,
) -> PeriodSummary:
    """A period summary built directly, without a database: `answered` of the unit × task
    pairs have an answer, free texts are `text_length` characters long."""
    rng = random.Random(seed)
    names = [
        UNIT_NAMES[i] if i < len(UNIT_NAMES) else f"Tổ dân phố số {i - len(UNIT_NAMES) + 1}"
        for i in range(units)
    ]
    codes = [f"{'I' if i < tasks // 2 else 'II'}.{i + 1}" for i in range(tasks)]
    filler = "Đã triển khai ứng dụng VNeID và iHanoi cho người dân; "

    def text(label: str) -> str:
        return (label + ": " + filler * (text_length // len(filler) + 1))[:text_length]

    dues = {code: rng.choice(DUES) for code in codes}
    answers = []
    replies: dict[str, list[Reply]] = {}
    for unit in names:
        for code in codes:
            if rng.random() >= answered:
                continue
            status = rng.choice(list(TaskStatus))
            answered_on = date(2026, 11, rng.randrange(1, 31))
            replies.setdefault(code, []).append(Reply(status, answered_on))
            answers.append(
                UnitAnswer(
                    unit=unit,
                    code=code,
                    status=status,
                    standing=answer_standing(status, answered_on, dues[code], AS_OF),
                    progress_percent=rng.randrange(0, 101, 10)
                    if status is TaskStatus.IN_PROGRESS
                    else None,
                    kpi_value=Decimal(rng.choice(["90", "95.5", "100"]))
                    if rng.random() < 0.2
                    else None,
                    result=text("Kết quả") if rng.random() < 0.7 else None,
                    difficulties=text("Khó khăn") if rng.random() < 0.2 else None,
                    proposals=text("Đề xuất") if rng.random() < 0.2 else None,
                    evidence=rng.randrange(0, 4),
                    changed_after_due=rng.random() < 0.1,
                )
            )
    per_unit = Counter(a.unit for a in answers)
    unit_lines = tuple(
        UnitProgress(
            unit,
            rng.choice(list(SubmissionState)),
            rng.random() < 0.2,
            per_unit[unit],
            tasks,
        )
        for unit in names
    )
    # Every unit reports on every task; each task's status is the ward's rule on its answers.
    task_lines = tuple(
        TaskLine(
            code,
            "I. NHIỆM VỤ TRỌNG TÂM" if code.startswith("I.") else "II. NHIỆM VỤ THƯỜNG XUYÊN",
            text(f"Nội dung nhiệm vụ {code}"),
            task_standing(replies.get(code, []), len(names), dues[code], AS_OF),
            lead_units=tuple(names),
            deadline="Tháng 12/2026",
            due=dues[code],
            answers=tuple(a for a in answers if a.code == code),
        )
        for code in codes
    )
    kpi_lines = tuple(
        KpiLine(
            codes[i % len(codes)] if codes else f"K.{i + 1}",
            f"Tỷ lệ hồ sơ trực tuyến toàn trình {i + 1}",
            Decimal(90),
            "%",
            Comparator.AT_LEAST,
            [Decimal("95"), Decimal("72.5"), None][i % 3],
            [True, False, None][i % 3],
        )
        for i in range(kpis)
    )
    due = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
    blocker_lines = tuple(
        OpenBlocker(i + 1, names[i % len(names)], text("Thiếu thiết bị"), due, i % 2 == 0)
        for i in range(blockers if names else 0)
    )
    proposals = tuple(Proposal(a.unit, a.code, a.proposals) for a in answers if a.proposals)
    difficulties = tuple(
        Proposal(a.unit, a.code, a.difficulties) for a in answers if a.difficulties
    )
    return PeriodSummary(
        ward=ward,
        timezone="Asia/Ho_Chi_Minh",
        period="2026-11",
        due_at=due,
        units=unit_lines,
        tasks=task_lines,
        kpis=kpi_lines,
        blockers=blocker_lines,
        proposals=proposals,
        newly_done=tuple(codes[:1]),
        newly_overdue=(),
        past_due=True,
        answers=tuple(answers),
        difficulties=difficulties,
    )


def _read(data: bytes) -> Workbook:
    assert data[:2] == b"PK"
    return load_workbook(io.BytesIO(data))


def _rows(workbook: Workbook, sheet: str) -> list[tuple[object, ...]]:
    return list(workbook[sheet].iter_rows(values_only=True))


DETAIL_HEADERS = (
    "Đơn vị",
    "Mã NV",
    "Nội dung",
    "Trả lời",
    "Tình trạng",
    "Tiến độ %",
    "Giá trị chỉ tiêu",
    "Kết quả",
    "Khó khăn",
    "Đề xuất",
    "Số minh chứng",
    "Sửa sau hạn",
    "Các tháng",
)


def test_sheets_headers_panes_and_filters() -> None:
    summary = make_summary()
    workbook = _read(render_workbook(summary))
    assert workbook.sheetnames == [
        "Tổng hợp",
        "Nhiệm vụ",
        "Ma trận",
        "Chi tiết",
        "Chỉ tiêu",
        "Vướng mắc",
    ]
    assert workbook["Tổng hợp"].freeze_panes == "A3"
    for name in ("Ma trận",):
        assert workbook[name].freeze_panes == "B2"
    for name in ("Nhiệm vụ", "Chi tiết", "Chỉ tiêu", "Vướng mắc"):
        assert workbook[name].freeze_panes == "A2"
    detail = workbook["Chi tiết"]
    assert _rows(workbook, "Chi tiết")[0] == DETAIL_HEADERS
    assert detail.auto_filter.ref == f"A1:M{len(summary.answers) + 1}"
    assert workbook["Ma trận"].auto_filter.ref == f"A1:M{len(summary.units) + 1}"
    # 50 characters wide as Excel shows it; the file stores it with the cell padding added.
    assert 50 <= detail.column_dimensions["C"].width < 51
    assert detail["C2"].alignment.wrap_text
    assert detail["A1"].font.bold
    assert _rows(workbook, "Chỉ tiêu")[0][:4] == ("Mã NV", "Nội dung", "So sánh", "Chỉ tiêu")
    assert _rows(workbook, "Vướng mắc")[0] == (
        "Số",
        "Đơn vị",
        "Nội dung",
        "Hạn trả lời",
        "Quá hạn trả lời",
    )


def test_overview_counts_are_the_summarys() -> None:
    summary = make_summary(tasks=30, seed=7)
    rows = _rows(_read(render_workbook(summary)), "Tổng hợp")
    assert rows[0][0] == "TỔNG HỢP KỲ 2026-11 — Phường Hồng Bàng"
    values = {row[0]: row[1] for row in rows[2:]}
    assert values["Hạn gửi"] == "17:00 ngày 16/11/2026"
    assert values["Đơn vị đã gửi"] == f"{summary.submitted}/{len(summary.units)}"
    assert values["Tổng số nhiệm vụ"] == len(summary.tasks)
    expected = {standing_label(s): n for s, n in summary.status_counts().items() if n}
    labels = {standing_label(s) for s in STANDING_ORDER}
    shown = {label: value for label, value in values.items() if label in labels}
    assert shown == expected
    assert sum(shown.values()) == len(summary.tasks)
    assert values["Chỉ tiêu đạt"] == "1/3"
    assert values["Vướng mắc quá hạn trả lời"] == 1


def test_the_overview_explains_the_matrix_marks_in_the_readers_language() -> None:
    rows = _rows(_read(render_workbook(make_summary())), "Tổng hợp")
    assert {row[0]: row[1] for row in rows[2:]}["Ký hiệu"] == (
        "HT: Hoàn thành; ĐTH: Đang thực hiện; CTK: Chưa triển khai; "
        "KPS: Không phát sinh trong kỳ; ✓ đúng hạn hoặc trong hạn; ! quá hạn hoặc trễ hạn"
    )
    with use_locale("en"):
        rows = _rows(_read(render_workbook(make_summary())), "Summary")
    assert rows[-1][1] == (
        "Done; In prog.: In progress; Not st.: Not started; N/A: Nothing this period; "
        "✓ on time or on track; ! late or overdue"
    )


def test_one_detail_row_per_answer_with_every_field() -> None:
    summary = make_summary(seed=3)
    rows = _rows(_read(render_workbook(summary)), "Chi tiết")[1:]
    assert len(rows) == len(summary.answers)
    contents = {task.code: task.content for task in summary.tasks}
    for row, answer in zip(rows, summary.answers, strict=True):
        assert row[0] == answer.unit and row[1] == answer.code
        assert row[2] == contents[answer.code]
        assert row[5] == answer.progress_percent
        assert (row[6] is None) == (answer.kpi_value is None)
        if answer.kpi_value is not None:
            assert isinstance(row[6], int | float)
            assert Decimal(str(row[6])) == answer.kpi_value
        assert row[7] == answer.result and row[8] == answer.difficulties
        assert row[9] == answer.proposals
        assert row[10] == answer.evidence and isinstance(row[10], int)
        assert row[11] == ("Có" if answer.changed_after_due else "Không")
        assert row[4] == standing_label(answer.standing)


def test_the_tasks_sheet_has_each_tasks_ward_status() -> None:
    summary = make_summary(units=6, tasks=20, answered=0.7, seed=5)
    rows = _rows(_read(render_workbook(summary)), "Nhiệm vụ")[1:]
    assert [row[0] for row in rows] == [task.code for task in summary.tasks]
    for row, task in zip(rows, summary.tasks, strict=True):
        assert row[4] == standing_label(task.category)
        assert row[5:9] == (
            task.standing.done,
            task.standing.reporting,
            task.standing.not_applicable,
            task.standing.unanswered,
        )


def test_matrix_cells() -> None:
    summary = make_summary(units=4, tasks=6, answered=0.6, seed=11)
    rows = _rows(_read(render_workbook(summary)), "Ma trận")
    codes = [task.code for task in summary.tasks]
    assert rows[0] == ("Đơn vị", *codes)
    assert [row[0] for row in rows[1:]] == [unit.unit for unit in summary.units]
    answers = {(a.unit, a.code): a for a in summary.answers}
    for row in rows[1:]:
        for code, value in zip(codes, row[1:], strict=True):
            answer = answers.get((row[0], code))  # type: ignore[arg-type]
            assert value == (matrix_text(answer) if answer else None)
    assert any(value is None for row in rows[1:] for value in row[1:])


def test_matrix_marks() -> None:
    def answer(status: TaskStatus, standing: Standing) -> UnitAnswer:
        return UnitAnswer("A", "I.1", status, standing, None, None, None, None, None, 0, False)

    assert matrix_text(answer(TaskStatus.DONE, Standing.DONE_ON_TIME)) == "HT ✓"
    assert matrix_text(answer(TaskStatus.DONE, Standing.DONE_LATE)) == "HT !"
    assert matrix_text(answer(TaskStatus.IN_PROGRESS, Standing.ON_TRACK)) == "ĐTH ✓"
    assert matrix_text(answer(TaskStatus.IN_PROGRESS, Standing.OVERDUE)) == "ĐTH !"
    assert matrix_text(answer(TaskStatus.NOT_STARTED, Standing.NOT_STARTED)) == "CTK"
    assert matrix_text(answer(TaskStatus.NOT_APPLICABLE, Standing.NOT_APPLICABLE)) == "KPS"


def test_numbers_are_numbers_and_texts_stay_texts() -> None:
    base = make_summary(units=1, tasks=1, answered=1.0, seed=2)
    trap = UnitAnswer(
        base.units[0].unit,
        base.tasks[0].code,
        TaskStatus.IN_PROGRESS,
        Standing.ON_TRACK,
        60,
        Decimal("12.50"),
        '=HYPERLINK("http://x")',
        "bell\x07and\x00nul",
        None,
        2,
        True,
    )
    summary = PeriodSummary(**{**base.__dict__, "answers": (trap,)})
    workbook = _read(render_workbook(summary))
    row = _rows(workbook, "Chi tiết")[1]
    assert row[5] == 60 and row[6] == 12.5 and row[10] == 2
    assert row[7] == '=HYPERLINK("http://x")'
    assert workbook["Chi tiết"]["H2"].data_type == "s"
    assert row[8] == "bell and nul"
    kpi_row = _rows(workbook, "Chỉ tiêu")[1]
    assert kpi_row[3] == 90 and kpi_row[5] == 95
    blocker_row = _rows(workbook, "Vướng mắc")[1]
    assert blocker_row[3] == datetime(2026, 11, 16, 17, 0)


def test_a_large_ward_with_long_texts_is_a_valid_file() -> None:
    summary = make_summary(units=60, tasks=30, answered=0.9, text_length=2000, blockers=40)
    workbook = _read(render_workbook(summary))
    assert len(_rows(workbook, "Chi tiết")) == len(summary.answers) + 1
    assert len(_rows(workbook, "Ma trận")) == 61
    longest = max(len(str(v)) for row in _rows(workbook, "Chi tiết") for v in row if v)
    assert longest == 2000


def test_an_empty_period() -> None:
    summary = make_summary(units=0, tasks=0, kpis=0, blockers=0)
    workbook = _read(render_workbook(summary))
    assert _rows(workbook, "Chi tiết") == [DETAIL_HEADERS]
    assert _rows(workbook, "Ma trận") == [("Đơn vị",)]


def test_sheet_names_follow_the_locale() -> None:
    with use_locale("en"):
        workbook = _read(render_workbook(make_summary()))
    assert len(workbook.sheetnames) == 6
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_city_workbook_of_three_wards() -> None:
    summaries = [
        make_summary(ward=f"Phường {name}", units=units, tasks=tasks, seed=seed)
        for name, units, tasks, seed in (
            ("Vĩnh Tuy", 6, 20, 1),
            ("Cầu Giấy", 10, 30, 2),
            ("Hồng Bàng", 3, 8, 3),
        )
    ]
    workbook = _read(render_city_workbook(summaries))
    assert workbook.sheetnames == ["Các phường", "Chi tiết"]
    wards = workbook["Các phường"]
    assert wards.freeze_panes == "B2"
    assert wards.auto_filter.ref.startswith("A1:") and wards.auto_filter.ref.endswith("4")
    rows = _rows(workbook, "Các phường")
    header = rows[0]
    assert header[:6] == (
        "Phường/xã",
        "Kỳ báo cáo",
        "Đơn vị đã gửi",
        "Tổng số đơn vị",
        "Đơn vị trễ hạn",
        "Tổng số nhiệm vụ",
    )
    for summary, row in zip(summaries, rows[1:4], strict=True):
        values = dict(zip(header, row, strict=True))
        assert values["Phường/xã"] == summary.ward
        assert values["Đơn vị đã gửi"] == summary.submitted
        assert values["Tổng số đơn vị"] == len(summary.units)
        for standing, count in summary.status_counts().items():
            assert values[standing_label(standing)] == count
        labels = {standing_label(s) for s in STANDING_ORDER}
        counted = sum(values[label] for label in labels if label in values)
        assert counted == len(summary.tasks)
        assert values["Tổng số chỉ tiêu"] == 3 and values["Chỉ tiêu đạt"] == 1
        assert values["Vướng mắc chờ trả lời"] == 2 and values["Vướng mắc quá hạn trả lời"] == 1
    total = rows[-1]
    assert total[0] == "Tổng cộng"
    assert total[5] == sum(len(s.tasks) for s in summaries)
    detail = _rows(workbook, "Chi tiết")
    assert detail[0] == ("Phường/xã", *DETAIL_HEADERS)
    assert len(detail) == 1 + sum(len(s.answers) for s in summaries)
    assert [row[0] for row in detail[1:]] == [s.ward for s in summaries for _answer in s.answers]
    assert workbook["Chi tiết"].freeze_panes == "A2"


def test_city_workbook_of_no_wards() -> None:
    workbook = _read(render_city_workbook([]))
    assert workbook.sheetnames == ["Các phường", "Chi tiết"]


@pytest.mark.parametrize("seed", range(3))
def test_random_wards_always_read_back(seed: int) -> None:
    summary = make_summary(units=seed * 7, tasks=seed * 5, answered=0.5, seed=seed)
    workbook = _read(render_workbook(summary))
    assert len(_rows(workbook, "Chi tiết")) == len(summary.answers) + 1
