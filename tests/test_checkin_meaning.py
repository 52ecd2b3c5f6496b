"""The check-in saves what the head meant (issue 17): typed numbers where a number is asked,
no KPI question for a task not started, the one-message report's notes as meant."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from chat import Person
from sqlalchemy import select
from test_checkin import Ward, _register, choice_number, example_ward

from bot.app import Application
from handlers.events import ChoicesReply
from handlers.notifications import render_notification
from storage.clock import FixedClock
from storage.models import Blocker, Period, Task, TaskReport
from storage.vocabulary import Role, TaskStatus

CULTURE = "Phòng Văn hóa - Xã hội"


@pytest.fixture
async def ward(application: Application) -> Ward:
    return await example_ward(application)


def number_of(overview: str, code: str) -> str:
    found = re.search(rf"^(\d+)\. \[{re.escape(code)}\]", overview, re.MULTILINE)
    assert found, overview
    return found.group(1)


async def _reports(ward: Ward) -> list[TaskReport]:
    async with ward.application.sessions() as session:
        return list((await session.execute(select(TaskReport))).scalars())


async def _edit(head: Person, code: str) -> str:
    """From the overview, to the status question of the task with this code."""
    overview = (await head.send("/baocao"))[0]
    await head.send(choice_number(head, "Xem lại"))
    await head.send(choice_number(head, "Sửa một nhiệm vụ"))
    return (await head.send(number_of(overview, code)))[0]


async def test_a_typed_number_at_a_count_kpi_is_the_value_not_an_option(ward: Ward) -> None:
    head = await _register(
        ward.application, ward.dispatcher(), "culture", "Vũ Lan", Role.UNIT_HEAD, CULTURE
    )
    await ward.coordinator.send("/moky 2026-11")
    assert "[I.11]" in await _edit(head, "I.11")
    await head.send(choice_number(head, "Đang thực hiện"))
    await head.send("40")
    question = head.replies[-1]
    assert isinstance(question, ChoicesReply) and "sáng kiến" in question.text
    # Listed as a keyword to type, not as "1." that a typed 1 would choose.
    assert "«chưa có»: Chưa có số liệu" in question.numbered_text()
    assert "1. Chưa có số liệu" not in question.numbered_text()
    assert "Kết quả, sản phẩm" in (await head.send("1"))[0]
    [report] = await _reports(ward)
    assert (report.status, report.progress_percent, report.kpi_value) == (
        TaskStatus.IN_PROGRESS,
        40,
        1,
    )


async def test_the_kpi_keywords_are_typed_or_pressed(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    head = ward.head
    await head.send("/baocao")
    await head.send(choice_number(head, "Trả lời lần lượt"))
    await head.send(choice_number(head, "Đang thực hiện"))
    await head.send("60")
    assert "Kết quả, sản phẩm" in (await head.send("Chưa có"))[0]
    [report] = await _reports(ward)
    assert report.kpi_value is None and report.progress_percent == 60


async def test_a_task_not_started_asks_neither_kpi_nor_result(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    head = ward.head
    await head.send("/baocao")
    card = (await head.send(choice_number(head, "Trả lời lần lượt")))[0]
    assert "Chỉ tiêu" in card  # I.2 has a KPI target
    question = (await head.send(choice_number(head, "Chưa triển khai")))[0]
    assert question.startswith("Khó khăn, vướng mắc?")
    assert "Giá trị chỉ tiêu" not in question and "Kết quả" not in question


async def test_a_superscript_digit_after_a_numbered_list_is_no_crash(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    head = ward.head
    await head.send("/baocao")
    replies = await head.send("²")
    assert not any("đã có lỗi" in reply for reply in replies)
    await head.send(choice_number(head, "Xem lại"))
    await head.send(choice_number(head, "Sửa một nhiệm vụ"))
    replies = await head.send("²")
    assert "Không có nhiệm vụ số «²»" in replies[0]


async def test_one_message_notes_reach_the_report_as_meant(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    head = ward.head
    shown = (
        await head.send(
            "1 hoàn thành 100% ko vướng\n2 ht kết quả: đã bố trí 2 cán bộ\n3 ht 😀\n"
            "4 đang tiến hành 30%"
        )
    )[0]
    assert "kết quả: kết quả" not in shown and "?" not in shown.split("\n", 1)[1]
    await head.send(choice_number(head, "Lưu"))
    saved = {r.task_id: r for r in await _reports(ward)}
    assert len(saved) == 4
    by_values = [(r.status, r.progress_percent, r.result, r.difficulties) for r in saved.values()]
    assert sorted(by_values, key=repr) == sorted(
        [
            (TaskStatus.DONE, 100, None, None),
            (TaskStatus.DONE, 100, "đã bố trí 2 cán bộ", None),
            (TaskStatus.DONE, 100, None, None),
            (TaskStatus.IN_PROGRESS, 30, None, None),
        ],
        key=repr,
    )


async def test_after_the_period_closes_a_report_is_told_which_period_comes_next(
    ward: Ward,
) -> None:
    await ward.coordinator.send("/moky 2026-11")
    assert "Đã đóng kỳ 2026-11" in (await ward.coordinator.send("/dongky"))[0]
    [reply] = await ward.head.send("1 ht")
    assert reply == (
        "Kỳ 2026-11 đã đóng, chưa có kỳ báo cáo nào đang mở. Kỳ tiếp theo (2026-12) mở từ "
        "ngày 1 tháng 12 năm 2026; phòng Văn hóa - Xã hội sẽ thông báo khi mở kỳ."
    )
    assert "Kỳ tiếp theo (2026-12)" in (await ward.head.send("/baocao"))[0]
    assert "Mình chưa hiểu" in (await ward.head.send("xin chào"))[0]


async def test_the_registration_reply_names_the_ward_once(application: Application) -> None:
    example = await example_ward(application)
    replies = [r.text for r in example.coordinator.replies if hasattr(r, "text")]
    assert replies[0] == (
        "Đăng ký thành công: chuyên viên đầu mối (phòng Văn hóa - Xã hội) — Phường Hồng Bàng."
    )


async def test_with_two_periods_open_the_head_and_the_coordinator_choose(ward: Ward) -> None:
    coordinator, head = ward.coordinator, ward.head
    await coordinator.send("/moky 2026-10")
    await coordinator.send("/moky 2026-11")
    question = (await head.send("/baocao"))[0]
    assert question.startswith("Đang mở 2 kỳ báo cáo. Bạn báo cáo cho kỳ nào?")
    overview = (await head.send(choice_number(head, "Kỳ 2026-10")))[0]
    assert overview.startswith("Kỳ báo cáo 2026-10 — Công an phường")
    await head.send(choice_number(head, "Trả lời lần lượt"))
    await head.send(choice_number(head, "Hoàn thành"))
    await head.send("/huy")
    async with ward.application.sessions() as session:
        [report] = list((await session.execute(select(TaskReport))).scalars())
        period = await session.get(Period, report.period_id)
    assert period is not None and period.label == "2026-10"
    assert (await head.send("/baocao 2026-11"))[0].startswith("Kỳ báo cáo 2026-11")
    await head.send("/huy")

    progress = (await coordinator.send("/tiendo"))[0]
    assert progress.startswith("Đang mở 2 kỳ: 2026-10, 2026-11. Dưới đây là kỳ 2026-11")
    assert (await coordinator.send("/tiendo 2026-10"))[0].startswith("Kỳ 2026-10")
    refused = (await coordinator.send("/dongky"))[0]
    assert refused == "Đang mở 2 kỳ: 2026-10, 2026-11. Ghi rõ kỳ sau lệnh, ví dụ «2026-11»."
    assert (await coordinator.send("/dongky 2026-10"))[0] == "Đã đóng kỳ 2026-10."
    assert (await coordinator.send("/dongky 2026-10"))[0].startswith("Kỳ «2026-10» không đang mở")
    assert (await coordinator.send("/dongky"))[0] == "Đã đóng kỳ 2026-11."


async def test_review_commands_without_a_name_give_their_own_example(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    assert (await ward.coordinator.send("/duyet"))[0] == (
        "Ghi tên đơn vị sau lệnh, ví dụ: /duyet Công an phường"
    )
    assert "/tralai Công an phường; " in (await ward.coordinator.send("/tralai"))[0]


async def _submit_all_done(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("1 ht\n2 ht\n3 ht\n4 ht\n5 ht\n6 ht\n7 ht")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    await ward.head.send(choice_number(ward.head, "Gửi báo cáo"))


async def test_an_edit_after_submitting_shows_and_the_coordinator_is_told(ward: Ward) -> None:
    clock = ward.application.clock
    assert isinstance(clock, FixedClock)
    await _submit_all_done(ward)
    clock.advance(timedelta(hours=3))
    await ward.head.send("2 60% thiếu kinh phí")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    [edited] = [m for m in await ward.outbox_for("coord") if m["kind"] == "edited_after_submission"]
    assert render_notification(edited) == (
        "Công an phường đã sửa báo cáo kỳ 2026-11 sau khi gửi (lúc 12:00 ngày 10/11/2026). "
        "Xem: /donvi Công an phường"
    )
    progress = (await ward.coordinator.send("/tiendo"))[0]
    assert "Công an phường: đã gửi, đã sửa sau khi gửi lúc 12:00 ngày 10/11/2026 (7/7)" in progress
    unit = (await ward.coordinator.send("/donvi công an"))[0]
    assert "đã sửa sau khi gửi lúc 12:00 ngày 10/11/2026" in unit.split("\n")[0]
    # A second edit in the same round is shown by its time, not told again.
    clock.advance(timedelta(hours=1))
    await ward.head.send("3 ctk")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    assert (
        len([m for m in await ward.outbox_for("coord") if m["kind"] == "edited_after_submission"])
        == 1
    )
    assert "lúc 13:00" in (await ward.coordinator.send("/tiendo"))[0]


async def test_an_edit_after_acceptance_returns_the_report_to_review(ward: Ward) -> None:
    clock = ward.application.clock
    assert isinstance(clock, FixedClock)
    await _submit_all_done(ward)
    await ward.coordinator.send("/duyet Công an phường")
    assert "đã duyệt" in (await ward.coordinator.send("/tiendo"))[0]
    clock.advance(timedelta(hours=1))
    await ward.head.send("4 ctk")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    told = [m for m in await ward.outbox_for("coord") if m["kind"] == "edited_after_submission"]
    assert [m["accepted"] for m in told] == [True]
    assert "trở lại chờ duyệt" in render_notification(told[0])
    assert (
        "Công an phường: đã gửi, đã sửa sau khi gửi" in (await ward.coordinator.send("/tiendo"))[0]
    )


async def test_a_blocker_names_the_task_by_its_list_number_and_only_the_units_own(
    ward: Ward,
) -> None:
    head = ward.head
    question = (await head.send("/vuongmac"))[0]
    assert "«không»: Không gắn với nhiệm vụ cụ thể" in question
    number = number_of(question, "II.12")
    assert (await head.send(number))[0].startswith("Mô tả ngắn gọn vướng mắc")
    await head.send("Chưa có thiết bị giám sát")
    # II.11 is led by the culture office with the ward's office: the police have no part in it.
    refused = await head.send("/vuongmac II.11 thiếu người")
    assert refused[0].startswith("Nhiệm vụ II.11 không phải của Công an phường")
    await head.send("X.99")
    assert "Không có nhiệm vụ số hoặc mã «X.99»" in head.replies[-2].text  # type: ignore[union-attr]
    await head.send("không")
    async with ward.application.sessions() as session:
        blockers = list((await session.execute(select(Blocker).order_by(Blocker.id))).scalars())
    tasks = {t.code: t.id for t in await _tasks(ward)}
    assert [(b.task_id, b.description) for b in blockers] == [
        (tasks["II.12"], "Chưa có thiết bị giám sát"),
        (None, "thiếu người"),
    ]


async def _tasks(ward: Ward) -> list[Task]:
    async with ward.application.sessions() as session:
        return list((await session.execute(select(Task))).scalars())


async def test_answering_a_blocker_says_how_and_asks_before_replacing(ward: Ward) -> None:
    coordinator = ward.coordinator
    assert (await coordinator.send("/traloi"))[0].startswith("Ghi số vướng mắc và câu trả lời")
    assert "Không có vướng mắc số «²»" in (await coordinator.send("/traloi ² có"))[0]
    await ward.head.send("/vuongmac")
    await ward.head.send("không")
    await ward.head.send("Thiếu máy tính")
    await coordinator.send("/traloi 1 Đã bố trí 2 máy")
    asked = (await coordinator.send("/traloi 1 Bố trí 3 máy"))[0]
    assert asked.startswith("Vướng mắc #1 đã được trả lời: «Đã bố trí 2 máy». Thay bằng")
    assert (await coordinator.send(choice_number(coordinator, "Giữ")))[0] == (
        "Đã giữ câu trả lời cũ."
    )
    async with ward.application.sessions() as session:
        assert (await session.get(Blocker, 1)).answer == "Đã bố trí 2 máy"  # type: ignore[union-attr]
    clock = ward.application.clock
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(minutes=5))
    await coordinator.send("/traloi 1 Bố trí 3 máy")
    await coordinator.send(choice_number(coordinator, "Thay"))
    async with ward.application.sessions() as session:
        assert (await session.get(Blocker, 1)).answer == "Bố trí 3 máy"  # type: ignore[union-attr]
    answered = [m for m in await ward.outbox_for("head") if m["kind"] == "blocker_answered"]
    assert [m["answer"] for m in answered] == ["Đã bố trí 2 máy", "Bố trí 3 máy"]


async def test_units_are_found_by_short_forms_in_any_case(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    for typed in ("vhxh", "VHXH", "phòng vhxh", "văn hóa xã hội", "van hoa xa hoi"):
        reply = (await ward.coordinator.send(f"/donvi {typed}"))[0]
        assert reply.startswith("Phòng Văn hóa - Xã hội — kỳ 2026-11"), (typed, reply)
