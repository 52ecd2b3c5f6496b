"""What people read about an action's outcome, in the current locale: the chat replies and
the CLI prints these same sentences."""

from __future__ import annotations

from typing import assert_never

from handlers.checkin.outcomes import (
    DueDayOutOfRange,
    NoOpenPeriod,
    NotSubmitted,
    Outcome,
    PeriodClosed,
    PeriodLabelUnreadable,
    PeriodNotOpen,
    PeriodOpened,
    PeriodOpenedBefore,
    ReportSubmitted,
    ReturnReasonMissing,
    SeveralPeriodsOpen,
    SubmissionReviewed,
    SubmitNotAllowed,
    TasksUnanswered,
    UnitNotNamed,
    UnitUnknown,
)
from handlers.i18n import _, format_moment, format_number


def outcome_text(outcome: Outcome) -> str:
    """The sentence telling whoever acted what happened, or why nothing did."""
    match outcome:
        case PeriodOpened(period=period, timezone=timezone, units_told=units_told):
            return _(
                "Đã mở kỳ {period}, hạn gửi trước {moment}. Đã báo cho thủ trưởng {units} đơn vị."
            ).format(
                period=period.label,
                moment=format_moment(period.due_at, timezone),
                units=format_number(units_told),
            )
        case PeriodLabelUnreadable():
            return _(
                "Kỳ báo cáo ghi dạng NĂM-THÁNG (/moky 2026-11) hoặc NĂM-H1, NĂM-H2 cho 6 tháng (/moky 2026-H1)."
            )
        case PeriodOpenedBefore(period=period):
            return _("Kỳ {period} đã được mở trước đó.").format(period=period.label)
        case DueDayOutOfRange():
            return _("Ngày hạn phải từ 1 đến 31.")
        case NoOpenPeriod():
            return _("Chưa có kỳ báo cáo nào đang mở. Mở kỳ: /moky 2026-11")
        case PeriodClosed(period=period):
            return _("Đã đóng kỳ {period}.").format(period=period.label)
        case PeriodNotOpen(text=text, open_labels=labels):
            return _("Kỳ «{period}» không đang mở. Các kỳ đang mở: {labels}.").format(
                period=text[:20], labels=", ".join(labels) or "—"
            )
        case SeveralPeriodsOpen(open_labels=labels):
            return _("Đang mở {count} kỳ: {labels}. Ghi rõ kỳ sau lệnh, ví dụ «{example}».").format(
                count=format_number(len(labels)), labels=", ".join(labels), example=labels[-1]
            )
        case UnitNotNamed(command="tralai"):
            return _(
                "Ghi tên đơn vị và lý do sau lệnh, ví dụ: /tralai Công an phường; thiếu số liệu"
            )
        case UnitNotNamed(command=command):
            return _("Ghi tên đơn vị sau lệnh, ví dụ: /{command} Công an phường").format(
                command=command
            )
        case UnitUnknown(name=name, known=known):
            return _("Không có đơn vị «{name}». Các đơn vị: {names}").format(
                name=name[:80], names=", ".join(known)
            )
        case ReturnReasonMissing():
            return _(
                "Cần ghi lý do trả lại, ví dụ: /tralai Công an phường; thiếu số liệu nhiệm vụ II.12"
            )
        case NotSubmitted(unit=unit, period=period):
            return _("{unit} chưa gửi báo cáo kỳ {period}.").format(
                unit=unit.name, period=period.label
            )
        case SubmissionReviewed(unit=unit, accepted=accepted):
            if accepted:
                return _("Đã duyệt báo cáo của {unit}.").format(unit=unit.name)
            return _("Đã trả lại báo cáo của {unit}; đơn vị đã được báo lý do.").format(
                unit=unit.name
            )
        case SubmitNotAllowed():
            return _(
                "Chỉ thủ trưởng đơn vị (hoặc người được phòng Văn hóa - Xã hội cho phép) gửi được báo cáo. Bản nháp đã được lưu."
            )
        case TasksUnanswered(codes=codes):
            return _(
                "Chưa gửi được: còn nhiệm vụ chưa trả lời ({codes}). Chọn «Sửa một nhiệm vụ» để trả lời."
            ).format(codes=", ".join(codes[:10]))
        case ReportSubmitted(period=period, late=late):
            if late:
                return _(
                    "Đã gửi báo cáo kỳ {period} (sau hạn). Phòng Văn hóa - Xã hội đã được báo."
                ).format(period=period.label)
            return _("Đã gửi báo cáo kỳ {period}. Phòng Văn hóa - Xã hội đã được báo.").format(
                period=period.label
            )
        case _:
            assert_never(outcome)
