"""Parsing and validation of one guide file: Markdown with YAML front matter.

A guide file looks like this (`<id>.md` for Vietnamese, `<id>.en.md` for English):

```markdown
---
id: vneid-install
title: Cài ứng dụng VNeID an toàn
audience: citizen
reviewed: 2026-11-22
keywords: [cài vneid, tải vneid]
examples: ["tải vneid ở đâu"]
sources:
  - title: Báo Nghệ An 24h – Hướng dẫn đăng ký và kích hoạt tài khoản định danh điện tử
    url: https://nghean24h.vn/...
---
Một câu mở đầu.

1. Bước một.
2. Bước hai.
```

Any problem raises `GuideError` naming the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import yaml

from handlers.guidance.contacts import CONTACT_KEYS, WardContacts, placeholders
from handlers.guidance.errors import GuideError
from handlers.guidance.model import Guide, Source

LOCALES = ("vi", "en")
REQUIRED_FIELDS = ("id", "title", "audience", "reviewed", "keywords", "examples", "sources")
_GUIDE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_STEP = re.compile(r"^\s*\d+[.)]\s+(.+)$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


@dataclass(frozen=True)
class RawGuide:
    """A validated guide before ward values are substituted."""

    id: str
    locale: str
    title: str
    body: str
    sources: tuple[Source, ...]
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    audience: str
    reviewed: dt.date
    origin: str

    def render(self, contacts: WardContacts) -> Guide:
        """The guide with the ward's contact values filled in, or flagged as incomplete."""
        body, missing = contacts.fill(self.body)
        return Guide(
            id=self.id,
            locale=self.locale,
            title=self.title,
            body=body,
            steps=steps_of(body),
            sources=self.sources,
            keywords=self.keywords,
            examples=self.examples,
            audience=self.audience,
            reviewed=self.reviewed,
            origin=self.origin,
            missing_contacts=missing,
        )


def locale_of(name: str) -> str:
    """The locale a file name declares: `x.en.md` is English, `x.md` Vietnamese."""
    stem = PurePath(name).name.removesuffix(".md")
    suffix = stem.rsplit(".", 1)[1] if "." in stem else "vi"
    return suffix


def steps_of(body: str) -> tuple[str, ...]:
    """The numbered lines of a Markdown body, without their numbers."""
    return tuple(
        match.group(1).strip() for line in body.splitlines() if (match := _STEP.match(line))
    )


def parse_guide(origin: str, text: str) -> RawGuide:
    """Parse and validate a guide file's text; `origin` names the file in errors."""
    front, body = _split_front_matter(origin, text)
    locale = locale_of(origin)
    if locale not in LOCALES:
        raise GuideError(origin, f"unknown locale {locale!r} in file name; use one of {LOCALES}")
    missing = [
        name for name in REQUIRED_FIELDS if name not in front or front[name] in (None, "", [])
    ]
    if missing:
        raise GuideError(origin, f"missing front matter fields: {', '.join(missing)}")
    guide_id = _text_field(origin, front, "id")
    if not _GUIDE_ID.match(guide_id):
        raise GuideError(origin, f"id {guide_id!r} must be lower-case words joined by hyphens")
    unknown_keys = sorted(set(placeholders(body)) - set(CONTACT_KEYS))
    if unknown_keys:
        raise GuideError(
            origin, f"unknown ward placeholders {unknown_keys}; known: {list(CONTACT_KEYS)}"
        )
    if not steps_of(body):
        raise GuideError(origin, "the body has no numbered steps")
    return RawGuide(
        id=guide_id,
        locale=locale,
        title=_text_field(origin, front, "title"),
        body=body.strip(),
        sources=_sources(origin, front["sources"]),
        keywords=_text_list(origin, front, "keywords"),
        examples=_text_list(origin, front, "examples"),
        audience=_text_field(origin, front, "audience"),
        reviewed=_date(origin, front["reviewed"]),
        origin=origin,
    )


def _split_front_matter(origin: str, text: str) -> tuple[dict[str, Any], str]:
    """Separate the YAML block between the leading `---` lines from the Markdown body."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise GuideError(origin, "the file must start with a '---' front matter block")
    try:
        end = next(index for index, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise GuideError(origin, "the front matter block is not closed by '---'") from None
    try:
        front = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        raise GuideError(origin, f"invalid YAML front matter: {error}") from error
    if not isinstance(front, dict):
        raise GuideError(origin, "the front matter must be a mapping of fields")
    return front, "\n".join(lines[end + 1 :])


def _text_field(origin: str, front: dict[str, Any], name: str) -> str:
    value = front[name]
    if not isinstance(value, str) or not value.strip():
        raise GuideError(origin, f"field {name!r} must be a non-empty string")
    return value.strip()


def _text_list(origin: str, front: dict[str, Any], name: str) -> tuple[str, ...]:
    value = front[name]
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item.strip() for item in value
    ):
        raise GuideError(origin, f"field {name!r} must be a list of non-empty strings")
    return tuple(item.strip() for item in value)


def _sources(origin: str, value: Any) -> tuple[Source, ...]:
    if not isinstance(value, list):
        raise GuideError(origin, "field 'sources' must be a list of {title, url}")
    sources = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise GuideError(origin, f"source {index} must have a title and a url")
        title, url = item.get("title"), item.get("url")
        if not isinstance(title, str) or not title.strip():
            raise GuideError(origin, f"source {index} has no title")
        if not isinstance(url, str) or not _URL.match(url.strip()):
            raise GuideError(origin, f"source {index} ({title}) has no valid url")
        sources.append(Source(title=title.strip(), url=url.strip()))
    return tuple(sources)


def _date(origin: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise GuideError(
            origin, f"field 'reviewed' must be a date like 2026-11-22, not {value!r}"
        ) from None
