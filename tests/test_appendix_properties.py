"""Properties of the appendix readers over any input a file or a ward can give them."""

from __future__ import annotations

import calendar
from datetime import date

from hypothesis import given, settings, strategies as st

from bot.plan_import.deadline import parse_deadline
from bot.plan_import.kpi import kpi_from_columns
from bot.plan_import.readers import Sheet, UnreadableAppendix
from bot.plan_import.table import parse_tables
from bot.plan_import.unit_names import MAX_UNIT_WORDS, parse_unit_cell, split_roles
from storage.names import unit_key
from storage.vocabulary import DeadlineKind

CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "STT",
            "TT",
            "Chi tiết",
            "Nhiệm vụ",
            "Đơn vị chủ trì",
            "Đơn vị phối hợp",
            "Thời gian",
            "I",
            "II. NHIỆM VỤ",
            "Phần A",
            "1",
            "1.1",
            "a",
            "Công an phường",
            "Các phòng, đơn vị thuộc phường",
            "Tháng 12/2026",
            "Tình trạng",
            "Chỉ tiêu",
            "%",
        ]
    ),
    st.text(max_size=30),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=7), max_size=12), st.sets(st.integers(0, 11)))
def test_any_table_reads_or_is_refused(rows: list[list[str]], bold: set[int]) -> None:
    """Whatever the rows, the reader gives tasks with unique codes or a refusal, never a crash."""
    try:
        table = parse_tables([Sheet("Sheet", rows, bold_rows=bold)])
    except UnreadableAppendix as refusal:
        assert refusal.reason in ("no_header", "no_tasks", "report", "no_units")
        return
    codes = [task.code for task in table.tasks]
    assert len(set(codes)) == len(codes) and all(codes)


@given(st.integers(1, 12), st.integers(1, 31), st.sampled_from(["Trước ngày", "Ngày", "Hạn"]))
def test_a_day_and_month_without_a_year_is_in_the_plans_year(
    month: int, day: int, words: str
) -> None:
    day = min(day, calendar.monthrange(2026, month)[1])
    deadline = parse_deadline(f"{words} {day}/{month}", 2026)
    assert deadline.kind is DeadlineKind.DATE and deadline.due == date(2026, month, day)


@given(st.text(max_size=40), st.text(max_size=10))
def test_a_kpi_cell_is_a_target_or_nothing(target: str, unit: str) -> None:
    kpi = kpi_from_columns(target, unit)
    if kpi is not None:
        assert kpi.value >= 0 and kpi.unit
        assert kpi.unit != "%" or kpi.value <= 100


@given(
    st.sampled_from(["Văn phòng HĐND", "Phòng Văn hóa - Xã hội", "Công an phường"]),
    st.sampled_from(["Công an phường", "Các phòng, đơn vị thuộc phường", "Tổ dân phố"]),
    st.sampled_from(["; ", "\n", ". ", " - "]),
)
def test_lead_and_coordinating_bodies_in_one_cell(lead: str, other: str, joiner: str) -> None:
    assert split_roles(f"Chủ trì: {lead}{joiner}Phối hợp: {other}") == (lead, other)


@given(
    st.lists(
        st.sampled_from(["cán", "bộ", "phụ", "trách", "công", "tác", "số", "hóa"]),
        min_size=MAX_UNIT_WORDS + 1,
        max_size=20,
    )
)
def test_a_sentence_is_never_a_unit(words: list[str]) -> None:
    cell = parse_unit_cell("Phòng " + " ".join(words))
    assert cell.names == [] and cell.sentences


@given(st.sampled_from([" – ", "-", " & ", " và ", " - ", "&"]), st.booleans())
def test_the_ward_office_spelt_any_way_is_one_key(joiner: str, ward_suffix: bool) -> None:
    name = f"Văn phòng HĐND{joiner}UBND" + (" phường" if ward_suffix else "")
    assert unit_key(name) == unit_key("Văn phòng HĐND và UBND phường")
