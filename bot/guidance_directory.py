"""Which guides answer a ward's citizens: the package guides plus the ward's own folder.

A ward's folder is `<wards_dir>/<ward key with hyphens>` (e.g. `wards/hong-bang/`) holding
`contacts.toml` and `guides/*.md` (docs/GUIDANCE.md). Engines are built once per ward.
"""

from __future__ import annotations

from pathlib import Path

from bot.guidance import GuidanceEngine, GuideLibrary
from storage.models import Ward


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
            engine = GuidanceEngine(GuideLibrary.load(folder))
            self._engines[folder] = engine
        return engine
