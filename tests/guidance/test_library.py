"""Loading guides: the package content is valid, and every kind of broken file is an error
that names the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.guidance_directory import load_library
from handlers.guidance import GuidanceEngine, GuideError, GuideLibrary, HandoffReason, Outcome

VALID_GUIDE = """\
---
id: {id}
title: Hướng dẫn thử
audience: citizen
reviewed: 2026-11-22
keywords: [thử nghiệm]
examples: ["câu hỏi thử"]
sources:
  - title: Nguồn thử
    url: https://example.gov.vn/huong-dan
---
Mở đầu.

1. Bước một.
2. Bước hai.
"""

REQUIRED_TOPICS_TEXT = """
vneid-install vneid-levels vneid-activate vneid-forgot-password vneid-forgot-passcode
vneid-change-phone vneid-new-phone vneid-lost-phone vneid-wrong-data
vneid-document-wallet vneid-temporary-residence vneid-permanent-residence
police-never-ask ihanoi-install-signin ihanoi-street-report ihanoi-handling-time
ihanoi-follow-up ihanoi-services dvc-signin-vneid dvc-submit dvc-pay-fees dvc-track
criminal-record birth-registration id-card-reissue social-benefits-account report-crime
digital-signature qr-payment scam-recognise scam-report ward-office ward-digital-team
ward-human-contact
"""


def _ward_with_guide(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "guides").mkdir(exist_ok=True)
    (tmp_path / "guides" / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_package_guides_cover_the_required_topics() -> None:
    library = load_library()
    assert len(library) >= 40
    required = set(REQUIRED_TOPICS_TEXT.split())
    assert required <= set(library)


def test_every_package_guide_is_sourced_reviewed_and_in_steps() -> None:
    library = load_library()
    for guide_id in library:
        for guide in library.versions(guide_id):
            assert guide.sources and all(
                source.url.startswith(("https://", "http://")) for source in guide.sources
            )
            assert guide.reviewed.isoformat() >= "2026-11-22"
            assert len(guide.steps) >= 2, guide.origin
            assert guide.examples and guide.keywords


def test_guides_contain_no_phone_number_their_sources_do_not_name() -> None:
    """Package guides may only cite the national hotline a source names (1900 0368)."""
    library = load_library()
    for guide_id in library:
        for guide in library.versions(guide_id):
            numbers = {re.sub(r"\D", "", run) for run in re.findall(r"\d(?:[ .]?\d)+", guide.body)}
            assert {number for number in numbers if len(number) >= 8} <= {"19000368"}, guide.origin


def test_ward_guide_overrides_a_package_guide_and_adds_new_ones(tmp_path: Path) -> None:
    override = VALID_GUIDE.format(id="vneid-install").replace(
        "Hướng dẫn thử", "Cài VNeID theo cách của phường"
    )
    _ward_with_guide(tmp_path, "vneid-install.md", override)
    _ward_with_guide(tmp_path, "ward-parking.md", VALID_GUIDE.format(id="ward-parking"))
    library = load_library(tmp_path)
    assert library.get("vneid-install").title == "Cài VNeID theo cách của phường"
    assert library.get("vneid-install").origin.startswith(str(tmp_path))
    assert "ward-parking" in library
    assert library.get("vneid-install", "en").locale == "en"  # the package's English stays
    assert library.get("ward-parking", "en").locale == "vi"


def test_ward_contacts_are_filled_into_ward_guides(library: GuideLibrary) -> None:
    office = library.get("ward-office")
    assert office.is_complete
    assert "Số 1 đường Thử Nghiệm" in office.body
    assert "{{" not in office.body


def test_unconfigured_ward_values_hand_over_instead_of_inventing(tmp_path: Path) -> None:
    (tmp_path / "contacts.toml").write_text(
        '[contacts]\nward_name = "Phường A"\n', encoding="utf-8"
    )
    engine = GuidanceEngine(load_library(tmp_path))
    answer = engine.answer("ubnd phường ở đâu, mấy giờ mở cửa")
    assert answer.outcome is Outcome.HANDOFF
    assert answer.handoff_reason is HandoffReason.WARD_VALUE_MISSING
    assert answer.guide is None


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (
            "missing.md",
            VALID_GUIDE.format(id="x").replace("audience: citizen\n", ""),
            "missing front matter fields: audience",
        ),
        (
            "bad-yaml.md",
            VALID_GUIDE.format(id="x").replace("keywords: [thử nghiệm]", "keywords: [thử: nghiệm"),
            "invalid YAML",
        ),
        (
            "no-url.md",
            VALID_GUIDE.format(id="x").replace("    url: https://example.gov.vn/huong-dan\n", ""),
            "no valid url",
        ),
        (
            "bad-url.md",
            VALID_GUIDE.format(id="x").replace(
                "https://example.gov.vn/huong-dan", "example.gov.vn"
            ),
            "no valid url",
        ),
        ("no-front.md", "1. Bước một.\n", "must start with a '---'"),
        ("unclosed.md", "---\nid: x\n", "not closed"),
        (
            "no-steps.md",
            VALID_GUIDE.format(id="x").replace("1. Bước một.\n2. Bước hai.\n", "Không có bước.\n"),
            "no numbered steps",
        ),
        ("bad-id.md", VALID_GUIDE.format(id="Bad_ID"), "lower-case words"),
        (
            "bad-date.md",
            VALID_GUIDE.format(id="x").replace("2026-11-22", "hôm qua"),
            "must be a date",
        ),
        (
            "placeholder.md",
            VALID_GUIDE.format(id="x").replace("Bước một.", "Gọi {{chairman_phone}}."),
            "unknown ward placeholders",
        ),
        (
            "alias-loop.md",
            VALID_GUIDE.format(id="x").replace("keywords: [thử nghiệm]", "keywords: &k [*k]"),
            "invalid YAML",
        ),
        (
            "deep.md",
            VALID_GUIDE.format(id="x").replace(
                "keywords: [thử nghiệm]", "keywords: " + "[" * 600 + "]" * 600
            ),
            "invalid YAML",
        ),
        (
            "list-key.md",
            VALID_GUIDE.format(id="x").replace("audience: citizen", "[a, b]: citizen"),
            "invalid YAML",
        ),
        (
            "python-tag.md",
            VALID_GUIDE.format(id="x").replace("audience: citizen", "audience: !!python/name:os"),
            "invalid YAML",
        ),
        ("only-english.en.md", VALID_GUIDE.format(id="only-english"), "no Vietnamese version"),
        ("x.fr.md", VALID_GUIDE.format(id="x"), "unknown locale"),
    ],
)
def test_broken_guides_raise_an_error_naming_the_file(
    tmp_path: Path, name: str, text: str, problem: str
) -> None:
    _ward_with_guide(tmp_path, name, text)
    with pytest.raises(GuideError) as raised:
        load_library(tmp_path)
    assert name in str(raised.value)
    assert problem in str(raised.value)


def test_front_matter_reads_as_yaml_does(tmp_path: Path) -> None:
    """Quoted, tagged, anchored and merged values mean what YAML says they mean."""
    text = VALID_GUIDE.format(id="yaml-forms").replace(
        'keywords: [thử nghiệm]\nexamples: ["câu hỏi thử"]',
        'keywords: &words [thử nghiệm, "2026", !!str 12]\nexamples: *words\n'
        "extra: {<<: {a: 1}, b: 2}",
    )
    _ward_with_guide(tmp_path, "yaml-forms.md", text)
    guide = load_library(tmp_path).get("yaml-forms", "vi")
    assert guide.keywords == ("thử nghiệm", "2026", "12") == guide.examples
    assert guide.reviewed.isoformat() == "2026-11-22"


def test_duplicate_ids_in_one_folder_are_an_error(tmp_path: Path) -> None:
    _ward_with_guide(tmp_path, "first.md", VALID_GUIDE.format(id="same-id"))
    _ward_with_guide(tmp_path, "second.md", VALID_GUIDE.format(id="same-id"))
    with pytest.raises(GuideError, match=r"second\.md: duplicate guide id 'same-id'"):
        load_library(tmp_path)


@pytest.mark.parametrize(
    ("contacts", "problem"),
    [
        ("[contacts\n", "invalid TOML"),
        ('[contacts]\nchairman_phone = "0900"\n', "unknown contact keys"),
        ("[contacts]\noffice_phone = 24\n", "must be a string"),
    ],
)
def test_broken_contacts_raise_an_error_naming_the_file(
    tmp_path: Path, contacts: str, problem: str
) -> None:
    (tmp_path / "contacts.toml").write_text(contacts, encoding="utf-8")
    with pytest.raises(GuideError, match=problem) as raised:
        load_library(tmp_path)
    assert "contacts.toml" in str(raised.value)


def test_missing_ward_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GuideError, match="does not exist"):
        load_library(tmp_path / "nowhere")


ENTRY = """\
entries:
  - id: {entry_id}
    question: Câu hỏi thử?
    answer: {answer}
    source: {source}
"""


def _with_entry(entry_id: str = "thu", answer: str = "Trả lời thử.", source: str = "") -> str:
    entry = ENTRY.format(
        entry_id=entry_id, answer=answer, source=source or "https://example.gov.vn/huong-dan"
    )
    return VALID_GUIDE.format(id="ward-thu").replace("---\nMở đầu.", entry + "---\nMở đầu.")


def test_a_ward_guide_may_hold_entries_with_their_source(tmp_path: Path) -> None:
    library = load_library(_ward_with_guide(tmp_path, "ward-thu.md", _with_entry()))
    [entry] = library.get("ward-thu").entries
    assert (entry.id, entry.answer, entry.source.url) == (
        "thu",
        "Trả lời thử.",
        "https://example.gov.vn/huong-dan",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_with_entry(source="https://elsewhere.vn/x"), "is not among the guide's sources"),
        (_with_entry(answer="Dài " * 100), "over 280 characters"),
        (_with_entry(entry_id="Sai Id"), "lower-case words"),
        (_with_entry(answer="Gọi {{{{so_bi_mat}}}}"), "unknown ward placeholders"),
        (
            _with_entry().replace(
                "entries:\n",
                "entries:\n  - id: thu\n    question: Q\n    answer: A\n    source: https://example.gov.vn/huong-dan\n",
            ),
            "appears twice",
        ),
        (
            VALID_GUIDE.format(id="ward-thu").replace("---\nMở đầu.", "entries: [1]\n---\nMở đầu."),
            "must be a mapping",
        ),
    ],
)
def test_a_broken_entry_names_the_file_and_the_entry(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(GuideError, match=message) as error:
        load_library(_ward_with_guide(tmp_path, "ward-thu.md", text))
    assert str(tmp_path) in str(error.value)


def test_package_entries_are_short_sourced_and_distinct() -> None:
    library = load_library()
    entries = [
        (guide.id, entry)
        for guide_id in library
        for guide in library.versions(guide_id)
        for entry in guide.entries
    ]
    vietnamese = [entry for guide_id, entry in entries if library.get(guide_id).entry(entry.id)]
    assert len({(guide_id, entry.id) for guide_id, entry in entries}) >= 150
    assert len(vietnamese) >= 150
    for guide_id, entry in entries:
        guide = library.get(guide_id)
        assert entry.source.url in {source.url for source in guide.sources} | {
            source.url for version in library.versions(guide_id) for source in version.sources
        }
        assert len(entry.answer) <= 280 and entry.question.endswith("?"), (guide_id, entry.id)
    answers = [entry.answer for _, entry in entries]
    assert len(set(answers)) == len(answers)
