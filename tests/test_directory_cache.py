"""Members and periods are kept between turns, and never outlive a change, wherever it comes
from: another process, a plain SQL statement, or a transaction that rolled back."""

from __future__ import annotations

import asyncio

import pytest
from chat import Person, person
from sqlalchemy import Executable, delete, select, text
from sqlalchemy.exc import MissingGreenlet, StatementError

from bot.app import Application, open_application
from bot.config import Settings
from bot.console import console_identity
from bot.ward_setup import ensure_example_ward, invite
from handlers.checkin.actions import open_period
from storage.clock import FixedClock
from storage.models import DIRECTORY_TABLES, MemberRole
from storage.vocabulary import Role

POLICE = "Công an phường"


async def _head(application: Application) -> tuple[int, Person]:
    async with application.transaction() as repositories:
        ward, _summary = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        code = (await invite(repositories, ward, Role.UNIT_HEAD, POLICE, 7)).code
    head = person(application.dispatcher(ward.id), "head", "Lê Văn Tâm")
    assert "thành công" in (await head.send(f"/start {code}"))[0]
    return ward.id, head


async def _committed(application: Application, statement: Executable) -> None:
    """A change made outside the bot, in a transaction of its own."""
    async with application.sessions() as session, session.begin():
        await session.execute(statement)


async def test_another_process_changing_members_and_periods_is_seen_at_the_next_message(
    application: Application, database_url: str, clock: FixedClock
) -> None:
    ward_id, head = await _head(application)
    assert "Họ tên: Lê Văn Tâm" in (await head.send("/toi"))[0]
    assert "Chưa có kỳ báo cáo nào đang mở" in (await head.send("/baocao"))[0]
    # Another process on the same database: its own engine, its own cache.
    async with (
        open_application(Settings(database_url=database_url), clock) as other,
        other.transaction() as repositories,
    ):
        ward = await repositories.wards.by_id(ward_id)
        assert ward is not None
        ward_repositories = repositories.for_ward(ward_id)
        (member,) = await ward_repositories.members.with_role(Role.UNIT_HEAD)
        member = await ward_repositories.members.by_id(member.id)
        assert member is not None
        member.display_name = "Lê Văn Tâm (Trưởng Công an)"
        ward_repositories.members.grant(member, Role.COORDINATOR, None)
        await open_period(repositories, ward, "2026-11", actor="test")
    profile = (await head.send("/toi"))[0]
    assert "Họ tên: Lê Văn Tâm (Trưởng Công an)" in profile
    assert "chuyên viên đầu mối" in profile
    assert "Kỳ báo cáo 2026-11" in (await head.send("/baocao"))[0]


async def test_a_change_made_with_plain_sql_is_seen(application: Application) -> None:
    _ward_id, head = await _head(application)
    assert "Họ tên: Lê Văn Tâm" in (await head.send("/toi"))[0]
    await _committed(application, text("UPDATE member SET display_name = 'Lê Tâm'"))
    assert "Họ tên: Lê Tâm" in (await head.send("/toi"))[0]


async def test_what_a_rolled_back_transaction_read_is_not_kept(
    application: Application,
) -> None:
    _ward_id, head = await _head(application)
    with pytest.raises(RuntimeError):
        async with application.transaction() as repositories:
            await repositories.session.execute(text("UPDATE member SET display_name = 'Nháp'"))
            # Read inside the transaction that changed it: cached under its own token.
            member = await repositories.identities.member_for("test", "head")
            assert member is not None and member.display_name == "Nháp"
            raise RuntimeError("the turn failed")
    # An unrelated change commits next: its token must not be the one the rolled-back
    # transaction had (a counter would give the same), or "Nháp" would pass for current.
    await _committed(application, text("UPDATE ward SET report_day = report_day"))
    assert "Họ tên: Lê Văn Tâm" in (await head.send("/toi"))[0]
    async with application.transaction() as repositories:
        member = await repositories.identities.member_for("test", "head")
    assert member is not None and member.display_name == "Lê Văn Tâm"


async def test_a_lazy_load_fails_on_sqlite_as_it_does_on_postgresql(
    application: Application,
) -> None:
    # Statements run directly once a SQLite transaction has its connection; loading a
    # relationship that was not asked for must still fail there, or SQLite tests would pass
    # code that fails on PostgreSQL.
    async with application.transaction() as repositories:
        ward, _summary = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
    async with application.transaction() as repositories:
        unit = await repositories.for_ward(ward.id).units.find(POLICE)
        assert unit is not None
        # aiosqlite's driver wraps the same failure in a StatementError.
        with pytest.raises((MissingGreenlet, StatementError)) as failure:
            _ = unit.ward.name
        assert "greenlet_spawn has not been called" in str(failure.value)


async def test_a_task_changed_elsewhere_changes_the_next_check_in(
    application: Application,
) -> None:
    ward_id, head = await _head(application)
    async with application.transaction() as repositories:
        ward = await repositories.wards.by_id(ward_id)
        assert ward is not None
        await open_period(repositories, ward, "2026-11", actor="test")
    assert "Nhiệm vụ cần báo cáo: 7" in (await head.send("/baocao"))[0]
    await head.send("/huy")
    await _committed(application, text("UPDATE task SET active = false WHERE code = 'I.2'"))
    assert "Nhiệm vụ cần báo cáo: 6" in (await head.send("/baocao"))[0]


async def test_a_transaction_sees_its_own_changes_after_reading_the_cache(
    application: Application,
) -> None:
    await _head(application)
    async with application.transaction() as repositories:
        # Begun first, so the token read next is remembered for the rest of the transaction.
        await repositories.session.execute(text("SELECT 1"))
        member = await repositories.identities.member_for("test", "head")
        assert member is not None and member.display_name == "Lê Văn Tâm"
        await repositories.session.execute(text("UPDATE member SET display_name = 'Lê Tâm'"))
        member = await repositories.identities.member_for("test", "head")
        assert member is not None and member.display_name == "Lê Tâm"


async def test_a_change_through_the_orm_is_seen_later_in_the_same_transaction(
    application: Application,
) -> None:
    ward_id, _head_person = await _head(application)
    async with application.transaction() as repositories:
        # An answer-like write first: writes outside the directory keep the token remembered.
        await repositories.conversations.first_delivery("console", "update-1")
        member = await repositories.identities.member_for("test", "head")
        assert member is not None
        editable = await repositories.for_ward(ward_id).members.by_id(member.id)
        assert editable is not None
        editable.display_name = "Lê Văn Tâm (đã đổi)"
        await repositories.session.flush()
        member = await repositories.identities.member_for("test", "head")
    assert member is not None and member.display_name == "Lê Văn Tâm (đã đổi)"


async def test_the_triggers_cover_exactly_the_cached_tables(application: Application) -> None:
    async with application.sessions() as session:
        if application.engine.dialect.name == "sqlite":
            query = "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = "SELECT event_object_table FROM information_schema.triggers"
        tables = set((await session.execute(text(query))).scalars())
    # Answers change it only in closed periods, whose answers are kept.
    assert tables == set(DIRECTORY_TABLES) | {"task_report"}


async def test_changes_pending_in_a_rolled_back_transaction_are_never_served(
    application: Application,
) -> None:
    ward_id, head = await _head(application)
    with pytest.raises(RuntimeError):
        async with application.transaction() as repositories:
            ward_repositories = repositories.for_ward(ward_id)
            # As a turn does: the transaction begins with the update's record, then another
            # lookup remembers the token, so the next one neither reads (nor autoflushes) it.
            await repositories.conversations.first_delivery("console", "update-1")
            await ward_repositories.periods.current_and_previous()
            (listed,) = await ward_repositories.members.with_role(Role.UNIT_HEAD)
            member = await ward_repositories.members.by_id(listed.id)
            assert member is not None
            member.display_name = "Nháp"  # pending: not flushed yet
            cached = await repositories.identities.member_for("test", "head")
            assert cached is not None and cached.display_name == "Nháp"
            raise RuntimeError("the turn failed")
    assert "Họ tên: Lê Văn Tâm" in (await head.send("/toi"))[0]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_on_postgresql_a_directory_write_holds_up_no_other_ward(
    application: Application,
) -> None:
    # The token changes at commit: an open transaction that touched one ward's directory
    # must not make a registration in another ward wait for it.
    ward_id, _head_person = await _head(application)
    async with application.transaction() as repositories:
        other = await repositories.wards.add(
            "Phường Khác", timezone="Asia/Ho_Chi_Minh", report_day=16, locale="vi"
        )
        await repositories.for_ward(other.id).units.add(POLICE)
        code = (await invite(repositories, other, Role.UNIT_HEAD, POLICE, 7)).code
    async with application.sessions() as session, session.begin():
        await session.execute(
            text("UPDATE unit SET name = name WHERE ward_id = :ward"), {"ward": ward_id}
        )
        newcomer = person(application.dispatcher(other.id), "newcomer")
        replies = await asyncio.wait_for(newcomer.send(f"/start {code}"), 5)
    assert "thành công" in replies[0]


async def test_the_console_user_regains_a_role_taken_away(application: Application) -> None:
    async with application.transaction() as repositories:
        ward, _summary = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        unit = await repositories.for_ward(ward.id).units.find(POLICE)
        assert unit is not None
    await console_identity(application, ward, unit=unit, role=Role.UNIT_HEAD)
    await _committed(application, delete(MemberRole))
    await console_identity(application, ward, unit=unit, role=Role.UNIT_HEAD)
    async with application.sessions() as session:
        roles = (await session.execute(select(MemberRole.role))).scalars().all()
    assert roles == [Role.UNIT_HEAD]


async def test_a_cached_member_cannot_be_given_a_role(application: Application) -> None:
    ward_id, _head_person = await _head(application)
    async with application.transaction() as repositories:
        member = await repositories.identities.member_for("test", "head")
        assert member is not None
        with pytest.raises(ValueError, match="cached"):
            repositories.for_ward(ward_id).members.grant(member, Role.LEADER, None)


async def test_a_lookup_never_detaches_what_the_transaction_holds(
    application: Application,
) -> None:
    ward_id, head = await _head(application)
    async with application.transaction() as repositories:
        members = repositories.for_ward(ward_id).members
        (listed,) = await members.with_role(Role.UNIT_HEAD)
        member = await members.by_id(listed.id)
        assert member is not None
        # The same row, looked up through the cache, then changed in this transaction.
        looked_up = await repositories.identities.member_for("test", "head")
        assert looked_up is not member
        member.display_name = "Lê Văn Tâm (đổi sau)"
    async with application.sessions() as session:
        stored = await session.execute(text("SELECT display_name FROM member"))
        assert stored.scalar_one() == "Lê Văn Tâm (đổi sau)"
    assert "Họ tên: Lê Văn Tâm (đổi sau)" in (await head.send("/toi"))[0]
