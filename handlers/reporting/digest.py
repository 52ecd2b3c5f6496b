"""The chat digest of a period for the coordinators' group: one screen, split only between
sections (or, for a section longer than a message, between lines) to fit the messenger."""

from __future__ import annotations

from handlers.i18n import _, format_day, format_moment, format_number
from handlers.reporting.standing import count_lines
from handlers.reporting.summary import PeriodSummary, TaskLine
from handlers.reporting.words import comparator_word, number_text
from handlers.text.shortening import shorten

# Characters per message: Telegram's limit and the Zalo Bot API's.
MESSAGE_LIMITS = {"telegram": 4096, "zalo": 2000, "zalo_oa": 2000}
DEFAULT_LIMIT = 2000


def _counts(summary: PeriodSummary, tasks: tuple[TaskLine, ...] | None = None) -> list[str]:
    return [
        f"• {label}: {format_number(count)}"
        for label, count in count_lines(summary.status_counts(tasks))
    ]


def digest_blocks(summary: PeriodSummary) -> list[list[str]]:
    """The digest's sections, each a list of lines (no line is ever split)."""
    heading = [
        _("TỔNG HỢP KỲ {period} — {ward}").format(period=summary.period, ward=summary.ward),
    ]
    if summary.covers:
        heading.append(_("Tổng hợp từ các kỳ: {periods}").format(periods=", ".join(summary.covers)))
    if summary.interim and summary.as_of is not None:
        heading.append(_("Số liệu đến {day}").format(day=format_day(summary.as_of)))
    heading += [
        _("Hạn gửi: trước {moment}").format(moment=format_moment(summary.due_at, summary.timezone)),
        _("Đơn vị đã gửi: {submitted}/{total}").format(
            submitted=format_number(summary.submitted), total=format_number(len(summary.units))
        ),
    ]
    if summary.late_units:
        heading.append(_("Trễ hạn: {units}").format(units=", ".join(summary.late_units)))
    blocks = [heading]
    blocks.append(
        [
            _("Tình trạng {count} nhiệm vụ:").format(count=format_number(len(summary.tasks))),
            *_counts(summary),
        ]
    )
    sections = [s for s in summary.sections if s]
    if len(sections) > 1:
        for section in sections:
            blocks.append([section, *_counts(summary, summary.section_tasks(section))])
    if summary.kpis:
        lines = [_("Chỉ tiêu:")]
        for kpi in summary.kpis:
            unit = "%" if kpi.unit == "%" else f" {kpi.unit}"
            target = f"{comparator_word(kpi.comparator)} {number_text(kpi.target)}{unit}"
            if kpi.value is None:
                state = _("chưa có số liệu")
            else:
                state = f"{number_text(kpi.value)}{unit} — " + (
                    _("đạt") if kpi.met else _("chưa đạt")
                )
            lines.append(f"• {kpi.code} ({target}): {state}")
        blocks.append(lines)
    if summary.blockers:
        lines = [_("Vướng mắc chờ trả lời:")]
        for blocker in summary.blockers:
            overdue = _(" — QUÁ HẠN trả lời") if blocker.overdue else ""
            lines.append(
                f"• #{blocker.id} {blocker.unit}: {shorten(blocker.description, 120)}{overdue}"
            )
        blocks.append(lines)
    if summary.proposals:
        lines = [_("Kiến nghị, đề xuất:")]
        current = None
        for proposal in summary.proposals:
            if proposal.unit != current:
                lines.append(f"{proposal.unit}:")
                current = proposal.unit
            lines.append(f"• {proposal.code}: {shorten(proposal.text, 160)}")
        blocks.append(lines)
    questions = summary.questions
    if questions is not None and questions.total:
        lines = [
            _(
                "Hỗ trợ người dân: {total} câu hỏi; trả lời {answered}; đưa lựa chọn {choices}; chuyển cán bộ {handed}"
            ).format(
                total=format_number(questions.total),
                answered=format_number(questions.answered),
                choices=format_number(questions.offered_choices),
                handed=format_number(questions.handed_over),
            )
        ]
        lines += [
            f"• {shorten(text, 80)} ({format_number(count)})"
            for text, count in questions.top_unanswered[:5]
        ]
        blocks.append(lines)
    changes = []
    if summary.newly_done:
        changes.append(_("Mới hoàn thành: {codes}").format(codes=", ".join(summary.newly_done)))
    if summary.newly_overdue:
        changes.append(_("Mới trễ hạn: {codes}").format(codes=", ".join(summary.newly_overdue)))
    if changes:
        blocks.append([_("So với kỳ trước ({period}):").format(period=summary.previous), *changes])
    return blocks


def pack(blocks: list[list[str]], limit: int) -> list[str]:
    """Messages of at most `limit` characters: whole blocks together where they fit, a block
    longer than a message split between its lines. A single line longer than `limit` is cut
    into pieces, the one case where a line cannot stay whole."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        text = "\n".join(block)
        candidate = f"{current}\n\n{text}" if current else text
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            messages.append(current)
            current = ""
        if len(text) <= limit:
            current = text
            continue
        for line in block:
            pieces = [line[i : i + limit] for i in range(0, len(line), limit)] or [""]
            for piece in pieces:
                candidate = f"{current}\n{piece}" if current else piece
                if len(candidate) <= limit:
                    current = candidate
                else:
                    messages.append(current)
                    current = piece
    if current:
        messages.append(current)
    return messages


def digest_messages(summary: PeriodSummary, platform: str) -> list[str]:
    return pack(digest_blocks(summary), MESSAGE_LIMITS.get(platform, DEFAULT_LIMIT))
