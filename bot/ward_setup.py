"""Setting a ward up: the ward, its units, invitations, and the bundled example."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from bot.channels import Platform
from bot.config import ChannelSettings
from bot.plan_import.importer import ImportSummary, import_appendix
from handlers.people import Invitation, invite as issue_invite
from storage.models import Member, Unit, Ward
from storage.repositories import Repositories
from storage.vocabulary import Role

EXAMPLE_WARD_NAME = "Phường Hồng Bàng"
EXAMPLE_PLAN_NUMBER = "KH-NQ57/2026"
EXAMPLE_PLAN_TITLE = "Kế hoạch thực hiện Nghị quyết 57-NQ/TW năm 2026 của UBND phường Hồng Bàng"
EXAMPLE_REPORT_DAY = 16
# The units named in the Hồng Bàng appendix, as the plan names them.
EXAMPLE_UNITS: tuple[tuple[str, list[str]], ...] = (
    ("Phòng Văn hóa - Xã hội", ["Phòng VHXH", "Phòng Văn hóa Xã hội"]),
    ("Văn phòng HĐND và UBND phường", ["Văn phòng HĐND & UBND phường"]),
    ("Trung tâm Phục vụ Hành chính công", []),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", []),
    ("Công an phường", []),
)


class UnknownUnit(LookupError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.known = known


class SameUnit(ValueError):
    """A unit cannot be merged into itself."""


async def zalo_bot_with_room(
    repositories: Repositories, channels: Sequence[ChannelSettings]
) -> tuple[ChannelSettings | None, bool]:
    """The first configured Zalo bot with room for one more person under its plan's cap (the
    bots fill one after another), and whether there are Zalo bots but all are full."""
    bots = [channel for channel in channels if channel.platform is Platform.ZALO_BOT]
    for bot in bots:
        cap = bot.capabilities().user_cap
        if cap is None or await repositories.identities.users_on(bot.name) < cap:
            return bot, False
    return None, bool(bots)


def example_appendix() -> Path:
    """The bundled Hồng Bàng appendix (package data)."""
    return Path(str(resources.files("bot") / "data" / "hong-bang-2026-phu-luc.xlsx"))


async def find_unit(repositories: Repositories, ward: Ward, name: str) -> Unit:
    units = repositories.for_ward(ward.id).units
    unit = await units.find(name)
    if unit is None:
        raise UnknownUnit(name, [u.name for u in await units.all()])
    return unit


async def invite(
    repositories: Repositories,
    ward: Ward,
    role: Role,
    unit_name: str | None,
    valid_days: int,
    actor: str = "cli",
    *,
    may_submit: bool = False,
    person_name: str | None = None,
    replaces: Member | None = None,
    channels: Sequence[ChannelSettings] = (),
) -> Invitation:
    """An invitation for the unit of this name (raises UnknownUnit, or UnitNeeded for a head
    or staff without one); with the configured `channels`, also which Zalo bot to write to."""
    unit = await find_unit(repositories, ward, unit_name) if unit_name else None
    invitation = await issue_invite(
        repositories,
        ward,
        role,
        unit,
        valid_days,
        actor=actor,
        may_submit=may_submit,
        person_name=person_name,
        replaces=replaces,
    )
    bot, full = await zalo_bot_with_room(repositories, channels)
    return replace(invitation, bot=(bot.handle or bot.name) if bot else None, bots_full=full)


async def ensure_example_ward(
    repositories: Repositories, timezone: str, locale: str
) -> tuple[Ward, ImportSummary | None]:
    """The embedded default: on an empty database, the Hồng Bàng ward with its plan imported."""
    ward = await repositories.wards.find(EXAMPLE_WARD_NAME)
    if ward is not None:
        return ward, None
    ward = await repositories.wards.add(
        EXAMPLE_WARD_NAME, timezone=timezone, report_day=EXAMPLE_REPORT_DAY, locale=locale
    )
    units = repositories.for_ward(ward.id).units
    for name, aliases in EXAMPLE_UNITS:
        await units.add(name, aliases=aliases)
    summary = await import_appendix(
        repositories,
        ward,
        example_appendix(),
        number=EXAMPLE_PLAN_NUMBER,
        title=EXAMPLE_PLAN_TITLE,
        actor="example",
    )
    return ward, summary


@dataclass(frozen=True)
class UnitRemoval:
    name: str
    deleted: bool


async def rename_unit(
    repositories: Repositories, ward: Ward, name: str, new_name: str, actor: str = "cli"
) -> tuple[str, Unit]:
    """Rename a unit (the old name stays an alias); raises UnknownUnit or UnitNameTaken."""
    unit = await find_unit(repositories, ward, name)
    old = await repositories.for_ward(ward.id).units.rename(unit, new_name)
    repositories.audit.record(
        actor=actor,
        action="rename",
        entity="unit",
        entity_id=unit.id,
        ward_id=ward.id,
        changes={"name": [old, unit.name]},
    )
    return old, unit


async def merge_units(
    repositories: Repositories, ward: Ward, source_name: str, target_name: str, actor: str = "cli"
) -> tuple[str, Unit]:
    """Fold one unit into another (an import that made two of one office); raises
    UnknownUnit, SameUnit, or ReportsOverlap when both answered for one task in one period."""
    source = await find_unit(repositories, ward, source_name)
    target = await find_unit(repositories, ward, target_name)
    if source.id == target.id:
        raise SameUnit(source.name)
    merged = source.name
    source_id = source.id
    await repositories.for_ward(ward.id).units.merge(source, target)
    repositories.audit.record(
        actor=actor,
        action="merge",
        entity="unit",
        entity_id=target.id,
        ward_id=ward.id,
        changes={"merged": [merged, target.name], "unit_id": [source_id, target.id]},
    )
    return merged, target


async def remove_unit(
    repositories: Repositories, ward: Ward, name: str, actor: str = "cli"
) -> UnitRemoval:
    """Delete a unit that never reported; deactivate one that did, keeping its history."""
    unit = await find_unit(repositories, ward, name)
    unit_id, unit_name = unit.id, unit.name
    deleted = await repositories.for_ward(ward.id).units.remove(unit)
    repositories.audit.record(
        actor=actor,
        action="delete" if deleted else "deactivate",
        entity="unit",
        entity_id=unit_id,
        ward_id=ward.id,
        changes={"name": [unit_name, None]} if deleted else {"active": [True, False]},
    )
    return UnitRemoval(unit_name, deleted)
