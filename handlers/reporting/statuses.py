"""The task status vocabulary: order, labels, short forms and the spellings heads type.

Hoàn thành · Đang thực hiện · Chưa triển khai · Không phát sinh trong kỳ (BRIEF.md). Every
list of statuses, in the chat, the Word report, the workbook and the chart, follows
`STATUS_ORDER`, the national monitoring system's order. Labels and the short forms of the
matrix and the chart (HT, ĐTH, CTK, KPS) are in the reader's language; what a head types is
Vietnamese whatever the reply language, so `STATUS_SPELLINGS` are not translated.
"""

from __future__ import annotations

from handlers.i18n import _
from storage.vocabulary import TaskStatus

# TaskStatus declares its members in this order; tuple() keeps every list of them in it.
STATUS_ORDER: tuple[TaskStatus, ...] = tuple(TaskStatus)

# Every spelling the one-message report reads as a status, compared folded (without case or
# diacritics). The first is the short form: what help lists and the Vietnamese matrix shows.
STATUS_SPELLINGS: dict[TaskStatus, tuple[str, ...]] = {
    TaskStatus.DONE: (
        "HT",
        "hoàn thành",
        "đã hoàn thành",
        "đã HT",
        "xong",
        "đã xong",
        "hoàn tất",
        "done",
    ),
    TaskStatus.IN_PROGRESS: (
        "ĐTH",
        "đang thực hiện",
        "đang TH",
        "đang làm",
        "đang triển khai",
        "đang tiến hành",
        "ĐTK",
    ),
    TaskStatus.NOT_STARTED: (
        "CTK",
        "chưa triển khai",
        "chưa làm",
        "chưa thực hiện",
        "chưa TH",
        "CTH",
        "chưa bắt đầu",
        "chưa tiến hành",
    ),
    TaskStatus.NOT_APPLICABLE: (
        "KPS",
        "không phát sinh",
        "không phát sinh trong kỳ",
        "không PS",
        "không có",
        "n/a",
    ),
}


def _words(status: TaskStatus) -> tuple[str, str]:
    """The status's label and short form, translated."""
    words = {
        TaskStatus.DONE: (_("Hoàn thành"), _("HT")),
        TaskStatus.IN_PROGRESS: (_("Đang thực hiện"), _("ĐTH")),
        TaskStatus.NOT_STARTED: (_("Chưa triển khai"), _("CTK")),
        TaskStatus.NOT_APPLICABLE: (_("Không phát sinh trong kỳ"), _("KPS")),
    }
    return words[status]


def status_label(status: TaskStatus) -> str:
    """The status in words: "Hoàn thành"."""
    return _words(status)[0]


def status_abbreviation(status: TaskStatus) -> str:
    """The short form used in the matrix and the chart: HT, ĐTH, CTK, KPS."""
    return _words(status)[1]


def typed_short_form(status: TaskStatus) -> str:
    """The short form a head types for the status, in Vietnamese in every language: HT."""
    return STATUS_SPELLINGS[status][0]
