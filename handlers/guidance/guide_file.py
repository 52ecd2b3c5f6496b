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
provinces: [Hà Nội]          # optional: only where the guide applies
entries:                     # optional: the questions citizens ask, each with its fact
  - id: where-to-download
    question: Tải VNeID ở đâu?
    answer: Chỉ tải từ App Store hoặc Google Play (CH Play).   # at most 280 characters
    source: https://nghean24h.vn/...     # the url of one of the guide's sources
    keywords: [tải ở đâu]                 # optional
    examples: ["tai vneid o dau"]         # optional
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
from handlers.guidance.model import Entry, Guide, Source

LOCALES = ("vi", "en")
REQUIRED_FIELDS = ("id", "title", "audience", "reviewed", "keywords", "examples", "sources")
_GUIDE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_STEP = re.compile(r"^\s*\d+[.)]\s+(.+)$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
# The C loader (libyaml) parses the package's front matter several times faster; the
# pure-Python safe loader is the fallback. Both construct only plain values.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_STR, _YAML_SEQ, _YAML_MAP, _YAML_MERGE = (
    f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map", "merge")
)
# An entry's answer leads the reply and must fit in its first 300 characters with a line
# of context, so it is kept short.
MAX_ANSWER_CHARS = 280


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
    entries: tuple[Entry, ...] = ()
    provinces: tuple[str, ...] = ()

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
            entries=tuple(_render_entry(entry, contacts) for entry in self.entries),
            provinces=self.provinces,
        )


def _render_entry(entry: Entry, contacts: WardContacts) -> Entry:
    answer, missing = contacts.fill(entry.answer)
    return Entry(
        id=entry.id,
        question=entry.question,
        answer=answer,
        source=entry.source,
        keywords=entry.keywords,
        examples=entry.examples,
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
    sources = _sources(origin, front["sources"])
    return RawGuide(
        id=guide_id,
        locale=locale,
        title=_text_field(origin, front, "title"),
        body=body.strip(),
        sources=sources,
        keywords=_text_list(origin, front, "keywords"),
        examples=_text_list(origin, front, "examples"),
        audience=_text_field(origin, front, "audience"),
        reviewed=_date(origin, front["reviewed"]),
        origin=origin,
        entries=_entries(origin, front.get("entries", []), sources),
        provinces=_optional_list(origin, front, "provinces"),
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
        front = _front_matter("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        raise GuideError(origin, f"invalid YAML front matter: {error}") from error
    if not isinstance(front, dict):
        raise GuideError(origin, "the front matter must be a mapping of fields")
    return front, "\n".join(lines[end + 1 :])


def _front_matter(text: str) -> Any:
    """The plain values of a YAML block, as the safe loader builds them.

    Nearly every value of a guide is a string: those are taken from libyaml's nodes as they
    are, and only the rest (dates, numbers, tagged or merged nodes) goes through the safe
    constructor, which is the slow part of loading a large base of guides.
    """
    loader = _YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _plain(node, loader, set())
    except RecursionError:
        # libyaml accepts deeper nesting than the interpreter's stack allows here.
        raise yaml.YAMLError("the values are nested too deeply") from None
    finally:
        loader.dispose()


def _plain(node: yaml.Node, loader: Any, enclosing: set[int]) -> Any:
    if isinstance(node, yaml.ScalarNode) and node.tag == _YAML_STR:
        return node.value
    if id(node) in enclosing:
        raise yaml.YAMLError("an alias refers to a node that contains it")
    if isinstance(node, yaml.SequenceNode) and node.tag == _YAML_SEQ:
        enclosing.add(id(node))
        items = [_plain(item, loader, enclosing) for item in node.value]
        enclosing.discard(id(node))
        return items
    if (
        isinstance(node, yaml.MappingNode)
        and node.tag == _YAML_MAP
        and all(key.tag != _YAML_MERGE for key, _value in node.value)
    ):
        enclosing.add(id(node))
        mapping = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, loader, enclosing)
            if not isinstance(key, str | int | float | bool | dt.date | None):
                raise yaml.YAMLError(f"a mapping key must be a plain value, not {key!r}")
            mapping[key] = _plain(value_node, loader, enclosing)
        enclosing.discard(id(node))
        return mapping
    return loader.construct_object(node, deep=True)


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


def _optional_list(origin: str, front: dict[str, Any], name: str) -> tuple[str, ...]:
    return _text_list(origin, front, name) if front.get(name) not in (None, []) else ()


def _entries(origin: str, value: Any, sources: tuple[Source, ...]) -> tuple[Entry, ...]:
    """Validate the `entries` list: unique ids, a short answer, a source the guide cites."""
    if not isinstance(value, list):
        raise GuideError(origin, "field 'entries' must be a list")
    by_url = {source.url: source for source in sources}
    entries: list[Entry] = []
    for index, item in enumerate(value, start=1):
        where = f"entry {index}"
        if not isinstance(item, dict):
            raise GuideError(origin, f"{where} must be a mapping with id, question, answer, source")
        missing = [name for name in ("id", "question", "answer", "source") if not item.get(name)]
        if missing:
            raise GuideError(origin, f"{where} lacks {', '.join(missing)}")
        entry_id = _text_field(origin, item, "id")
        where = f"entry {entry_id!r}"
        if not _GUIDE_ID.match(entry_id):
            raise GuideError(origin, f"{where}: the id must be lower-case words joined by hyphens")
        if any(entry.id == entry_id for entry in entries):
            raise GuideError(origin, f"{where} appears twice")
        answer = _text_field(origin, item, "answer")
        if len(answer) > MAX_ANSWER_CHARS:
            raise GuideError(origin, f"{where}: the answer is over {MAX_ANSWER_CHARS} characters")
        unknown = sorted(set(placeholders(answer)) - set(CONTACT_KEYS))
        if unknown:
            raise GuideError(origin, f"{where}: unknown ward placeholders {unknown}")
        url = _text_field(origin, item, "source")
        if url not in by_url:
            raise GuideError(origin, f"{where}: source {url} is not among the guide's sources")
        entries.append(
            Entry(
                id=entry_id,
                question=_text_field(origin, item, "question"),
                answer=answer,
                source=by_url[url],
                keywords=_optional_list(origin, item, "keywords"),
                examples=_optional_list(origin, item, "examples"),
            )
        )
    return tuple(entries)


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
