"""The chat's hold on the schedule: `/lich` shows it, `/nhac [TÊN]` nudges now, `/nhacsau`
(or typing "nhắc lại sau") puts a unit's nudges off to the next working day."""

from __future__ import annotations

from handlers.checkin.actions import named_unit
from handlers.context import FlowContext
from handlers.i18n import _, format_moment
from handlers.router import Router
from handlers.scheduling.describe import schedule_lines
from handlers.scheduling.due import SNOOZE, ward_run
from handlers.scheduling.rules import is_quiet, manual_nudge, snooze_until
from storage.models import Unit
from storage.vocabulary import Role

router = Router()
READERS = {Role.COORDINATOR, Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF}


@router.command(
    "lich",
    describe=lambda: _("/lich — lịch mở kỳ, nhắc báo cáo và tổng hợp của phường"),
    roles=READERS,
)
async def show_schedule(context: FlowContext) -> None:
    ward = context.actor.ward
    assert ward is not None
    run = await ward_run(context.repositories, ward)
    period = await context.repositories.for_ward(ward.id).periods.current()
    context.reply("\n".join(schedule_lines(run.schedule, ward, period)))


@router.command(
    "nhac",
    describe=lambda: _("/nhac [TÊN ĐƠN VỊ] — nhắc ngay các đơn vị chưa gửi (hoặc một đơn vị)"),
    roles={Role.COORDINATOR},
)
async def nudge_now(context: FlowContext) -> None:
    ward = context.actor.ward
    assert ward is not None
    run = await ward_run(context.repositories, ward)
    if is_quiet(run.schedule, run.now, ward.timezone):
        context.reply(
            _(
                "Bây giờ là giờ nghỉ ({start}–{end}): mình không nhắn cho các đơn vị lúc này."
            ).format(
                start=f"{run.schedule.quiet_start:%H:%M}", end=f"{run.schedule.quiet_end:%H:%M}"
            )
        )
        return
    ward_repositories = context.repositories.for_ward(ward.id)
    period = await ward_repositories.periods.current()
    if period is None:
        context.reply(_("Chưa có kỳ báo cáo nào đang mở. Mở kỳ: /moky 2026-11"))
        return
    name = context.event.argument.strip()
    only: Unit | None = None
    if name:
        found = await named_unit(ward_repositories, name, "nhac")
        if not isinstance(found, Unit):
            context.reply(_("Không có đơn vị «{name}».").format(name=name[:80]))
            return
        only = found
    waiting = [
        reporter
        for reporter in await run.reporters(period)
        if not reporter.submitted and (only is None or reporter.unit.id == only.id)
    ]
    if not waiting:
        context.reply(
            _("Không có đơn vị nào cần nhắc: các đơn vị đã gửi báo cáo kỳ {period}.").format(
                period=period.label
            )
        )
        return
    window = manual_nudge(run.schedule, run.now, run.ward.timezone)
    nudged = [r.unit.name for r in waiting if await run.nudge(period, r, window)]
    capped = [r.unit.name for r in waiting if r.unit.name not in nudged]
    if nudged:
        context.reply(
            _("Đã nhắc {count} đơn vị: {units}.").format(count=len(nudged), units=", ".join(nudged))
        )
    if capped:
        context.reply(
            _("Không nhắc thêm (đã đủ {cap} lần trong kỳ, hoặc vừa nhắc): {units}.").format(
                cap=run.schedule.nudge_cap, units=", ".join(capped)
            )
        )


@router.command(
    "nhacsau",
    describe=lambda: _("/nhacsau — nhắc lại báo cáo vào ngày làm việc sau"),
    roles={Role.UNIT_HEAD, Role.UNIT_STAFF},
)
async def snooze(context: FlowContext) -> None:
    ward = context.actor.ward
    assert ward is not None
    ward_repositories = context.repositories.for_ward(ward.id)
    period = await ward_repositories.periods.current()
    if period is None:
        context.reply(_("Chưa có kỳ báo cáo nào đang mở."))
        return
    run = await ward_run(context.repositories, ward)
    until = snooze_until(run.schedule, run.now, ward.timezone)
    if until >= period.due_at:
        context.reply(
            _(
                "Hạn gửi là {moment}, không còn ngày để nhắc lại. Gửi /baocao để báo cáo ngay."
            ).format(moment=format_moment(period.due_at, ward.timezone))
        )
        return
    for unit in context.actor.units_for(Role.UNIT_HEAD, Role.UNIT_STAFF):
        await ward_repositories.reminders.record(
            f"{ward.id}:{SNOOZE}:{period.id}:{unit.id}:{run.now:%Y%m%d}",
            SNOOZE,
            period_id=period.id,
            unit_id=unit.id,
            at=until,
        )
    context.reply(
        _("Được, mình sẽ nhắc lại lúc {moment}.").format(moment=format_moment(until, ward.timezone))
    )
