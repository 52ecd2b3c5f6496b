"""People from the chat: a coordinator invites (/moi), hands a unit to a new head, withdraws a
person's roles (/thuhoi) and lists who holds which role (/thanhvien)."""

from __future__ import annotations

import re
from dataclasses import replace

from chat import person
from hypothesis import given, strategies as st
from sqlalchemy import func, select
from test_checkin import Ward, choice_number, ward  # noqa: F401  (the fixture)

from bot.channels import Platform
from bot.config import ChannelSettings
from bot.telegram.commands import menu
from handlers.events import parse_text_event
from handlers.notifications import render_notification
from handlers.people_commands import read_invite_words
from handlers.registry import ROUTERS
from storage.models import CONSOLE_CHANNEL, AuditEntry, Invite, MemberRole, TaskReport
from storage.vocabulary import OutboxKind, Role

CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b")
POLICE = "Công an phường"


def _code(reply: str) -> str:
    found = CODE.search(reply)
    assert found is not None, reply
    return found[0]


async def _count(example: Ward, model: type) -> int:  # type: ignore[type-arg]
    async with example.application.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def _heads(example: Ward, unit: str) -> list[str]:
    async with example.application.transaction() as repositories:
        in_ward = repositories.for_ward(example.ward_id)
        found = await in_ward.units.find(unit)
        assert found is not None
        heads = await in_ward.members.with_role(Role.UNIT_HEAD, unit_id=found.id)
        return [head.display_name for head in heads]


async def _notifications(example: Ward, user_id: str) -> list[str]:
    async with example.application.transaction() as repositories:
        pending = await repositories.outbox.pending(
            CONSOLE_CHANNEL, user_id, OutboxKind.NOTIFICATION
        )
        return [render_notification(message.payload) or "" for message in pending]


async def _draft_of_police(example: Ward) -> None:
    """The police head answers two tasks of the open period: a draft of the unit."""
    await example.coordinator.send("/moky 2026-11")
    await example.head.send("1 HT\n2 60% vướng kinh phí")
    await example.head.send(choice_number(example.head, "Lưu"))
    assert await _count(example, TaskReport) == 2


async def test_with_several_zalo_bots_the_invitation_names_the_one_with_room(
    ward: Ward,  # noqa: F811
) -> None:
    bots = [
        ChannelSettings(
            name=f"zalo-{n}", platform=Platform.ZALO_BOT, handle=f"Trợ lý Hồng Bàng {n}", user_cap=1
        )
        for n in (1, 2)
    ]
    application = ward.application
    application.settings = application.settings.model_copy(update={"channels": bots})
    async with application.transaction() as repositories:
        for bot in bots:
            await repositories.channels.ensure(bot.name, Platform.ZALO_BOT, None)
        # The first bot has its one person already.
        members = repositories.for_ward(ward.ward_id).members
        staff = await members.add("Ngô Văn Bình")
        members.link_identity(staff, Platform.ZALO_BOT, "z1", "zalo-1")
    coordinator = person(application.dispatcher(ward.ward_id), "coord", "Phạm Thu")
    replies = await coordinator.send("/moi Phòng VHXH trưởng")
    assert replies[-1].startswith("Anh/chị mở Zalo, tìm bot «Trợ lý Hồng Bàng 2»")
    assert f"/start {_code(replies[0])}" in replies[-1]
    async with application.transaction() as repositories:
        members = repositories.for_ward(ward.ward_id).members
        other = await members.add("Trần Thị Cúc")
        members.link_identity(other, Platform.ZALO_BOT, "z2", "zalo-2")
    full = await coordinator.send("/moi Phòng VHXH trưởng")
    assert "mọi bot Zalo của phường đã đủ số người dùng" in full[0]
    assert full[-1].startswith("Anh/chị mở test, nhắn cho trợ lý báo cáo")


async def test_an_invitation_from_chat_registers_with_start(ward: Ward) -> None:  # noqa: F811
    replies = await ward.coordinator.send("/moi Phòng VHXH trưởng Nguyễn Văn An")
    assert len(replies) == 2
    code = _code(replies[0])
    assert "Nguyễn Văn An, thủ trưởng đơn vị — Phòng Văn hóa - Xã hội" in replies[0]
    assert "Dùng một lần, còn hạn đến trước ngày 17 tháng 11 năm 2026" in replies[0]
    # The sentence to forward names the messenger the coordinator is on and the code.
    assert replies[1].startswith("Anh/chị mở test, nhắn cho trợ lý báo cáo của Phường Hồng Bàng")
    assert f"/start {code}" in replies[1]
    newcomer = person(ward.dispatcher(), "an", "an.nv 1990")
    registered = await newcomer.send(f"/start {code}")
    assert registered[0] == (
        "Đăng ký thành công: thủ trưởng đơn vị — Phòng Văn hóa - Xã hội, Phường Hồng Bàng."
    )
    # Registered under the name the coordinator gave, not the messenger's.
    assert await _heads(ward, "Phòng Văn hóa - Xã hội") == ["Nguyễn Văn An"]
    # Typed without diacritics, a role word with a hyphen.
    replies = await ward.coordinator.send("/moi cong an phuong thanh-vien")
    staff = person(ward.dispatcher(), "st2", "Đỗ Bình")
    assert (await staff.send(f"/start {_code(replies[0])}"))[0].startswith(
        "Đăng ký thành công: cán bộ đơn vị — Công an phường"
    )
    # A coordinator or a leader needs no unit.
    replies = await ward.coordinator.send("/moi lãnh đạo Phó Chủ tịch Vũ Hà")
    assert "Vũ Hà, lãnh đạo UBND phường — Phường Hồng Bàng" in replies[0]


async def test_a_code_from_chat_lasts_as_long_as_the_ward_set(ward: Ward) -> None:  # noqa: F811
    """REPORTBOT_INVITE_VALID_DAYS holds for /moi as for `reportbot invite`."""
    application = ward.application
    application.settings = application.settings.model_copy(update={"invite_valid_days": 3})
    coordinator = person(application.dispatcher(ward.ward_id), "coord", "Phạm Thu")
    replies = await coordinator.send("/moi Phòng VHXH trưởng")
    assert "còn hạn đến trước ngày 13 tháng 11 năm 2026" in replies[0]


async def test_bad_words_write_nothing_and_say_what_to_type(ward: Ward) -> None:  # noqa: F811
    async with ward.application.transaction() as repositories:
        units = repositories.for_ward(ward.ward_id).units
        await units.add("Phòng Tư pháp")
        await units.add("Ban Tư pháp")
    before = await _count(ward, Invite)
    usage = (await ward.coordinator.send("/moi"))[0]
    assert usage.startswith("Cách dùng: /moi ĐƠN VỊ VAI TRÒ")
    unknown = (await ward.coordinator.send("/moi Phòng Tài chính trưởng"))[0]
    assert unknown.startswith("Không có đơn vị «Phòng Tài chính». Các đơn vị của phường:")
    assert POLICE in unknown
    role = await ward.coordinator.send("/moi Công an phường giám đốc")
    assert role[0].startswith("Chưa rõ vai trò. Vai trò là một trong: trưởng (thủ trưởng đơn vị)")
    ambiguous = (await ward.coordinator.send("/moi tư pháp trưởng"))[0]
    assert ambiguous.startswith("«tư pháp» có thể là nhiều đơn vị: Phòng Tư pháp; Ban Tư pháp.")
    no_unit = (await ward.coordinator.send("/moi trưởng Nguyễn Văn An"))[0]
    assert no_unit.startswith("Vai trò thủ trưởng đơn vị cần tên đơn vị")
    nobody = (await ward.coordinator.send("/moi Công an trưởng Hoàng Nam thay Trần Văn X"))[0]
    assert nobody == (
        "Công an phường không có thủ trưởng tên «Trần Văn X». Thủ trưởng hiện nay: Lê Hùng"
    )
    # A unit head may not invite.
    assert (await ward.head.send("/moi Công an trưởng"))[0].startswith(
        "Bạn không có quyền dùng lệnh /moi"
    )
    assert await _count(ward, Invite) == before
    assert not any(CODE.search(r.text) for r in ward.coordinator.replies if hasattr(r, "text"))


async def test_a_code_is_never_posted_in_a_group(ward: Ward) -> None:  # noqa: F811
    coordinator = ward.coordinator

    async def in_group(text: str) -> list[str]:
        event = parse_text_event(f"g-{text}", coordinator.sender, "-100", text)
        return await coordinator.deliver(replace(event, is_private=False))

    await in_group("/nhom")
    before = await _count(ward, Invite)
    replies = await in_group("/moi Công an trưởng Hoàng Nam")
    assert replies == ["Mã đăng ký chỉ cấp trong tin nhắn riêng: bạn nhắn riêng /moi cho trợ lý."]
    assert await _count(ward, Invite) == before


async def test_a_withdrawn_head_keeps_their_answers_and_the_unit_its_draft(
    ward: Ward,  # noqa: F811
) -> None:
    await _draft_of_police(ward)
    async with ward.application.sessions() as session:
        answered_by = set(
            (await session.execute(select(TaskReport.updated_by_member_id))).scalars()
        )
        audit_before = (
            (
                await session.execute(
                    select(AuditEntry.actor).where(AuditEntry.entity == "task_report")
                )
            )
            .scalars()
            .all()
        )
    assert audit_before
    assert any(
        text.startswith("Kỳ báo cáo 2026-11 đã mở") for text in await _notifications(ward, "head")
    )
    question = (await ward.coordinator.send("/thuhoi le hung"))[0]
    assert question.startswith(
        "Thu hồi mọi vai trò của Lê Hùng (thủ trưởng đơn vị — Công an phường)?"
    )
    assert await _heads(ward, POLICE) == ["Lê Hùng"]  # nothing before the confirmation
    done = (await ward.coordinator.send("có"))[0]
    assert done.startswith("Đã thu hồi 1 vai trò của Lê Hùng.")
    assert await _heads(ward, POLICE) == []
    assert await _notifications(ward, "head") == []  # what was queued for them is dropped
    # The role ended; its row is kept with the date.
    async with ward.application.sessions() as session:
        ended = (await session.execute(select(MemberRole.ended_at))).scalars().all()
        assert ward.application.clock.now() in ended
        assert set((await session.execute(select(TaskReport.updated_by_member_id))).scalars()) == (
            answered_by
        )
        audit_after = (
            (
                await session.execute(
                    select(AuditEntry.actor).where(AuditEntry.entity == "task_report")
                )
            )
            .scalars()
            .all()
        )
    assert audit_after == audit_before
    # The person is told they no longer have a role, and may not report.
    # Still at the review of the report: the check-in says so first, then help says why.
    told = (await ward.head.send("xin chào"))[0]
    assert told.startswith("Bạn không còn vai trò báo cáo cho đơn vị này.")
    told = (await ward.head.send("xin chào"))[0]
    assert told.startswith("Bạn không còn vai trò nào ở Phường Hồng Bàng")
    refused = await ward.head.send("/baocao")
    assert refused[0] == "Bạn không có quyền dùng lệnh /baocao."
    assert refused[1].startswith("Bạn không còn vai trò nào")
    # A new head finds the unit's draft where the old one left it.
    code = _code((await ward.coordinator.send("/moi Công an trưởng Hoàng Nam"))[0])
    new_head = person(ward.dispatcher(), "nam", "Hoàng Nam")
    await new_head.send(f"/start {code}")
    overview = "\n".join(await new_head.send("/baocao"))
    assert "Nhiệm vụ cần báo cáo: 7; đã trả lời: 2" in overview
    assert "2. [I.14] Đang thực hiện đúng hạn 60%; vướng: vướng kinh phí" in overview


async def test_several_people_of_one_name_are_chosen_from(ward: Ward) -> None:  # noqa: F811
    for user in ("a1", "a2"):
        code = _code((await ward.coordinator.send("/moi Công an thành viên Nguyễn An"))[0])
        await person(ward.dispatcher(), user, "x").send(f"/start {code}")
    which = (await ward.coordinator.send("/thuhoi nguyen an"))[0]
    assert which.startswith("Có 2 người tên «nguyen an». Thu hồi vai trò của ai?")
    await ward.coordinator.send("2")
    assert (await ward.coordinator.send("không"))[0] == "Không thu hồi; mọi thứ giữ nguyên."
    assert "Không có ai tên «Ai Đó»" in (await ward.coordinator.send("/thuhoi Ai Đó"))[0]
    assert "không tự thu hồi" in (await ward.coordinator.send("/thuhoi Phạm Thu"))[0]
    async with ward.application.sessions() as session:
        assert (
            await session.execute(select(func.count()).where(MemberRole.ended_at.is_not(None)))
        ).scalar_one() == 0


async def test_a_new_head_takes_over_with_the_drafts(ward: Ward) -> None:  # noqa: F811
    await _draft_of_police(ward)
    replies = await ward.coordinator.send("/moi Công an trưởng Hoàng Nam thay Lê Hùng")
    assert "Khi người mới đăng ký, Lê Hùng thôi làm thủ trưởng Công an phường" in replies[0]
    assert await _heads(ward, POLICE) == ["Lê Hùng"]  # until the new head registers
    new_head = person(ward.dispatcher(), "nam", "Hoàng Nam")
    registered = await new_head.send(f"/start {_code(replies[0])}")
    assert (
        "Bạn thay Lê Hùng làm thủ trưởng Công an phường; các báo cáo đang soạn dở của đơn vị "
        "vẫn còn nguyên." in registered
    )
    assert await _heads(ward, POLICE) == ["Hoàng Nam"]
    told = (
        "Hoàng Nam đã đăng ký làm thủ trưởng Công an phường, thay Lê Hùng; vai trò thủ trưởng "
        "của Lê Hùng ở đơn vị này đã kết thúc. Báo cáo đang soạn dở của đơn vị vẫn còn."
    )
    assert told in await _notifications(ward, "head")
    assert told in await _notifications(ward, "coord")
    overview = "\n".join(await new_head.send("/baocao"))
    assert "Nhiệm vụ cần báo cáo: 7; đã trả lời: 2" in overview
    assert "2. [I.14] Đang thực hiện đúng hạn 60%; vướng: vướng kinh phí" in overview
    assert (await ward.head.send("/baocao"))[0] == "Bạn không có quyền dùng lệnh /baocao."
    # The staff of the unit keep their role.
    assert not (await ward.staff.send("/baocao"))[0].startswith("Bạn không có quyền")


async def test_the_member_list_in_chat(ward: Ward) -> None:  # noqa: F811
    reply = (await ward.coordinator.send("/thanhvien"))[0]
    lines = reply.splitlines()
    assert lines[0] == "Người giữ vai trò ở Phường Hồng Bàng (4):"
    assert "• Lê Hùng: thủ trưởng đơn vị — Công an phường" in lines
    assert lines[lines.index("• Lê Hùng: thủ trưởng đơn vị — Công an phường") + 1] == (
        "  test, từ 10/11/2026"
    )
    assert "• Trần Chủ Tịch: lãnh đạo UBND phường" in lines
    assert (await ward.head.send("/thanhvien"))[0].startswith("Bạn không có quyền")


async def test_help_and_menus_list_the_people_commands_for_coordinators_only(
    ward: Ward,  # noqa: F811
) -> None:
    coordinator_help = (await ward.coordinator.send("/huongdan"))[0]
    head_help = (await ward.head.send("/huongdan"))[0]
    for command in ("/moi ", "/thuhoi ", "/thanhvien "):
        assert command in coordinator_help
        assert command not in head_help
    commands = [command for router in ROUTERS for command in router.commands.values()]
    coordinators = {
        entry.command for entry in menu(commands, roles={Role.COORDINATOR}, citizen=False)
    }
    heads = {entry.command for entry in menu(commands, roles={Role.UNIT_HEAD}, citizen=False)}
    assert {"moi", "thuhoi", "thanhvien"} <= coordinators
    assert not {"moi", "thuhoi", "thanhvien"} & heads


UNIT_NAMES = (
    "Công an phường",
    "Phòng VHXH",
    "Các trường trên địa bàn",
    "Trường Mầm non Hoa Sen",
    "Văn phòng HĐND - UBND",
)
PEOPLE = ("", "Nguyễn Văn An", "Trương Thị Bình", "Lê Trưởng", "thanh")
ROLE_TYPED = (
    ("trưởng", Role.UNIT_HEAD),
    ("TRUONG", Role.UNIT_HEAD),
    ("head", Role.UNIT_HEAD),
    ("thành viên", Role.UNIT_STAFF),
    ("thanh-vien", Role.UNIT_STAFF),
    ("member", Role.UNIT_STAFF),
    ("Đầu mối", Role.COORDINATOR),
    ("dau-moi", Role.COORDINATOR),
    ("lanh dao", Role.LEADER),
)


@given(
    st.sampled_from(UNIT_NAMES),
    st.sampled_from(ROLE_TYPED),
    st.sampled_from(PEOPLE),
    st.sampled_from(("", *PEOPLE[1:])),
)
def test_one_reading_is_what_the_coordinator_meant(
    unit: str, role: tuple[str, Role], name: str, replaced: str
) -> None:
    typed = f"{unit} {role[0]} {name}" + (f" thay {replaced}" if replaced else "")
    wanted = (unit, role[1], name, replaced)
    readings = [(r.unit, r.role, r.person, r.replaces) for r in read_invite_words(typed)]
    assert wanted in readings


async def test_a_blocker_answered_after_its_raiser_left_reaches_the_units_head(
    ward: Ward,  # noqa: F811
) -> None:
    await ward.staff.send("/vuongmac")
    await ward.staff.send("II.12")
    assert (await ward.staff.send("Chưa có kinh phí mua thiết bị"))[0].startswith(
        "Đã ghi vướng mắc #1"
    )
    await ward.coordinator.send("/thuhoi Ngô Minh")
    await ward.coordinator.send("1")
    await ward.coordinator.send("/traloi 1 Phường bố trí trong quý I/2027")
    told = "đã trả lời vướng mắc #1"
    assert not any(told in text for text in await _notifications(ward, "staff"))
    assert any(told in text for text in await _notifications(ward, "head"))
