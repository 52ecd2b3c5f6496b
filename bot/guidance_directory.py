"""Which guides answer a ward's citizens: the package guides plus the ward's own folder.

A ward's folder is `<wards_dir>/<ward key with hyphens>` (e.g. `wards/hong-bang/`) holding
`contacts.toml` and `guides/*.md` (docs/GUIDANCE.md). Engines are built once per ward.
"""

from __future__ import annotations

from pathlib import Path

from handlers.guidance import GuidanceEngine, GuideError, GuideLibrary, WardContacts
from handlers.guidance.contacts import parse_contacts
from storage.models import Ward


def load_library(ward_dir: Path | None = None) -> GuideLibrary:
    """The package guides with a ward folder's own guides and contacts (None: the package's)."""
    if ward_dir is None:
        return GuideLibrary.build()
    if not ward_dir.is_dir():
        raise GuideError(ward_dir, "ward folder does not exist")
    folder = ward_dir / "guides"
    guide_files = (
        [(str(path), path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.md"))]
        if folder.is_dir()
        else []
    )
    contacts_path = ward_dir / "contacts.toml"
    contacts = (
        parse_contacts(str(contacts_path), contacts_path.read_text(encoding="utf-8"))
        if contacts_path.is_file()
        else WardContacts()
    )
    return GuideLibrary.build(guide_files, contacts)


def ward_folder_name(ward: Ward) -> str:
    return ward.name_key.replace(" ", "-")


class GuidanceDirectory:
    def __init__(self, wards_dir: Path) -> None:
        self._wards_dir = wards_dir
        self._engines: dict[Path | None, GuidanceEngine] = {}

    def folder_for(self, ward: Ward | None) -> Path | None:
        if ward is None:
            return None
        folder = self._wards_dir / ward_folder_name(ward)
        return folder if folder.is_dir() else None

    def engine_for(self, ward: Ward | None) -> GuidanceEngine:
        """The engine for this ward's citizens (package guides alone when it has no folder)."""
        folder = self.folder_for(ward)
        engine = self._engines.get(folder)
        if engine is None:
            engine = GuidanceEngine(load_library(folder))
            self._engines[folder] = engine
        return engine
