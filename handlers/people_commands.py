"""The coordinator's people commands: /moi (a one-time code and the sentence to forward, also
for a new head who takes over from the old one), /thuhoi (withdraw a person's roles, after a
confirmation) and /thanhvien (who holds which role)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from handlers.context import FlowContext
from handlers.events import Choice, EventKind
from handlers.i18n import _, format_day, format_number, format_short_day
from handlers.labels import messenger_label, role_label
from handlers.people import (
    NO_WORDS,
    ROLE_PHRASE_WORDS,
    YES_WORDS,
    Holding,
    NameTooLong,
    NotTheHead,
    find_members,
    holdings,
    invite,
    name_too_long_text,
    role_named,
    role_words,
    withdraw,
)
from handlers.router import Router
from storage.models import Member, Unit, Ward
from storage.names import fold
from storage.repositories import WardRepositories
from storage.vocabulary import Role

router = Router()
COORDINATORS = {Role.COORDINATOR}
WITHDRAW_FLOW = "withdraw"
# The word before the name of the head a new head takes over from.
REPLACES_WORDS = frozenset({"thay", "thay cho", "replaces"})
# Readings tried for one /moi (a unit is looked up for each): more role words than this in one
# message is no invitation.
MOST_READINGS = 8


@dataclass(frozen=True)
class InviteWords:
    """One reading of what follows /moi: the unit, the role, the person's name, and the head
    the new one replaces (each possibly empty)."""

    unit: str
    role: Role
    person: str
    replaces: str


def read_invite_words(text: str) -> list[InviteWords]:
    """Every reading of "/moi ĐƠN VỊ vai-trò [TÊN] [thay TÊN]", one per place a role word
    stands, leftmost first: a unit may itself hold a role word ("Các trường trên địa bàn"),
    and so may a name ("Trương"); the caller keeps the first whose unit is found."""
    words = text.split()
    readings: list[InviteWords] = []
    for start in range(len(words)):
        for length in range(ROLE_PHRASE_WORDS, 0, -1):
            role = role_named(" ".join(words[start : start + length]))
            if role is None or start + length > len(words):
                continue
            rest = words[start + length :]
            person, replaces = rest, []
            for at, word in enumerate(rest):
                if fold(word) in REPLACES_WORDS:
                    after = rest[at + 1 :]
                    if after and fold(after[0]) == "cho":
                        after = after[1:]
                    person, replaces = rest[:at], after
                    break
            readings.append(
                InviteWords(" ".join(words[:start]), role, " ".join(person), " ".join(replaces))
            )
            break
        if len(readings) == MOST_READINGS:
            break
    return readings


def _ward(context: FlowContext) -> Ward:
    assert context.actor.ward is not None
    return context.actor.ward


def _invite_usage() -> str:
    return _(
        "Cách dùng: /moi ĐƠN VỊ VAI TRÒ [TÊN NGƯỜI] — ví dụ /moi Phòng VHXH trưởng Nguyễn Văn An. "
        "Vai trò: {roles}. Thủ trưởng mới thay người cũ: /moi ĐƠN VỊ trưởng TÊN thay TÊN CŨ."
    ).format(roles=role_words())


def _names(units: list[Unit]) -> str:
    return "; ".join(unit.name for unit in units) or _("(chưa có đơn vị nào)")


async def _chosen_reading(
    context: FlowContext, ward_repositories: WardRepositories, readings: list[InviteWords]
) -> tuple[InviteWords, Unit | None] | None:
    """The first reading whose unit is found (or that needs none); otherwise the reply says
    what is wrong and None is returned."""
    for reading in readings:
        if not reading.unit:
            if not reading.role.needs_unit:
                return reading, None
            continue
        units = await ward_repositories.units.matching(reading.unit)
        if len(units) == 1:
            return reading, units[0]
        if units:
            context.reply(
                _("«{name}» có thể là nhiều đơn vị: {units}. Bạn gõ tên đầy đủ hơn.").format(
                    name=reading.unit, units=_names(units)
                )
            )
            return None
    named = next((reading for reading in readings if reading.unit), None)
    if named is not None:
        context.reply(
            _("Không có đơn vị «{name}». Các đơn vị của phường: {known}").format(
                name=named.unit, known=_names(await ward_repositories.units.all())
            )
        )
    else:
        first = readings[0]
        context.reply(
            _("Vai trò {role} cần tên đơn vị: /moi ĐƠN VỊ {word} …").format(
                role=role_label(first.role), word=context.event.argument.split()[0]
            )
        )
    return None


async def _replaced_head(
    context: FlowContext, ward_repositories: WardRepositories, reading: InviteWords, unit: Unit
) -> tuple[bool, Member | None]:
    """Whether the words hold up, and the head the new one takes over from (None when none
    was named); when they do not, the reply says why."""
    if not reading.replaces:
        return True, None
    if reading.role is not Role.UNIT_HEAD:
        context.reply(_("Chỉ thủ trưởng đơn vị mới được mời để thay người cũ (vai trò trưởng)."))
        return False, None
    heads = await ward_repositories.members.with_role(Role.UNIT_HEAD, unit_id=unit.id)
    found = find_members(heads, reading.replaces)
    if len(found) == 1:
        return True, found[0]
    names = "; ".join(head.display_name for head in heads) or _("(chưa có ai)")
    if found:
        context.reply(
            _("«{name}» là nhiều người: {names}. Bạn gõ tên đầy đủ hơn.").format(
                name=reading.replaces, names="; ".join(head.display_name for head in found)
            )
        )
    else:
        context.reply(
            _("{unit} không có thủ trưởng tên «{name}». Thủ trưởng hiện nay: {names}").format(
                unit=unit.name, name=reading.replaces, names=names
            )
        )
    return False, None


@router.command(
    "moi",
    describe=lambda: _("/moi ĐƠN VỊ VAI TRÒ [TÊN] — cấp mã đăng ký cho một người"),
    roles=COORDINATORS,
)
async def invite_person(context: FlowContext) -> None:
    if not context.event.is_private:
        # A code posted in a group could be used by anyone who reads it.
        context.reply(_("Mã đăng ký chỉ cấp trong tin nhắn riêng: bạn nhắn riêng /moi cho trợ lý."))
        return
    text = context.event.argument.strip()
    if not text:
        context.reply(_invite_usage())
        return
    readings = read_invite_words(text)
    if not readings:
        context.reply(
            _("Chưa rõ vai trò. Vai trò là một trong: {roles}.").format(roles=role_words())
        )
        context.reply(_invite_usage())
        return
    ward = _ward(context)
    ward_repositories = context.repositories.for_ward(ward.id)
    chosen = await _chosen_reading(context, ward_repositories, readings)
    if chosen is None:
        return
    reading, unit = chosen
    usable, replaces = (
        await _replaced_head(context, ward_repositories, reading, unit) if unit else (True, None)
    )
    if not usable:
        return
    try:
        invitation = await invite(
            context.repositories,
            ward,
            reading.role,
            unit,
            context.invite_valid_days,
            actor=context.actor.actor_label,
            person_name=reading.person,
            replaces=replaces,
        )
    except NameTooLong:
        context.reply(name_too_long_text())
        return
    except NotTheHead as problem:  # the head left between the lookup and now
        context.reply(
            _("{name} không còn là thủ trưởng {unit}.").format(
                name=problem.member.display_name, unit=problem.unit.name
            )
        )
        return
    day = format_day(invitation.expires_at.astimezone(ZoneInfo(ward.timezone)).date())
    where = f"{role_label(invitation.role)} — {unit.name if unit else ward.name}"
    if invitation.person_name:
        where = f"{invitation.person_name}, {where}"
    lines = [
        _("Mã đăng ký: {code} ({where}). Dùng một lần, còn hạn đến trước {day}.").format(
            code=invitation.code, where=where, day=day
        )
    ]
    if invitation.replaces is not None:
        lines.append(
            _(
                "Khi người mới đăng ký, {name} thôi làm thủ trưởng {unit}; báo cáo đang soạn dở "
                "của đơn vị vẫn giữ nguyên."
            ).format(name=invitation.replaces.display_name, unit=unit.name if unit else "")
        )
    # As the CLI's invite: where the ward has Zalo bots, the invitee is sent to one with room.
    bot, bots_full = (None, False)
    if context.invite_bot is not None:
        bot, bots_full = await context.invite_bot(context.repositories)
    if bots_full:
        lines.append(
            _(
                "Lưu ý: mọi bot Zalo của phường đã đủ số người dùng của gói; người này cần đăng "
                "ký qua kênh khác, hoặc sau khi thêm một bot Zalo."
            )
        )
    lines.append(_("Chuyển cho người được mời tin nhắn dưới đây:"))
    context.reply("\n".join(lines))
    if bot is not None:
        forward = _(
            "Anh/chị mở Zalo, tìm bot «{bot}» (trợ lý báo cáo của {ward}) và gửi: /start {code} "
            "(mã dùng một lần, trước {day})."
        ).format(bot=bot, ward=ward.name, code=invitation.code, day=day)
    else:
        forward = _(
            "Anh/chị mở {messenger}, nhắn cho trợ lý báo cáo của {ward} và gửi: /start {code} "
            "(mã dùng một lần, trước {day})."
        ).format(
            messenger=messenger_label(context.actor.sender.platform),
            ward=ward.name,
            code=invitation.code,
            day=day,
        )
    context.reply(forward)


def _roles_text(member: Member) -> str:
    return "; ".join(
        role_label(grant.role) + (f" — {grant.unit.name}" if grant.unit else "")
        for grant in member.roles
    )


def _ask_confirm(context: FlowContext, member: Member) -> None:
    context.ask(
        _(
            "Thu hồi mọi vai trò của {name} ({roles})? Các báo cáo người này đã gửi vẫn ghi tên "
            "họ; báo cáo đang soạn dở vẫn thuộc đơn vị."
        ).format(name=member.display_name, roles=_roles_text(member)),
        [Choice("yes", _("Có, thu hồi")), Choice("no", _("Không"))],
    )


def _ask_which(context: FlowContext, typed: str, found: list[Member]) -> None:
    context.ask(
        _("Có {count} người tên «{name}». Thu hồi vai trò của ai?").format(
            count=format_number(len(found)), name=typed
        ),
        [
            Choice(str(member.id), f"{member.display_name} ({_roles_text(member)})")
            for member in found
        ],
    )


@router.command(
    "thuhoi",
    describe=lambda: _("/thuhoi TÊN — thu hồi vai trò của một người (người nghỉ, chuyển công tác)"),
    roles=COORDINATORS,
)
async def withdraw_person(context: FlowContext) -> None:
    typed = context.event.argument.strip()
    if not typed:
        context.reply(
            _("Cách dùng: /thuhoi TÊN — ví dụ /thuhoi Nguyễn Văn An. Danh sách: /thanhvien")
        )
        return
    ward_repositories = context.repositories.for_ward(_ward(context).id)
    found = find_members(await ward_repositories.members.holding_roles(), typed)
    if not found:
        context.reply(
            _(
                "Không có ai tên «{name}» đang giữ vai trò ở phường. Xem danh sách: /thanhvien"
            ).format(name=typed)
        )
        return
    if len(found) > 1:
        context.go_to(WITHDRAW_FLOW, "which", typed=typed)
        _ask_which(context, typed, found)
        return
    await _confirm(context, found[0])


async def _confirm(context: FlowContext, member: Member) -> None:
    assert context.actor.member is not None
    if member.id == context.actor.member.id:
        context.finish()
        context.reply(_("Bạn không tự thu hồi vai trò của mình được; nhờ một đầu mối khác."))
        return
    context.go_to(WITHDRAW_FLOW, "confirm", member_id=member.id)
    _ask_confirm(context, member)


async def _member(context: FlowContext, member_id: object) -> Member | None:
    if not isinstance(member_id, int | str) or not str(member_id).isdigit():
        return None
    ward_repositories = context.repositories.for_ward(_ward(context).id)
    member = await ward_repositories.members.by_id(int(member_id))
    return member if member is not None and member.roles else None


async def _prompt(context: FlowContext) -> None:
    if context.step == "which":
        typed = str(context.data.get("typed", ""))
        found = find_members(
            await context.repositories.for_ward(_ward(context).id).members.holding_roles(), typed
        )
        _ask_which(context, typed, found)
        return
    member = await _member(context, context.data.get("member_id"))
    if member is not None:
        _ask_confirm(context, member)


# Nothing is half-entered at either question: another command simply leaves them.
@router.flow(WITHDRAW_FLOW, prompt=_prompt, resting_steps=frozenset({"which", "confirm"}))
async def continue_withdraw(context: FlowContext) -> None:
    event = context.event
    if context.step == "which":
        member = await _member(context, event.choice) if event.kind is EventKind.CHOICE else None
        if member is None:
            context.reply(_("Chọn một người trong danh sách (gõ số thứ tự), hoặc /huy để thôi."))
            await _prompt(context)
            return
        await _confirm(context, member)
        return
    typed = fold(event.text) if event.kind is EventKind.TEXT else ""
    answer = event.choice if event.kind is EventKind.CHOICE else None
    if answer == "no" or typed in NO_WORDS:
        context.finish()
        context.reply(_("Không thu hồi; mọi thứ giữ nguyên."))
        return
    if answer != "yes" and typed not in YES_WORDS:
        context.reply(_("Trả lời «có» để thu hồi, «không» để thôi."))
        await _prompt(context)
        return
    member = await _member(context, context.data.get("member_id"))
    context.finish()
    if member is None:
        context.reply(_("Người này không còn vai trò nào; không có gì để thu hồi."))
        return
    ended = await withdraw(
        context.repositories, _ward(context).id, member, actor=context.actor.actor_label
    )
    context.reply(
        _(
            "Đã thu hồi {count} vai trò của {name}. Người này không còn nhận thông báo của phường; "
            "các báo cáo đã gửi vẫn ghi tên họ, báo cáo đang soạn dở vẫn thuộc đơn vị."
        ).format(count=format_number(len(ended)), name=member.display_name)
    )


def holding_lines(rows: list[Holding], ward: Ward) -> list[str]:
    """The member list in short lines for a phone: a person's role and unit, then their
    messengers and since when."""
    lines: list[str] = []
    for row in rows:
        where = f" — {row.unit}" if row.unit else ""
        lines.append(f"• {row.name}: {role_label(row.role)}{where}")
        since = format_short_day(row.since.astimezone(ZoneInfo(ward.timezone)).date())
        messengers = ", ".join(messenger_label(platform) for platform in row.messengers)
        lines.append(
            "  " + _("{messengers}, từ {since}").format(messengers=messengers or "—", since=since)
        )
    return lines


@router.command(
    "thanhvien",
    describe=lambda: _("/thanhvien — ai giữ vai trò gì, ở đơn vị nào, dùng ứng dụng nào"),
    roles=COORDINATORS,
)
async def member_list(context: FlowContext) -> None:
    ward = _ward(context)
    rows = await holdings(context.repositories.for_ward(ward.id))
    context.reply(
        "\n".join(
            [
                _("Người giữ vai trò ở {ward} ({count}):").format(
                    ward=ward.name, count=format_number(len(rows))
                ),
                *holding_lines(rows, ward),
                _("Cấp mã: /moi ĐƠN VỊ VAI TRÒ · Thu hồi: /thuhoi TÊN"),
            ]
        )
    )
