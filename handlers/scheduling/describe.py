"""A ward's schedule in words (`/lich` in the chat, `reportbot ward schedule` in the terminal):
the settings, and for the open period the days its notifications fall on."""

from __future__ import annotations

from handlers.i18n import _, format_moment
from handlers.scheduling.policy import Schedule
from handlers.scheduling.rules import after_due, nudges, progress_notes
from storage.models import Period, Ward
from storage.vocabulary import PeriodKind


def _clock(schedule_time: object) -> str:
    return f"{schedule_time:%H:%M}"


def schedule_lines(schedule: Schedule, ward: Ward, period: Period | None) -> list[str]:
    if schedule.cadence is PeriodKind.HALF_YEAR:
        cadence = _("Kỳ báo cáo: 6 tháng (hạn 10/6 và 25/11), mở từ ngày {open} của tháng hạn.")
    else:
        cadence = _("Kỳ báo cáo: hằng tháng, hạn trước ngày {due}, mở từ ngày {open}.")
    lines = [
        _("Lịch nhắc của {ward}").format(ward=ward.name),
        cadence.format(due=ward.report_day, open=schedule.open_day),
        _(
            "Nhắc đơn vị chưa gửi: {days} ngày làm việc trước hạn, lúc {time} (tối đa {cap} lần một kỳ)."
        ).format(
            days=", ".join(str(day) for day in schedule.nudge_days),
            time=_clock(schedule.nudge_at),
            cap=schedule.nudge_cap,
        ),
        _("Không nhắn từ {start} đến {end}, ngày nghỉ và ngày lễ.").format(
            start=_clock(schedule.quiet_start), end=_clock(schedule.quiet_end)
        ),
        _(
            "Tổng hợp: tiến độ mỗi sáng {days} ngày làm việc cuối, bản đầy đủ sáng ngày làm việc đầu tiên sau hạn, lúc {time}."
        ).format(days=schedule.progress_days, time=_clock(schedule.digest_at)),
        _("Vướng mắc quá hạn trả lời: nhắc tối đa {cap} lần.").format(cap=schedule.blocker_cap),
    ]
    calendar = schedule.calendar
    if calendar.days_off:
        lines.append(
            _("Ngày nghỉ thêm: {days}").format(
                days=", ".join(f"{day:%d/%m/%Y}" for day in sorted(calendar.days_off))
            )
        )
    if calendar.working_days:
        lines.append(
            _("Ngày làm bù: {days}").format(
                days=", ".join(f"{day:%d/%m/%Y}" for day in sorted(calendar.working_days))
            )
        )
    if period is not None:
        zone = ward.timezone
        planned = nudges(schedule, period.due_at, zone)
        lines.append(
            _("Kỳ {period}: nhắc lúc {moments}.").format(
                period=period.label,
                moments="; ".join(format_moment(window.starts, zone) for window in planned) or "—",
            )
        )
        notes = progress_notes(schedule, period.due_at, zone)
        lines.append(
            _("Tiến độ gửi chuyên viên: {moments}.").format(
                moments="; ".join(format_moment(window.starts, zone) for window in notes) or "—"
            )
        )
        lines.append(
            _("Sau hạn (báo đơn vị trễ, bản tổng hợp): {moment}.").format(
                moment=format_moment(after_due(schedule, period.due_at, zone).starts, zone)
            )
        )
    return lines
