"""Every layout of the corpus, in every format, reads to its expected tasks."""

from __future__ import annotations

from pathlib import Path

import pytest
from appendix_corpus import ALL, TUNING, CorpusAppendix, Expected
from appendix_files import write_csv, write_docx, write_xlsx

from bot.plan_import.appendix import AppendixTask, understand_appendix
from bot.plan_import.unit_names import UnitCell

WRITERS = {"docx": write_docx, "xlsx": write_xlsx, "csv": write_csv}


def write(item: CorpusAppendix, suffix: str, directory: Path) -> Path:
    path = directory / f"{item.name}.{suffix}"
    if suffix == "docx":
        return write_docx(item.layout, path, title_paragraphs=item.title_paragraphs)
    return WRITERS[suffix](item.layout, path)


def cases(corpus: list[CorpusAppendix]) -> list[tuple[CorpusAppendix, str]]:
    return [(item, suffix) for item in corpus for suffix in item.formats]


def _units(cell: UnitCell) -> tuple[str, ...]:
    return ALL if cell.all_units else tuple(cell.names)


def read_as_expected(task: AppendixTask) -> Expected:
    """The task in the corpus's terms, so a whole appendix compares in one assertion."""
    return Expected(
        task.parsed.code,
        _units(task.lead),
        task.deadline.kind,
        task.deadline.due,
        _units(task.coordinate),
        (int(task.kpi.value), task.kpi.unit) if task.kpi else None,
        task.parsed.section_code,
    )


def comparable(expected: Expected, read: Expected) -> Expected:
    """The expectation with the fields it leaves open (coordinate None, section "-") taken
    from what was read."""
    return Expected(
        expected.code,
        expected.lead,
        expected.kind,
        expected.due,
        read.coordinate if expected.coordinate is None else expected.coordinate,
        expected.kpi,
        read.section if expected.section == "-" else expected.section,
    )


@pytest.mark.parametrize(
    ("item", "suffix"), cases(TUNING), ids=[f"{i.name}-{s}" for i, s in cases(TUNING)]
)
def test_each_layout_reads_to_its_tasks(item: CorpusAppendix, suffix: str, tmp_path: Path) -> None:
    appendix = understand_appendix(write(item, suffix, tmp_path), fallback_year=2026)
    read = [read_as_expected(task) for task in appendix.tasks]
    wanted = [comparable(expected, got) for expected, got in zip(item.expected, read, strict=False)]
    assert read == wanted and len(read) == len(item.expected)
    assert appendix.bad_rows == []
    assert appendix.label == item.label


def test_the_corpus_is_broad() -> None:
    assert len(TUNING) >= 15
    assert sum("csv" in item.formats for item in TUNING) >= 12
