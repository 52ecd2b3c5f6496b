"""The coordinator checks an import from the chat: /kehoach and /donvi without a name."""

from __future__ import annotations

from chat import person
from test_checkin import Ward, ward  # noqa: F401  (the fixture)

from bot.ward_setup import invite
from storage.vocabulary import Role


async def test_the_plan_by_section_in_chat(ward: Ward) -> None:  # noqa: F811
    reply = (await ward.coordinator.send("/kehoach"))[0]
    lines = reply.splitlines()
    assert lines[0].startswith("Kế hoạch KH-NQ57/2026:") and lines[0].endswith("29 nhiệm vụ")
    assert "  • I. NHIỆM VỤ TRỌNG TÂM: 15" in lines
    assert "  • II. NHIỆM VỤ THƯỜNG XUYÊN: 14" in lines
    assert not any(line.startswith("  !") for line in lines)
    # Leaders read it too; unit heads do not see the ward's plans this way.
    assert (await ward.leader.send("/kehoach"))[0] == reply
    assert not (await ward.head.send("/kehoach"))[0].startswith("Kế hoạch")


async def test_the_unit_list_with_each_units_share(ward: Ward) -> None:  # noqa: F811
    reply = (await ward.coordinator.send("/donvi"))[0]
    lines = reply.splitlines()
    assert lines[0] == "Các đơn vị của phường (5):"
    police = next(line for line in lines if "Công an phường" in line)
    # Lead on its three (II.12-14) and the four every unit leads (I.2, I.14, I.15, II.7);
    # coordinating every other task but II.2 (no coordinating unit) and II.11 (one office).
    assert police.endswith("chủ trì 7, phối hợp 20")
    assert lines[-1] == "Xem báo cáo của một đơn vị: /donvi TÊN"


async def test_an_empty_ward_says_how_to_load_a_plan(ward: Ward) -> None:  # noqa: F811
    async with ward.application.transaction() as repositories:
        other = await repositories.wards.add(
            "Phường Cầu Giấy", timezone="Asia/Ho_Chi_Minh", report_day=18, locale="vi"
        )
        code = (await invite(repositories, other, Role.COORDINATOR, None, 7)).code
    coordinator = person(ward.application.dispatcher(other.id), "cg", "Chuyên viên Cầu Giấy")
    await coordinator.send(f"/start {code}")
    assert "reportbot plan import" in (await coordinator.send("/kehoach"))[0]
    assert (await coordinator.send("/donvi"))[0] == "Phường chưa có đơn vị nào."
