"""The period chart: a PNG for phones, for any ward, however empty or large."""

from __future__ import annotations

import io
import struct
import warnings
from decimal import Decimal

import matplotlib
import pytest
from test_workbook import make_summary

from bot.reports.chart import TARGET_AT, TRACK_END, WIDTH_PX, _status_rows, progress, render_chart
from handlers.reporting.summary import KpiLine
from storage.vocabulary import Comparator, TaskStatus

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _render(summary) -> bytes:  # type: ignore[no-untyped-def]
    # A glyph missing from the font (a Vietnamese letter shown as a box) is a warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return render_chart(summary)


def test_a_ward_chart_is_a_phone_sized_png() -> None:
    png = _render(make_summary(units=8, tasks=30, kpis=4, seed=4))
    width, height = _size(png)
    assert width == WIDTH_PX
    assert 800 <= height <= 2500
    assert png.endswith(b"IEND\xaeB`\x82")


@pytest.mark.parametrize(
    ("units", "tasks", "answered", "kpis"),
    [
        (5, 10, 0.0, 2),  # no answers yet
        (60, 30, 0.9, 0),  # a large ward, no KPIs
        (0, 0, 0.0, 0),  # nothing at all
        (1, 1, 1.0, 12),  # KPIs outnumber units
    ],
)
def test_renders_for_any_ward(units: int, tasks: int, answered: float, kpis: int) -> None:
    summary = make_summary(units=units, tasks=tasks, answered=answered, kpis=kpis)
    width, height = _size(_render(summary))
    assert width == WIDTH_PX and height > 300


def test_taller_for_more_units() -> None:
    small = _size(_render(make_summary(units=5, kpis=0)))[1]
    large = _size(_render(make_summary(units=30, kpis=0)))[1]
    assert large > small * 2.5


def test_status_rows_count_every_task_of_a_unit() -> None:
    summary = make_summary(units=6, tasks=20, answered=0.5, seed=5)
    rows = _status_rows(summary)
    assert [name for name, _counts in rows] == [unit.unit for unit in summary.units]
    for (name, counts), unit in zip(rows, summary.units, strict=True):
        answered = [a for a in summary.answers if a.unit == name]
        assert sum(counts.values()) == unit.total
        assert counts[None] == unit.total - len(answered)
        assert counts[TaskStatus.DONE] == sum(a.status is TaskStatus.DONE for a in answered)


def test_no_figure_is_left_open() -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for _ in range(3):
        render_chart(make_summary())
    assert plt.get_fignums() == before
    assert matplotlib.get_backend().lower() == "agg"


def test_the_png_decodes() -> None:
    image = pytest.importorskip("PIL.Image")
    picture = image.open(io.BytesIO(_render(make_summary())))
    picture.load()
    assert picture.size[0] == WIDTH_PX


def _kpi(target: str, value: str | None, unit: str, met: bool | None) -> KpiLine:
    return KpiLine(
        "I.1",
        "Chỉ tiêu",
        Decimal(target),
        unit,
        Comparator.AT_LEAST,
        None if value is None else Decimal(value),
        met,
    )


def test_every_kpi_target_sits_at_the_same_mark_whatever_its_unit() -> None:
    mark = TARGET_AT * TRACK_END
    assert progress(_kpi("90", "90", "%", True)) == pytest.approx(mark)
    assert progress(_kpi("10", "10", "sáng kiến", True)) == pytest.approx(mark)
    assert progress(_kpi("10", "5", "sáng kiến", False)) == pytest.approx(mark / 2)
    # Far beyond the target the bar stops at the track's end; no value, no bar.
    assert progress(_kpi("2", "40", "cơ sở", True)) == pytest.approx(TRACK_END)
    assert progress(_kpi("95", None, "%", None)) is None
    assert progress(_kpi("0", "0", "sự cố", True)) == pytest.approx(mark)
