"""Migrations, configuration and the storage guarantees the flows rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.app import Application
from bot.config import Settings, redact_url
from bot.scheduler import UPDATES_KEPT, Scheduler
from bot.ward_setup import ensure_example_ward
from storage.clock import FixedClock
from storage.db import schema_is_current
from storage.models import CONSOLE_CHANNEL, Base


async def test_migrations_create_exactly_the_models(application: Application) -> None:
    def differences(connection):  # type: ignore[no-untyped-def]
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)

    async with application.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
    assert await schema_is_current(application.engine)


async def test_moments_come_back_timezone_aware(application: Application) -> None:
    moment = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
    async with application.transaction() as repositories:
        ward = await repositories.wards.add(
            "Phường A", timezone="Asia/Ho_Chi_Minh", report_day=16, locale="vi"
        )
        ward.created_at = moment
    async with application.transaction() as repositories:
        stored = await repositories.wards.get("A")
        assert stored.created_at == moment and stored.created_at.tzinfo is not None


async def test_outbox_sends_once_per_dedup_key(application: Application) -> None:
    async with application.transaction() as repositories:
        first = await repositories.outbox.enqueue(
            chat_id="1", payload={"k": 1}, dedup_key="reminder:1"
        )
        second = await repositories.outbox.enqueue(
            chat_id="1", payload={"k": 1}, dedup_key="reminder:1"
        )
    assert first is not None and second is None
    async with application.transaction() as repositories:
        pending = await repositories.outbox.pending(CONSOLE_CHANNEL)
        assert len(pending) == 1
        await repositories.outbox.sent([(pending[0].id, "m1")])
    async with application.transaction() as repositories:
        assert await repositories.outbox.pending(CONSOLE_CHANNEL) == []


async def test_an_update_id_is_accepted_once_per_channel(application: Application) -> None:
    async with application.transaction() as repositories:
        await repositories.channels.ensure("telegram-a", "telegram")
        await repositories.channels.ensure("telegram-b", "telegram")
        assert await repositories.conversations.first_delivery("telegram-a", "1001")
        assert not await repositories.conversations.first_delivery("telegram-a", "1001")
        assert await repositories.conversations.first_delivery("telegram-b", "1001")


async def test_update_ids_are_forgotten_after_a_week_each_day(
    application: Application, clock: FixedClock
) -> None:
    """No platform redelivers a week later: the daily job keeps the table to a week's ids."""
    async with application.transaction() as repositories:
        await repositories.channels.ensure("telegram-a", "telegram")
        assert await repositories.conversations.first_delivery("telegram-a", "old")
    clock.advance(UPDATES_KEPT)
    async with application.transaction() as repositories:
        assert await repositories.conversations.first_delivery("telegram-a", "recent")
    clock.advance(timedelta(seconds=1))
    assert await Scheduler(application.transaction).forget_old_updates() == 1
    async with application.transaction() as repositories:
        assert not await repositories.conversations.first_delivery("telegram-a", "recent")
        assert await repositories.conversations.first_delivery("telegram-a", "old")


def test_settings_from_environment_and_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "reportbot.toml"
    config.write_text(
        'database_url = "postgresql+asyncpg://bot:secret@db/reportbot"\ndefault_report_day = 18\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("REPORTBOT_CONFIG", str(config))
    monkeypatch.delenv("REPORTBOT_DATABASE_URL", raising=False)
    settings = Settings()
    assert (
        settings.database_url.startswith("postgresql+asyncpg://")
        and settings.default_report_day == 18
    )
    monkeypatch.setenv("REPORTBOT_DEFAULT_REPORT_DAY", "16")
    assert Settings().default_report_day == 16
    assert "secret" not in redact_url(settings.database_url)


def test_default_database_is_a_sqlite_file_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REPORTBOT_DATABASE_URL", raising=False)
    monkeypatch.setenv("REPORTBOT_CONFIG", str(tmp_path / "none.toml"))
    assert Settings().database_url == "sqlite:///./reportbot.db"


async def test_the_task_cache_outlives_a_rolled_back_transaction(
    application: Application,
) -> None:
    async with application.transaction() as repositories:
        ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        unit = await repositories.for_ward(ward.id).units.find("Công an phường")
        assert unit is not None
    with pytest.raises(RuntimeError):
        async with application.transaction() as repositories:
            # The first read of the task list fills the cache, then the transaction fails.
            await repositories.for_ward(ward.id).plans.tasks_for_unit(unit.id)
            raise RuntimeError("the turn failed")
    async with application.transaction() as repositories:
        share = await repositories.for_ward(ward.id).plans.tasks_for_unit(unit.id)
    assert [task.code for task in share.reporting][:2] == ["I.2", "I.14"]
