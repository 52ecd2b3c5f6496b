"""Onboarding, /toi, /huongdan and the dispatcher's guarantees, driven like a transcript."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest
from chat import person
from sqlalchemy import func, select

from bot.app import Application
from bot.ward_setup import ensure_example_ward, invite
from handlers.context import FlowContext
from handlers.dispatcher import Dispatcher
from handlers.events import Choice, ImageReply
from handlers.fallback import citizen_text, member_text
from handlers.help import send_help
from handlers.i18n import _
from handlers.registry import ROUTERS
from handlers.router import Router
from storage.clock import FixedClock
from storage.models import CONSOLE_CHANNEL, ConversationState, Member
from storage.vocabulary import OutboxKind, Role


@pytest.fixture
async def ward_id(sqlite_application: Application) -> int:
    async with sqlite_application.transaction() as repositories:
        ward, _summary = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
    return ward.id


async def _invite(
    application: Application,
    role: Role,
    unit: str | None = None,
    days: int = 7,
    ward_name: str = "Phường Hồng Bàng",
) -> str:
    async with application.transaction() as repositories:
        ward = await repositories.wards.get(ward_name)
        return (await invite(repositories, ward, role, unit, days)).code


async def _count(application: Application, model: type) -> int:  # type: ignore[type-arg]
    async with application.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_a_unit_head_registers_with_a_code(
    sqlite_application: Application, ward_id: int
) -> None:
    code = await _invite(sqlite_application, Role.UNIT_HEAD, "Phòng VHXH")
    lan = person(sqlite_application.dispatcher(ward_id), "lan", "Nguyễn Thị Lan")
    replies = await lan.send(f"/start {code.lower().replace('-', ' ')}")
    assert (
        replies[0]
        == "Đăng ký thành công: thủ trưởng đơn vị — Phòng Văn hóa - Xã hội, Phường Hồng Bàng."
    )
    profile = (await lan.send("/toi"))[0]
    assert "Họ tên: Nguyễn Thị Lan" in profile
    assert "• thủ trưởng đơn vị — Phòng Văn hóa - Xã hội" in profile


async def test_wrong_used_and_expired_codes_say_so(
    sqlite_application: Application, ward_id: int
) -> None:
    clock = sqlite_application.clock
    assert isinstance(clock, FixedClock)
    dispatcher = sqlite_application.dispatcher(ward_id)
    code = await _invite(sqlite_application, Role.UNIT_HEAD, "Công an phường")
    stale = await _invite(sqlite_application, Role.UNIT_STAFF, "Công an phường", days=1)
    first, second = person(dispatcher, "a"), person(dispatcher, "b")
    assert "không đúng" in (await first.send("/start ZZZZ-ZZZZ"))[0]
    assert "Đăng ký thành công" in (await first.send(f"/start {code}"))[0]
    assert "đã được dùng" in (await second.send(f"/start {code}"))[0]
    clock.advance(timedelta(days=1, seconds=1))
    assert "hết hạn" in (await second.send(f"/start {stale}"))[0]
    assert await _count(sqlite_application, Member) == 1


async def test_a_person_with_two_units_sees_both(
    sqlite_application: Application, ward_id: int
) -> None:
    dispatcher = sqlite_application.dispatcher(ward_id)
    head = person(dispatcher, "h")
    await head.send("/start " + await _invite(sqlite_application, Role.UNIT_HEAD, "Công an phường"))
    await head.send(
        "/start "
        + await _invite(sqlite_application, Role.UNIT_HEAD, "Trung tâm Phục vụ Hành chính công")
    )
    profile = (await head.send("/toi"))[0]
    assert "— Công an phường" in profile and "— Trung tâm Phục vụ Hành chính công" in profile
    assert await _count(sqlite_application, Member) == 1


async def test_coordinators_are_told_who_registered(
    sqlite_application: Application, ward_id: int
) -> None:
    dispatcher = sqlite_application.dispatcher(ward_id)
    coordinator = person(dispatcher, "coord", "Phạm Thu")
    await coordinator.send("/start " + await _invite(sqlite_application, Role.COORDINATOR))
    head = person(dispatcher, "h", "Lê Hùng")
    await head.send("/start " + await _invite(sqlite_application, Role.UNIT_HEAD, "Công an phường"))
    async with sqlite_application.transaction() as repositories:
        queued = await repositories.outbox.pending(
            CONSOLE_CHANNEL, "coord", OutboxKind.NOTIFICATION
        )
    assert [m.payload for m in queued] == [
        {
            "kind": "member_registered",
            "member": "Lê Hùng",
            "role": "head",
            "where": "Công an phường",
        }
    ]


async def test_a_member_of_one_ward_cannot_join_another(
    sqlite_application: Application, ward_id: int
) -> None:
    async with sqlite_application.transaction() as repositories:
        await repositories.wards.add(
            "Phường Vĩnh Tuy", timezone="Asia/Ho_Chi_Minh", report_day=16, locale="vi"
        )
        other_ward = await repositories.wards.get("Vĩnh Tuy")
        await repositories.for_ward(other_ward.id).units.add("Công an phường")
    dispatcher = sqlite_application.dispatcher(ward_id)
    head = person(dispatcher, "h")
    await head.send("/start " + await _invite(sqlite_application, Role.UNIT_HEAD, "Công an phường"))
    other_code = await _invite(
        sqlite_application, Role.UNIT_HEAD, "Công an phường", ward_name="Phường Vĩnh Tuy"
    )
    assert "đã đăng ký với Phường Hồng Bàng" in (await head.send(f"/start {other_code}"))[0]
    assert "Vĩnh Tuy" not in (await head.send("/toi"))[0]


async def test_citizens_and_help(sqlite_application: Application, ward_id: int) -> None:
    dispatcher = sqlite_application.dispatcher(ward_id)
    citizen = person(dispatcher, "dan")
    greeting = await citizen.send("Xin chào!")
    assert greeting[0] == "Chào bạn! Đây là trợ lý của Phường Hồng Bàng."
    assert "/start MÃ" in greeting[1]
    assert "chưa đăng ký" in (await citizen.send("/toi"))[0]
    unknown = await citizen.send("/xoa_du_lieu")
    assert unknown[0] == "Không có lệnh /xoa_du_lieu." and "/huongdan" in unknown[1]
    assert "nhãn dán" in (await citizen.send_sticker())[0]


async def test_english_speakers_are_answered_in_english(
    sqlite_application: Application, ward_id: int
) -> None:
    visitor = person(sqlite_application.dispatcher(ward_id), "en", language="en-US")
    replies = await visitor.send("/toi")
    assert replies[0].startswith("You are not registered with any ward")
    assert (await visitor.send("/start NOPE-NOPE"))[0].startswith(
        "That registration code is not valid"
    )


async def test_a_redelivered_update_is_processed_once(
    sqlite_application: Application, ward_id: int
) -> None:
    code = await _invite(sqlite_application, Role.UNIT_HEAD, "Công an phường")
    head = person(sqlite_application.dispatcher(ward_id), "h")
    assert await head.send(f"/start {code}", update_id="42")
    assert await head.send(f"/start {code}", update_id="42") == []
    assert await _count(sqlite_application, Member) == 1


def _survey_router() -> Router:
    """A two-step flow used to check state persistence and typed choices."""
    router = Router()

    @router.command(
        "khaosat",
        describe=lambda: "/khaosat",
        roles={Role.COORDINATOR, Role.UNIT_HEAD},
        citizens=False,
    )
    async def start(context: FlowContext) -> None:
        context.ask("Chọn một", [Choice("red", "Đỏ"), Choice("blue", "Xanh")])
        context.go_to("survey", "colour")

    @router.flow("survey")
    async def answer(context: FlowContext) -> None:
        if context.event.choice is None:
            context.reply("Chưa chọn")
            context.ask("Chọn một", [Choice("red", "Đỏ"), Choice("blue", "Xanh")])
            return
        context.reply(f"Đã chọn {context.event.choice}")
        context.finish()

    return router


def _dispatcher_with(
    application: Application, router: Router, ward_id: int | None = None
) -> Dispatcher:
    """The application's dispatcher with one more router, as a test flow needs."""
    return Dispatcher(
        application.transactions,
        application.clock,
        (*ROUTERS, router),
        citizen_handler=citizen_text,
        member_text_handler=member_text,
        help_handler=send_help,
        channel_ward_id=ward_id,
    )


def _dispatcher_with_survey(application: Application, ward_id: int) -> Dispatcher:
    return _dispatcher_with(application, _survey_router(), ward_id)


async def test_typed_numbers_answer_choices_even_after_a_restart(
    sqlite_application: Application, ward_id: int
) -> None:
    code = await _invite(sqlite_application, Role.UNIT_HEAD, "Công an phường")
    head = person(_dispatcher_with_survey(sqlite_application, ward_id), "h")
    await head.send(f"/start {code}")
    assert (await head.send("/khaosat")) == ["Chọn một\n1. Đỏ\n2. Xanh"]
    assert (await head.send("7"))[0] == "Chưa chọn"
    restarted = person(_dispatcher_with_survey(sqlite_application, ward_id), "h")
    assert await restarted.send("2") == ["Đã chọn blue"]
    async with sqlite_application.sessions() as session:
        state = (
            await session.execute(
                select(ConversationState).where(ConversationState.external_id == "h")
            )
        ).scalar_one()
    assert state.flow is None and state.data == {}


async def test_state_changed_in_place_is_saved(
    sqlite_application: Application, ward_id: int
) -> None:
    # The state is written back only when it changed: a list grown in place is a change.
    router = Router()

    @router.command("ghi", describe=lambda: "/ghi", roles={Role.UNIT_HEAD}, citizens=False)
    async def start(context: FlowContext) -> None:
        context.go_to("notes", "writing", notes=[])
        context.reply("Ghi đi")

    @router.flow("notes")
    async def write(context: FlowContext) -> None:
        context.data["notes"].append(context.event.text)
        context.reply(" / ".join(context.data["notes"]))

    code = await _invite(sqlite_application, Role.UNIT_HEAD, "Công an phường")
    head = person(_dispatcher_with(sqlite_application, router, ward_id), "h")
    await head.send(f"/start {code}")
    await head.send("/ghi")
    assert await head.send("một") == ["một"]
    restarted = person(_dispatcher_with(sqlite_application, router, ward_id), "h")
    assert await restarted.send("hai") == ["một / hai"]


async def test_a_citizen_without_a_flow_leaves_no_state(
    sqlite_application: Application, ward_id: int
) -> None:
    citizen = person(sqlite_application.dispatcher(ward_id), "c")
    await citizen.send("/toi")
    assert await _count(sqlite_application, ConversationState) == 0


async def test_commands_check_roles(sqlite_application: Application, ward_id: int) -> None:
    dispatcher = _dispatcher_with_survey(sqlite_application, ward_id)
    citizen, staff = person(dispatcher, "c"), person(dispatcher, "s")
    assert (await citizen.send("/khaosat"))[0] == "Bạn không có quyền dùng lệnh /khaosat."
    await staff.send(
        "/start " + await _invite(sqlite_application, Role.UNIT_STAFF, "Công an phường")
    )
    assert (await staff.send("/khaosat"))[0] == "Bạn không có quyền dùng lệnh /khaosat."
    assert "/khaosat" not in (await staff.send("/huongdan"))[0]


async def test_two_messages_at_once_from_one_person_are_handled_in_turn(
    sqlite_application: Application, ward_id: int
) -> None:
    code = await _invite(sqlite_application, Role.UNIT_HEAD, "Công an phường")
    head = person(_dispatcher_with_survey(sqlite_application, ward_id), "h")
    await head.send(f"/start {code}")
    await head.send("/khaosat")
    first, second = await asyncio.gather(head.send("1"), head.send("2"))
    assert first == ["Đã chọn red"]
    assert second[0] == "Mình chưa hiểu tin nhắn này."


async def test_a_failing_flow_changes_nothing_and_apologises(
    sqlite_application: Application, ward_id: int
) -> None:
    router = Router()

    @router.command("hong", describe=lambda: "/hong", citizens=True)
    async def broken(context: FlowContext) -> None:
        context.go_to("never", "saved")
        raise RuntimeError("boom")

    citizen = person(_dispatcher_with(sqlite_application, router), "c")
    assert "đã có lỗi" in (await citizen.send("/hong", update_id="boom-1"))[0]
    async with sqlite_application.sessions() as session:
        states = (await session.execute(select(ConversationState))).scalars().all()
    assert states == []
    assert "đã có lỗi" in (await citizen.send("/hong", update_id="boom-1"))[0]


def test_messages_are_vietnamese_by_default() -> None:
    assert _("Mình chưa hiểu tin nhắn này.") == "Mình chưa hiểu tin nhắn này."


def _dispatcher_with_files(application: Application, made_in: list[tuple[str, bool]]) -> Dispatcher:
    router = Router()

    def chart() -> ImageReply:
        made_in.append((threading.current_thread().name, application.gate.locked()))
        return ImageReply("chart.png", b"\x89PNG", _("Xong"))

    def broken() -> ImageReply:
        raise RuntimeError("no file")

    @router.command("tep", describe=lambda: "/tep", citizens=True)
    async def files(context: FlowContext) -> None:
        context.reply("trước")
        context.send_later(chart)
        context.reply("giữa")
        context.send_later(broken)
        context.reply("sau")
        context.go_to("after", "files")

    return _dispatcher_with(application, router)


async def test_files_are_made_after_the_commit_off_the_event_loop_in_their_place(
    sqlite_application: Application,
) -> None:
    made_in: list[tuple[str, bool]] = []
    citizen = person(_dispatcher_with_files(sqlite_application, made_in), "c", language="en")
    replies = await citizen.send("/tep")
    assert replies[0] == "trước" and replies[2] == "giữa" and replies[4] == "sau"
    # Made in the turn's language, in the files thread, once the write gate was released.
    assert replies[1] == "Done"
    assert made_in == [("reportbot-files_0", False)]
    # A file that cannot be made is apologised for in its place; the turn itself was saved.
    assert (
        replies[3]
        == "Sorry, the file could not be made. Please send the command again in a few minutes."
    )
    async with sqlite_application.sessions() as session:
        state = (await session.execute(select(ConversationState))).scalar_one()
    assert (state.flow, state.step) == ("after", "files")
