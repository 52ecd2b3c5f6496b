"""A ward's units, found by any of their spellings; renamed, merged or removed with care for
what they already reported."""

from __future__ import annotations

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.clock import Clock
from storage.models import (
    Blocker,
    Incident,
    Invite,
    MemberRole,
    Submission,
    TaskReport,
    TaskUnit,
    Unit,
)
from storage.names import acronym_key, clean_spaces, headless_key, name_key, unit_key
from storage.vocabulary import UnitKind

_KIND_BY_PREFIX = (
    ("cong an", UnitKind.POLICE),
    ("trung tam", UnitKind.CENTRE),
    # Groups outside the ward's offices come before "truong" (one school) and "to".
    ("to dan pho", UnitKind.GROUP),
    ("cac to", UnitKind.GROUP),
    ("cac truong", UnitKind.GROUP),
    ("cac hoi", UnitKind.GROUP),
    ("cac chi bo", UnitKind.GROUP),
    ("khu dan cu", UnitKind.GROUP),
    ("cac khu dan cu", UnitKind.GROUP),
    ("cac doanh nghiep", UnitKind.GROUP),
    ("truong", UnitKind.SCHOOL),
    ("mat tran", UnitKind.MASS_ORGANISATION),
    ("ubmttq", UnitKind.MASS_ORGANISATION),
    ("hoi ", UnitKind.MASS_ORGANISATION),
    ("doan ", UnitKind.MASS_ORGANISATION),
    ("phong", UnitKind.OFFICE),
    ("van phong", UnitKind.OFFICE),
)


class UnitNameTaken(ValueError):
    """Another unit of the ward already answers to this name."""

    def __init__(self, unit: Unit) -> None:
        super().__init__(unit.name)
        self.unit = unit


class ReportsOverlap(ValueError):
    """Both units answered for the same task in the same period: a merge would lose one."""


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
        keys.add(unit_key(spelling))
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

    async def all(self, *, include_inactive: bool = False) -> list[Unit]:
        """The ward's units in the order they were added; removed ones only when asked."""
        query = select(Unit).where(Unit.ward_id == self._ward_id).order_by(Unit.id)
        if not include_inactive:
            query = query.where(Unit.active.is_(True))
        result = await self._session.execute(query)
        return list(result.scalars())

    async def by_id(self, unit_id: int) -> Unit | None:
        unit = await self._session.get(Unit, unit_id)
        return unit if unit is not None and unit.ward_id == self._ward_id else None

    async def find(self, name: str, *, include_inactive: bool = False) -> Unit | None:
        """The unit this spelling names (exact key, alias, or short form such as "Phòng VHXH"),
        in any case and with or without diacritics; failing that, the one unit whose keys
        without their head word ("vhxh", "văn hóa xã hội") it is."""
        found = await self.matching(name, include_inactive=include_inactive)
        return found[0] if len(found) == 1 else None

    async def matching(self, name: str, *, include_inactive: bool = False) -> list[Unit]:
        """The units this spelling may name: the one it names (as `find`), or every unit
        whose keys without their head word it is (several: the name is ambiguous)."""
        wanted = {unit_key(name), name_key(name)}
        units = await self.all(include_inactive=include_inactive)
        for unit in units:
            if wanted & match_keys(unit):
                return [unit]
        return [unit for unit in units if wanted & _headless_keys(unit)]

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
            active=True,
            created_at=self._clock.now(),
        )
        self._session.add(unit)
        await self._session.flush()
        return unit

    def add_alias(self, unit: Unit, alias: str) -> bool:
        """Remember another spelling; False when the unit already answers to it."""
        alias = clean_spaces(alias)
        if unit_key(alias) in match_keys(unit):
            return False
        unit.aliases = [*unit.aliases, alias]
        return True

    async def rename(self, unit: Unit, new_name: str) -> str:
        """Give the unit a new name; the old one stays an alias, so appendices still match."""
        new_name = clean_spaces(new_name)
        other = await self.find(new_name, include_inactive=True)
        if other is not None and other.id != unit.id:
            raise UnitNameTaken(other)
        old = unit.name
        unit.aliases = [a for a in unit.aliases if unit_key(a) != unit_key(new_name)]
        unit.name, unit.name_key = new_name, name_key(new_name)
        self.add_alias(unit, old)
        await self._session.flush()
        return old

    async def has_history(self, unit: Unit) -> bool:
        """Whether anything was reported by or for the unit (answers, submissions, issues)."""
        for table in (TaskReport, Submission, Blocker, Incident):
            found = await self._session.execute(select(exists().where(table.unit_id == unit.id)))
            if found.scalar():
                return True
        return False

    async def remove(self, unit: Unit) -> bool:
        """Delete a unit that never reported, or deactivate one that did; True if deleted.

        An inactive unit keeps its answers, submissions and issues under its name; it no longer
        leads or coordinates tasks, and its people's roles in it end.
        """
        await self._session.execute(delete(MemberRole).where(MemberRole.unit_id == unit.id))
        await self._session.execute(delete(TaskUnit).where(TaskUnit.unit_id == unit.id))
        await self._session.execute(
            delete(Invite).where(Invite.unit_id == unit.id, Invite.used_at.is_(None))
        )
        if await self.has_history(unit):
            unit.active = False
            await self._session.flush()
            return False
        await self._session.delete(unit)
        await self._session.flush()
        return True

    async def merge(self, source: Unit, target: Unit) -> None:
        """Fold `source` into `target`: its names become aliases, and its tasks, people,
        answers, submissions and issues move over; `source` is then deleted.

        Refused (ReportsOverlap) when both answered for one task or submitted in one period,
        since one of the two answers would have to go.
        """
        other = aliased(TaskReport)
        overlap = await self._session.execute(
            select(
                exists().where(
                    TaskReport.unit_id == source.id,
                    other.unit_id == target.id,
                    other.period_id == TaskReport.period_id,
                    other.task_id == TaskReport.task_id,
                )
            )
        )
        target_periods = select(Submission.period_id).where(Submission.unit_id == target.id)
        both_submitted = await self._session.execute(
            select(
                exists().where(
                    Submission.unit_id == source.id, Submission.period_id.in_(target_periods)
                )
            )
        )
        if overlap.scalar() or both_submitted.scalar():
            raise ReportsOverlap(source.name)
        for spelling in [source.name, *source.aliases]:
            self.add_alias(target, spelling)
        # Links and roles the target already has would be duplicates once moved.
        kept_link = aliased(TaskUnit)
        await self._session.execute(
            delete(TaskUnit).where(
                TaskUnit.unit_id == source.id,
                exists().where(
                    kept_link.unit_id == target.id,
                    kept_link.task_id == TaskUnit.task_id,
                    kept_link.link == TaskUnit.link,
                ),
            )
        )
        kept_role = aliased(MemberRole)
        await self._session.execute(
            delete(MemberRole).where(
                MemberRole.unit_id == source.id,
                exists().where(
                    kept_role.unit_id == target.id,
                    kept_role.member_id == MemberRole.member_id,
                    kept_role.role == MemberRole.role,
                ),
            )
        )
        for table in (TaskUnit, MemberRole, Invite, TaskReport, Submission, Blocker, Incident):
            await self._session.execute(
                update(table).where(table.unit_id == source.id).values(unit_id=target.id)
            )
        await self._session.delete(source)
        await self._session.flush()
