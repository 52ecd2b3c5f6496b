"""Hostile input through the dispatcher, on SQLite and PostgreSQL: nothing crashes (the error
path is never taken), nothing unbounded comes back, nothing is stored from what was refused."""

from __future__ import annotations

import asyncio
import os
import random
import unicodedata

import pytest
from chat import Person, person
from hypothesis import given, strategies as st
from sqlalchemy import func, select

from bot.app import Application, open_application
from bot.config import Settings
from bot.ward_setup import ensure_example_ward, invite
from handlers.checkin.actions import open_period
from handlers.checkin.answers import list_number
from handlers.dispatcher import Dispatcher
from handlers.text.hygiene import MAX_TEXT, clean_text
from storage.models import AuditEntry, Period, TaskReport, TaskReportRevision
from storage.repositories import Repositories
from storage.vocabulary import Role

POLICE = "Công an phường"
APOLOGY = "Xin lỗi, đã có lỗi khi xử lý tin nhắn"
# How many generated messages each database gets (CI runs the full 10,000).
FUZZED = int(os.environ.get("REPORTBOT_FUZZ_MESSAGES", "10000"))
# The most a reply may echo: a screen or so of the person's own input, never all of it.
LONGEST_TURN = MAX_TEXT


@given(st.text())
def test_cleaned_text_is_nfc_and_safe_and_cleaning_it_again_changes_nothing(raw: str) -> None:
    cleaned = clean_text(raw)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert not any(
        unicodedata.category(char) in ("Cc", "Cs") and char not in "\n\t" for char in cleaned
    )
    assert "\x00" not in cleaned and "\r" not in cleaned
    assert clean_text(cleaned) == cleaned


def test_decomposed_vietnamese_is_composed_and_invisible_marks_go() -> None:
    decomposed = unicodedata.normalize("NFD", "báo cáo tiến độ")
    assert clean_text(decomposed) == "báo cáo tiến độ"
    assert clean_text("1\u200b ht\u00ad\x00\ud800") == "1 ht"


@given(st.text(), st.integers(1, 2**31 - 1))
def test_a_list_number_is_ascii_digits_within_the_list_or_nothing(typed: str, count: int) -> None:
    number = list_number(typed, count)
    if number is not None:
        assert 1 <= number <= count and typed.strip().rstrip(".").isascii()


def test_numbers_people_type_and_those_that_are_none() -> None:
    assert list_number("2", 5) == 2 and list_number(" 3. ", 5) == 3
    for typed in ("²", "٣", "５", "0", "-1", "99999999999999999999999", "1e3", "", "6"):
        assert list_number(typed, 5) is None, typed
    assert list_number("99999999999999999999999", 2**31 - 1) is None


async def _people(application: Application) -> tuple[Person, ...]:
    async with application.transaction() as repositories:
        ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        codes = {
            role: (await invite(repositories, ward, role, unit, 7)).code
            for role, unit in (
                (Role.COORDINATOR, None),
                (Role.UNIT_HEAD, POLICE),
                (Role.UNIT_STAFF, POLICE),
                (Role.LEADER, None),
            )
        }
    dispatcher = application.dispatcher(ward.id)
    people = []
    for role, code in codes.items():
        who = person(dispatcher, str(role), f"Cán bộ {role}")
        assert "thành công" in (await who.send(f"/start {code}"))[0]
        people.append(who)
    await people[0].send("/moky 2026-11")
    return (*people, person(dispatcher, "citizen", "Người dân"))


HOSTILE = [
    "²",
    "/traloi ² x",
    "/traloi 99999999999999999999999 x",
    "/traloi -5 x",
    "\ud800 quên mật khẩu",
    "quên\x00 mật khẩu vneid",
    "/tonghop \x00",
    "/xuat 2026-11\x00",
    "/donvi \x00" + POLICE,
    "/moi \x00",
    "/moi " + POLICE + " trưởng " + "Nguyễn " * 400,
    "/moi " + "trưởng " * 600,
    "/moi " + POLICE + " trưởng An thay " + "x" * 3000,
    "/thuhoi \x00",
    "/thuhoi " + "a" * 3000,
    "1 ht\x00\n2 60% vướng\x00 kinh phí",
    "/" + "a" * 10_000,
    "a" * 30_000,
    "1 ht\n" * 5_000,
    "1 ht\n" * 800,
    "1 ht\n2 ht\n" + "xyz abc\n" * 500,
    "\n".join(f"{n} ht {'ghi chú ' * 60}" for n in range(1, 8)),
    "\u202e\u200b\ufeff",
    "🙂" * 3000,
    unicodedata.normalize("NFD", "2 đang thực hiện 50% vướng kinh phí"),
]


async def test_known_hostile_messages_get_an_answer_never_the_apology(
    application: Application,
) -> None:
    people = await _people(application)
    for who in people:
        for hostile in HOSTILE:
            replies = await who.send(hostile)
            assert replies, (who.sender.user_id, hostile[:40])
            joined = "\n".join(replies)
            assert APOLOGY not in joined, (who.sender.user_id, hostile[:40])
            assert len(joined) <= LONGEST_TURN, (who.sender.user_id, hostile[:40], len(joined))
        # After a one-message report with a NUL byte, saving works (the head is not stuck).
        await who.send("/huy")


async def test_a_message_past_the_limit_is_refused_whole_and_nothing_is_saved(
    application: Application,
) -> None:
    _coordinator, head, *_ = await _people(application)
    too_long = "1 ht\n" + "x" * MAX_TEXT
    [reply] = await head.send(too_long)
    assert "quá giới hạn 4.096 ký tự" in reply
    async with application.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(TaskReport))).scalar() == 0


async def test_a_pasted_page_is_summarised_not_echoed(application: Application) -> None:
    """A confirmation shows each task understood and a screen of the rest, counted."""
    _coordinator, head, *_ = await _people(application)
    [confirmation] = await head.send("1 ht kết quả: " + "rất tốt " * 40 + "\n" + "xyz\n" * 700)
    assert len(confirmation) <= 2_000
    assert "1 dòng hợp lệ, 700 dòng chưa hiểu:" in confirmation
    assert "… và 695 dòng nữa chưa hiểu." in confirmation
    assert confirmation.count("«xyz»") == 5
    await head.send("1")
    async with application.sessions() as session:
        result = (await session.execute(select(TaskReport.result))).scalar_one()
    # Shown shortened, saved whole.
    assert result is not None and result.count("rất tốt") == 40


def _fuzzed(rng: random.Random) -> str:
    pieces = [
        lambda: rng.choice(
            [
                "/baocao",
                "/tiendo",
                "/toi",
                "/huongdan",
                "/huy",
                "/vuongmac",
                "/traloi",
                "/duyet",
                "/tralai",
                "/donvi",
                "/tonghop",
                "/suco",
                "/moky",
                "/dongky",
                "/nhom",
                "/start",
                "/moi",
                "/thuhoi",
                "/thanhvien",
            ]
        ),
        lambda: str(rng.randint(-3, 40)),
        lambda: rng.choice(
            [
                "ht",
                "HT",
                "đth",
                "ctk",
                "kps",
                "xong",
                "đang làm",
                "vướng",
                "Lưu",
                "Gửi báo cáo",
                "Sửa",
                "có",
                "không",
                "như kỳ trước",
            ]
        ),
        lambda: f"{rng.randint(0, 130)}%",
        lambda: "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(1, 12))),
        lambda: rng.choice(["\x00", "\ud800", "\u200b", "²", "٣", "1,000", "1.000.000", "\n"]),
        lambda: "x" * rng.choice([1, 100, 2000]),
        lambda: rng.choice(["quên mật khẩu vneid", "iHanoi", "dịch vụ công", "cccd gắn chip"]),
    ]
    return " ".join(rng.choice(pieces)() for _ in range(rng.randint(1, 6)))


async def test_generated_messages_from_every_role_never_take_the_error_path(
    application: Application,
) -> None:
    people = await _people(application)
    rng = random.Random(57)
    errors: list[str] = []
    for n in range(FUZZED):
        who = people[n % len(people)]
        message = _fuzzed(rng)
        joined = "\n".join(await who.send(message))
        if APOLOGY in joined:
            errors.append(message)
        assert len(joined) <= LONGEST_TURN, message[:60]
    assert errors == []


CONCURRENT_SAVERS = 50


@pytest.mark.postgres
async def test_fifty_people_saving_one_task_at_once_through_two_processes_never_fail(
    postgres_database: str,
) -> None:
    """50 members of one unit answer the same task at the same moment, half through each
    process (engine): every save lands as its own revision, each in the audit log under its
    author, the last one the answer; nobody sees an error."""
    first = open_application(Settings(database_url=postgres_database))
    second = open_application(Settings(database_url=postgres_database))
    async with first as one, second as other:
        async with one.transaction() as repositories:
            ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
            codes = [
                (await invite(repositories, ward, role, POLICE, 7)).code
                for role in [Role.UNIT_HEAD, Role.UNIT_STAFF] * (CONCURRENT_SAVERS // 2)
            ] + [(await invite(repositories, ward, Role.COORDINATOR, None, 7)).code]
        heads: list[Person] = []
        dispatchers: tuple[Dispatcher, Dispatcher] = (
            one.dispatcher(ward.id),
            other.dispatcher(ward.id),
        )
        coordinator = person(dispatchers[0], "coord")
        await coordinator.send(f"/start {codes[-1]}")
        await coordinator.send("/moky 2026-11")
        for n, code in enumerate(codes[:-1]):
            head = person(dispatchers[n % 2], f"head{n}", f"Cán bộ {n}")
            await head.send(f"/start {code}")
            heads.append(head)
        # Each a different progress, so each save is a real change.
        replies = await asyncio.gather(*(head.send(f"1 {n + 1}%") for n, head in enumerate(heads)))
        assert not any(APOLOGY in "\n".join(r) for r in replies)
        # "1" is the first option offered: save.
        saved = await asyncio.gather(*(head.send("1") for head in heads))
        assert not any(APOLOGY in "\n".join(r) for r in saved), saved
        assert all(r[0] == "Đã lưu 1 nhiệm vụ." for r in saved), saved
        async with one.sessions() as session:
            revisions = (
                await session.execute(select(func.count()).select_from(TaskReportRevision))
            ).scalar()
            answers = (await session.execute(select(TaskReport.progress_percent))).scalars()
            authors = set(
                (
                    await session.execute(
                        select(AuditEntry.actor).where(AuditEntry.entity == "task_report")
                    )
                ).scalars()
            )
        assert list(answers) != [] and revisions == CONCURRENT_SAVERS
        # The audit log names each author by their account.
        assert {f"test:head{n}" for n in range(CONCURRENT_SAVERS)} <= {
            author.partition("(")[2].rstrip(")") for author in authors
        }


@pytest.mark.postgres
async def test_two_transactions_saving_one_answer_take_turns(postgres_database: str) -> None:
    """The race itself, made certain: the first saver holds its transaction open while the
    second saves the same task; the second waits, then writes the next revision."""
    async with (
        open_application(Settings(database_url=postgres_database)) as one,
        open_application(Settings(database_url=postgres_database)) as other,
    ):
        async with one.transaction() as repositories:
            ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
            await open_period(repositories, ward, "2026-11", actor="test")
        async with one.transaction() as repositories:
            period, unit, task = await _answer_target(repositories, ward.id)
            await repositories.for_ward(ward.id).reports.save(
                period, task, unit, {"status": "not_started"}, member_id=None, actor="first"
            )
        first_saved = asyncio.Event()

        async def save(application: Application, status: str, hold: bool) -> None:
            async with application.transaction() as repositories:
                reports = repositories.for_ward(ward.id).reports
                period, unit, task = await _answer_target(repositories, ward.id)
                # As the flows do: the unit's answers read at the start of the turn.
                loaded = await reports.for_unit(period, unit)
                await reports.save(
                    period,
                    task,
                    unit,
                    {"status": status},
                    member_id=None,
                    actor=status,
                    loaded=loaded,
                )
                if hold:
                    first_saved.set()
                    await asyncio.sleep(0.5)

        async def second() -> None:
            await first_saved.wait()
            await save(other, "in_progress", hold=False)

        await asyncio.gather(save(one, "done", hold=True), second())
        async with one.sessions() as session:
            revisions = (
                await session.execute(select(func.count()).select_from(TaskReportRevision))
            ).scalar()
            status = (await session.execute(select(TaskReport.status))).scalar_one()
        assert revisions == 3 and status == "in_progress"


async def _answer_target(repositories: Repositories, ward_id: int) -> tuple[Period, int, int]:
    ward = repositories.for_ward(ward_id)
    period = await ward.periods.current()
    unit = await ward.units.find(POLICE)
    assert period is not None and unit is not None
    tasks = await ward.plans.tasks_for_unit(unit.id)
    return period, unit.id, tasks.reporting[0].id


@pytest.mark.postgres
async def test_a_persons_first_two_messages_through_two_processes_both_answered(
    postgres_database: str,
) -> None:
    async with (
        open_application(Settings(database_url=postgres_database)) as one,
        open_application(Settings(database_url=postgres_database)) as other,
    ):
        async with one.transaction() as repositories:
            ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        for n in range(20):
            a = person(one.dispatcher(ward.id), f"citizen{n}")
            b = person(other.dispatcher(ward.id), f"citizen{n}")
            both = await asyncio.gather(a.send("/toi"), b.send("/huongdan"))
            assert all(r and APOLOGY not in "\n".join(r) for r in both)
