"""Files made for a ward, kept for sending and for download links."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import StoredFile


class FileStore:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def keep(self, ward_id: int | None, file_name: str, content: bytes) -> int:
        stored = StoredFile(
            ward_id=ward_id, file_name=file_name, content=content, created_at=self._clock.now()
        )
        self._session.add(stored)
        await self._session.flush()
        return stored.id

    async def get(self, file_id: int, ward_id: int | None = None) -> StoredFile | None:
        """The file of this id; with `ward_id`, only if it is that ward's."""
        query = select(StoredFile).where(StoredFile.id == file_id)
        if ward_id is not None:
            query = query.where(StoredFile.ward_id == ward_id)
        return (await self._session.execute(query)).scalar_one_or_none()
