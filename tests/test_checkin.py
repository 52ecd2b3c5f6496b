"""The monthly check-in as people use it: open a period, answer, submit, review, blockers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from chat import Person, person
from sqlalchemy import delete, func, select, text

from bot.app import Application
from bot.ward_setup import ensure_example_ward, invite
from handlers.dispatcher import Dispatcher
from handlers.events import ChoicesReply
from storage.clock import FixedClock
from storage.models import (
    CONSOLE_CHANNEL,
    AuditEntry,
    Blocker,
    ConversationState,
    MemberRole,
    Submission,
    TaskReport,
    TaskReportRevision,
)
from storage.repositories.reports import ReportRepository
from storage.vocabulary import OutboxKind, Role, SubmissionState, TaskStatus

POLICE = "Công an phường"


@dataclass
class Ward:
    application: Application
    ward_id: int
    coordinator: Person
    head: Person
    staff: Person
    leader: Person

    def dispatcher(self) -> Dispatcher:
        return self.application.dispatcher(self.ward_id)

    async def outbox_for(self, user_id: str) -> list[dict]:  # type: ignore[type-arg]
        async with self.application.transaction() as repositories:
            return [
                m.payload
                for m in await repositories.outbox.pending(
                    CONSOLE_CHANNEL, user_id, OutboxKind.NOTIFICATION
                )
            ]


async def _register(
    application: Application,
    dispatcher: Dispatcher,
    user: str,
    name: str,
    role: Role,
    unit: str | None,
) -> Person:
    async with application.transaction() as repositories:
        ward = await repositories.wards.get("Hồng Bàng")
        code = (await invite(repositories, ward, role, unit, 7)).code
    who = person(dispatcher, user, name)
    assert "thành công" in (await who.send(f"/start {code}"))[0]
    return who


@pytest.fixture
async def ward(application: Application) -> Ward:
    return await example_ward(application)


async def example_ward(application: Application) -> Ward:
    """The example ward with a coordinator, a police head and staff, and a leader."""
    async with application.transaction() as repositories:
        example, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
    dispatcher = application.dispatcher(example.id)
    return Ward(
        application,
        example.id,
        await _register(application, dispatcher, "coord", "Phạm Thu", Role.COORDINATOR, None),
        await _register(application, dispatcher, "head", "Lê Hùng", Role.UNIT_HEAD, POLICE),
        await _register(application, dispatcher, "staff", "Ngô Minh", Role.UNIT_STAFF, POLICE),
        await _register(application, dispatcher, "leader", "Trần Chủ Tịch", Role.LEADER, None),
    )


def choice_number(person: Person, label_start: str) -> str:
    """The number to type for the option whose label starts so, in the last question asked."""
    question = next(r for r in reversed(person.replies) if isinstance(r, ChoicesReply))
    for number, choice in enumerate(question.choices, start=1):
        if choice.label.startswith(label_start):
            return str(number)
    raise AssertionError(f"no option {label_start!r} in {[c.label for c in question.choices]}")


async def _count(application: Application, model: type) -> int:  # type: ignore[type-arg]
    async with application.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_opening_a_period_tells_each_unit_head(ward: Ward) -> None:
    reply = (await ward.coordinator.send("/moky 2026-11"))[0]
    assert reply.startswith("Đã mở kỳ 2026-11, hạn gửi trước 00:00 ngày 16/11/2026.")
    [message] = await ward.outbox_for("head")
    assert (
        message["kind"] == "period_opened" and message["unit"] == POLICE and message["tasks"] == 7
    )
    assert "đã được mở" in (await ward.coordinator.send("/moky 2026-11"))[0]
    assert "Bạn không có quyền" in (await ward.head.send("/moky 2026-12"))[0]


async def test_a_head_who_registers_in_an_open_period_reads_the_welcome_before_the_notice(
    ward: Ward,
) -> None:
    """The notice the registration queued for the head's own chat goes out after the replies
    to `/start`, as the delivery loop sends a chat's rows in the order they were written."""
    await ward.coordinator.send("/moky 2026-11")
    await _register(ward.application, ward.dispatcher(), "late", "Đỗ Lan", Role.UNIT_HEAD, POLICE)
    async with ward.application.transaction() as repositories:
        rows = await repositories.outbox.pending(CONSOLE_CHANNEL, "late")
    kinds = [row.kind for row in rows]
    assert kinds[-1] is OutboxKind.NOTIFICATION and rows[-1].payload["kind"] == "period_opened"
    assert set(kinds[:-1]) == {OutboxKind.REPLY}, kinds


async def test_a_head_answers_task_by_task_and_submits(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    head = ward.head
    overview = (await head.send("/baocao"))[0]
    assert (
        "Kỳ báo cáo 2026-11 — Công an phường" in overview and "Nhiệm vụ cần báo cáo: 7" in overview
    )
    card = (await head.send(choice_number(head, "Trả lời lần lượt")))[0]
    assert card.startswith("1. [I.2] 100% hồ sơ công việc") and "Chỉ tiêu: tối thiểu 100%" in card
    await head.send(choice_number(head, "Đang thực hiện"))
    assert "từ 0 đến 100" in (await head.send("120"))[0]
    kpi_question = (await head.send("60"))[0]
    assert kpi_question.startswith("Giá trị chỉ tiêu đạt được")
    assert "không phải là một số" in (await head.send("abc"))[0]
    await head.send("85")
    assert "Kết quả, sản phẩm" in head.replies[-1].text  # type: ignore[union-attr]
    await head.send("Đã số hóa 85% hồ sơ")
    await head.send(choice_number(head, "Bỏ qua các mục còn lại"))
    assert "2. [I.14]" in head.replies[-1].text  # type: ignore[union-attr]
    for _ in range(6):
        await head.send(choice_number(head, "Không phát sinh"))
    review = head.replies[-1]
    assert isinstance(review, ChoicesReply) and review.text.startswith(
        "Báo cáo kỳ 2026-11 — Công an phường:"
    )
    assert (
        "1. [I.2] Đang thực hiện đúng hạn 60%; chỉ tiêu đạt 85; kết quả: Đã số hóa 85% hồ sơ"
        in review.text
    )
    done = (await head.send(choice_number(head, "Gửi báo cáo")))[0]
    assert done == "Đã gửi báo cáo kỳ 2026-11. Phòng Văn hóa - Xã hội đã được báo."
    assert any(m["kind"] == "submitted" and not m["late"] for m in await ward.outbox_for("coord"))
    async with ward.application.sessions() as session:
        report = (
            await session.execute(select(TaskReport).where(TaskReport.kpi_value.is_not(None)))
        ).scalar_one()
    assert (report.status, report.progress_percent, report.kpi_value) == (
        TaskStatus.IN_PROGRESS,
        60,
        85,
    )
    progress = (await ward.coordinator.send("/tiendo"))[0]
    assert "✓ Công an phường: đã gửi (7/7)" in progress


async def test_a_restart_mid_checkin_continues_at_the_same_question(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("/baocao")
    await ward.head.send(choice_number(ward.head, "Trả lời lần lượt"))
    await ward.head.send(choice_number(ward.head, "Đang thực hiện"))
    restarted = person(ward.application.dispatcher(ward.ward_id), "head", "Lê Hùng")
    assert (await restarted.send("45"))[0].startswith("Giá trị chỉ tiêu đạt được")
    interrupted = await restarted.send("/toi")
    assert interrupted[0].startswith("Bạn đang trả lời dở")
    assert interrupted[1].startswith("Giá trị chỉ tiêu đạt được")


async def test_commands_and_stickers_mid_flow_repeat_the_question(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    head = ward.head
    await head.send("/baocao")
    await head.send(choice_number(head, "Trả lời lần lượt"))
    interrupted = await head.send("/toi")
    assert interrupted[0].startswith("Bạn đang trả lời dở")
    assert interrupted[1].startswith("1. [I.2]") and "Tình trạng kỳ này?" in interrupted[1]
    sticker = await head.send_sticker()
    assert "nhãn dán" in sticker[0]
    assert (await head.send(choice_number(head, "Hoàn thành")))[0].startswith("Giá trị chỉ tiêu")
    assert (await head.send("/huy"))[0].startswith("Đã dừng")
    assert "Họ tên: Lê Hùng" in (await head.send("/toi"))[0]


async def test_free_text_limits_and_meaningless_answers(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    head = ward.head
    await head.send("/baocao")
    await head.send(choice_number(head, "Trả lời lần lượt"))
    await head.send(choice_number(head, "Hoàn thành"))
    await head.send(choice_number(head, "Chưa có số liệu"))
    long_reply = (await head.send("x" * 3000))[0]
    assert (
        long_reply == "Nội dung dài 3000 ký tự, quá giới hạn 2000 ký tự. Bạn rút gọn rồi gửi lại."
    )
    assert "cần có chữ hoặc số" in (await head.send("😀😀"))[0]
    async with ward.application.sessions() as session:
        report = (await session.execute(select(TaskReport))).scalar_one()
    assert report.result is None and report.status is TaskStatus.DONE


async def test_one_message_report_is_confirmed_before_saving(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    head = ward.head
    understood = (
        await head.send("1 HT\n2 60% vướng kinh phí\n3 ctk\nII.12: đang thực hiện 70%\n99 ht")
    )[0]
    assert understood.startswith("Kỳ 2026-11 — Công an phường. Mình hiểu như sau:")
    assert "✓ 1. [I.2] Hoàn thành" in understood
    assert "✓ 2. [I.14] Đang thực hiện 60%; vướng: vướng kinh phí" in understood
    assert "? 5: «99 ht» — không có nhiệm vụ này trong danh sách" in understood
    assert await _count(ward.application, TaskReport) == 0
    await head.send(choice_number(head, "Lưu"))
    assert await _count(ward.application, TaskReport) == 4
    review = head.replies[-1].text  # type: ignore[union-attr]
    assert review.startswith("Báo cáo kỳ 2026-11")
    # I.15 was due in June: not started in November is overdue; I.2 (due December) is on time.
    assert "3. [I.15] Chưa triển khai, đã quá hạn" in review
    assert "1. [I.2] Hoàn thành đúng hạn" in review


async def test_help_explains_the_short_forms_with_an_example_that_is_understood(
    ward: Ward,
) -> None:
    await ward.coordinator.send("/moky 2026-11")
    help_text = (await ward.head.send("/huongdan"))[0]
    assert (
        "Viết tắt: HT (hoàn thành), ĐTH (đang thực hiện), CTK (chưa triển khai), "
        "KPS (không phát sinh trong kỳ), «giữ» (như kỳ trước). Ví dụ cho Công an phường:"
    ) in help_text
    example = help_text.split("Ví dụ cho Công an phường:\n", 1)[1]
    understood = (await ward.head.send(example))[0]
    assert (
        understood.startswith("Kỳ 2026-11 — Công an phường. Mình hiểu như sau:")
        and "?" not in understood
    )


async def test_staff_drafts_only_the_head_submits(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    await ward.staff.send("1 kps\n2 kps\n3 kps\n4 kps\n5 kps\n6 kps\n7 kps")
    await ward.staff.send(choice_number(ward.staff, "Lưu"))
    review = ward.staff.replies[-1]
    assert isinstance(review, ChoicesReply) and "Gửi báo cáo" not in [
        c.label for c in review.choices
    ]
    await ward.head.send("/baocao")
    await ward.head.send(choice_number(ward.head, "Xem lại và gửi"))
    assert (await ward.head.send(choice_number(ward.head, "Gửi báo cáo")))[0].startswith(
        "Đã gửi báo cáo"
    )


async def test_coordinator_returns_then_accepts_and_late_changes_are_marked(ward: Ward) -> None:
    clock = ward.application.clock
    assert isinstance(clock, FixedClock)
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("1 ht\n2 ht\n3 ht\n4 ht\n5 ht\n6 ht\n7 ht")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    await ward.head.send(choice_number(ward.head, "Gửi báo cáo"))
    assert "Cần ghi lý do" in (await ward.coordinator.send("/tralai Công an phường"))[0]
    assert "Bạn không có quyền" in (await ward.leader.send("/duyet Công an phường"))[0]
    returned = (
        await ward.coordinator.send("/tralai Công an phường; thiếu số liệu nhiệm vụ II.12")
    )[0]
    assert returned.startswith("Đã trả lại báo cáo của Công an phường")
    assert any(
        m["kind"] == "returned" and m["reason"] == "thiếu số liệu nhiệm vụ II.12"
        for m in await ward.outbox_for("head")
    )
    assert "bị trả lại" in (await ward.leader.send("/tiendo"))[0]
    clock.advance(timedelta(days=10))
    await ward.head.send("/baocao")
    await ward.head.send(choice_number(ward.head, "Xem lại và gửi"))
    await ward.head.send(choice_number(ward.head, "Sửa một nhiệm vụ"))
    assert "Không có nhiệm vụ số" in (await ward.head.send("12"))[0]
    await ward.head.send("5")
    await ward.head.send(choice_number(ward.head, "Đang thực hiện"))
    await ward.head.send("90")
    await ward.head.send(choice_number(ward.head, "Bỏ qua các mục còn lại"))
    assert (await ward.head.send(choice_number(ward.head, "Gửi báo cáo")))[0].startswith(
        "Đã gửi báo cáo kỳ 2026-11 (sau hạn)"
    )
    assert (await ward.coordinator.send("/duyet công an"))[
        0
    ] == "Đã duyệt báo cáo của Công an phường."
    async with ward.application.sessions() as session:
        submission = (await session.execute(select(Submission))).scalar_one()
        late = (
            (
                await session.execute(
                    select(TaskReport).where(TaskReport.changed_after_due.is_(True))
                )
            )
            .scalars()
            .all()
        )
        revisions = (
            await session.execute(select(func.count()).select_from(TaskReportRevision))
        ).scalar_one()
    assert submission.state is SubmissionState.ACCEPTED and submission.submitted_late
    assert len(late) == 1 and late[0].progress_percent == 90
    assert revisions == 9  # 7 answers, then the edit: status, then progress


async def _store_state(ward: Ward, step: str, data: dict[str, Any]) -> None:
    """Put the head's conversation where a version before the typed state left it."""
    async with ward.application.sessions() as session, session.begin():
        state = (
            await session.execute(
                select(ConversationState).where(ConversationState.external_id == "head")
            )
        ).scalar_one()
        state.flow, state.step, state.data = "checkin", step, data


async def test_a_check_in_stored_by_the_previous_version_continues(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("/baocao")
    async with ward.application.transaction() as repositories:
        ward_repositories = repositories.for_ward(ward.ward_id)
        unit = await ward_repositories.units.find(POLICE)
        assert unit is not None
        tasks = (await ward_repositories.plans.tasks_for_unit(unit.id)).reporting
    # Correcting task 5 from the review: back to the review after it.
    await _store_state(
        ward,
        "status",
        {"unit_id": unit.id, "coordinating": False, "position": 4, "editing": True},
    )
    assert "Tình trạng kỳ này?" in (await ward.head.send("/toi"))[1]
    await ward.head.send(choice_number(ward.head, "Không phát sinh"))
    assert ward.head.replies[-1].text.startswith("Báo cáo kỳ 2026-11")  # type: ignore[union-attr]
    # A one-message report waiting for confirmation, its KPI value kept as text.
    pending = {
        "task_id": tasks[0].id,
        "values": {"status": "in_progress", "progress_percent": 60, "kpi_value": "85"},
    }
    await _store_state(
        ward,
        "quick_confirm",
        {
            "unit_id": unit.id,
            "coordinating": False,
            "position": 0,
            "quick": [pending],
            "_choices": ["save", "cancel"],
        },
    )
    assert (await ward.head.send("1"))[0] == "Đã lưu 1 nhiệm vụ."
    async with ward.application.sessions() as session:
        saved = (
            (await session.execute(select(TaskReport).order_by(TaskReport.task_id))).scalars().all()
        )
    assert [(r.task_id, r.status, r.progress_percent, r.kpi_value) for r in saved] == [
        (tasks[0].id, TaskStatus.IN_PROGRESS, 60, 85),
        (tasks[4].id, TaskStatus.NOT_APPLICABLE, None, None),
    ]


async def test_blockers_reach_the_coordinator_with_a_two_working_day_deadline(ward: Ward) -> None:
    clock = ward.application.clock
    assert isinstance(clock, FixedClock)
    head = ward.head
    await head.send("/vuongmac")
    assert "Không có nhiệm vụ số hoặc mã" in (await head.send("X.99"))[0]
    await head.send("II.12")
    reply = (await head.send("Chưa có kinh phí mua thiết bị giám sát an ninh mạng"))[0]
    # Raised Tuesday 10 Nov 2026, 09:00 in Hà Nội: due Thursday 12 Nov, 17:00.
    assert reply.startswith("Đã ghi vướng mắc #1") and "17:00 ngày 12/11/2026" in reply
    [alert] = [m for m in await ward.outbox_for("coord") if m["kind"] == "blocker_raised"]
    assert alert["unit"] == POLICE
    clock.advance(timedelta(days=3))
    assert "QUÁ HẠN trả lời" in (await ward.coordinator.send("/vuongmac"))[0]
    assert (await ward.coordinator.send("/traloi 1 Phường sẽ bố trí trong quý I/2027"))[
        0
    ].startswith("Đã trả lời vướng mắc #1 (sau hạn")
    assert any(m["kind"] == "blocker_answered" for m in await ward.outbox_for("head"))
    assert "Không có vướng mắc nào" in (await ward.coordinator.send("/vuongmac"))[0]
    assert await _count(ward.application, Blocker) == 1


async def test_an_incident_alerts_coordinators_and_leaders(ward: Ward) -> None:
    await ward.head.send("/sucou")
    await ward.head.send(choice_number(ward.head, "An toàn thông tin"))
    reply = (await ward.head.send("Máy tính bộ phận một cửa nhiễm mã độc lúc 8h"))[0]
    assert reply.startswith("Đã ghi sự cố #1")
    assert any(m["kind"] == "incident" for m in await ward.outbox_for("coord"))
    assert any(m["kind"] == "incident" for m in await ward.outbox_for("leader"))


async def test_the_same_update_twice_is_processed_once(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("/baocao", update_id="tg-1")
    await ward.head.send(choice_number(ward.head, "Trả lời lần lượt"), update_id="tg-2")
    first = await ward.head.send(choice_number(ward.head, "Hoàn thành"), update_id="tg-3")
    assert first and await ward.head.send("1", update_id="tg-3") == []
    assert await _count(ward.application, TaskReport) == 1


async def test_answers_are_audited(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("1 ht")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    async with ward.application.sessions() as session:
        entries = (
            (await session.execute(select(AuditEntry).where(AuditEntry.entity == "task_report")))
            .scalars()
            .all()
        )
    assert [e.changes["status"] for e in entries] == [[None, "done"]]


async def test_last_periods_answer_can_be_kept(ward: Ward) -> None:
    await ward.coordinator.send("/moky 2026-10")
    await ward.head.send("1 ht, đã ban hành quy chế\n2 đang thực hiện 40%")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    await ward.coordinator.send("/moky 2026-11")
    understood = (await ward.head.send("1 giữ\n2 giu nguyen, vướng nhân lực\n3 giữ"))[0]
    assert "✓ 1. [I.2] giữ như kỳ trước" in understood
    assert "? 3: «3 giữ» — kỳ trước chưa có câu trả lời để giữ" in understood
    await ward.head.send(choice_number(ward.head, "Lưu"))
    await ward.head.send(choice_number(ward.head, "Sửa một nhiệm vụ"))
    card = (await ward.head.send("2"))[0]
    assert "Kỳ trước: Đang thực hiện 40%" in card
    await ward.head.send(choice_number(ward.head, "Giữ như kỳ trước"))
    async with ward.application.sessions() as session:
        november = (
            (await session.execute(select(TaskReport).order_by(TaskReport.id))).scalars().all()
        )[2:]
    assert [(r.status, r.progress_percent, r.result, r.difficulties) for r in november] == [
        (TaskStatus.DONE, 100, "đã ban hành quy chế", None),
        (TaskStatus.IN_PROGRESS, 40, None, None),
    ]


async def test_staff_the_coordinator_allowed_may_submit(ward: Ward) -> None:
    async with ward.application.transaction() as repositories:
        example = await repositories.wards.get("Hồng Bàng")
        code = (
            await invite(repositories, example, Role.UNIT_STAFF, POLICE, 7, may_submit=True)
        ).code
    deputy = person(ward.dispatcher(), "deputy", "Phó Công an")
    await deputy.send(f"/start {code}")
    await ward.coordinator.send("/moky 2026-11")
    await deputy.send("1 kps\n2 kps\n3 kps\n4 kps\n5 kps\n6 kps\n7 kps")
    await deputy.send(choice_number(deputy, "Lưu"))
    assert (await deputy.send(choice_number(deputy, "Gửi báo cáo")))[0].startswith("Đã gửi báo cáo")


async def test_another_wards_coordinator_sees_nothing_of_this_ward(ward: Ward) -> None:
    async with ward.application.transaction() as repositories:
        other = await repositories.wards.add(
            "Phường Cầu Giấy", timezone="Asia/Ho_Chi_Minh", report_day=18, locale="vi"
        )
        code = (await invite(repositories, other, Role.COORDINATOR, None, 7)).code
    stranger = person(ward.application.dispatcher(other.id), "stranger", "Người phường khác")
    await stranger.send(f"/start {code}")
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("1 ht")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    assert (await stranger.send("/tiendo"))[0].startswith("Chưa có kỳ báo cáo nào đang mở")
    await stranger.send("/moky 2026-11")
    assert (await stranger.send("/donvi Công an phường"))[0].startswith(
        "Không có đơn vị «Công an phường»"
    )
    assert "Công an phường" not in (await stranger.send("/tiendo"))[0]
    await ward.head.send("/vuongmac Thiếu máy chủ")
    await ward.head.send(choice_number(ward.head, "Không gắn"))
    assert "Không có vướng mắc số «1»" in (await stranger.send("/traloi 1 trả lời thử"))[0]
    assert "Không có vướng mắc nào" in (await stranger.send("/vuongmac"))[0]
    assert (await stranger.send("/duyet Công an phường"))[0].startswith("Không có đơn vị")


async def test_half_year_periods(ward: Ward) -> None:
    reply = (await ward.coordinator.send("/moky 2026-H2"))[0]
    # Half-yearly reports are due by 25 November: before the 26th begins.
    assert reply.startswith("Đã mở kỳ 2026-H2, hạn gửi trước 00:00 ngày 26/11/2026.")
    assert "NĂM-H1" in (await ward.coordinator.send("/moky 2026-H3"))[0]
    assert "NĂM-H1" in (await ward.coordinator.send("/moky tháng mười"))[0]
    await ward.head.send("1 ht")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    assert ward.head.replies[-1].text.startswith("Báo cáo kỳ 2026-H2 — Công an phường")  # type: ignore[union-attr]


async def _head_mid_report_loses_the_role(ward: Ward) -> Person:
    await ward.coordinator.send("/moky 2026-11")
    head = ward.head
    await head.send("/baocao")
    await head.send(choice_number(head, "Trả lời lần lượt"))
    async with ward.application.sessions() as session, session.begin():
        await session.execute(delete(MemberRole).where(MemberRole.role == Role.UNIT_HEAD))
    return head


async def test_a_head_whose_role_is_taken_away_mid_report_is_stopped(ward: Ward) -> None:
    head = await _head_mid_report_loses_the_role(ward)
    assert await head.send(choice_number(head, "Hoàn thành")) == [
        "Bạn không còn vai trò báo cáo cho đơn vị này. Bạn liên hệ phòng Văn hóa - Xã hội nếu cần."
    ]
    assert await _count(ward.application, TaskReport) == 0
    assert "Bạn không có quyền dùng lệnh /baocao." in (await head.send("/baocao"))[0]


async def test_a_command_mid_report_after_the_role_is_taken_away_ends_the_report(
    ward: Ward,
) -> None:
    head = await _head_mid_report_loses_the_role(ward)
    replies = await head.send("/toi")
    assert replies[-1].startswith("Bạn không còn vai trò báo cáo cho đơn vị này.")
    # The report has ended: the next message is no answer to a task (help says why instead).
    assert "Bạn không còn vai trò báo cáo cho đơn vị này" not in " ".join(await head.send("1"))


async def test_a_closed_periods_answer_changed_later_shows_at_the_next_message(
    ward: Ward,
) -> None:
    # Last period's answers are kept between messages once the period is closed; a change
    # made to them all the same (plain SQL here) must show.
    await ward.coordinator.send("/moky 2026-10")
    await ward.head.send("1 ht")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    await ward.coordinator.send("/dongky")
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("/baocao")
    card = (await ward.head.send(choice_number(ward.head, "Trả lời lần lượt")))[0]
    assert "Kỳ trước: Hoàn thành" in card
    async with ward.application.sessions() as session, session.begin():
        await session.execute(
            text(
                "UPDATE task_report SET status = 'in_progress', progress_percent = 30 "
                "WHERE period_id = (SELECT id FROM period WHERE label = '2026-10')"
            )
        )
    await ward.head.send("/huy")
    await ward.head.send("/baocao")
    card = (await ward.head.send(choice_number(ward.head, "Trả lời lần lượt")))[0]
    assert "Kỳ trước: Đang thực hiện 30%" in card


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_an_answer_saved_while_the_period_closes_shows_as_last_periods(
    ward: Ward, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL runs the head's turn and the coordinator's /dongky side by side. Whichever
    # order it allows, last period's answers shown afterwards must include the head's.
    saved, release = asyncio.Event(), asyncio.Event()
    original_save = ReportRepository.save

    async def save_then_wait(self: ReportRepository, *args: Any, **kwargs: Any) -> Any:
        answer = await original_save(self, *args, **kwargs)
        if not saved.is_set():
            saved.set()
            await release.wait()
        return answer

    async def colleagues_card() -> str:
        await ward.staff.send("/baocao")
        card = (await ward.staff.send(choice_number(ward.staff, "Trả lời lần lượt")))[0]
        await ward.staff.send("/huy")
        return card

    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("1 ht")
    monkeypatch.setattr(ReportRepository, "save", save_then_wait)
    head_saves = asyncio.create_task(ward.head.send(choice_number(ward.head, "Lưu")))
    await saved.wait()
    closing = asyncio.create_task(ward.coordinator.send("/dongky"))
    await asyncio.sleep(0.3)
    closed_first = closing.done()
    if closed_first:
        # The close did not wait: the next period opens and a card shows last period's
        # answers while the head's answer is still uncommitted.
        await ward.coordinator.send("/moky 2026-12")
        await colleagues_card()
    release.set()
    await head_saves
    assert (await closing)[0] == "Đã đóng kỳ 2026-11."
    if not closed_first:
        await ward.coordinator.send("/moky 2026-12")
    assert "Kỳ trước: Hoàn thành" in await colleagues_card()
