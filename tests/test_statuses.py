"""The one status vocabulary: order, labels, short forms, and the spellings heads type."""

from __future__ import annotations

import pytest

from handlers.checkin.quick_report import TaskKey, parse_quick_report
from handlers.i18n import use_locale
from handlers.reporting.statuses import (
    STATUS_ORDER,
    STATUS_SPELLINGS,
    status_abbreviation,
    status_label,
    typed_short_form,
)
from storage.vocabulary import TaskStatus


def test_statuses_are_listed_in_the_national_monitoring_systems_order() -> None:
    assert STATUS_ORDER == (
        TaskStatus.DONE,
        TaskStatus.IN_PROGRESS,
        TaskStatus.NOT_STARTED,
        TaskStatus.NOT_APPLICABLE,
    )


@pytest.mark.parametrize("status", STATUS_ORDER)
def test_the_vietnamese_short_form_is_the_one_heads_type(status: TaskStatus) -> None:
    with use_locale("vi"):
        assert status_abbreviation(status) == typed_short_form(status)
    with use_locale("en"):
        assert status_abbreviation(status) != typed_short_form(status)


@pytest.mark.parametrize("status", STATUS_ORDER)
def test_the_one_message_report_reads_the_label_and_every_spelling(status: TaskStatus) -> None:
    with use_locale("vi"):
        spellings = [status_label(status), *STATUS_SPELLINGS[status]]
    for spelling in spellings:
        line = parse_quick_report(f"1 {spelling}", [TaskKey(1, "I.1", None)]).lines[0]
        assert line.status is status, spelling
