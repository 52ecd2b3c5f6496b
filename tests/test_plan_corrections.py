"""A coordinator's import, as stored: honest counts, several appendices, rows refused until
confirmed, files that are not appendices, and correcting what an import made."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from appendix_corpus import (
    CA,
    TTHCC,
    VHXH,
    VP,
    WARD_UNITS,
    governance_problems_appendix,
    key_projects_appendix,
    roman_merged_titles,
    units_as_written,
)
from appendix_files import Layout, plan_file, write_csv, write_docx, write_xlsx
from sqlalchemy import func, select

from bot.app import Application
from bot.plan_import.importer import BadRows, ImportSummary, import_appendix
from bot.plan_import.readers import UnreadableAppendix
from bot.plan_json import task_as_json
from bot.reports.exports import render
from bot.ward_setup import ensure_example_ward, merge_units, remove_unit, rename_unit
from handlers.checkin.actions import open_period
from handlers.reporting.files import ExportFormat
from handlers.reporting.summary import summarize
from storage.models import AuditEntry, Plan, Task, TaskReport, Unit, Ward
from storage.repositories.units import ReportsOverlap
from storage.vocabulary import TaskStatus, UnitKind


async def _ward(application: Application, units: tuple[str, ...] = WARD_UNITS) -> Ward:
    async with application.transaction() as repositories:
        ward = await repositories.wards.add(
            "Phường Tương Mai", timezone="Asia/Ho_Chi_Minh", report_day=16, locale="vi"
        )
        for name in units:
            await repositories.for_ward(ward.id).units.add(name)
        return ward


async def _import(
    application: Application, ward: Ward, path: Path, **options: object
) -> ImportSummary:
    async with application.transaction() as repositories:
        return await import_appendix(repositories, ward, path, **options)  # type: ignore[arg-type]


async def _tasks(application: Application, ward: Ward) -> list[dict]:  # type: ignore[type-arg]
    async with application.transaction() as repositories:
        plans = repositories.for_ward(ward.id).plans
        return [task_as_json(t, p.number) for p in await plans.all() for t in await plans.tasks(p)]


async def _count(application: Application, model: type) -> int:  # type: ignore[type-arg]
    async with application.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def _unit_names(application: Application, ward: Ward, **options: bool) -> list[str]:
    async with application.transaction() as repositories:
        return [u.name for u in await repositories.for_ward(ward.id).units.all(**options)]


async def test_an_empty_ward_counts_every_unit_as_new(application: Application) -> None:
    ward = await _ward(application, units=())
    summary = await _import(application, ward, plan_file("hong-bang-2026-phu-luc.csv"))
    assert summary.units_matched == []
    assert len(summary.units_created) == 5
    assert await _count(application, Unit) == 5


async def test_one_office_spelt_three_ways_is_one_unit(
    application: Application, tmp_path: Path
) -> None:
    ward = await _ward(application)
    item = units_as_written()
    summary = await _import(application, ward, write_xlsx(item.layout, tmp_path / "u.xlsx"))
    assert VP in summary.units_matched
    assert sorted(summary.units_created) == ["Các trường trên địa bàn", "Tổ dân phố"]
    tasks = await _tasks(application, ward)
    assert [t["lead_units"] for t in tasks[:3]] == [[VP], [VP], [VP]]
    assert tasks[0]["coordinating_units"] == ["*"]
    # "Các phòng, ban, đơn vị có liên quan" names nobody: flagged, not every unit.
    assert tasks[1]["coordinating_units"] == []
    assert [w.task for w in summary.warnings if w.code == "relevant_units"] == ["2", "3"]
    async with application.transaction() as repositories:
        groups = [u for u in await repositories.for_ward(ward.id).units.all()]
    assert {u.name for u in groups if u.kind is UnitKind.GROUP} == {
        "Các trường trên địa bàn",
        "Tổ dân phố",
    }


async def test_reimporting_keeps_the_plans_number_and_title(application: Application) -> None:
    ward = await _ward(application)
    csv = plan_file("hong-bang-2026-phu-luc.csv")
    first = await _import(application, ward, csv, number="54/KH-UBND", title="Kế hoạch năm 2026")
    assert first.plan_created
    again = await _import(application, ward, csv, number="54/KH-UBND")
    assert (again.plan_number, again.plan_title) == ("54/KH-UBND", "Kế hoạch năm 2026")
    assert again.unchanged == 29 and not again.plan_created
    # Without --number the plan last read from this file is updated, not a new one made.
    third = await _import(application, ward, csv)
    assert (third.plan_number, third.plan_title, third.plan_created) == (
        "54/KH-UBND",
        "Kế hoạch năm 2026",
        False,
    )
    renamed = await _import(application, ward, csv, number="54/KH-UBND", title="Tên mới")
    assert renamed.plan_title == "Tên mới"
    async with application.sessions() as session:
        plans = (await session.execute(select(Plan))).scalars().all()
    assert [(p.number, p.title) for p in plans] == [("54/KH-UBND", "Tên mới")]


async def test_several_appendices_of_one_plan(application: Application, tmp_path: Path) -> None:
    ward = await _ward(application)
    tasks_file = write_docx(roman_merged_titles().layout, tmp_path / "pl01.docx")
    projects = write_xlsx(key_projects_appendix().layout, tmp_path / "pl02.xlsx")
    problems = write_csv(governance_problems_appendix().layout, tmp_path / "pl03.csv")
    await _import(application, ward, tasks_file, number="54/KH-UBND", appendix_label="01")
    second = await _import(application, ward, projects, number="54/KH-UBND")
    third = await _import(application, ward, problems, number="54/KH-UBND")
    assert (second.appendix, third.appendix) == ("02", "03")
    assert second.added == ["PL02.1", "PL02.2"] and second.removed == []
    async with application.sessions() as session:
        stored = (await session.execute(select(Task.code, Task.appendix).order_by(Task.id))).all()
    assert stored == [
        ("I.1", "01"),
        ("I.2", "01"),
        ("II.1", "01"),
        ("II.2", "01"),
        ("PL02.1", "02"),
        ("PL02.2", "02"),
        ("PL03.1", "03"),
        ("PL03.2", "03"),
    ]
    # Importing Phụ lục 01 again leaves the other appendices alone.
    again = await _import(application, ward, tasks_file, number="54/KH-UBND", appendix_label="01")
    assert again.removed == [] and again.unchanged == 4
    assert len(await _tasks(application, ward)) == 8


def _some_rows_without_units() -> Layout:
    return Layout(
        4,
        [
            ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"],
            ["1", "Số hóa hồ sơ hộ tịch", TTHCC, "Tháng 5/2026"],
            ["2", "Rà soát thiết bị mạng", "", "Tháng 6/2026"],
            ["3", "Tuyên truyền VNeID", VHXH, "Quý II/2026"],
            ["4", "Họp giao ban chuyển đổi số", "Đ/c Nguyễn Văn An", "Hằng tháng"],
            ["5", "Giám sát an ninh mạng", CA, "Thường xuyên"],
        ],
    )


async def test_rows_without_a_responsible_body_wait_for_confirmation(
    application: Application, tmp_path: Path
) -> None:
    ward = await _ward(application)
    path = write_xlsx(_some_rows_without_units(), tmp_path / "bad.xlsx")
    with pytest.raises(BadRows) as raised:
        await _import(application, ward, path, number="7/KH")
    assert [row.parsed.row_number for row in raised.value.rows] == [3, 5]
    assert await _count(application, Plan) == 0 and await _count(application, AuditEntry) == 0
    summary = await _import(application, ward, path, number="7/KH", accept_warnings=True)
    assert summary.added == ["1", "3", "5"]
    skipped = [w.task for w in summary.warnings if w.code == "bad_row_skipped"]
    assert skipped == ["sheet:Sheet:3", "sheet:Sheet:5"]
    assert "Đ/c Nguyễn Văn An" not in await _unit_names(application, ward)


async def _own_report(application: Application, tmp_path: Path) -> tuple[Ward, list[Path]]:
    async with application.transaction() as repositories:
        ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        await open_period(repositories, ward, "2026-11", actor="test")
    async with application.transaction() as repositories:
        period = await repositories.for_ward(ward.id).periods.current()
        assert period is not None
        summary = await summarize(repositories, ward, period)
    files = []
    for export, suffix in ((ExportFormat.WORD, "docx"), (ExportFormat.EXCEL, "xlsx")):
        path = tmp_path / f"bao-cao.{suffix}"
        path.write_bytes(render(summary, export))
        files.append(path)
    return ward, files


async def test_reportbots_own_report_is_refused(application: Application, tmp_path: Path) -> None:
    ward, files = await _own_report(application, tmp_path)
    plans, units, audit = (
        await _count(application, Plan),
        await _count(application, Unit),
        await _count(application, AuditEntry),
    )
    for path in files:
        with pytest.raises(UnreadableAppendix) as raised:
            await _import(application, ward, path)
        assert raised.value.reason == "report", path
    assert (
        await _count(application, Plan),
        await _count(application, Unit),
        await _count(application, AuditEntry),
    ) == (plans, units, audit)


NOT_APPENDICES = {
    "kpi-list": (
        Layout(
            5,
            [
                ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025", "Năm 2026"],
                ["1", "Tỷ lệ hồ sơ trực tuyến toàn trình", "%", "70", "80"],
                ["2", "Tỷ lệ người dân có tài khoản VNeID", "%", "85", "95"],
            ],
        ),
        "no_units",
    ),
    "contacts": (
        Layout(
            5,
            [
                ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Số điện thoại"],
                ["1", "Nguyễn Văn An", "Trưởng phòng", VHXH, "0912 345 678"],
                ["2", "Trần Thị Bình", "Chánh Văn phòng", VP, "0987 654 321"],
            ],
        ),
        "no_header",
    ),
    "timetable": (
        Layout(
            5,
            [
                ["Thời gian", "Nội dung", "Chủ trì", "Thành phần", "Địa điểm"],
                [
                    "8h00 ngày 03/12",
                    "Giao ban chuyển đổi số",
                    "Đ/c Chủ tịch UBND",
                    "Các phòng",
                    "Hội trường",
                ],
                [
                    "14h00 ngày 04/12",
                    "Họp Ban Chỉ đạo",
                    "Đ/c Bí thư Đảng ủy",
                    "Thành viên BCĐ",
                    "Phòng họp 2",
                ],
                [
                    "8h00 ngày 05/12",
                    "Tiếp công dân",
                    "Đ/c Phó Chủ tịch",
                    "Cán bộ tiếp dân",
                    "Trụ sở",
                ],
            ],
        ),
        "no_units",
    ),
}


@pytest.mark.parametrize("name", list(NOT_APPENDICES))
@pytest.mark.parametrize("writer", [write_docx, write_xlsx, write_csv], ids=["docx", "xlsx", "csv"])
def test_lists_that_are_not_appendices_are_refused(name: str, writer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bot.plan_import.appendix import understand_appendix

    layout, reason = NOT_APPENDICES[name]
    suffix = {write_docx: "docx", write_xlsx: "xlsx", write_csv: "csv"}[writer]
    with pytest.raises(UnreadableAppendix) as raised:
        understand_appendix(writer(layout, tmp_path / f"{name}.{suffix}"), fallback_year=2026)
    assert raised.value.reason == reason


async def test_renaming_a_unit_keeps_its_old_name_as_a_spelling(application: Application) -> None:
    ward = await _ward(application)
    await _import(application, ward, plan_file("hong-bang-2026-phu-luc.csv"), number="1/KH")
    async with application.transaction() as repositories:
        old, _unit = await rename_unit(
            repositories, ward, "Phòng VHXH", "Phòng Văn hóa, Khoa học và Thông tin"
        )
    assert old == VHXH
    again = await _import(application, ward, plan_file("hong-bang-2026-phu-luc.csv"), number="1/KH")
    assert again.units_created == [] and again.unchanged == 29
    tasks = await _tasks(application, ward)
    assert tasks[2]["lead_units"] == ["Phòng Văn hóa, Khoa học và Thông tin"]


async def test_merging_the_units_an_import_made_twice(
    application: Application, tmp_path: Path
) -> None:
    ward = await _ward(application, units=(VP, CA))
    layout = Layout(
        4,
        [
            ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"],
            ["1", "Số hóa hồ sơ", "Bộ phận một cửa", "Tháng 5/2026"],
            ["2", "Đánh giá mức độ hài lòng", "Trung tâm PVHCC", "Tháng 6/2026"],
        ],
    )
    summary = await _import(application, ward, write_csv(layout, tmp_path / "m.csv"), number="2/KH")
    assert summary.units_created == ["Bộ phận một cửa", "Trung tâm PVHCC"]
    async with application.transaction() as repositories:
        merged, kept = await merge_units(repositories, ward, "Bộ phận một cửa", "Trung tâm PVHCC")
    assert (merged, kept.name) == ("Bộ phận một cửa", "Trung tâm PVHCC")
    tasks = await _tasks(application, ward)
    assert [t["lead_units"] for t in tasks] == [["Trung tâm PVHCC"], ["Trung tâm PVHCC"]]
    again = await _import(application, ward, write_csv(layout, tmp_path / "m.csv"), number="2/KH")
    assert again.units_created == [] and again.unchanged == 2


async def _answer(application: Application, ward: Ward, unit_name: str) -> None:
    async with application.transaction() as repositories:
        if await repositories.for_ward(ward.id).periods.current() is None:
            await open_period(repositories, ward, "2026-11", actor="test")
    async with application.transaction() as repositories:
        scoped = repositories.for_ward(ward.id)
        period = await scoped.periods.current()
        unit = await scoped.units.find(unit_name)
        task = (await scoped.plans.tasks())[0]
        assert period is not None and unit is not None
        repositories.session.add(
            TaskReport(
                ward_id=ward.id,
                period_id=period.id,
                task_id=task.id,
                unit_id=unit.id,
                status=TaskStatus.DONE,
                updated_at=datetime(2026, 11, 10, tzinfo=UTC),
            )
        )


async def test_removing_units_and_plans_keeps_what_was_reported(
    application: Application, tmp_path: Path
) -> None:
    ward = await _ward(application, units=(VP, CA))
    layout = Layout(
        4,
        [
            ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"],
            ["1", "Số hóa hồ sơ", CA, "Tháng 5/2026"],
            ["2", "Cấp chữ ký số", "Phòng Mục tiêu tối thiểu", "Tháng 6/2026"],
        ],
    )
    await _import(application, ward, write_csv(layout, tmp_path / "r.csv"), number="3/KH")
    async with application.transaction() as repositories:
        junk = await remove_unit(repositories, ward, "Phòng Mục tiêu tối thiểu")
    assert junk.deleted
    await _answer(application, ward, CA)
    async with application.transaction() as repositories:
        kept = await remove_unit(repositories, ward, CA)
    assert not kept.deleted
    assert await _unit_names(application, ward) == [VP]
    assert CA in await _unit_names(application, ward, include_inactive=True)
    assert await _count(application, TaskReport) == 1
    async with application.transaction() as repositories:
        plans = repositories.for_ward(ward.id).plans
        plan = await plans.by_number("3/KH")
        assert plan is not None
        assert not await plans.remove(plan)
    assert await _tasks(application, ward) == [] and await _count(application, Task) == 2

    await _import(application, ward, write_csv(layout, tmp_path / "r.csv"), number="4/KH")
    async with application.transaction() as repositories:
        plans = repositories.for_ward(ward.id).plans
        unreported = await plans.by_number("4/KH")
        assert unreported is not None
        assert await plans.remove(unreported)
    assert await _count(application, Task) == 2


async def test_a_merge_that_would_lose_an_answer_is_refused(application: Application) -> None:
    ward = await _ward(application, units=(VP, CA))
    await _import(application, ward, plan_file("hong-bang-2026-phu-luc.csv"), number="1/KH")
    async with application.transaction() as repositories:
        await repositories.for_ward(ward.id).units.add("Đội Cảnh sát khu vực")
    await _answer(application, ward, VP)
    async with application.transaction() as repositories:
        scoped = repositories.for_ward(ward.id)
        period = await scoped.periods.current()
        unit = await scoped.units.find("Đội Cảnh sát khu vực")
        task = (await scoped.plans.tasks())[0]
        assert period is not None and unit is not None
        repositories.session.add(
            TaskReport(
                ward_id=ward.id,
                period_id=period.id,
                task_id=task.id,
                unit_id=unit.id,
                status=TaskStatus.DONE,
                updated_at=datetime(2026, 11, 10, tzinfo=UTC),
            )
        )
    with pytest.raises(ReportsOverlap):
        async with application.transaction() as repositories:
            await merge_units(repositories, ward, "Đội Cảnh sát khu vực", VP)
    assert await _count(application, TaskReport) == 2
