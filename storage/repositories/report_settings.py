"""A ward's report settings: how its Word report is headed and signed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import ReportSettings

# The columns a coordinator may set; None clears one back to its default.
SETTING_FIELDS = (
    "issuing_body",
    "superior",
    "signer_name",
    "signer_title",
    "authority",
    "number_symbol",
    "recipients",
)


class ReportSettingsRepository:
    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def get(self) -> ReportSettings | None:
        return await self._session.get(ReportSettings, self._ward_id)

    async def update(self, values: dict[str, Any]) -> ReportSettings:
        """Set the given fields (names from SETTING_FIELDS), keeping the others."""
        unknown = set(values) - set(SETTING_FIELDS)
        if unknown:
            raise ValueError(f"not a report setting: {sorted(unknown)}")
        settings = await self.get()
        if settings is None:
            settings = ReportSettings(ward_id=self._ward_id, updated_at=self._clock.now())
            self._session.add(settings)
        for name, value in values.items():
            setattr(settings, name, value)
        settings.updated_at = self._clock.now()
        await self._session.flush()
        return settings
