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
class Entry:
    """One question citizens ask, answered inside a guide: the specific fact (a limit, a fee,
    who may, where to go, how long) in one or two sentences, with the source it comes from.

    `answer` has ward values substituted; `missing_contacts` lists those not configured.
    """

    id: str
    question: str
    answer: str
    source: Source
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    missing_contacts: tuple[str, ...] = ()


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
    entries: tuple[Entry, ...] = ()
    provinces: tuple[str, ...] = ()

    @property
    def is_complete(self) -> bool:
        """True when every ward value the guide uses is configured."""
        return not self.missing_contacts

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, or None."""
        return next((entry for entry in self.entries if entry.id == entry_id), None)


@dataclass(frozen=True)
class Topic:
    """What the engine offers: a guide and, when one answers the question, its entry."""

    guide: Guide
    entry: Entry | None = None

    @property
    def id(self) -> str:
        """The guide's id."""
        return self.guide.id

    @property
    def key(self) -> str:
        """`guide-id` or `guide-id#entry-id`: stable, so a choice can name it."""
        return f"{self.guide.id}#{self.entry.id}" if self.entry else self.guide.id

    @property
    def title(self) -> str:
        """The entry's question, or the guide's title."""
        return self.entry.question if self.entry else self.guide.title

    @property
    def is_complete(self) -> bool:
        """True when every ward value the guide and the entry use is configured."""
        return self.guide.is_complete and not (self.entry and self.entry.missing_contacts)


@dataclass(frozen=True)
class GuidanceAnswer:
    """The engine's decision for one question.

    - `outcome`: answer with `guide`, offer `choices`, or hand over (`handoff_reason` says why).
    - `guide`: the guide to show (for a scam warning, the scam guide); `entry`: the entry in
      it that answers the question, when one does.
    - `choices`: the closest topics when no single one is clear; with a scam warning, the
      topics that matched the question itself, to offer after the warning.
    - `outside_province`: the guide is for other provinces than the ward's (iHanoi is Hà Nội's).
    - `score`: confidence of the best match, 0..1.
    - `language_note`: the question was English but the guide exists only in Vietnamese.
    - `masked_question`: the question with personal data masked, safe to store and log.
    """

    outcome: Outcome
    masked_question: str
    guide: Guide | None = None
    entry: Entry | None = None
    choices: tuple[Topic, ...] = field(default_factory=tuple)
    score: float = 0.0
    scam_warning: bool = False
    language_note: bool = False
    handoff_reason: HandoffReason | None = None
    outside_province: bool = False

    @property
    def guide_id(self) -> str | None:
        """Id of the guide shown, if any."""
        return self.guide.id if self.guide else None

    @property
    def entry_id(self) -> str | None:
        """Id of the entry shown, if any."""
        return self.entry.id if self.entry else None
