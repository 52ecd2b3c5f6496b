"""Importing appendices into storage, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from appendix_files import Layout, plan_file, write_xlsx
from sqlalchemy import func, select

from bot.app import Application
from bot.plan_import.importer import import_appendix
from bot.plan_import.readers import UnreadableAppendix
from bot.plan_json import task_as_json
from bot.ward_setup import EXAMPLE_UNITS, ensure_example_ward
from storage.models import AuditEntry, Plan, Task, Unit, Ward


async def _ward_with_units(application: Application, name: str = "Phường Hồng Bàng") -> Ward:
    async with application.transaction() as repositories:
        ward = await repositories.wards.add(
            name, timezone="Asia/Ho_Chi_Minh", report_day=16, locale="vi"
        )
        for unit_name, aliases in EXAMPLE_UNITS:
            await repositories.for_ward(ward.id).units.add(unit_name, aliases=aliases)
        return ward


async def _import(application: Application, ward: Ward, path: Path, **options: str):  # type: ignore[no-untyped-def]
    async with application.transaction() as repositories:
        return await import_appendix(repositories, ward, path, **options)


async def _tasks_json(application: Application, ward: Ward) -> list[dict]:  # type: ignore[type-arg]
    async with application.transaction() as repositories:
        plans = repositories.for_ward(ward.id).plans
        return [task_as_json(t, p.number) for p in await plans.all() for t in await plans.tasks(p)]


async def _count(application: Application, model: type) -> int:  # type: ignore[type-arg]
    async with application.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


@pytest.mark.parametrize("suffix", ["xlsx", "docx", "csv"])
async def test_each_hong_bang_file_imports_29_tasks_matched_to_the_wards_units(
    application: Application, suffix: str
) -> None:
    ward = await _ward_with_units(application)
    summary = await _import(
        application, ward, plan_file(f"hong-bang-2026-phu-luc.{suffix}"), number="KH-57"
    )
    assert summary.task_count == 29 and summary.plan_created
    assert [(code, count) for code, _, count in summary.sections] == [("I", 15), ("II", 14)]
    assert summary.units_created == []
    assert sorted(summary.units_matched) == sorted(name for name, _ in EXAMPLE_UNITS)
    assert summary.deadlines_by_kind == {"month": 15, "recurring": 14}
    assert summary.kpis_parsed == 13
    assert not [w for w in summary.warnings if w.code != "no_plan_number"]
    tasks = await _tasks_json(application, ward)
    first = tasks[0]
    assert first == {
        "plan": "KH-57",
        "appendix": None,
        "code": "I.1",
        "section": {"code": "I", "title": "NHIỆM VỤ TRỌNG TÂM"},
        "content": "100% cán bộ, công chức có máy tính đáp ứng yêu cầu cấu hình, đảm bảo an toàn, an ninh mạng và có chữ ký số cá nhân để giải quyết công việc trên môi trường điện tử.",
        "lead_units": ["Văn phòng HĐND và UBND phường"],
        "coordinating_units": ["*"],
        "output": "Báo cáo",
        "deadline": {"kind": "month", "due": "2026-12-31", "text": "Tháng 12/2026"},
        "kpi": {"value": 100, "unit": "%", "comparator": ">="},
    }
    by_code = {t["code"]: t for t in tasks}
    assert by_code["I.9"]["kpi"] == {"value": 95, "unit": "%", "comparator": ">"}
    assert by_code["I.12"]["kpi"] == {"value": 2, "unit": "cơ sở", "comparator": ">="}
    assert by_code["II.14"]["deadline"] == {
        "kind": "recurring",
        "due": None,
        "text": "Thường xuyên",
    }
    assert by_code["II.11"]["coordinating_units"] == ["Văn phòng HĐND và UBND phường"]


async def test_the_three_formats_store_identical_plans(application: Application) -> None:
    stored = []
    for index, suffix in enumerate(["xlsx", "docx", "csv"]):
        ward = await _ward_with_units(application, f"Phường Thử {index}")
        await _import(
            application, ward, plan_file(f"hong-bang-2026-phu-luc.{suffix}"), number="KH-57"
        )
        stored.append(await _tasks_json(application, ward))
    assert stored[0] == stored[1] == stored[2]


async def test_reimporting_updates_in_place_and_reports_changes(
    application: Application, tmp_path: Path
) -> None:
    ward = await _ward_with_units(application)
    original = plan_file("hong-bang-2026-phu-luc.csv")
    await _import(application, ward, original, number="54/KH-UBND")
    again = await _import(application, ward, original, number="54/KH-UBND")
    assert not again.plan_created and again.unchanged == 29
    assert (again.added, again.updated, again.removed) == ([], {}, [])
    assert await _count(application, Task) == 29

    changed = tmp_path / "changed.csv"
    lines = original.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Tháng 12/2026", "Quý III/2026")
    del lines[-1]
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = await _import(application, ward, changed, number="54/KH-UBND")
    assert summary.updated == {
        "I.1": {
            "deadline_text": ["Tháng 12/2026", "Quý III/2026"],
            "deadline_kind": ["month", "quarter"],
            "deadline_due": ["2026-12-31", "2026-09-30"],
        }
    }
    assert summary.removed == ["II.14"] and summary.unchanged == 27
    assert await _count(application, Task) == 29
    assert len(await _tasks_json(application, ward)) == 28
    async with application.sessions() as session:
        updates = (
            (
                await session.execute(
                    select(AuditEntry).where(
                        AuditEntry.action == "update", AuditEntry.entity == "task"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert [(u.entity_id, u.changes["deadline_text"]) for u in updates] == [
        ("I.1", ["Tháng 12/2026", "Quý III/2026"])
    ]

    restored = await _import(application, ward, original, number="54/KH-UBND")
    assert restored.added == ["II.14"] and list(restored.updated) == ["I.1"]


async def test_unknown_units_are_created_and_listed(
    application: Application, tmp_path: Path
) -> None:
    ward = await _ward_with_units(application)
    layout = Layout(
        4,
        [
            ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"],
            ["1", "Rà soát hạ tầng mạng", "Phòng Văn hoá – Xã hội", "Quý II/2026"],
            [
                "2",
                "Tập huấn an toàn thông tin",
                "Ban Chỉ huy Quân sự phường, Phòng VHXH",
                "Tháng 5/2026",
            ],
        ],
    )
    summary = await _import(
        application, ward, write_xlsx(layout, tmp_path / "a.xlsx"), number="1/KH"
    )
    assert summary.units_created == ["Ban Chỉ huy Quân sự phường"]
    assert [w.text for w in summary.warnings if w.code == "unit_created"] == [
        "Ban Chỉ huy Quân sự phường"
    ]
    tasks = await _tasks_json(application, ward)
    assert tasks[0]["lead_units"] == ["Phòng Văn hóa - Xã hội"]
    assert tasks[1]["lead_units"] == ["Ban Chỉ huy Quân sự phường", "Phòng Văn hóa - Xã hội"]
    assert await _count(application, Unit) == len(EXAMPLE_UNITS) + 1


async def test_a_bad_file_writes_nothing(application: Application, tmp_path: Path) -> None:
    ward = await _ward_with_units(application)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(UnreadableAppendix):
        await _import(application, ward, junk)
    assert await _count(application, Plan) == 0
    assert await _count(application, AuditEntry) == 0


async def test_an_import_that_fails_midway_leaves_nothing(
    application: Application, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ward = await _ward_with_units(application)
    import bot.plan_import.importer as importer

    calls = {"n": 0}
    original_apply = importer._apply

    def failing_apply(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 20:
            raise RuntimeError("disk full")
        return original_apply(*args, **kwargs)

    monkeypatch.setattr(importer, "_apply", failing_apply)
    with pytest.raises(RuntimeError):
        await _import(application, ward, plan_file("hong-bang-2026-phu-luc.csv"), number="KH-57")
    assert await _count(application, Task) == 0
    assert await _count(application, Plan) == 0


async def test_wards_do_not_share_units_or_tasks(application: Application) -> None:
    first = await _ward_with_units(application, "Phường Vĩnh Tuy")
    second = await _ward_with_units(application, "Phường Cầu Giấy")
    await _import(application, first, plan_file("hong-bang-2026-phu-luc.csv"), number="54/KH-UBND")
    assert await _tasks_json(application, second) == []
    async with application.transaction() as repositories:
        assert await repositories.for_ward(second.id).plans.by_number("54/KH-UBND") is None
        vinh_tuy_unit = await repositories.for_ward(first.id).units.find("Công an phường")
        assert vinh_tuy_unit is not None
        assert await repositories.for_ward(second.id).units.by_id(vinh_tuy_unit.id) is None


async def test_the_embedded_example_ward(application: Application) -> None:
    async with application.transaction() as repositories:
        ward, summary = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
    assert summary is not None and summary.task_count == 29 and summary.units_created == []
    async with application.transaction() as repositories:
        again, second = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
    assert second is None and again.id == ward.id


def test_the_bundled_example_is_the_shared_appendix() -> None:
    from bot.ward_setup import example_appendix

    assert example_appendix().read_bytes() == plan_file("hong-bang-2026-phu-luc.xlsx").read_bytes()
