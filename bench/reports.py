"""Digests and exports at city scale: 126 wards × 10 units × 30 tasks, every task answered.

Prints JSON: seconds and peak memory for all chat digests plus the city workbook, and for one
ward's Word report. Targets (issue 4): ≤ 10 s and ≤ 400 MB for the city, ≤ 1 s for one ward's
Word file, on a 2-core machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select

from bot.app import Application, open_application
from bot.config import Settings
from bot.reports.word.document import render_word_report
from bot.reports.workbook import render_city_workbook
from handlers.reporting.digest import digest_messages
from handlers.reporting.summary import PeriodSummary, summarize
from storage.clock import FixedClock
from storage.models import Period, Plan, Submission, Task, TaskReport, TaskUnit, Unit, Ward
from storage.vocabulary import (
    DeadlineKind,
    PeriodKind,
    PeriodState,
    SubmissionState,
    TaskStatus,
    UnitLink,
)

WARDS, UNITS, TASKS = 126, 10, 30
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
STATUSES = (
    TaskStatus.DONE,
    TaskStatus.IN_PROGRESS,
    TaskStatus.NOT_STARTED,
    TaskStatus.NOT_APPLICABLE,
)


async def _populate(application: Application) -> None:
    """Rows written in bulk (Core inserts): the benchmark times the reports, not the typing."""
    async with application.sessions() as session, session.begin():
        for w in range(WARDS):
            ward_id = (
                await session.execute(
                    insert(Ward)
                    .values(
                        name=f"Phường Thử {w + 1}",
                        name_key=f"thu {w + 1}",
                        timezone="Asia/Ho_Chi_Minh",
                        report_day=16,
                        locale="vi",
                        created_at=NOW,
                    )
                    .returning(Ward.id)
                )
            ).scalar_one()
            unit_ids = list(
                (
                    await session.execute(
                        insert(Unit).returning(Unit.id),
                        [
                            dict(
                                ward_id=ward_id,
                                name=f"Phòng số {u + 1}",
                                name_key=f"phong so {u + 1}",
                                aliases=[],
                                kind="office",
                                created_at=NOW,
                            )
                            for u in range(UNITS)
                        ],
                    )
                ).scalars()
            )
            plan_id = (
                await session.execute(
                    insert(Plan)
                    .values(
                        ward_id=ward_id,
                        number="54/KH-UBND",
                        title="Kế hoạch thử",
                        reporting_schedule={},
                        revision=1,
                        created_at=NOW,
                        updated_at=NOW,
                    )
                    .returning(Plan.id)
                )
            ).scalar_one()
            task_rows = [
                dict(
                    plan_id=plan_id,
                    ward_id=ward_id,
                    position=t + 1,
                    code=f"{'I' if t < 15 else 'II'}.{t % 15 + 1}",
                    section_code="I" if t < 15 else "II",
                    section_title="NHIỆM VỤ TRỌNG TÂM" if t < 15 else "NHIỆM VỤ THƯỜNG XUYÊN",
                    content=f"Tối thiểu {60 + t}% hồ sơ được xử lý trực tuyến, nhiệm vụ số {t + 1}",
                    output="Báo cáo",
                    lead_all_units=False,
                    coordinate_all_units=False,
                    deadline_kind=DeadlineKind.MONTH,
                    deadline_due=date(2026, 6 if t % 4 == 0 else 12, 30 if t % 4 == 0 else 31),
                    deadline_text="Tháng 12/2026",
                    kpi_value=Decimal(60 + t) if t % 3 == 0 else None,
                    kpi_unit="%" if t % 3 == 0 else None,
                    kpi_comparator=">=" if t % 3 == 0 else None,
                    source_text="",
                    active=True,
                )
                for t in range(TASKS)
            ]
            task_ids = list(
                (await session.execute(insert(Task).returning(Task.id), task_rows)).scalars()
            )
            await session.execute(
                insert(TaskUnit),
                [
                    dict(task_id=task_id, unit_id=unit_id, link=UnitLink.LEAD, position=0)
                    for task_id in task_ids
                    for unit_id in unit_ids
                ],
            )
            period_id = (
                await session.execute(
                    insert(Period)
                    .values(
                        ward_id=ward_id,
                        label="2026-11",
                        kind=PeriodKind.MONTH,
                        starts_on=date(2026, 11, 1),
                        ends_on=date(2026, 11, 30),
                        due_at=datetime(2026, 11, 15, 17, tzinfo=UTC),
                        state=PeriodState.OPEN,
                        opened_at=NOW,
                    )
                    .returning(Period.id)
                )
            ).scalar_one()
            await session.execute(
                insert(TaskReport),
                [
                    dict(
                        ward_id=ward_id,
                        period_id=period_id,
                        task_id=task_id,
                        unit_id=unit_id,
                        status=STATUSES[(i + j) % 4],
                        progress_percent=50 + (i * j) % 50,
                        kpi_value=Decimal(55 + (i + j) % 45),
                        result=f"Kết quả của đơn vị {j + 1} cho nhiệm vụ {i + 1}",
                        difficulties="Thiếu kinh phí" if (i + j) % 7 == 0 else None,
                        proposals="Đề nghị bổ sung kinh phí" if (i + j) % 11 == 0 else None,
                        evidence=[],
                        revision=1,
                        changed_after_due=False,
                        updated_at=NOW,
                    )
                    for i, task_id in enumerate(task_ids)
                    for j, unit_id in enumerate(unit_ids)
                ],
            )
            await session.execute(
                insert(Submission),
                [
                    dict(
                        ward_id=ward_id,
                        period_id=period_id,
                        unit_id=unit_id,
                        state=SubmissionState.SUBMITTED if u % 5 else SubmissionState.DRAFT,
                        submitted_at=NOW,
                        submitted_late=u % 4 == 0,
                        updated_at=NOW,
                    )
                    for u, unit_id in enumerate(unit_ids)
                ],
            )


async def _city(
    application: Application,
) -> tuple[list[PeriodSummary], int, bytes, dict[str, float]]:
    """Every ward's summary and digest, then the city workbook; returns the time of each part."""
    summaries = []
    messages = 0
    started = time.perf_counter()
    async with application.transaction() as repositories:
        for ward in await repositories.wards.all():
            period = await repositories.for_ward(ward.id).periods.by_label("2026-11")
            assert period is not None
            summary = await summarize(repositories, ward, period)
            messages += len(digest_messages(summary, "zalo"))
            summaries.append(summary)
    summarised = time.perf_counter()
    workbook = render_city_workbook(summaries)
    split = {
        "summaries_and_digests_seconds": round(summarised - started, 2),
        "city_workbook_seconds": round(time.perf_counter() - summarised, 2),
    }
    return summaries, messages, workbook, split


def _measured(work):  # type: ignore[no-untyped-def]
    """Seconds of a plain run, then peak memory from a second, traced run (tracing slows it)."""
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{Path(folder) / 'city.db'}")
        async with open_application(settings, FixedClock(NOW)) as application:
            started = time.perf_counter()
            await _populate(application)
            populate_seconds = time.perf_counter() - started
            started = time.perf_counter()
            summaries, messages, workbook, split = await _city(application)
            city_seconds = time.perf_counter() - started
            async with application.sessions() as session:
                assert (await session.execute(select(Ward.id))).first() is not None
        (_, word_seconds, word_peak) = _measured(lambda: render_word_report(summaries[0]))
    print(
        json.dumps(
            {
                "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                "python": platform.python_version(),
                "wards": WARDS,
                "units_per_ward": UNITS,
                "tasks_per_ward": TASKS,
                "answers": WARDS * UNITS * TASKS,
                "populate_seconds": round(populate_seconds, 2),
                "city": {
                    "seconds": round(city_seconds, 2),
                    **split,
                    "digest_messages": messages,
                    "workbook_kib": len(workbook) // 1024,
                    "max_rss_mib": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                    ),
                },
                "one_ward_word": {
                    "seconds": round(word_seconds, 3),
                    "peak_mib": round(word_peak, 1),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
