"""The period's chart (PNG) sent with the digest: the ward's task counts by category (the
same as the digest's), status per unit and KPIs against target.

Drawn with matplotlib's object-oriented API on the Agg canvas: headless, no pyplot state, so
no figure is left open and concurrent renders do not share a current figure. Sized for a phone:
1080 px wide, large type, short labels, the legend above the bars rather than over them.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")  # headless, whatever the environment says; set before any drawing

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from handlers.i18n import _
from handlers.reporting.standing import count_lines
from handlers.reporting.statuses import STATUS_ORDER, status_abbreviation, status_label
from handlers.reporting.summary import KpiLine, PeriodSummary, report_counts
from handlers.reporting.words import number_text
from handlers.text.shortening import shorten
from storage.vocabulary import Comparator, TaskStatus

WIDTH_PX = 1080
DPI = 100
UNIT_LABEL_CHARS = 22
KPI_LABEL_CHARS = 24
FONT = {
    "font.family": "DejaVu Sans",  # covers Vietnamese; shipped with matplotlib
    "font.size": 19,
    "axes.titlesize": 22,
    "axes.titleweight": "bold",
    "axes.labelsize": 18,
    "xtick.labelsize": 17,
    "ytick.labelsize": 18,
    "legend.fontsize": 17,
    "figure.titlesize": 24,
    "figure.titleweight": "bold",
}
COLORS = {
    TaskStatus.DONE: "#2E7D32",
    TaskStatus.IN_PROGRESS: "#F9A825",
    TaskStatus.NOT_STARTED: "#C62828",
    TaskStatus.NOT_APPLICABLE: "#78909C",
    None: "#D9D9D9",
}
TEXT_ON = {
    TaskStatus.DONE: "white",
    TaskStatus.IN_PROGRESS: "black",
    TaskStatus.NOT_STARTED: "white",
    TaskStatus.NOT_APPLICABLE: "white",
    None: "black",
}
TRACK = "#ECEFF1"
KPI_COLORS = {True: "#2E7D32", False: "#C62828", None: "#B0BEC5"}
SYMBOLS = {
    Comparator.AT_LEAST: "≥",
    Comparator.MORE_THAN: ">",
    Comparator.EXACTLY: "=",
    Comparator.AT_MOST: "≤",
    Comparator.LESS_THAN: "<",
}
# Along a KPI's row (axes fraction): the track ends here, the target mark sits at this share
# of the track, and the words go after the track.
TRACK_END = 0.66
TARGET_AT = 0.8
# Inches per bar row, and for titles, legend and axis.
ROW_IN = 0.7
STATUS_EXTRA_IN = 3.3
WARD_IN = 0.45
KPI_EXTRA_IN = 1.6


def _status_rows(summary: PeriodSummary) -> list[tuple[str, Counter[TaskStatus | None]]]:
    """Per unit, its answers by status and (under None) its tasks not yet answered."""
    by_unit: dict[str, Counter[TaskStatus | None]] = {}
    for answer in summary.answers:
        if answer.status is not None:
            by_unit.setdefault(answer.unit, Counter())[answer.status] += 1
    rows = []
    names = dict.fromkeys([u.unit for u in summary.units] + list(by_unit))
    totals = {u.unit: u.total for u in summary.units}
    for name in names:
        counts = by_unit.get(name, Counter())
        counts[None] = max(totals.get(name, 0) - sum(counts.values()), 0)
        rows.append((name, counts))
    return rows


def _label(text: str, chars: int) -> str:
    """A name on at most two lines of `chars`, shortened beyond."""
    lines = textwrap.wrap(" ".join(text.split()), chars, break_long_words=True)
    if len(lines) <= 2:
        return "\n".join(lines)
    return lines[0] + "\n" + shorten(" ".join(lines[1:]), chars)


def _draw_status(panel: SubFigure, summary: PeriodSummary) -> None:
    rows = _status_rows(summary)
    order: list[TaskStatus | None] = [*STATUS_ORDER, None]
    handles = [
        Patch(
            color=COLORS[s],
            label=f"{status_abbreviation(s)} – {status_label(s)}" if s else _("Chưa trả lời"),
        )
        for s in order
    ]
    # The panel's title heads its legend, above the bars: never over a bar.
    panel.legend(
        handles=handles,
        title=_("Tình trạng nhiệm vụ theo đơn vị"),
        title_fontproperties={"size": 22, "weight": "bold"},
        alignment="left",
        loc="outside upper left",
        ncol=2,
        frameon=False,
        handlelength=1.2,
        columnspacing=1.2,
    )
    axes = panel.subplots()
    if not rows:
        axes.text(0.5, 0.5, _("Chưa có đơn vị nào được giao nhiệm vụ"), ha="center", va="center")
        axes.set_axis_off()
        return
    widest = max(sum(counts.values()) for _name, counts in rows) or 1
    positions = range(len(rows))
    left = [0] * len(rows)
    for status in order:
        widths = [counts[status] for _name, counts in rows]
        axes.barh(positions, widths, left=left, color=COLORS[status], height=0.72)
        for y, (start, width) in enumerate(zip(left, widths, strict=True)):
            if width and width / widest >= 0.05:
                axes.text(
                    start + width / 2,
                    y,
                    str(width),
                    ha="center",
                    va="center",
                    color=TEXT_ON[status],
                    fontsize=15,
                )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_yticks(list(positions), [_label(name, UNIT_LABEL_CHARS) for name, _c in rows])
    axes.set_ylim(len(rows) - 0.5, -0.5)  # first unit on top
    axes.set_xlim(0, widest)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(_("Số nhiệm vụ"))
    axes.grid(axis="x", color="#CFD8DC", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def ward_caption(summary: PeriodSummary) -> str:
    """The ward's task counts by category, as the chart prints them above the bars and keeps
    in the PNG's description: "Hoàn thành đúng hạn: 2 · …"."""
    return " · ".join(
        f"{label}: {count}" for label, count in count_lines(report_counts(summary).statuses)
    )


def _unit_text(kpi: KpiLine, value: Decimal) -> str:
    unit = "%" if kpi.unit == "%" else f" {kpi.unit}" if kpi.unit else ""
    return f"{number_text(value)}{unit}"


def progress(kpi: KpiLine) -> float | None:
    """How far along its track a KPI's bar reaches: every target sits at TARGET_AT, so
    percentages and counts ("10 sáng kiến") compare on one scale; beyond the target, up to
    the track's end."""
    if kpi.value is None:
        return None
    if kpi.target > 0:
        share = float(kpi.value / kpi.target)
    else:
        share = 1.0 if kpi.value == kpi.target else 1 / TARGET_AT
    return min(share * TARGET_AT, 1.0) * TRACK_END


def _draw_kpis(panel: SubFigure, kpis: tuple[KpiLine, ...]) -> None:
    panel.suptitle(_("Chỉ tiêu so với mục tiêu"), x=0.02, ha="left", fontsize=22)
    axes = panel.subplots()
    # Tracks on the left of the axes, the value and target in words to their right, inside
    # the axes so the layout keeps them on the picture.
    target = TARGET_AT * TRACK_END
    for y, kpi in enumerate(kpis):
        axes.barh(y, TRACK_END, color=TRACK, height=0.72)
        reached = progress(kpi)
        if reached is not None:
            axes.barh(y, reached, color=KPI_COLORS[kpi.met], height=0.72)
        axes.plot([target, target], [y - 0.48, y + 0.48], color="black", linewidth=3.5)
        goal = f"{SYMBOLS[kpi.comparator]}{_unit_text(kpi, kpi.target)}"
        state = _("chưa có số liệu") if kpi.value is None else _unit_text(kpi, kpi.value)
        axes.text(
            TRACK_END + 0.02,
            y,
            f"{state}\n{goal}",
            va="center",
            ha="left",
            fontsize=16,
            linespacing=1.1,
        )
    labels = [_label(f"{kpi.code} {kpi.content}", KPI_LABEL_CHARS) for kpi in kpis]
    axes.set_yticks(list(range(len(kpis))), labels)
    axes.set_ylim(len(kpis) - 0.5, -0.5)
    axes.set_xlim(0, 1.0)
    axes.set_xticks([])
    axes.tick_params(axis="y", length=0)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    handles = [
        Patch(color=KPI_COLORS[True], label=_("Đạt")),
        Patch(color=KPI_COLORS[False], label=_("Chưa đạt")),
        Patch(facecolor="black", label=_("Mục tiêu")),
    ]
    panel.legend(handles=handles, loc="outside lower left", ncol=3, frameon=False, handlelength=1.2)


def render_chart(summary: PeriodSummary) -> bytes:
    """The chart as PNG bytes: status per unit (stacked bars) above KPI progress."""
    units = max(len(_status_rows(summary)), 1)
    status_height = units * ROW_IN + STATUS_EXTRA_IN
    kpi_height = len(summary.kpis) * ROW_IN * 1.3 + KPI_EXTRA_IN if summary.kpis else 0.0
    with matplotlib.rc_context(cast(Any, FONT)):
        figure = Figure(
            figsize=(WIDTH_PX / DPI, status_height + kpi_height + 0.8 + 2 * WARD_IN),
            dpi=DPI,
            layout="constrained",
        )
        FigureCanvasAgg(figure)
        figure.get_layout_engine().set(w_pad=0.15, h_pad=0.1)  # type: ignore[union-attr, call-arg]
        caption = ward_caption(summary)
        figure.suptitle(
            _("Kỳ {period} — {ward}").format(period=summary.period, ward=summary.ward)
            + "\n"
            + "\n".join(textwrap.wrap(caption, 70)),
            x=0.02,
            ha="left",
            fontsize=19,
        )
        if summary.kpis:
            panels = figure.subfigures(2, 1, height_ratios=[status_height, kpi_height])
            status_panel, kpi_panel = cast(Sequence[SubFigure], panels)
            _draw_kpis(kpi_panel, summary.kpis)
        else:
            status_panel = cast(SubFigure, figure.subfigures(1, 1))
        _draw_status(status_panel, summary)
        buffer = io.BytesIO()
        figure.savefig(
            buffer,
            format="png",
            dpi=DPI,
            facecolor="white",
            metadata={"Title": summary.period, "Description": caption},
        )
    figure.clear()
    return buffer.getvalue()
