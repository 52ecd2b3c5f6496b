import unicodedata

import pytest
from hypothesis import given, strategies as st

from bot.plan_import.unit_names import means_all_units, parse_unit_cell
from storage.names import acronym_key, name_key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Phòng Văn hóa - Xã hội", "Phòng Văn hoá – Xã hội"),
        ("Phòng Văn hóa Xã hội", "Phòng Văn hoá — Xã hội"),
        ("Văn phòng HĐND & UBND phường", "Văn phòng HĐND và UBND phường"),
        ("Văn phòng HĐND&UBND phường", "Văn phòng  HĐND  và  UBND"),
        ("Công an phường", "Công an"),
        (
            "Trung tâm Phục vụ Hành chính công",
            unicodedata.normalize("NFD", "Trung tâm Phục vụ Hành chính công"),
        ),
        ("Phòng Kinh tế, Hạ tầng và Đô thị", "phòng kinh tế - hạ tầng và đô thị"),
    ],
)
def test_spellings_of_one_unit_share_a_key(first: str, second: str) -> None:
    assert name_key(first) == name_key(second)


def test_different_units_keep_different_keys() -> None:
    assert name_key("Phòng Văn hóa - Xã hội") != name_key("Phòng Kinh tế, Hạ tầng và Đô thị")
    assert name_key("Phòng Văn hóa - Xã hội") != name_key("Phòng Văn hóa")


@pytest.mark.parametrize(
    "text",
    [
        "Các phòng, đơn vị thuộc phường",
        "Các phòng, đơn vị",
        "Các phòng, ban, đơn vị thuộc phường",
        "các phòng ban, đơn vị",
        "Các phòng, ban, đơn vị thuộc UBND phường",
        "Tất cả các đơn vị",
    ],
)
def test_every_unit(text: str) -> None:
    assert means_all_units(text)
    cell = parse_unit_cell(text)
    assert cell.all_units and cell.names == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Phòng Kinh tế, Hạ tầng và Đô thị", ["Phòng Kinh tế, Hạ tầng và Đô thị"]),
        ("Văn phòng HĐND & UBND phường", ["Văn phòng HĐND & UBND phường"]),
        ("Phòng VHXH, Công an phường", ["Phòng VHXH", "Công an phường"]),
        ("Phòng VHXH và Công an phường", ["Phòng VHXH", "Công an phường"]),
        (
            "Phòng Văn hóa - Xã hội\nTrung tâm Phục vụ Hành chính công",
            ["Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ Hành chính công"],
        ),
        (
            "- Công an phường\n- Ban Chỉ huy Quân sự phường",
            ["Công an phường", "Ban Chỉ huy Quân sự phường"],
        ),
        ("Công an phường; Công an phường.", ["Công an phường"]),
        ("", []),
    ],
)
def test_several_units_in_one_cell(text: str, names: list[str]) -> None:
    assert parse_unit_cell(text).names == names


def test_every_unit_alongside_a_named_one() -> None:
    cell = parse_unit_cell("Công an phường; các phòng, đơn vị thuộc phường")
    assert cell.all_units and cell.names == ["Công an phường"]


def test_relevant_units_is_flagged_not_guessed() -> None:
    cell = parse_unit_cell("Các đơn vị liên quan")
    assert cell.relevant_units and not cell.all_units and cell.names == []


def test_short_forms() -> None:
    assert acronym_key("Phòng Văn hóa - Xã hội") == name_key("Phòng VHXH")
    assert acronym_key("Công an phường") is None


_name_words = st.lists(
    st.sampled_from(
        [
            "Phòng",
            "Văn",
            "hóa",
            "hoá",
            "Xã",
            "hội",
            "Kinh",
            "tế",
            "Hạ",
            "tầng",
            "Đô",
            "thị",
            "Trung",
            "tâm",
            "&",
            "và",
            "–",
            "-",
        ]
    ),
    min_size=1,
    max_size=8,
)


@given(_name_words)
def test_key_ignores_composition_spacing_and_dashes(words: list[str]) -> None:
    name = " ".join(words)
    variants = [
        unicodedata.normalize("NFD", name),
        "  ".join(words),
        name.replace("–", "-").replace("hoá", "hóa"),
        name.upper(),
    ]
    assert {name_key(v) for v in variants} == {name_key(name)}


@given(st.text(max_size=200))
def test_cell_parsing_never_raises_and_yields_clean_names(text: str) -> None:
    cell = parse_unit_cell(text)
    for name in cell.names:
        assert name == name.strip() and "\n" not in name
    assert len({name_key(n) for n in cell.names}) == len(cell.names)
