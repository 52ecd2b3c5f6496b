"""The JSON shape of a ward's tasks, as printed by `reportbot plan show --json`."""

from __future__ import annotations

from typing import Any

from storage.models import Task
from storage.vocabulary import UnitLink

ALL_UNITS_MARKER = "*"


def task_as_json(task: Task, plan_number: str) -> dict[str, Any]:
    """One task; "*" in a unit list stands for every unit of the ward."""
    leads = [link.unit.name for link in task.unit_links if link.link is UnitLink.LEAD]
    coordinating = [link.unit.name for link in task.unit_links if link.link is UnitLink.COORDINATE]
    kpi = None
    if task.kpi_value is not None:
        value = task.kpi_value.normalize()
        kpi = {
            "value": int(value) if value == value.to_integral_value() else float(value),
            "unit": task.kpi_unit,
            "comparator": str(task.kpi_comparator),
        }
    return {
        "plan": plan_number,
        "appendix": task.appendix,
        "code": task.code,
        "section": {"code": task.section_code, "title": task.section_title},
        "content": task.content,
        "lead_units": ([ALL_UNITS_MARKER] if task.lead_all_units else []) + leads,
        "coordinating_units": ([ALL_UNITS_MARKER] if task.coordinate_all_units else [])
        + coordinating,
        "output": task.output,
        "deadline": {
            "kind": str(task.deadline_kind),
            "due": task.deadline_due.isoformat() if task.deadline_due else None,
            "text": task.deadline_text,
        },
        "kpi": kpi,
    }
