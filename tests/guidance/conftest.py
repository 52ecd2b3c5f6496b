"""Fixtures for the guidance tests: one library and engine built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.guidance_directory import load_library
from handlers.guidance import GuidanceEngine, GuideLibrary

WARD_CONTACTS = """\
[contacts]
ward_name = "Phường Thử Nghiệm"
office_address = "Số 1 đường Thử Nghiệm"
office_hours = "Thứ Hai – Thứ Sáu, 8h00–17h00"
office_phone = "024 1111 2222"
digital_team_contact = "Nhóm Zalo Tổ công nghệ số cộng đồng phường Thử Nghiệm"
human_contact = "Bộ phận một cửa, tầng 1"
"""


@pytest.fixture(scope="session")
def configured_ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ward folder with every contact value set and no guides of its own."""
    folder = tmp_path_factory.mktemp("ward")
    (folder / "contacts.toml").write_text(WARD_CONTACTS, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def library(configured_ward: Path) -> GuideLibrary:
    return load_library(configured_ward)


@pytest.fixture(scope="session")
def engine(library: GuideLibrary) -> GuidanceEngine:
    return GuidanceEngine(library)
