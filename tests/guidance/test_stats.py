"""Period figures for the digest."""

from __future__ import annotations

from handlers.guidance import Outcome, summarize_questions


def test_counts_and_top_unanswered_questions() -> None:
    records = [
        ("Quên mật khẩu?", Outcome.ANSWER),
        ("thời tiết hôm nay", Outcome.HANDOFF),
        ("Thời tiết hôm nay!", "handoff"),
        ("giá vàng", Outcome.HANDOFF),
        ("vneid", Outcome.CHOICES),
    ]
    stats = summarize_questions(records, top=1)
    assert (stats.total, stats.answered, stats.offered_choices, stats.handed_over) == (5, 1, 1, 3)
    assert stats.top_unanswered == (("thời tiết hôm nay", 2),)


def test_empty_period() -> None:
    stats = summarize_questions([])
    assert (stats.total, stats.handed_over, stats.top_unanswered) == (0, 0, ())
