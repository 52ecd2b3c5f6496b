"""The ward's plans and units as a coordinator checks an import from the chat: /kehoach
(each plan's tasks by appendix and section, and what needs a look) and the unit list that
/donvi without a name answers with."""

from __future__ import annotations

from collections import Counter

from handlers.context import FlowContext
from handlers.i18n import _, format_number
from handlers.router import Router
from storage.models import Task, Unit
from storage.repositories import WardRepositories
from storage.vocabulary import DeadlineKind, Role, UnitKind, UnitLink

router = Router()
READERS = {Role.COORDINATOR, Role.LEADER}
# Tasks named in the "needs a look" lines before the rest are counted instead.
SHOWN_PER_PROBLEM = 8


def _ward_repositories(context: FlowContext) -> WardRepositories:
    assert context.actor.ward is not None
    return context.repositories.for_ward(context.actor.ward.id)


def _without_lead(task: Task) -> bool:
    return not task.lead_all_units and not any(
        link.link is UnitLink.LEAD for link in task.unit_links
    )


def _codes(tasks: list[Task]) -> str:
    shown = ", ".join(task.code for task in tasks[:SHOWN_PER_PROBLEM])
    more = len(tasks) - SHOWN_PER_PROBLEM
    return shown + (
        _(" và {count} nhiệm vụ khác").format(count=format_number(more)) if more > 0 else ""
    )


@router.command(
    "kehoach",
    describe=lambda: _("/kehoach — các kế hoạch đã nhập: nhiệm vụ theo mục, việc cần xem lại"),
    roles=READERS,
)
async def plans_overview(context: FlowContext) -> None:
    repositories = _ward_repositories(context)
    plans = await repositories.plans.all()
    lines: list[str] = []
    for plan in plans:
        tasks = await repositories.plans.tasks(plan)
        if not tasks:
            continue
        lines.append(
            _("Kế hoạch {number}: {title} — {count} nhiệm vụ").format(
                number=plan.number, title=plan.title, count=format_number(len(tasks))
            )
        )
        sections = Counter((task.appendix, task.section_code, task.section_title) for task in tasks)
        for (appendix, code, title), count in sections.items():
            label = " ".join(part for part in (code and f"{code}.", title) if part)
            where = _("Phụ lục {appendix}").format(appendix=appendix) if appendix else ""
            name = " · ".join(part for part in (where, label) if part) or _("(không mục)")
            lines.append(f"  • {name}: {format_number(count)}")
        unknown = [task for task in tasks if task.deadline_kind is DeadlineKind.UNKNOWN]
        leaderless = [task for task in tasks if _without_lead(task)]
        if unknown:
            lines.append(_("  ! Chưa hiểu thời hạn: {codes}").format(codes=_codes(unknown)))
        if leaderless:
            lines.append(_("  ! Chưa có đơn vị chủ trì: {codes}").format(codes=_codes(leaderless)))
    if not lines:
        context.reply(
            _("Phường chưa có kế hoạch nào. Nạp phụ lục bằng: reportbot plan import TỆP --ward …")
        )
        return
    context.reply("\n".join(lines))


def _kind_note(unit: Unit) -> str:
    if unit.kind is UnitKind.GROUP:
        return _(" (nhóm ngoài các phòng: người báo cáo do đầu mối chỉ định)")
    return ""


async def unit_list(context: FlowContext) -> None:
    """Every active unit with how many tasks it leads and coordinates."""
    repositories = _ward_repositories(context)
    units = await repositories.units.all()
    if not units:
        context.reply(_("Phường chưa có đơn vị nào."))
        return
    _tasks, shares = await repositories.plans.tasks_by_unit([unit.id for unit in units])
    lines = [_("Các đơn vị của phường ({count}):").format(count=format_number(len(units)))]
    for number, unit in enumerate(units, start=1):
        share = shares[unit.id]
        lines.append(
            _("{number}. {unit}{note} — chủ trì {lead}, phối hợp {coordinate}").format(
                number=number,
                unit=unit.name,
                note=_kind_note(unit),
                lead=format_number(len(share.reporting)),
                coordinate=format_number(len(share.coordinating)),
            )
        )
    lines.append(_("Xem báo cáo của một đơn vị: /donvi TÊN"))
    context.reply("\n".join(lines))
