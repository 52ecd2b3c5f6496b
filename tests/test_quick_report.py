"""The one-message report parser: examples, every problem code, and round-trip properties."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from handlers.checkin.quick_report import (
    LineProblem,
    QuickLine,
    TaskKey,
    looks_like_quick_report,
    parse_quick_report,
    status_word,
)
from handlers.reporting.statuses import STATUS_SPELLINGS
from storage.vocabulary import TaskStatus

EXAMPLE_TASKS = [
    TaskKey(1, "I.1", None),
    TaskKey(2, "I.2", None),
    TaskKey(3, "I.3", None),
    TaskKey(4, "I.4", "%"),
    TaskKey(5, "II.1", None),
]
TASKS = [
    *EXAMPLE_TASKS,
    TaskKey(6, "B.1.a", "cơ sở"),
    TaskKey(7, "II.12", "sáng kiến"),
]
EXAMPLE = "1 HT\n2 60% vướng kinh phí\n3 ctk\nI.4: đang thực hiện 70%, KPI 85%\n5 kps"


def only_line(text: str, tasks: list[TaskKey] = TASKS) -> QuickLine:
    report = parse_quick_report(text, tasks)
    assert len(report.lines) == 1
    return report.lines[0]


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def test_the_example_message_is_understood_line_by_line() -> None:
    report = parse_quick_report(EXAMPLE, EXAMPLE_TASKS)

    assert report.all_understood
    assert looks_like_quick_report(EXAMPLE, EXAMPLE_TASKS)
    summary = [
        (
            line.line_number,
            line.task.number if line.task else None,
            line.status,
            line.progress_percent,
            line.kpi_value,
            line.result,
            line.difficulties,
        )
        for line in report.lines
    ]
    assert summary == [
        (1, 1, TaskStatus.DONE, None, None, None, None),
        (2, 2, TaskStatus.IN_PROGRESS, 60, None, None, "vướng kinh phí"),
        (3, 3, TaskStatus.NOT_STARTED, None, None, None, None),
        (4, 4, TaskStatus.IN_PROGRESS, 70, Decimal("85"), None, None),
        (5, 5, TaskStatus.NOT_APPLICABLE, None, None, None, None),
    ]
    assert report.lines[3].text == "I.4: đang thực hiện 70%, KPI 85%"


def test_blank_lines_are_skipped_but_counted() -> None:
    report = parse_quick_report("\n1 HT\n   \n\n2 CTK\n", TASKS)
    assert [line.line_number for line in report.lines] == [2, 5]


def test_an_empty_message_is_not_understood() -> None:
    assert not parse_quick_report(" \n\n", TASKS).all_understood


@pytest.mark.parametrize(
    "reference",
    ["1", "01", "1.", "1)", "1:", "1 -", "#1", "# 1", "nv1", "NV 1", "Nv.1", "nhiệm vụ 1", "- 1"],
)
def test_task_numbers_in_the_usual_forms(reference: str) -> None:
    line = only_line(f"{reference} HT")
    assert line.task == TASKS[0]
    assert line.understood


@pytest.mark.parametrize(
    ("typed", "number"),
    [("I.4", 4), ("i.4", 4), ("II.12", 7), ("ii.12", 7), ("B.1.a", 6), ("b.1.A", 6), ("I.4:", 4)],
)
def test_appendix_codes_case_insensitively(typed: str, number: int) -> None:
    assert only_line(f"{typed} xong").task == TASKS[number - 1]


@pytest.mark.parametrize("typed", ["1.HT", "1ht", "1.ht", "I.4.xong"])
def test_a_status_glued_to_the_reference_is_still_read(typed: str) -> None:
    line = only_line(typed)
    assert line.task is not None
    assert line.status is TaskStatus.DONE


def test_a_bare_integer_is_a_list_number_even_when_a_code_is_that_integer() -> None:
    tasks = [TaskKey(1, "7", None), TaskKey(2, "I.1", None)]
    assert only_line("7 HT", tasks).problems == (LineProblem.UNKNOWN_TASK,)
    assert only_line("1 HT", tasks).task == tasks[0]


def test_a_code_shared_by_two_tasks_is_reached_only_by_number() -> None:
    tasks = [TaskKey(1, "I.1", None), TaskKey(2, "i.1", None)]
    assert only_line("I.1 HT", tasks).problems == (LineProblem.UNKNOWN_TASK,)
    assert only_line("2 HT", tasks).task == tasks[1]


def test_two_tasks_with_one_number_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_quick_report("1 HT", [TaskKey(1, "I.1", None), TaskKey(1, "I.2", None)])


@pytest.mark.parametrize(
    ("spelling", "status"),
    [
        ("HT", TaskStatus.DONE),
        ("ht", TaskStatus.DONE),
        ("Hoàn thành", TaskStatus.DONE),
        ("hoan thanh", TaskStatus.DONE),
        ("HOÀN THÀNH", TaskStatus.DONE),
        ("xong", TaskStatus.DONE),
        ("đã xong", TaskStatus.DONE),
        ("da xong", TaskStatus.DONE),
        ("done", TaskStatus.DONE),
        ("ĐTH", TaskStatus.IN_PROGRESS),
        ("DTH", TaskStatus.IN_PROGRESS),
        ("đth", TaskStatus.IN_PROGRESS),
        ("đang thực hiện", TaskStatus.IN_PROGRESS),
        ("Dang thuc hien", TaskStatus.IN_PROGRESS),
        ("đang làm", TaskStatus.IN_PROGRESS),
        ("dang lam", TaskStatus.IN_PROGRESS),
        ("đang triển khai", TaskStatus.IN_PROGRESS),
        ("ĐTK", TaskStatus.IN_PROGRESS),
        ("CTK", TaskStatus.NOT_STARTED),
        ("chưa triển khai", TaskStatus.NOT_STARTED),
        ("chua trien khai", TaskStatus.NOT_STARTED),
        ("chưa làm", TaskStatus.NOT_STARTED),
        ("chưa thực hiện", TaskStatus.NOT_STARTED),
        ("chua th", TaskStatus.NOT_STARTED),
        ("KPS", TaskStatus.NOT_APPLICABLE),
        ("không phát sinh", TaskStatus.NOT_APPLICABLE),
        ("khong phat sinh", TaskStatus.NOT_APPLICABLE),
        ("ko phát sinh", TaskStatus.NOT_APPLICABLE),
        ("k phat sinh", TaskStatus.NOT_APPLICABLE),
        ("khg phát sinh", TaskStatus.NOT_APPLICABLE),
        ("không có", TaskStatus.NOT_APPLICABLE),
        ("N/A", TaskStatus.NOT_APPLICABLE),
    ],
)
def test_status_words_and_abbreviations(spelling: str, status: TaskStatus) -> None:
    line = only_line(f"2 {spelling}")
    assert (line.status, line.keep_previous, line.problems) == (status, False, ())


@pytest.mark.parametrize(
    "spelling",
    ["giữ", "Giữ nguyên", "giu nguyen", "như kỳ trước", "nhu ky truoc", "NKT", "như cũ"],
)
def test_keep_previous_words(spelling: str) -> None:
    line = only_line(f"3 {spelling}")
    assert (line.status, line.keep_previous, line.understood) == (None, True, True)


def test_abbreviations_are_whole_words() -> None:
    line = only_line("1 http://example.vn")
    assert line.status is None
    assert line.problems == (LineProblem.NO_STATUS,)
    assert line.difficulties == "http://example.vn"


def test_nfd_input_reads_like_nfc_and_keeps_nfc_wording() -> None:
    nfc = "2 đang thực hiện 60% - vướng kinh phí\nI.4 hoàn thành, đạt 85,5%"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert parse_quick_report(nfd, TASKS) == parse_quick_report(nfc, TASKS)
    assert parse_quick_report(nfd, TASKS).lines[0].difficulties == "vướng kinh phí"


def test_a_lone_percentage_means_in_progress_and_100_means_done() -> None:
    assert (only_line("2 60%").status, only_line("2 60%").progress_percent) == (
        TaskStatus.IN_PROGRESS,
        60,
    )
    assert (only_line("2 100%").status, only_line("2 100%").progress_percent) == (
        TaskStatus.DONE,
        None,
    )
    assert only_line("2 tiến độ: 45").progress_percent == 45


def test_hoan_thanh_with_a_share_is_progress_but_ht_with_a_share_conflicts() -> None:
    line = only_line("2 hoàn thành 60%")
    assert (line.status, line.progress_percent) == (TaskStatus.IN_PROGRESS, 60)
    assert only_line("2 HT 60%").problems == (LineProblem.CONFLICTING_STATUS,)
    assert only_line("2 HT 100%").status is TaskStatus.DONE
    assert only_line("2 CTK 0%").status is TaskStatus.NOT_STARTED


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("I.4 ĐTH 70%, KPI 85%", "85"),
        ("4 HT kpi: 85", "85"),
        ("4 HT chỉ tiêu 85,5%", "85.5"),
        ("4 HT chi tieu 85.5%", "85.5"),
        ("4 HT đạt 85%", "85"),
        ("6 HT KPI 3", "3"),
        ("6 HT đạt 3 cơ sở", "3"),
        ("6 HT 3 co so", "3"),
        ("6 HT đạt 1.000 cơ sở", "1000"),
        ("7 HT, 4 sáng kiến", "4"),
    ],
)
def test_kpi_values(typed: str, value: str) -> None:
    line = only_line(typed)
    assert line.kpi_value == Decimal(value)
    assert line.understood


def test_dat_is_progress_for_a_task_without_kpi_target() -> None:
    line = only_line("2 đạt 60%")
    assert (line.status, line.progress_percent, line.kpi_value) == (
        TaskStatus.IN_PROGRESS,
        60,
        None,
    )


@pytest.mark.parametrize(
    ("typed", "problems"),
    [
        ("9 HT", (LineProblem.UNKNOWN_TASK,)),
        ("I.9 HT", (LineProblem.UNKNOWN_TASK,)),
        ("1.5 HT", (LineProblem.UNKNOWN_TASK,)),
        ("HT", (LineProblem.NO_TASK,)),
        ("xin gửi báo cáo tháng 11", (LineProblem.NO_TASK, LineProblem.NO_STATUS)),
        ("1 vướng kinh phí", (LineProblem.NO_STATUS,)),
        ("1", (LineProblem.NO_STATUS,)),
        ("2 120%", (LineProblem.PROGRESS_OUT_OF_RANGE,)),
        ("2 ĐTH 60,5%", (LineProblem.PROGRESS_OUT_OF_RANGE,)),
        ("4 HT KPI 120%", (LineProblem.KPI_OUT_OF_RANGE,)),
        ("6 HT KPI 2,5", (LineProblem.KPI_NOT_A_COUNT,)),
        ("6 HT KPI 85%", (LineProblem.KPI_NOT_A_COUNT,)),
        ("2 HT KPI 85%", (LineProblem.KPI_WITHOUT_TARGET,)),
        ("2 HT ĐTH", (LineProblem.CONFLICTING_STATUS,)),
        ("2 KPS 40%", (LineProblem.CONFLICTING_STATUS,)),
        ("2 giữ nguyên, HT", (LineProblem.CONFLICTING_STATUS,)),
        ("2 giữ 60%", (LineProblem.CONFLICTING_STATUS,)),
    ],
)
def test_each_problem_code(typed: str, problems: tuple[LineProblem, ...]) -> None:
    line = only_line(typed)
    assert line.problems == problems
    assert not line.understood


def test_invalid_values_are_not_kept() -> None:
    line = only_line("4 ĐTH 150% KPI 120%")
    assert (line.progress_percent, line.kpi_value) == (None, None)
    assert line.problems == (LineProblem.PROGRESS_OUT_OF_RANGE, LineProblem.KPI_OUT_OF_RANGE)


def test_duplicate_task_is_flagged_on_the_later_line_only() -> None:
    report = parse_quick_report("1 HT\n2 CTK\nI.1 ĐTH 50%", TASKS)
    assert [line.problems for line in report.lines] == [(), (), (LineProblem.DUPLICATE_TASK,)]
    assert report.lines[2].task == TASKS[0]
    assert not report.all_understood


@pytest.mark.parametrize("typed", ["😀😀😀", "👍", "...", "🙏🏻 !!!", "\u200b\u200b"])
def test_emoji_or_punctuation_only_has_no_task(typed: str) -> None:
    report = parse_quick_report(typed, TASKS)
    assert all(line.problems[0] is LineProblem.NO_TASK for line in report.lines)
    assert not looks_like_quick_report(typed, TASKS)


def test_a_10000_character_note_is_too_long_and_never_cut() -> None:
    note = "vướng " + "x" * 9994
    line = only_line(f"2 ĐTH 50% - {note}")
    assert line.problems == (LineProblem.NOTE_TOO_LONG,)
    assert line.difficulties == note
    assert len(line.difficulties) == 10_000


def test_the_note_limit_is_the_callers() -> None:
    line = parse_quick_report("1 HT, đã ban hành quyết định", TASKS, max_note_chars=10).lines[0]
    assert line.problems == (LineProblem.NOTE_TOO_LONG,)
    assert line.result == "đã ban hành quyết định"


@pytest.mark.parametrize(
    "typed", ["9" * 10_000, "2 " + "9" * 10_000 + "%", "4 KPI " + "9" * 10_000, "1." * 5_000]
)
def test_10000_character_numbers_do_not_break_the_parser(typed: str) -> None:
    line = only_line(typed)
    assert line.problems
    assert line.progress_percent is None


@pytest.mark.parametrize(
    ("typed", "result", "difficulties"),
    [
        ("1 HT, đã ban hành quyết định", "đã ban hành quyết định", None),
        ("1 HT - đã tổ chức tập huấn cho cán bộ", "đã tổ chức tập huấn cho cán bộ", None),
        ("1 HT đúng tiến độ", "đúng tiến độ", None),
        ("1 HT, chờ ý kiến của quận", None, "chờ ý kiến của quận"),
        ("1 HT nhưng thiếu nhân lực", None, "nhưng thiếu nhân lực"),
        ("1 HT nhung thieu nhan luc", None, "nhung thieu nhan luc"),
        ("1 HT, ko có kinh phí duy trì", None, "ko có kinh phí duy trì"),
        ("1 HT: chậm do chưa có hướng dẫn", None, "chậm do chưa có hướng dẫn"),
        ("2 ĐTH 40%: đã khảo sát xong", None, "đã khảo sát xong"),
        ("2 60% không có kinh phí", None, "không có kinh phí"),
    ],
)
def test_free_text_is_a_result_or_a_difficulty(
    typed: str, result: str | None, difficulties: str | None
) -> None:
    line = only_line(typed)
    assert (line.result, line.difficulties) == (result, difficulties)
    assert line.status is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EXAMPLE, True),
        ("Xin chào, cho hỏi cách báo cáo?", False),
        ("1", False),
        ("9 HT", False),
        ("3 giữ nguyên", True),
        ("báo cáo tháng 11\n2 45%", True),
        ("1 hello", False),
    ],
)
def test_looks_like_quick_report(text: str, expected: bool) -> None:
    assert looks_like_quick_report(text, TASKS) is expected


# Property tests: generated lines round-trip.

SPELLINGS = {
    TaskStatus.DONE: ["HT", "hoàn thành", "đã hoàn thành", "xong", "đã xong", "done"],
    TaskStatus.IN_PROGRESS: [
        "ĐTH",
        "DTH",
        "đang thực hiện",
        "đang làm",
        "dang lam",
        "đang triển khai",
    ],
    TaskStatus.NOT_STARTED: [
        "CTK",
        "chưa triển khai",
        "chua trien khai",
        "chưa làm",
        "chưa thực hiện",
        "chua th",
    ],
    TaskStatus.NOT_APPLICABLE: [
        "KPS",
        "không phát sinh",
        "khong phat sinh",
        "ko phát sinh",
        "k phat sinh",
        "không có",
        "n/a",
    ],
}
KEEP_SPELLINGS = ["giữ", "giữ nguyên", "như kỳ trước", "nhu ky truoc", "giu nguyen", "nkt"]
DIFFICULTY_PHRASES = [
    "vướng kinh phí",
    "thiếu nhân lực",
    "chưa có hướng dẫn của cấp trên",
    "khó khăn về mặt bằng",
    "chậm tiến độ giải ngân",
    "không có kinh phí",
    "ko có kinh phí",
]
RESULT_PHRASES = [
    "đã ban hành kế hoạch",
    "đã tổ chức tập huấn cho cán bộ",
    "cập nhật lên cổng thông tin điện tử",
]


@st.composite
def spelled(draw: st.DrawFn, words: str) -> str:
    """The words with or without diacritics, in lower, upper or their own case."""
    if draw(st.booleans()):
        words = strip_marks(words)
    case = draw(st.sampled_from(["as typed", "lower", "upper"]))
    return {"as typed": words, "lower": words.lower(), "upper": words.upper()}[case]


@st.composite
def reference(draw: st.DrawFn, task: TaskKey) -> str:
    number = str(task.number)
    forms = [number, "0" + number, number + ".", number + ")", number + ":", "#" + number]
    forms += ["nv" + number, "NV " + number, task.code, task.code.lower()]
    return draw(st.sampled_from(forms))


def decimal_text(value: Decimal, mark: str) -> str:
    return str(value).replace(".", mark)


@st.composite
def kpi_part(draw: st.DrawFn, task: TaskKey) -> tuple[str, Decimal]:
    if task.kpi_unit == "%":
        value = draw(st.decimals(0, 100, places=1))
        number = decimal_text(value, draw(st.sampled_from([",", "."])))
        cue = draw(st.sampled_from(["KPI {}%", "kpi: {}", "chỉ tiêu {}%", "đạt {}%", "đạt {}"]))
        return draw(spelled(cue.format(number))), value
    count = draw(st.integers(0, 20_000))
    grouped = f"{count:,}".replace(",", ".") if draw(st.booleans()) else str(count)
    unit = task.kpi_unit or ""
    form = draw(st.sampled_from(["KPI {}", "kpi: {}", "đạt {} " + unit, "{} " + unit]))
    return draw(spelled(form.format(grouped))), Decimal(count)


@st.composite
def report_line(draw: st.DrawFn, task: TaskKey) -> tuple[str, dict[str, object]]:
    """A typed line for ``task`` and the values it must parse into."""
    kind = draw(st.sampled_from([*TaskStatus, "keep"]))
    expected: dict[str, object] = {
        "task": task,
        "status": None if kind == "keep" else kind,
        "keep_previous": kind == "keep",
        "progress_percent": None,
        "kpi_value": None,
        "result": None,
        "difficulties": None,
    }
    if kind == "keep":
        answer = draw(spelled(draw(st.sampled_from(KEEP_SPELLINGS))))
    else:
        answer = draw(spelled(draw(st.sampled_from(SPELLINGS[kind]))))
    parts = [answer]
    if kind is TaskStatus.IN_PROGRESS and draw(st.booleans()):
        progress = draw(st.integers(0, 100))
        expected["progress_percent"] = progress
        if progress < 100 and draw(st.booleans()):
            parts = [f"{progress}%"]
        else:
            parts.append(f"{progress}%")
    if task.kpi_unit is not None and draw(st.booleans()):
        text, value = draw(kpi_part(task))
        expected["kpi_value"] = value
        parts.insert(draw(st.integers(0, len(parts))), text)
    separator = draw(st.sampled_from([" ", ", ", " - ", "; "]))
    line = draw(reference(task)) + draw(st.sampled_from([" ", ": ", " - "]))
    line += separator.join(parts)
    if draw(st.booleans()):
        phrases = DIFFICULTY_PHRASES + (RESULT_PHRASES if kind is TaskStatus.DONE else [])
        phrase = draw(st.sampled_from(phrases))
        if draw(st.booleans()):
            phrase = strip_marks(phrase)
        pause = [", ", " - ", ": "] if parts[-1].lower().endswith(("có", "co")) else [" ", ", "]
        line += draw(st.sampled_from(pause)) + phrase
        is_difficulty = kind is not TaskStatus.DONE or strip_marks(phrase) not in map(
            strip_marks, RESULT_PHRASES
        )
        expected["difficulties" if is_difficulty else "result"] = phrase
    return line, expected


@st.composite
def report_message(draw: st.DrawFn) -> tuple[str, list[dict[str, object]]]:
    tasks = draw(st.lists(st.sampled_from(TASKS), min_size=1, max_size=len(TASKS), unique=True))
    lines = [draw(report_line(task)) for task in tasks]
    joiner = draw(st.sampled_from(["\n", "\n\n", "\r\n"]))
    message = joiner.join(text for text, _ in lines)
    if draw(st.booleans()):
        message = unicodedata.normalize("NFD", message)
    return message, [expected for _, expected in lines]


@settings(max_examples=300, deadline=None)
@given(report_message())
def test_generated_reports_round_trip(case: tuple[str, list[dict[str, object]]]) -> None:
    message, expected = case
    report = parse_quick_report(message, TASKS)
    parsed = [
        {name: getattr(line, name) for name in expected[0]} | {"problems": line.problems}
        for line in report.lines
    ]
    assert parsed == [values | {"problems": ()} for values in expected]
    assert report.all_understood
    assert looks_like_quick_report(message, TASKS)


FRAGMENTS = [
    "1",
    "4",
    "9",
    "I.4",
    "B.1.a",
    "#",
    "nv",
    "HT",
    "ĐTH",
    "ctk",
    "kps",
    "không có",
    "giữ",
    "KPI",
    "đạt",
    "tiến độ",
    "hoàn thành",
    "60%",
    "120%",
    "85,5",
    "1.000",
    "cơ sở",
    "%",
    ",",
    ":",
    "-",
    ".",
    "\n",
    "vướng",
    "cho",
    "😀",
    "\u0301",
]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(FRAGMENTS)).map(" ".join)))
def test_any_text_parses_without_error_into_known_tasks(text: str) -> None:
    report = parse_quick_report(text, TASKS)
    looks_like_quick_report(text, TASKS)
    numbers = [line.line_number for line in report.lines]
    assert numbers == sorted(set(numbers))
    assert all(1 <= number <= len(text.splitlines()) for number in numbers)
    for line in report.lines:
        assert line.task is None or line.task in TASKS
        assert line.understood == (
            line.task is not None
            and not line.problems
            and (line.status is not None or line.keep_previous)
        )
        assert line.progress_percent is None or 0 <= line.progress_percent <= 100


@pytest.mark.parametrize(
    ("typed", "result", "difficulties"),
    [
        ("5 hoàn thành 100% ko vướng", None, None),
        ("5 HT, không có khó khăn, vướng mắc gì", None, None),
        ("5 ht khong vuong mac", None, None),
        ("2 60% không vướng mắc", None, None),
        ("5 HT ko vướng, đã bàn giao phần mềm", "đã bàn giao phần mềm", None),
        ("5 HT không vướng nhưng thiếu nhân lực", None, "nhưng thiếu nhân lực"),
        ("2 60% không có kinh phí", None, "không có kinh phí"),
    ],
)
def test_a_negated_difficulty_is_no_blocker(
    typed: str, result: str | None, difficulties: str | None
) -> None:
    line = only_line(typed)
    assert (line.result, line.difficulties) == (result, difficulties)
    assert line.understood


@pytest.mark.parametrize(
    ("typed", "result", "difficulties", "proposals"),
    [
        ("3 ht kết quả: đã bố trí 2 cán bộ", "đã bố trí 2 cán bộ", None, None),
        ("3 HT KQ: đã bố trí 2 cán bộ", "đã bố trí 2 cán bộ", None, None),
        ("3 ht ket qua: da bo tri", "da bo tri", None, None),
        ("2 60% khó khăn: thiếu máy chủ", None, "thiếu máy chủ", None),
        (
            "2 60%; kết quả: đã khảo sát; khó khăn, vướng mắc: chưa có kinh phí; "
            "kiến nghị: bố trí vốn",
            "đã khảo sát",
            "chưa có kinh phí",
            "bố trí vốn",
        ),
        ("3 HT, kết quả: xong; khó khăn: không", "xong", None, None),
    ],
)
def test_a_label_names_the_field_and_is_not_kept(
    typed: str, result: str | None, difficulties: str | None, proposals: str | None
) -> None:
    line = only_line(typed)
    assert (line.result, line.difficulties, line.proposals) == (result, difficulties, proposals)


@pytest.mark.parametrize("typed", ["6 ht 😀", "6 HT 👍👍", "6 ht !!!", "2 60% 🙏"])
def test_a_note_of_emoji_or_punctuation_only_is_not_kept(typed: str) -> None:
    line = only_line(typed)
    assert (line.result, line.difficulties, line.proposals) == (None, None, None)
    assert line.understood


@pytest.mark.parametrize(
    ("typed", "status", "progress"),
    [
        ("7 đang tiến hành 30%", TaskStatus.IN_PROGRESS, 30),
        ("7 dang tien hanh 30%", TaskStatus.IN_PROGRESS, 30),
        ("7 30%", TaskStatus.IN_PROGRESS, 30),
        ("7 chưa tiến hành", TaskStatus.NOT_STARTED, None),
    ],
)
def test_in_progress_spelled_dang_tien_hanh(
    typed: str, status: TaskStatus, progress: int | None
) -> None:
    line = only_line(typed)
    assert (line.status, line.progress_percent, line.problems) == (status, progress, ())


@pytest.mark.parametrize(
    ("spelling", "status"),
    [
        (spelling, status)
        for status, spellings in STATUS_SPELLINGS.items()
        for spelling in spellings
    ],
)
def test_a_status_typed_alone_at_the_status_question_is_read_as_the_report_reads_it(
    spelling: str, status: TaskStatus
) -> None:
    for typed in (
        spelling,
        spelling.upper(),
        f" {spelling}. ",
        unicodedata.normalize("NFD", spelling),
    ):
        assert status_word(typed) is status, typed


@given(st.text(max_size=40))
def test_a_status_word_is_a_whole_message_or_nothing(text: str) -> None:
    found = status_word(text)
    assert found is None or status_word(text + " ngay hôm qua xong việc") is None
    assert status_word("ht nhưng còn vướng kinh phí") is None
    assert status_word("1") is None and status_word("") is None
