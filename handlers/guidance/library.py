"""The set of guides a deployment answers from: package guides plus one ward's own.

A ward's guides and contacts arrive as texts (`bot/guidance_directory.py` reads its folder); a
ward guide with the id of a package guide replaces it for that locale, any other id adds one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from handlers.guidance.contacts import WardContacts
from handlers.guidance.errors import GuideError
from handlers.guidance.guide_file import RawGuide, parse_guide
from handlers.guidance.model import Guide

PACKAGE_GUIDES = "guides"


@dataclass(frozen=True)
class GuideLibrary:
    """Guides by id and locale, with the ward contacts they were rendered with."""

    guides: dict[str, dict[str, Guide]]
    contacts: WardContacts

    @classmethod
    def build(
        cls,
        ward_files: Iterable[tuple[str, str]] = (),
        contacts: WardContacts | None = None,
    ) -> GuideLibrary:
        """Validate the package guides, then a ward's own (origin, Markdown text) and contacts."""
        package = _parse_all(_package_files())
        ward = _parse_all(ward_files)
        return cls.from_raw(package, ward, contacts or WardContacts())

    @classmethod
    def from_raw(
        cls, package: Iterable[RawGuide], ward: Iterable[RawGuide], contacts: WardContacts
    ) -> GuideLibrary:
        """Build a library from parsed guides; ward guides replace package ones by id and locale."""
        merged = _index_unique(package)
        merged.update(_index_unique(ward))
        by_id: dict[str, dict[str, Guide]] = {}
        for (guide_id, locale), raw in sorted(merged.items()):
            by_id.setdefault(guide_id, {})[locale] = raw.render(contacts)
        for guide_id, versions in by_id.items():
            if "vi" not in versions:
                origin = next(iter(versions.values())).origin
                raise GuideError(origin, f"guide {guide_id!r} has no Vietnamese version")
        return cls(guides=by_id, contacts=contacts)

    def __iter__(self) -> Iterator[str]:
        return iter(self.guides)

    def __len__(self) -> int:
        return len(self.guides)

    def get(self, guide_id: str, locale: str = "vi") -> Guide:
        """The guide in `locale` when written, else its Vietnamese version."""
        versions = self.guides[guide_id]
        return versions.get(locale, versions["vi"])

    def versions(self, guide_id: str) -> list[Guide]:
        """Every language version of a guide, Vietnamese first."""
        versions = self.guides[guide_id]
        return sorted(versions.values(), key=lambda guide: guide.locale != "vi")


def _package_files() -> list[tuple[str, str]]:
    folder = resources.files("handlers.guidance").joinpath(PACKAGE_GUIDES)
    return [
        (f"handlers/guidance/guides/{entry.name}", entry.read_text(encoding="utf-8"))
        for entry in _markdown(folder)
    ]


def _markdown(folder: Traversable) -> list[Traversable]:
    return sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".md")), key=lambda e: e.name
    )


def _parse_all(files: Iterable[tuple[str, str]]) -> list[RawGuide]:
    return [parse_guide(origin, text) for origin, text in files]


def _index_unique(guides: Iterable[RawGuide]) -> dict[tuple[str, str], RawGuide]:
    """Guides keyed by (id, locale); two files with the same key in one source is an error."""
    index: dict[tuple[str, str], RawGuide] = {}
    for guide in guides:
        key = (guide.id, guide.locale)
        if key in index:
            raise GuideError(
                guide.origin,
                f"duplicate guide id {guide.id!r} ({guide.locale}), also in {index[key].origin}",
            )
        index[key] = guide
    return index
