"""Value types of the guidance engine: guides, their sources, and the structured answer.

Nothing here renders text for citizens: handlers turn a `GuidanceAnswer` into messages
through the locale catalogs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    """What the engine decided to do with a question."""

    ANSWER = "answer"
    CHOICES = "choices"
    HANDOFF = "handoff"


class HandoffReason(StrEnum):
    """Why a question goes to a person; handlers pick the matching catalog message."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    PROMPT_INJECTION = "prompt_injection"
    PERSONAL_DATA_REQUEST = "personal_data_request"
    NOT_CONFIDENT = "not_confident"
    WARD_VALUE_MISSING = "ward_value_missing"


@dataclass(frozen=True)
class Source:
    """A public document a guide's facts come from."""

    title: str
    url: str


@dataclass(frozen=True)
class Guide:
    """One citizen-facing article in one language, ready to show.

    `body` is the Markdown text after the front matter, with ward contact values already
    substituted; `steps` are its numbered lines. `missing_contacts` lists ward values the
    guide needs but the ward has not configured: such a guide is never shown.
    """

    id: str
    locale: str
    title: str
    body: str
    steps: tuple[str, ...]
    sources: tuple[Source, ...]
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    audience: str
    reviewed: dt.date
    origin: str
    missing_contacts: tuple[str, ...] = ()

    @property
    def is_complete(self) -> bool:
        """True when every ward value the guide uses is configured."""
        return not self.missing_contacts


@dataclass(frozen=True)
class GuidanceAnswer:
    """The engine's decision for one question.

    - `outcome`: answer with `guide`, offer `choices`, or hand over (`handoff_reason` says why).
    - `guide`: the guide to show (for a scam warning, the scam guide).
    - `choices`: the closest guides when no single one is clear; with a scam warning, the guides
      that matched the question itself, to offer after the warning.
    - `score`: confidence of the best match, 0..1.
    - `language_note`: the question was English but the guide exists only in Vietnamese.
    - `masked_question`: the question with personal data masked, safe to store and log.
    """

    outcome: Outcome
    masked_question: str
    guide: Guide | None = None
    choices: tuple[Guide, ...] = field(default_factory=tuple)
    score: float = 0.0
    scam_warning: bool = False
    language_note: bool = False
    handoff_reason: HandoffReason | None = None

    @property
    def guide_id(self) -> str | None:
        """Id of the guide shown, if any."""
        return self.guide.id if self.guide else None
