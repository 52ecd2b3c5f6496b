"""Migration 0003 on a database that already has rows: they move onto the console channel."""

from __future__ import annotations

from sqlalchemy import text

from storage.db import create_engine, upgrade_schema

MOMENT = "2026-11-01 00:00:00"
ROWS_BEFORE_CHANNELS = (
    "INSERT INTO ward (id, name, name_key, timezone, report_day, locale, created_at) "
    f"VALUES (1, 'Hồng Bàng', 'hong bang', 'Asia/Ho_Chi_Minh', 16, 'vi', '{MOMENT}')",
    f"INSERT INTO member (id, ward_id, display_name, created_at) VALUES (1, 1, 'A', '{MOMENT}')",
    "INSERT INTO identity (member_id, platform, external_id, created_at) "
    f"VALUES (1, 'console', 'head', '{MOMENT}')",
    "INSERT INTO processed_update (platform, update_id, processed_at) "
    f"VALUES ('console', 'u1', '{MOMENT}')",
    "INSERT INTO conversation_state (platform, external_id, flow, step, data, version, updated_at) "
    f"VALUES ('console', 'head', 'checkin', 'status', '{{}}', 3, '{MOMENT}')",
    "INSERT INTO outbox_message (ward_id, platform, external_id, payload, state, attempts, "
    f"created_at) VALUES (1, 'console', 'head', '{{}}', 'pending', 0, '{MOMENT}')",
)


async def test_rows_made_before_channels_belong_to_the_console(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade_schema(engine, "0002")
        async with engine.begin() as connection:
            for statement in ROWS_BEFORE_CHANNELS:
                await connection.execute(text(statement))
        await upgrade_schema(engine)
        async with engine.connect() as connection:
            for table in ("identity", "processed_update", "conversation_state", "outbox_message"):
                channels = (await connection.execute(text(f"SELECT channel FROM {table}"))).all()
                assert channels == [("console",)], table
            chat = await connection.execute(
                text("SELECT chat_id, external_id, version FROM conversation_state")
            )
            assert chat.one() == ("head", "head", 3)
    finally:
        await engine.dispose()
