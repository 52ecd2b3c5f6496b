"""A ward's units, found by any of their spellings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import Unit
from storage.names import acronym_key, clean_spaces, headless_key, name_key
from storage.vocabulary import UnitKind

_KIND_BY_PREFIX = (
    ("cong an", UnitKind.POLICE),
    ("trung tam", UnitKind.CENTRE),
    ("truong", UnitKind.SCHOOL),
    ("mat tran", UnitKind.MASS_ORGANISATION),
    ("ubmttq", UnitKind.MASS_ORGANISATION),
    ("hoi ", UnitKind.MASS_ORGANISATION),
    ("doan ", UnitKind.MASS_ORGANISATION),
    ("phong", UnitKind.OFFICE),
    ("van phong", UnitKind.OFFICE),
)


def guess_kind(name: str) -> UnitKind:
    key = name_key(name)
    for prefix, kind in _KIND_BY_PREFIX:
        if key.startswith(prefix):
            return kind
    return UnitKind.OTHER


def match_keys(unit: Unit) -> set[str]:
    """Every key under which this unit is found: its name, its aliases, their short forms."""
    keys = {unit.name_key}
    for spelling in [unit.name, *unit.aliases]:
        keys.add(name_key(spelling))
        short = acronym_key(spelling)
        if short:
            keys.add(short)
    return keys


def _headless_keys(unit: Unit) -> set[str]:
    return {short for key in match_keys(unit) if (short := headless_key(key))}


class UnitRepository:
    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def all(self) -> list[Unit]:
        result = await self._session.execute(
            select(Unit).where(Unit.ward_id == self._ward_id).order_by(Unit.id)
        )
        return list(result.scalars())

    async def by_id(self, unit_id: int) -> Unit | None:
        unit = await self._session.get(Unit, unit_id)
        return unit if unit is not None and unit.ward_id == self._ward_id else None

    async def find(self, name: str) -> Unit | None:
        """The unit this spelling names (exact key, alias, or short form such as "Phòng VHXH"),
        in any case and with or without diacritics; failing that, the one unit whose keys
        without their head word ("vhxh", "văn hóa xã hội") it is."""
        wanted = name_key(name)
        units = await self.all()
        for unit in units:
            if wanted in match_keys(unit):
                return unit
        headless = [unit for unit in units if wanted in _headless_keys(unit)]
        return headless[0] if len(headless) == 1 else None

    async def add(
        self, name: str, *, aliases: list[str] | None = None, kind: UnitKind | None = None
    ) -> Unit:
        name = clean_spaces(name)
        unit = Unit(
            ward_id=self._ward_id,
            name=name,
            name_key=name_key(name),
            aliases=[clean_spaces(alias) for alias in aliases or []],
            kind=kind or guess_kind(name),
            created_at=self._clock.now(),
        )
        self._session.add(unit)
        await self._session.flush()
        return unit

    def add_alias(self, unit: Unit, alias: str) -> bool:
        """Remember another spelling; False when the unit already answers to it."""
        alias = clean_spaces(alias)
        if name_key(alias) in match_keys(unit):
            return False
        unit.aliases = [*unit.aliases, alias]
        return True
