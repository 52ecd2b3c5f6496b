"""The period digest: the numbers, the sections, and messages that fit each messenger."""

from __future__ import annotations

from chat import person
from hypothesis import given, strategies as st
from test_checkin import Ward, choice_number, ward  # noqa: F401  (the fixture)

from handlers.events import ImageReply
from handlers.reporting.digest import digest_blocks, pack
from handlers.reporting.standing import Standing
from handlers.reporting.summary import summarize


async def _summary(ward: Ward):  # type: ignore[no-untyped-def]  # noqa: F811
    async with ward.application.transaction() as repositories:
        example = await repositories.wards.get("Hồng Bàng")
        period = await repositories.for_ward(example.id).periods.current()
        assert period is not None
        return await summarize(repositories, example, period)


async def test_digest_of_a_month(ward: Ward) -> None:  # noqa: F811
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("1 ht\n2 60% vướng kinh phí\n3 ctk\n4 kps\n5 ht\n6 ht\n7 ht")
    await ward.head.send(choice_number(ward.head, "Lưu"))
    await ward.head.send(choice_number(ward.head, "Gửi báo cáo"))
    summary = await _summary(ward)
    assert summary.submitted == 1 and len(summary.units) == 5
    by_code = {task.code: task for task in summary.tasks}
    # II.12 is led by the police alone: their answer is the task's.
    assert by_code["II.12"].category is Standing.DONE_ON_TIME
    # I.2 concerns every unit: one unit's "done" leaves it in progress for the ward, 1/5.
    assert by_code["I.2"].category is Standing.ON_TRACK
    assert (by_code["I.2"].standing.done, by_code["I.2"].standing.reporting) == (1, 5)
    assert by_code["I.1"].category is Standing.NO_REPORT
    messages = await ward.coordinator.send("/tonghop")
    text = "\n".join(messages)
    assert text.startswith("TỔNG HỢP KỲ 2026-11 — Phường Hồng Bàng")
    assert "Đơn vị đã gửi: 1/5" in text
    assert "Tình trạng 29 nhiệm vụ:" in text and "• Chưa thực hiện: 1" in text
    assert "I. NHIỆM VỤ TRỌNG TÂM" in text and "II. NHIỆM VỤ THƯỜNG XUYÊN" in text
    assert "• I.4 (tối thiểu 90%): chưa có số liệu" in text
    counted = sum(
        int(line.rsplit(": ", 1)[1])
        for line in text.split("Tình trạng 29 nhiệm vụ:\n")[1].split("\n\n")[0].splitlines()
    )
    assert counted == 29
    assert all(len(m) <= 2000 for m in messages)
    # The chart follows the digest, as a picture.
    chart = ward.coordinator.replies[-1]
    assert isinstance(chart, ImageReply) and chart.content.startswith(b"\x89PNG")
    assert messages[-1] == "Biểu đồ tình trạng theo đơn vị và chỉ tiêu kỳ 2026-11."
    assert "Bạn không có quyền" in (await ward.head.send("/tonghop"))[0]
    assert (await ward.leader.send("/tonghop 2026-11"))[0].startswith("TỔNG HỢP KỲ 2026-11")


async def test_citizens_questions_are_counted(ward: Ward) -> None:  # noqa: F811
    await ward.coordinator.send("/moky 2026-11")
    citizen = person(ward.dispatcher(), "citizen-1")
    for question in ("quen mat khau vneid", "giá vàng hôm nay", "giá vàng hôm nay?"):
        await citizen.send(question)
    text = "\n".join(await ward.coordinator.send("/tonghop"))
    assert "Hỗ trợ người dân: 3 câu hỏi; trả lời 1; đưa lựa chọn 0; chuyển cán bộ 2" in text
    assert "• giá vàng hôm nay (2)" in text


async def test_blockers_and_proposals_appear(ward: Ward) -> None:  # noqa: F811
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send("/vuongmac Thiếu thiết bị giám sát")
    await ward.head.send(choice_number(ward.head, "Không gắn"))
    await ward.head.send("/baocao")
    await ward.head.send(choice_number(ward.head, "Trả lời lần lượt"))
    await ward.head.send(choice_number(ward.head, "Đang thực hiện"))
    await ward.head.send("50")
    await ward.head.send("90")
    await ward.head.send(choice_number(ward.head, "Bỏ qua"))
    await ward.head.send(choice_number(ward.head, "Bỏ qua"))
    await ward.head.send("Đề nghị bổ sung kinh phí số hóa")
    text = "\n".join(await ward.coordinator.send("/tonghop"))
    assert "• #1 Công an phường: Thiếu thiết bị giám sát" in text
    assert "Công an phường:\n• I.2: Đề nghị bổ sung kinh phí số hóa" in text
    assert "• I.2 (tối thiểu 100%): 90% — chưa đạt" in text


_lines = st.text(alphabet=st.characters(blacklist_characters="\n"), min_size=1, max_size=300)


@given(
    st.lists(st.lists(_lines, min_size=1, max_size=30), min_size=1, max_size=20),
    st.sampled_from([2000, 4096]),
)
def test_messages_fit_and_lines_stay_whole(blocks: list[list[str]], limit: int) -> None:
    messages = pack(blocks, limit)
    assert all(len(message) <= limit for message in messages)
    sent_lines = [line for message in messages for line in message.split("\n") if line]
    assert sent_lines == [line for block in blocks for line in block]


def test_sections_split_at_boundaries_when_they_fit() -> None:
    blocks = [["a" * 900, "b" * 900], ["c" * 900], ["d" * 100]]
    assert pack(blocks, 2000) == ["a" * 900 + "\n" + "b" * 900, "c" * 900 + "\n\n" + "d" * 100]


def test_digest_blocks_of_an_empty_period_render() -> None:
    from datetime import UTC, datetime

    from handlers.reporting.summary import PeriodSummary

    summary = PeriodSummary(
        "Phường A",
        "Asia/Ho_Chi_Minh",
        "2026-11",
        datetime(2026, 11, 15, 17, tzinfo=UTC),
        (),
        (),
        (),
        (),
        (),
        (),
        (),
        False,
    )
    assert digest_blocks(summary)[0][0] == "TỔNG HỢP KỲ 2026-11 — Phường A"
