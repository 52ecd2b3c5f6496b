"""Citizens' questions are deleted after the retention time; the figures that counted them stay."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.app import Application, open_application
from bot.cli import app
from bot.config import Settings
from bot.scheduler import Scheduler
from handlers.guidance import QuestionStats, period_questions, purge_questions
from handlers.guidance.retention import months_before
from storage.clock import FixedClock
from storage.models import Handoff
from storage.repositories import Repositories

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# The clock of tests/conftest.py: 2026-11-10 09:00 in Hanoi, so with 12 months everything
# asked before 2025-11-10 00:00 Hanoi time (2025-11-09 17:00 UTC) goes.
START_KEPT = datetime(2025, 11, 9, 17, 0, tzinfo=UTC)

# (asked at, masked question, outcome); the emoji asks nothing and is in no count.
QUESTIONS = [
    (datetime(2024, 12, 15, 3, 0, tzinfo=UTC), "quen mk vneid", "answer"),
    (datetime(2024, 12, 31, 18, 0, tzinfo=UTC), "giá vàng hôm nay", "handoff"),  # 1/1 in Hanoi
    (datetime(2025, 6, 1, 8, 0, tzinfo=UTC), "đổi cccd", "choices"),
    (datetime(2025, 6, 1, 9, 0, tzinfo=UTC), "giá vàng hôm nay", "handoff"),
    (datetime(2025, 6, 2, 9, 0, tzinfo=UTC), "🙂", "handoff"),
    (START_KEPT - timedelta(minutes=1), "đăng ký tạm trú", "answer"),
    (START_KEPT, "đăng ký tạm trú online", "answer"),
    (datetime(2026, 10, 1, 2, 0, tzinfo=UTC), "giá vàng hôm nay", "handoff"),
]
DELETED = 6  # the first six
# Questions asked where no ward was known have no ward's calendar: their day ends at midnight
# UTC, so the one asked at 17:00 UTC on 9 November goes too.
NO_WARD_DELETED = 7

# Periods in the ward's calendar: [first day, end day).
PERIODS = [
    (date(2024, 12, 1), date(2025, 1, 1)),
    (date(2025, 1, 1), date(2026, 1, 1)),
    (date(2025, 6, 1), date(2025, 6, 2)),
    (date(2025, 11, 1), date(2025, 12, 1)),
    (date(2024, 1, 1), date(2027, 1, 1)),
]


async def _ward_with_questions(application: Application) -> int:
    async with application.transaction() as repositories:
        ward = await repositories.wards.add(
            "Phường Thử", timezone="Asia/Ho_Chi_Minh", report_day=16, locale="vi"
        )
        for ward_id in (ward.id, None):
            for asked_at, text, outcome in QUESTIONS:
                question = repositories.questions.record(
                    ward_id=ward_id,
                    platform="console",
                    masked_text=text,
                    outcome=outcome,
                    guide_id=None,
                    handoff_reason=None,
                )
                question.asked_at = asked_at
        handoffs = repositories.for_ward(ward.id).handoffs
        for asked_at, text, outcome in QUESTIONS:
            if outcome == "handoff":
                handoff = await handoffs.open(
                    channel="console", chat_id="c", masked_question=text, locale="vi"
                )
                handoff.asked_at = asked_at
        return ward.id


async def _figures(application: Application, ward_id: int) -> list[QuestionStats]:
    async with application.transaction() as repositories:
        return [
            await period_questions(repositories.questions, ward_id, HANOI, first, end)
            for first, end in PERIODS
        ]


async def _stored(repositories: Repositories, ward_id: int | None) -> list[str]:
    far = datetime(2100, 1, 1, tzinfo=UTC)
    return [q.masked_text for q in await repositories.questions.asked_before(ward_id, far)]


def _counts(stats: QuestionStats) -> tuple[int, int, int, int]:
    return (stats.total, stats.answered, stats.offered_choices, stats.handed_over)


async def test_old_questions_go_recent_stay_and_the_figures_do_not_change(
    application: Application,
) -> None:
    ward_id = await _ward_with_questions(application)
    before = await _figures(application, ward_id)
    assert [_counts(stats) for stats in before] == [
        (1, 1, 0, 0),
        (5, 2, 1, 2),
        (2, 0, 1, 1),
        (2, 2, 0, 0),
        (7, 3, 1, 3),
    ]

    async with application.transaction() as repositories:
        assert await purge_questions(repositories, 12, dry_run=True) == DELETED + NO_WARD_DELETED
    async with application.transaction() as repositories:
        assert len(await _stored(repositories, ward_id)) == len(QUESTIONS)
        assert await purge_questions(repositories, 12) == DELETED + NO_WARD_DELETED

    async with application.transaction() as repositories:
        assert await _stored(repositories, ward_id) == [text for _, text, _ in QUESTIONS[DELETED:]]
        assert await _stored(repositories, None) == [QUESTIONS[-1][1]]
        handed = await repositories.session.execute(select(Handoff.asked_at))
        assert list(handed.scalars()) == [QUESTIONS[-1][0]]
    after = await _figures(application, ward_id)
    assert [_counts(stats) for stats in after] == [_counts(stats) for stats in before]
    # What goes is the wording of the deleted questions, not their count.
    assert after[1].top_unanswered == ()
    assert after[-1].top_unanswered == (("giá vàng hôm nay", 1),)

    # A second purge finds nothing and counts nothing twice.
    async with application.transaction() as repositories:
        assert await purge_questions(repositories, 12) == 0
    assert [_counts(s) for s in await _figures(application, ward_id)] == [
        _counts(s) for s in before
    ]


async def test_a_shorter_retention_time_deletes_more(application: Application) -> None:
    ward_id = await _ward_with_questions(application)
    before = await _figures(application, ward_id)
    async with application.transaction() as repositories:
        assert await purge_questions(repositories, 2) == 2 * (len(QUESTIONS) - 1)
        assert await _stored(repositories, ward_id) == [QUESTIONS[-1][1]]
    after = await _figures(application, ward_id)
    assert [_counts(stats) for stats in after] == [_counts(stats) for stats in before]


async def test_reportbot_run_purges_at_start_and_then_daily(application: Application) -> None:
    ward_id = await _ward_with_questions(application)
    scheduler = Scheduler(application.transaction, question_months=12)
    scheduler.start()
    try:
        for _ in range(200):
            async with application.transaction() as repositories:
                if len(await _stored(repositories, ward_id)) < len(QUESTIONS):
                    break
            await asyncio.sleep(0.05)
    finally:
        scheduler.stop()
    async with application.transaction() as repositories:
        assert await _stored(repositories, ward_id) == [text for _, text, _ in QUESTIONS[DELETED:]]


async def test_a_scheduler_without_a_retention_time_deletes_nothing(
    application: Application,
) -> None:
    ward_id = await _ward_with_questions(application)
    assert await Scheduler(application.transaction).purge_questions() == 0
    async with application.transaction() as repositories:
        assert len(await _stored(repositories, ward_id)) == len(QUESTIONS)


@pytest.mark.parametrize(
    ("day", "months", "earlier"),
    [
        (date(2026, 11, 10), 12, date(2025, 11, 10)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2028, 3, 31), 1, date(2028, 2, 29)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
        (date(2026, 5, 31), 120, date(2016, 5, 31)),
    ],
)
def test_months_before_counts_calendar_months(day: date, months: int, earlier: date) -> None:
    assert months_before(day, months) == earlier


def test_the_cli_purges_and_says_how_many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("REPORTBOT_DATABASE_URL", url)
    monkeypatch.setenv("REPORTBOT_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("REPORTBOT_CITIZEN_QUESTION_MONTHS", "6")
    # The command reads the wall clock (as `reportbot run` does): the questions are placed
    # around it.
    now = datetime.now(UTC)
    old_month = (now - timedelta(days=400)).astimezone(HANOI)

    async def seed() -> None:
        settings = Settings(database_url=url)
        async with (
            open_application(settings, FixedClock(now)) as application,
            application.transaction() as repositories,
        ):
            ward = await repositories.wards.add(
                "Phường Thử", timezone="Asia/Ho_Chi_Minh", report_day=16, locale="vi"
            )
            for moment, outcome in [
                (old_month, "answer"),
                (old_month, "handoff"),
                (now - timedelta(days=3), "answer"),
            ]:
                repositories.questions.record(
                    ward_id=ward.id,
                    platform="console",
                    masked_text="quên mật khẩu",
                    outcome=outcome,
                    guide_id=None,
                    handoff_reason=None,
                ).asked_at = moment

    asyncio.run(seed())
    runner = CliRunner()
    figures = ["questions", "--ward", "Phường Thử", "--month", old_month.strftime("%Y-%m")]
    before = runner.invoke(app, figures)
    assert before.exit_code == 0
    assert "Tổng số câu hỏi: 2; trả lời được: 1; đưa lựa chọn: 0; chuyển cán bộ: 1" in before.stdout

    dry = runner.invoke(app, ["citizen", "purge", "--dry-run"])
    assert dry.exit_code == 0
    assert "sẽ xóa 2 câu hỏi lưu quá 6 tháng; chưa xóa gì" in dry.stdout
    done = runner.invoke(app, ["citizen", "purge"])
    assert done.exit_code == 0
    assert "Đã xóa 2 câu hỏi lưu quá 6 tháng" in done.stdout
    assert "Đã xóa 0 câu hỏi" in runner.invoke(app, ["citizen", "purge"]).stdout

    after = runner.invoke(app, figures)
    assert after.stdout.splitlines()[0] == before.stdout.splitlines()[0]
    assert "Câu hỏi chưa có hướng dẫn" not in after.stdout


async def test_two_processes_purging_at_once_count_each_question_once(
    application: Application, clock: FixedClock
) -> None:
    ward_id = await _ward_with_questions(application)
    before = await _figures(application, ward_id)
    async with open_application(application.settings, clock) as other:

        async def purge(one: Application) -> int:
            async with one.transaction() as repositories:
                return await purge_questions(repositories, 12)

        deleted = await asyncio.gather(purge(application), purge(other))
    assert sum(deleted) == DELETED + NO_WARD_DELETED
    after = await _figures(application, ward_id)
    assert [_counts(stats) for stats in after] == [_counts(stats) for stats in before]
