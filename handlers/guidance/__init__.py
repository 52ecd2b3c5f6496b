"""Citizen guidance: curated, sourced answers about VNeID, iHanoi and online public services.

Guides are Markdown files with YAML front matter under `handlers/guidance/guides/` (package data);
a ward adds or overrides guides and sets its contact values in its own folder
(`<ward_dir>/guides/*.md`, `<ward_dir>/contacts.toml`). See docs/GUIDANCE.md.

Public API::

    library = GuideLibrary.build(ward_files, contacts)  # (origin, text) pairs; GuideError names the file
    engine = GuidanceEngine(library)
    result = engine.answer("quen mk vneid", locale="vi")   # -> GuidanceAnswer
    result.outcome        # Outcome.ANSWER | Outcome.CHOICES | Outcome.HANDOFF
    result.guide          # Guide | None (id, locale, title, body, steps, sources)
    result.choices        # tuple[Guide, ...]
    result.handoff_reason # HandoffReason | None
    mask_personal_data(text) -> str                # before storing or logging any question
    summarize_questions(records) -> QuestionStats  # counts for the monthly digest
    await period_questions(log, ward_id, zone, first_day, end_day)  # with the counts kept
    await purge_questions(repositories, months)    # delete after the retention time

The engine returns structured values only; handlers render them through the locale catalogs.
"""

from handlers.guidance.contacts import CONTACT_KEYS, WardContacts
from handlers.guidance.engine import GuidanceEngine, Thresholds, first_choice
from handlers.guidance.errors import GuideError
from handlers.guidance.library import GuideLibrary
from handlers.guidance.model import (
    Entry,
    GuidanceAnswer,
    Guide,
    HandoffReason,
    Outcome,
    Source,
    Topic,
)
from handlers.guidance.privacy import mask_personal_data
from handlers.guidance.retention import purge_questions
from handlers.guidance.stats import QuestionStats, period_questions, summarize_questions

__all__ = [
    "CONTACT_KEYS",
    "Entry",
    "GuidanceAnswer",
    "GuidanceEngine",
    "Guide",
    "GuideError",
    "GuideLibrary",
    "HandoffReason",
    "Outcome",
    "QuestionStats",
    "Source",
    "Thresholds",
    "Topic",
    "WardContacts",
    "first_choice",
    "mask_personal_data",
    "period_questions",
    "purge_questions",
    "summarize_questions",
]
