"""Wards: the tenants of a deployment."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import Ward
from storage.names import clean_spaces, name_key


class UnknownWard(LookupError):
    """No ward has that name; `known` lists the names there are."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.known = known


class DuplicateWard(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _ward_key(name: str) -> str:
    """ "Phường Hồng Bàng", "Hồng Bàng" and "UBND phường Hồng Bàng" are one ward."""
    key = name_key(name)
    for prefix in ("uy ban nhan dan ", "ubnd "):
        key = key.removeprefix(prefix)
    for prefix in ("phuong ", "xa ", "thi tran "):
        key = key.removeprefix(prefix)
    return key


class WardRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def add(self, name: str, *, timezone: str, report_day: int, locale: str) -> Ward:
        name = clean_spaces(name)
        key = _ward_key(name)
        if await self.find(name) is not None:
            raise DuplicateWard(name)
        ward = Ward(
            name=name,
            name_key=key,
            timezone=timezone,
            report_day=report_day,
            locale=locale,
            created_at=self._clock.now(),
        )
        self._session.add(ward)
        await self._session.flush()
        return ward

    async def find(self, name: str) -> Ward | None:
        result = await self._session.execute(select(Ward).where(Ward.name_key == _ward_key(name)))
        return result.scalar_one_or_none()

    async def get(self, name: str) -> Ward:
        """The ward of that name; raises UnknownWard listing the known ones."""
        ward = await self.find(name)
        if ward is None:
            raise UnknownWard(name, [w.name for w in await self.all()])
        return ward

    async def by_id(self, ward_id: int) -> Ward | None:
        return await self._session.get(Ward, ward_id)

    async def all(self) -> list[Ward]:
        result = await self._session.execute(select(Ward).order_by(Ward.name))
        return list(result.scalars())
