"""`/toi`: who am I — ward, units and roles, linked accounts."""

from __future__ import annotations

from handlers.context import FlowContext
from handlers.i18n import _
from handlers.labels import role_label
from handlers.reporting.letterhead import letterhead, letterhead_lines
from handlers.router import Router
from storage.vocabulary import Role

router = Router()


@router.command(
    "toi",
    "me",
    describe=lambda: _("/toi — thông tin của bạn: phường, đơn vị, vai trò"),
    citizens=True,
)
async def who_am_i(context: FlowContext) -> None:
    actor = context.actor
    member = actor.member
    if member is None:
        context.reply(
            _(
                "Bạn chưa đăng ký với phường nào, nên đang dùng trợ lý như người dân. "
                "Cán bộ phường gửi /start MÃ để đăng ký."
            )
        )
        return
    lines = [
        _("Họ tên: {name}").format(name=member.display_name),
        _("Phường: {ward}").format(ward=actor.ward.name if actor.ward else ""),
        _("Vai trò:"),
    ]
    for grant in member.roles:
        where = grant.unit.name if grant.unit else _("toàn phường")
        lines.append(f"• {role_label(grant.role)} — {where}")
    accounts = ", ".join(sorted({identity.platform for identity in member.identities}))
    lines.append(_("Tài khoản liên kết: {accounts}").format(accounts=accounts))
    if actor.ward is not None and any(g.role is Role.COORDINATOR for g in member.roles):
        # Coordinators make the Word report: they see how it is headed and signed.
        stored = await context.repositories.for_ward(actor.ward.id).report_settings.get()
        lines.append(_("Báo cáo Word của phường (reportbot ward report-settings):"))
        lines += [f"• {text}" for text in letterhead_lines(letterhead(actor.ward.name, stored))]
    context.reply("\n".join(lines))
