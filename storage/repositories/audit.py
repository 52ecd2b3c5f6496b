"""The audit log: who changed what, when, old → new."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import AuditEntry


class AuditLog:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def record(
        self,
        *,
        actor: str,
        action: str,
        entity: str,
        entity_id: object = None,
        ward_id: int | None = None,
        changes: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Add an entry in the current transaction; `changes` maps a field to [old, new]."""
        entry = AuditEntry(
            ward_id=ward_id,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            changes=changes or {},
            at=self._clock.now(),
        )
        self._session.add(entry)
        return entry

    async def for_ward(self, ward_id: int, *, entity: str | None = None) -> list[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.ward_id == ward_id)
        if entity is not None:
            query = query.where(AuditEntry.entity == entity)
        result = await self._session.execute(query.order_by(AuditEntry.id))
        return list(result.scalars())
