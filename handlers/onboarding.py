"""Registering a person with a one-time code: `/start CODE`."""

from __future__ import annotations

from handlers.checkin.actions import announce_period
from handlers.context import FlowContext
from handlers.help import send_help
from handlers.i18n import _
from handlers.labels import role_label
from handlers.notify import notify
from handlers.people import hand_over
from handlers.router import Router
from storage.models import Invite, Member
from storage.repositories.invites import (
    InviteProblem,
    claim_invite,
    find_invite,
    invite_problem,
)
from storage.vocabulary import Role

router = Router()


def _problem_text(problem: InviteProblem) -> str:
    texts = {
        InviteProblem.UNKNOWN: _(
            "Mã đăng ký không đúng. Bạn kiểm tra lại mã (8 ký tự, ví dụ ABCD-EFGH) "
            "hoặc xin mã mới từ phòng Văn hóa - Xã hội."
        ),
        InviteProblem.USED: _(
            "Mã đăng ký này đã được dùng. Mỗi mã chỉ dùng một lần; bạn xin mã mới từ "
            "phòng Văn hóa - Xã hội."
        ),
        InviteProblem.EXPIRED: _(
            "Mã đăng ký này đã hết hạn. Bạn xin mã mới từ phòng Văn hóa - Xã hội."
        ),
    }
    return texts[problem]


@router.command(
    "start",
    "batdau",
    describe=lambda: _("/start MÃ — đăng ký bằng mã được cấp"),
    citizens=True,
)
async def start(context: FlowContext) -> None:
    code = context.event.argument
    actor = context.actor
    if not code:
        if actor.is_citizen:
            context.reply(
                _(
                    "Chào bạn! Đây là trợ lý của UBND phường. Cán bộ được phòng Văn hóa - Xã hội "
                    "cấp mã thì gửi: /start MÃ (ví dụ /start ABCD-EFGH)."
                )
            )
        else:
            context.reply(_("Chào {name}!").format(name=actor.member.display_name))  # type: ignore[union-attr]
        await send_help(context)
        return
    invite = await find_invite(context.repositories.session, code)
    problem = invite_problem(invite, context.clock)
    if problem is not None or invite is None:
        context.reply(_problem_text(problem or InviteProblem.UNKNOWN))
        return
    if actor.member is not None and actor.member.ward_id != invite.ward_id:
        context.reply(
            _(
                "Tài khoản này đã đăng ký với {ward}. Một tài khoản chỉ thuộc một phường; "
                "bạn liên hệ phòng Văn hóa - Xã hội nếu cần chuyển."
            ).format(ward=actor.ward.name if actor.ward else "")
        )
        return
    await _register(context, invite)


async def _register(context: FlowContext, invite: Invite) -> None:
    actor = context.actor
    repositories = context.repositories
    ward_repositories = repositories.for_ward(invite.ward_id)
    # The actor's member is shared between turns, read-only: gaining a role changes the one
    # in this transaction.
    member = await ward_repositories.members.by_id(actor.member.id) if actor.member else None
    if member is None:
        # The name the coordinator invited the person by, before whatever the messenger shows.
        display_name = (
            invite.person_name
            or actor.sender.display_name
            or _("Người dùng {platform}").format(platform=actor.sender.platform)
        )
        member = await ward_repositories.members.add(display_name)
        ward_repositories.members.link_identity(
            member, actor.sender.platform, actor.sender.user_id, context.event.channel
        )
    if not await claim_invite(repositories.session, invite, member.id, context.clock):
        context.reply(_problem_text(InviteProblem.USED))
        return
    new_role = ward_repositories.members.grant(
        member, invite.role, invite.unit_id, may_submit=invite.may_submit
    )
    await repositories.session.flush()
    unit = await ward_repositories.units.by_id(invite.unit_id) if invite.unit_id else None
    ward = await repositories.wards.by_id(invite.ward_id)
    ward_name = ward.name if ward else ""
    repositories.audit.record(
        actor=actor.actor_label,
        action="register",
        entity="member",
        entity_id=member.id,
        ward_id=invite.ward_id,
        changes={"role": [None, str(invite.role)], "unit": [None, unit.name if unit else None]},
    )
    where = unit.name if unit else ward_name
    if new_role and unit is not None:
        context.reply(
            _("Đăng ký thành công: {role} — {where}, {ward}.").format(
                role=role_label(invite.role), where=where, ward=ward_name
            )
        )
    elif new_role:
        context.reply(
            _("Đăng ký thành công: {role} — {ward}.").format(
                role=role_label(invite.role), ward=ward_name
            )
        )
    else:
        context.reply(
            _("Bạn đã có vai trò {role} — {where}.").format(
                role=role_label(invite.role), where=where
            )
        )
    context.reply(_("Gửi /toi để xem thông tin của bạn, /huongdan để xem cách dùng."))
    await _tell_coordinators(context, member, invite, where)
    predecessor = await hand_over(repositories, invite, member, actor=actor.actor_label)
    if predecessor is not None:
        context.reply(
            _(
                "Bạn thay {predecessor} làm thủ trưởng {unit}; các báo cáo đang soạn dở của đơn vị "
                "vẫn còn nguyên."
            ).format(predecessor=predecessor.display_name, unit=where)
        )
    if invite.role is Role.UNIT_HEAD and unit is not None and ward is not None:
        # A period already open is announced to the new head at once.
        for period in await ward_repositories.periods.all_open():
            await announce_period(repositories, ward, period, unit, [member])


async def _tell_coordinators(
    context: FlowContext, member: Member, invite: Invite, where: str
) -> None:
    coordinators = await context.repositories.for_ward(invite.ward_id).members.with_role(
        Role.COORDINATOR
    )
    payload = {
        "kind": "member_registered",
        "member": member.display_name,
        "role": str(invite.role),
        "where": where,
    }
    await notify(
        context.repositories,
        invite.ward_id,
        coordinators,
        payload,
        dedup=f"registered:{invite.id}",
        skip_member_id=member.id,
    )
