"""Import a generated 2,000-task appendix (xlsx and docx) into a fresh SQLite database.

Prints JSON: seconds and peak memory per format, beside a baseline in the same process
(reading the same file with openpyxl / python-docx alone), so the figures travel between
machines as ratios. Targets (issue 2): ≤ 2 s and ≤ 200 MB on a 2-core machine.
"""

from __future__ import annotations

import asyncio
import json
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from appendix_files import generated_layout, write_docx, write_xlsx

from bot.app import open_application
from bot.config import Settings
from bot.plan_import.importer import import_appendix
from bot.plan_import.readers import read_appendix
from storage.clock import SystemClock

TASKS = 2000


async def _import(path: Path, folder: Path) -> float:
    database = folder / f"{path.suffix[1:]}-{time.perf_counter_ns()}.db"
    settings = Settings(database_url=f"sqlite:///{database}")
    async with open_application(settings, SystemClock()) as application:
        async with application.transaction() as repositories:
            ward = await repositories.wards.add(
                "Phường Thử", timezone="Asia/Ho_Chi_Minh", report_day=16, locale="vi"
            )
        started = time.perf_counter()
        async with application.transaction() as repositories:
            summary = await import_appendix(repositories, ward, path, number="54/KH-UBND")
        elapsed = time.perf_counter() - started
    assert summary.task_count == TASKS, summary.task_count
    return elapsed


def _measure(work):  # type: ignore[no-untyped-def]
    """Run once for time, then again under tracemalloc (which slows it) for peak memory."""
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def main() -> None:
    results: dict[str, object] = {
        "tasks": TASKS,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        layout = generated_layout(TASKS)
        for writer, suffix in ((write_xlsx, ".xlsx"), (write_docx, ".docx")):
            path = writer(layout, folder / f"appendix{suffix}")
            _, read_seconds, read_peak = _measure(lambda path=path: read_appendix(path))
            import_seconds, total_seconds, peak = _measure(
                lambda path=path: asyncio.run(_import(path, folder))
            )
            results[suffix[1:]] = {
                "file_kib": round(path.stat().st_size / 1024),
                "import_seconds": round(import_seconds, 3),
                "seconds_with_startup": round(total_seconds, 3),
                "peak_mib": round(peak, 1),
                "baseline_read_seconds": round(read_seconds, 3),
                "baseline_read_peak_mib": round(read_peak, 1),
                "ratio_to_reading_alone": round(import_seconds / read_seconds, 2),
            }
    results["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
