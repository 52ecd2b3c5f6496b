"""The ward's report of a period as a Word file: after the Decree 30 header and title, sections
I–V (results with a table of tasks per plan section, KPIs, difficulties, proposals, the tasks
for next period), "Nơi nhận:" and the signature, and a landscape appendix with every unit's
answer.

Everything printed comes from the `PeriodSummary` and its `report_counts`, so the report agrees
with the chat digest and the workbook number for number; each task's status is the ward's rule
(`handlers/reporting/standing.py`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Mm

from bot.reports.word.decree30 import (
    appendix_heading,
    closing,
    header_block,
    heading,
    number_reference,
    period_words,
    place_name,
    sub_heading,
    title,
    ward_in_sentence,
)
from bot.reports.word.layout import LANGUAGE, Styles, add_styles, page, page_numbers
from bot.reports.word.ooxml import Cell, clean, grid_table, line
from handlers.i18n import _, format_moment, format_number
from handlers.reporting.letterhead import letterhead
from handlers.reporting.standing import TIMED, Standing, count_lines, standing_label
from handlers.reporting.summary import (
    KpiLine,
    MonthNote,
    PeriodSummary,
    Proposal,
    ReportCounts,
    TaskLine,
    UnitAnswer,
    report_counts,
)
from handlers.reporting.words import comparator_word, number_text
from handlers.text.shortening import shorten
from storage.vocabulary import TaskStatus

# A task's answers in the body table: a few units, each in short; the appendix has them all.
RESULTS_SHOWN = 5
RESULT_CHARS = 300
# A task's content in section V, in short: the table above has it whole.
NEXT_CHARS = 120
_ROMAN_PREFIX = re.compile(r"^(?:[IVXLC]+|[A-HĐ])\.\s+")
_MONTH_LABEL = re.compile(r"^\d{4}-(\d{2})$")


class PeriodNotStarted(ValueError):
    """A report is never dated before the period it reports on."""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _section_title(section: str) -> str:
    """A plan section's title without its own numbering: the report numbers them 1, 2…"""
    return _ROMAN_PREFIX.sub("", section).strip() or section


def _units_text(units: Sequence[str], all_units: frozenset[str]) -> str:
    if len(units) > 2 and frozenset(units) == all_units:
        return _("Các phòng, đơn vị thuộc phường")
    return ", ".join(units)


def _kpi_unit(kpi: KpiLine) -> str:
    return "%" if kpi.unit == "%" else (f" {kpi.unit}" if kpi.unit else "")


def _counts_text(counts: Mapping[Standing, int]) -> list[str]:
    return [f"{label}: {format_number(count)}" for label, count in count_lines(counts)]


def _month(label: str) -> str:
    """A roll-up's month in short: "Tháng 10"."""
    match = _MONTH_LABEL.match(label)
    return _("Tháng {month}").format(month=int(match[1])) if match else label


def _progress(status: TaskStatus, percent: int | None) -> str:
    return f"{percent}%" if percent is not None and status is TaskStatus.IN_PROGRESS else ""


def _said(progress: str, text: str | None) -> str:
    """ "60%: đã ký số" — the progress and the unit's words, whichever it gave."""
    words = shorten(clean(text), RESULT_CHARS) if text else ""
    return ": ".join(part for part in (progress, words) if part)


def _history(notes: Sequence[MonthNote], field: str) -> list[tuple[str, bool]]:
    """Every month of a roll-up with what the unit wrote then, under its latest answer."""
    lines = []
    for note in notes:
        progress = _progress(note.status, note.progress_percent) if field == "result" else ""
        said = _said(progress, getattr(note, field))
        if said:
            lines.append((f"{_month(note.period)}: {said}", True))
    return lines


def _answers_cell(task: TaskLine, field: str) -> list[tuple[str, bool]]:
    """A task's results (with progress) or difficulties, unit by unit; the unit is named when
    several report on the task."""
    paragraphs: list[tuple[str, bool]] = []
    shown = [a for a in task.answers if a.status is not TaskStatus.NOT_APPLICABLE]
    for answer in shown[:RESULTS_SHOWN]:
        progress = _progress(answer.status, answer.progress_percent) if field == "result" else ""
        history = _history(answer.history, field)
        said = "" if history else _said(progress, getattr(answer, field))
        if task.standing.shared and (said or history):
            paragraphs.append((f"{clean(answer.unit)}{': ' if said else ''}{said}", False))
        elif said:
            paragraphs.append((said, False))
        paragraphs += history
    if field == "difficulties":
        paragraphs += [(shorten(clean(text), RESULT_CHARS), True) for text in task.blockers]
    if len(shown) > RESULTS_SHOWN:
        paragraphs.append(
            (
                _("… và {count} đơn vị khác (xem Phụ lục)").format(
                    count=format_number(len(shown) - RESULTS_SHOWN)
                ),
                True,
            )
        )
    return paragraphs


def _status_cell(task: TaskLine) -> list[tuple[str, bool]]:
    """The category, then for a task several units report on how many are done (once any
    work is reported) and how many had nothing this period."""
    cell = [(standing_label(task.category), False)]
    standing = task.standing
    if standing.shared and standing.reporting and task.category in TIMED:
        cell.append(
            (
                _("{done}/{total} đơn vị hoàn thành").format(
                    done=format_number(standing.done), total=format_number(standing.reporting)
                ),
                True,
            )
        )
    if standing.shared and standing.not_applicable:
        cell.append(
            (
                _("{count} đơn vị không phát sinh").format(
                    count=format_number(standing.not_applicable)
                ),
                True,
            )
        )
    return cell


def _task_rows(tasks: Sequence[TaskLine], all_units: frozenset[str]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for task in tasks:
        described: list[tuple[str, bool]] = [(clean(task.content), False)]
        details = []
        if task.lead_units:
            details.append(
                _("Chủ trì: {units}").format(
                    units=_units_text([clean(u) for u in task.lead_units], all_units)
                )
            )
        if task.output:
            details.append(_("Sản phẩm: {output}").format(output=clean(task.output)))
        if task.deadline:
            details.append(_("Thời hạn: {deadline}").format(deadline=clean(task.deadline)))
        if details:
            described.append(("; ".join(details), True))
        rows.append(
            [
                clean(task.code),
                described,
                _status_cell(task),
                _answers_cell(task, "result"),
                _answers_cell(task, "difficulties"),
            ]
        )
    return rows


def _results_part(
    document: DocumentObject, styles: Styles, summary: PeriodSummary, counts: ReportCounts
) -> None:
    heading(document, styles, _("I. KẾT QUẢ THỰC HIỆN"))
    if summary.covers:
        line(
            document,
            _(
                "Báo cáo tổng hợp từ báo cáo các tháng: {months}; mỗi nhiệm vụ theo báo cáo mới "
                "nhất của từng đơn vị."
            ).format(months=", ".join(period_words(label) for label in summary.covers)),
            style=styles.body,
        )
    else:
        line(
            document,
            _("Kỳ báo cáo {period}, hạn gửi báo cáo trước {moment}.").format(
                period=period_words(summary.period),
                moment=format_moment(summary.due_at, summary.timezone),
            ),
            style=styles.body,
        )
    line(
        document,
        _("Đã có {submitted}/{total} đơn vị gửi báo cáo.").format(
            submitted=format_number(counts.submitted), total=format_number(counts.units)
        ),
        style=styles.body,
    )
    if summary.late_units:
        line(
            document,
            _("Đơn vị gửi muộn hoặc chưa gửi ({count}): {units}.").format(
                count=format_number(counts.late_units),
                units=", ".join(clean(u) for u in summary.late_units),
            ),
            style=styles.body,
        )
    line(
        document,
        _("Tổng số nhiệm vụ theo dõi: {count}, trong đó:").format(
            count=format_number(counts.tasks)
        ),
        style=styles.body,
    )
    lines = _counts_text(counts.statuses)
    for index, text in enumerate(lines):
        line(document, f"- {text}{'.' if index == len(lines) - 1 else ';'}", style=styles.body)
    all_units = frozenset(clean(u.unit) for u in summary.units)
    sections = summary.sections
    headings = [
        _("STT"),
        _("Nhiệm vụ"),
        _("Tình trạng"),
        _("Kết quả, tiến độ"),
        _("Khó khăn, vướng mắc"),
    ]
    # The lead units go in the task's cell: one column fewer leaves the content room.
    widths = [Mm(12), Mm(62), Mm(25), Mm(38), Mm(28)]
    for number, section in enumerate(sections, start=1):
        tasks = summary.section_tasks(section)
        if len(sections) > 1 or section is not None:
            section_title = _section_title(clean(section)) if section else _("Nhiệm vụ khác")
            sub_heading(document, styles, f"{number}. {section_title}")
            line(
                document,
                _("Số nhiệm vụ: {count}; {counts}.").format(
                    count=format_number(len(tasks)),
                    counts="; ".join(_counts_text(summary.status_counts(tasks))).lower(),
                ),
                style=styles.body,
            ).paragraph_format.keep_with_next = True
        grid_table(
            document,
            headings,
            widths,
            _task_rows(tasks, all_units),
            styles.table,
            styles.table_head,
            centred=(0,),
        )


def _kpi_part(
    document: DocumentObject, styles: Styles, summary: PeriodSummary, counts: ReportCounts
) -> None:
    heading(document, styles, _("II. CÁC CHỈ TIÊU"))
    if not summary.kpis:
        line(document, _("Kỳ này không có nhiệm vụ có chỉ tiêu định lượng."), style=styles.body)
        return
    line(
        document,
        _(
            "Có {count} chỉ tiêu định lượng: đạt {met}, chưa đạt {not_met}, "
            "chưa có số liệu {no_data}."
        ).format(
            count=format_number(counts.kpis),
            met=format_number(counts.kpis_met),
            not_met=format_number(counts.kpis_not_met),
            no_data=format_number(counts.kpis_no_data),
        ),
        style=styles.body,
    )
    rows: list[list[Cell]] = []
    for kpi in summary.kpis:
        unit = _kpi_unit(kpi)
        value = "" if kpi.value is None else f"{number_text(kpi.value)}{unit}"
        if kpi.met is None:
            state = _("Chưa có số liệu")
        else:
            state = _capital(_("đạt")) if kpi.met else _capital(_("chưa đạt"))
        rows.append(
            [
                clean(kpi.code),
                shorten(clean(kpi.content), 400),
                f"{comparator_word(kpi.comparator)} {number_text(kpi.target)}{unit}",
                value,
                state,
            ]
        )
    grid_table(
        document,
        [_("Mã"), _("Chỉ tiêu"), _("Mục tiêu"), _("Giá trị đạt"), _("Đánh giá")],
        [Mm(16), Mm(72), Mm(27), Mm(25), Mm(25)],
        rows,
        styles.table,
        styles.table_head,
        centred=(0, 2, 3, 4),
    )


def _by_unit(
    document: DocumentObject, styles: Styles, intro: str, items: Sequence[Proposal]
) -> None:
    """`intro`, then each unit's items under its name, each with its task code."""
    line(document, intro, style=styles.body).paragraph_format.keep_with_next = True
    current = None
    for item in items:
        if item.unit != current:
            current = item.unit
            line(
                document, f"{clean(item.unit)}:", style=styles.body, italic=True
            ).paragraph_format.keep_with_next = True
        line(document, f"- {clean(item.code)}: {clean(item.text)}", style=styles.body)


def _difficulties_part(
    document: DocumentObject, styles: Styles, summary: PeriodSummary, counts: ReportCounts
) -> None:
    heading(document, styles, _("III. KHÓ KHĂN, VƯỚNG MẮC"))
    if not summary.difficulties and not summary.blockers:
        line(document, _("Trong kỳ, các đơn vị không nêu khó khăn, vướng mắc."), style=styles.body)
        return
    _by_unit(
        document,
        styles,
        _("Các đơn vị nêu {count} khó khăn, vướng mắc trong báo cáo:").format(
            count=format_number(counts.difficulties)
        ),
        summary.difficulties,
    )
    line(
        document,
        _("Vướng mắc đang chờ giải quyết: {count} (quá hạn trả lời: {overdue}).").format(
            count=format_number(counts.blockers), overdue=format_number(counts.blockers_overdue)
        ),
        style=styles.body,
    )
    for blocker in summary.blockers:
        due = format_moment(blocker.due_at, summary.timezone)
        when = (
            _("đã quá hạn trả lời {moment}") if blocker.overdue else _("hạn trả lời {moment}")
        ).format(moment=due)
        line(
            document,
            f"- {clean(blocker.unit)}: {clean(blocker.description)} ({when}).",
            style=styles.body,
        )


def _proposals_part(
    document: DocumentObject, styles: Styles, summary: PeriodSummary, counts: ReportCounts
) -> None:
    heading(document, styles, _("IV. KIẾN NGHỊ, ĐỀ XUẤT"))
    if not summary.proposals:
        line(document, _("Trong kỳ, các đơn vị không có kiến nghị, đề xuất."), style=styles.body)
        return
    _by_unit(
        document,
        styles,
        _("Các đơn vị có {count} kiến nghị, đề xuất:").format(
            count=format_number(counts.proposals)
        ),
        summary.proposals,
    )


def _task_item(task: TaskLine, all_units: frozenset[str]) -> str:
    details = [standing_label(task.category)]
    if task.lead_units:
        details.append(_units_text([clean(u) for u in task.lead_units], all_units))
    if task.deadline:
        details.append(_("thời hạn: {deadline}").format(deadline=clean(task.deadline)))
    return (
        f"- {clean(task.code)}: {shorten(clean(task.content), NEXT_CHARS)} ({'; '.join(details)})."
    )


def _next_part(
    document: DocumentObject, styles: Styles, summary: PeriodSummary, counts: ReportCounts
) -> None:
    """Section V: the overdue tasks and those due by the end of the next period in full, the
    other unfinished tasks one line per plan section."""
    heading(document, styles, _("V. NHIỆM VỤ TRỌNG TÂM KỲ TỚI"))
    focus = summary.next_focus
    if not focus.pending:
        line(document, _("Các nhiệm vụ trong kỳ đã hoàn thành."), style=styles.body)
        return
    line(
        document,
        _(
            "Còn {count} nhiệm vụ chưa hoàn thành, trong đó {overdue} nhiệm vụ đã trễ hạn và "
            "{due} nhiệm vụ đến hạn trước hết {next}."
        ).format(
            count=format_number(counts.next_tasks),
            overdue=format_number(counts.next_overdue),
            due=format_number(counts.next_due),
            next=period_words(summary.span.following().label),
        ),
        style=styles.body,
    )
    all_units = frozenset(clean(u.unit) for u in summary.units)
    groups = (
        (_("Nhiệm vụ đã trễ hạn, cần ưu tiên:"), focus.overdue),
        (
            _("Nhiệm vụ đến hạn trước hết {next}:").format(
                next=period_words(summary.span.following().label)
            ),
            focus.due_next,
        ),
    )
    for intro, tasks in groups:
        if not tasks:
            continue
        line(document, intro, style=styles.body, italic=True).paragraph_format.keep_with_next = True
        for task in tasks:
            line(document, _task_item(task, all_units), style=styles.body)
    if focus.others:
        line(
            document, _("Tiếp tục thực hiện thường xuyên:"), style=styles.body, italic=True
        ).paragraph_format.keep_with_next = True
        for section, tasks in focus.others:
            name = _section_title(clean(section)) if section else _("Nhiệm vụ khác")
            line(
                document,
                _("- {section}: {count} nhiệm vụ ({codes}).").format(
                    section=_capital(name.lower()),
                    count=format_number(len(tasks)),
                    codes=", ".join(clean(task.code) for task in tasks),
                ),
                style=styles.body,
            )


def _appendix_cell(answer: UnitAnswer, field: str) -> Cell:
    history = _history(answer.history, field)
    return history if history else clean(getattr(answer, field))


def _appendix(
    document: DocumentObject,
    styles: Styles,
    summary: PeriodSummary,
    reference: str,
    day: date,
) -> None:
    appendix_heading(document, styles, summary.period, reference, summary.ward, day)
    if not summary.answers:
        line(document, _("Chưa có đơn vị nào gửi báo cáo trong kỳ."), style=styles.body)
        return
    rows: list[list[Cell]] = []
    for index, answer in enumerate(summary.answers, start=1):
        rows.append(
            [
                format_number(index),
                clean(answer.unit),
                clean(answer.code),
                standing_label(answer.standing),
                _progress(answer.status, answer.progress_percent),
                "" if answer.kpi_value is None else number_text(answer.kpi_value),
                _appendix_cell(answer, "result"),
                _appendix_cell(answer, "difficulties"),
                clean(answer.proposals),
            ]
        )
    grid_table(
        document,
        [
            _("STT"),
            _("Đơn vị"),
            _("Mã NV"),
            _("Tình trạng"),
            _("Tiến độ"),
            _("Chỉ tiêu đạt"),
            _("Kết quả / sản phẩm"),
            _("Khó khăn, vướng mắc"),
            _("Kiến nghị, đề xuất"),
        ],
        # 252 mm in all: the text width of the landscape page.
        [Mm(13), Mm(32), Mm(15), Mm(26), Mm(16), Mm(18), Mm(54), Mm(39), Mm(39)],
        rows,
        styles.appendix,
        styles.appendix_head,
        centred=(0, 2, 4, 5),
    )


def render_word_report(
    summary: PeriodSummary,
    *,
    number: str | None = None,
    place: str | None = None,
    issued_on: date | None = None,
    plan: str | None = None,
) -> bytes:
    """The ward's report of the period as .docx bytes, headed and signed by the ward's report
    settings (`summary.letterhead`).

    `number` is the document number ("125", or a whole "125/BC-UBND"), left blank for the
    office to fill in at signing when None; `place` defaults to the ward's name without
    "Phường"; `issued_on` (the date line) defaults to the day the summary was made; `plan`
    names the plan in the summary line ("số 54/KH-UBND ngày 10/3/2026"). A report is never
    dated before its period begins (`PeriodNotStarted`); one dated before the period ends
    says the day its figures stand at.
    """
    day = issued_on or summary.generated_on
    if day is None:
        raise ValueError("a report needs its date: issued_on, or the summary's generated_on")
    span = summary.span
    if day < span.starts_on:
        raise PeriodNotStarted(summary.period)
    head = summary.letterhead or letterhead(summary.ward, None)
    document = Document()
    styles = add_styles(document)
    section = document.sections[0]
    page(section)
    page_numbers(section)
    counts = report_counts(summary)
    header_block(
        document,
        styles,
        head,
        number,
        clean(place) if place else place_name(clean(summary.ward)),
        day,
    )
    interim = summary.as_of if summary.interim else (day if day < span.ends_on else None)
    title(document, styles, plan, summary.period, interim)
    line(
        document,
        _("Ủy ban nhân dân {ward} báo cáo kết quả thực hiện {period} như sau:").format(
            ward=ward_in_sentence(clean(summary.ward)), period=period_words(summary.period)
        ),
        style=styles.body,
    )
    _results_part(document, styles, summary, counts)
    _kpi_part(document, styles, summary, counts)
    _difficulties_part(document, styles, summary, counts)
    _proposals_part(document, styles, summary, counts)
    _next_part(document, styles, summary, counts)
    closing(document, styles, head)
    _appendix(document, styles, summary, number_reference(number, head.number_symbol), day)
    document.core_properties.title = _("Báo cáo {period}").format(
        period=period_words(summary.period)
    )
    document.core_properties.language = LANGUAGE
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
