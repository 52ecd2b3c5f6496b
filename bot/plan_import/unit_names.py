"""Unit names in an appendix cell: several per cell, "every unit", and spellings to match."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storage.names import UNIT_HEADS, clean_spaces, fold, name_key

# "Các phòng, (ban,) đơn vị (thuộc phường)" and its relatives mean every unit of the ward.
_ALL_UNITS = re.compile(
    r"^(?:(?:tat ca|toan bo|toan the)\s+)?cac\s+"
    r"(?:phong|ban|nganh|don vi|co quan|bo phan|to chuc|doan the|ban nganh)"
    r"(?:\s*(?:,|va|/)?\s*(?:cac\s+)?(?:phong|ban|nganh|don vi|co quan|bo phan|to chuc|doan the"
    r"|chuyen mon))*"
    r"(?:\s+(?:thuoc|truc thuoc|cua)\s+(?:ubnd\s+|uy ban nhan dan\s+)?phuong)?"
    r"(?:\s+(?:thuoc|truc thuoc)\s+\w+)?\s*[.;]?$"
)
_RELEVANT_UNITS = re.compile(
    r"^(?:cac\s+)?(?:phong|ban|nganh|don vi|co quan|bo phan)\b.*\blien quan\b"
)
# "Chủ trì: Phòng VHXH; Phối hợp: Công an phường" in one "Đơn vị thực hiện" column.
_ROLE_MARK = re.compile(
    r"(?:^|[\n;.,]\s*|\s)[-–•+]?\s*(chủ trì|phối hợp)\s*[:：]\s*", re.IGNORECASE
)
# A name this long is a sentence that landed in a unit column, never a unit to create.
MAX_UNIT_WORDS = 12
_ITEM_SEPARATORS = re.compile(r"\s*(?:\n|;|•)\s*")
# A bullet at the start of a line ("- Công an phường"); a dash inside a name stays.
_BULLET = re.compile(r"^(?:[-–—+*•]|\d+[.)])\s+")
_HEAD_PATTERN = re.compile(r"^(?:" + "|".join(re.escape(h) for h in UNIT_HEADS) + r")\b")


@dataclass
class UnitCell:
    """What one cell names: specific units, every unit, or unspecified "relevant units"."""

    names: list[str] = field(default_factory=list)
    all_units: bool = False
    relevant_units: bool = False
    # Texts too long to be a unit's name, kept so the coordinator sees what was skipped.
    sentences: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.names or self.all_units or self.relevant_units)


def split_roles(text: str) -> tuple[str, str] | None:
    """The lead and coordinating parts of a cell that names both ("Chủ trì: …; Phối hợp: …"),
    or None when the cell has no such marks."""
    marks = list(_ROLE_MARK.finditer(text))
    if not marks:
        return None
    parts = {"chu tri": "", "phoi hop": ""}
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        role = fold(mark.group(1))
        parts[role] = f"{parts[role]}\n{text[mark.end() : end].strip(' ;.,')}".strip()
    return parts["chu tri"], parts["phoi hop"]


def means_all_units(text: str) -> bool:
    return bool(_ALL_UNITS.match(fold(text)))


def _starts_unit(part: str) -> bool:
    return bool(_HEAD_PATTERN.match(fold(part)))


def _split_commas(item: str) -> list[str]:
    parts = [p.strip() for p in re.split(r",", item) if p.strip()]
    names: list[str] = []
    for part in parts:
        if names and not _starts_unit(part):
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names


def _split_and(name: str) -> list[str]:
    """Split "Phòng VHXH và Công an phường" but not "Phòng Kinh tế, Hạ tầng và Đô thị"."""
    pieces = re.split(r"\s+(?:và|va|&)\s+", name)
    names: list[str] = []
    for piece in pieces:
        if names and _starts_unit(piece) and not fold(piece).startswith(("ubnd", "hdnd")):
            names.append(piece)
        elif names:
            joiner = " & " if "&" in name else " và "
            names[-1] = f"{names[-1]}{joiner}{piece}"
        else:
            names.append(piece)
    return names


def parse_unit_cell(text: str | None) -> UnitCell:
    """Read a lead or coordinating cell into unit names (display form, de-duplicated)."""
    cell = UnitCell()
    if not text or not text.strip():
        return cell
    seen: set[str] = set()
    for item in _ITEM_SEPARATORS.split(text.strip()):
        item = _BULLET.sub("", clean_spaces(item)).strip(" .,:")
        if not item:
            continue
        if means_all_units(item):
            cell.all_units = True
            continue
        if _RELEVANT_UNITS.match(fold(item)):
            cell.relevant_units = True
            continue
        for comma_part in _split_commas(item):
            if means_all_units(comma_part):
                cell.all_units = True
                continue
            for name in _split_and(comma_part):
                name = name.strip(" .,:")
                key = name_key(name)
                if len(name.split()) > MAX_UNIT_WORDS:
                    cell.sentences.append(name)
                elif key and key not in seen:
                    seen.add(key)
                    cell.names.append(name)
    return cell
