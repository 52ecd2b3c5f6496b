"""Secrets shared by every process, made once by the first that needs one."""

from __future__ import annotations

import secrets
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AppSecret

_SECRETS = cast(Table, AppSecret.__table__)
_INSERTS: dict[str, Any] = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


class SharedSecrets:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_or_make(self, name: str) -> str:
        """The secret of this name; two processes making it at once end with the same one."""
        insert = _INSERTS[self._session.get_bind().dialect.name]
        await self._session.execute(
            insert(_SECRETS)
            .values(name=name, value=secrets.token_urlsafe(32))
            .on_conflict_do_nothing(index_elements=["name"])
        )
        result = await self._session.execute(
            select(_SECRETS.c.value).where(_SECRETS.c.name == name)
        )
        return str(result.scalar_one())
