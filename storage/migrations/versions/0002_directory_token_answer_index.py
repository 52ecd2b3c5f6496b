"""directory token changed by every directory write (and closed periods' answers); index for
a unit's answers in a period

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:50:00
"""
from alembic import op
import sqlalchemy as sa

from storage.models import DIRECTORY_TABLES


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# A write to any of the DIRECTORY_TABLES, by any process or statement, changes the token.
WRITES = ('INSERT', 'UPDATE', 'DELETE')


def upgrade() -> None:
    op.create_table('directory_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_revision'))
    )
    op.execute("INSERT INTO directory_revision (id, token) VALUES (1, 0)")
    # Every check-in message reads one unit's answers; without it the ward's answers of
    # every period were scanned.
    op.create_index(
        'ix_task_report_ward_period_unit', 'task_report', ['ward_id', 'period_id', 'unit_id']
    )
    # A random token, not a counter: a rolled-back change must never come back as the token
    # of a later one, or what was read inside the rolled-back transaction would pass for current.
    if op.get_bind().dialect.name == 'postgresql':
        # At commit, once per transaction: a token row locked from the first directory write
        # to the commit would make every directory write of every ward wait for each other,
        # and deadlock with row locks taken in between (two people claiming one invite).
        op.execute(
            "CREATE FUNCTION directory_changed() RETURNS trigger AS $$ BEGIN "
            "IF current_setting('reportbot.directory_changed', true) IS DISTINCT FROM 'yes' "
            "THEN "
            "UPDATE directory_revision SET token = (random() * 9e18)::bigint; "
            "PERFORM set_config('reportbot.directory_changed', 'yes', true); "
            "END IF; RETURN NULL; "
            "END $$ LANGUAGE plpgsql"
        )
        for table in DIRECTORY_TABLES:
            op.execute(
                f'CREATE CONSTRAINT TRIGGER directory_changed AFTER {" OR ".join(WRITES)} '
                f'ON "{table}" DEFERRABLE INITIALLY DEFERRED '
                "FOR EACH ROW EXECUTE FUNCTION directory_changed()"
            )
        # Closed periods' answers are kept too; nothing writes them but plain SQL, whose
        # change must still be seen. Immediate, and the token row is touched only then. The
        # period row is share-locked first: closing it waits for answers being written, and
        # an answer written while it is being closed sees it closed (read committed would
        # otherwise let an answer land in a just-closed period unseen by the token).
        op.execute(
            "CREATE FUNCTION closed_answer_changed() RETURNS trigger AS $$ "
            "DECLARE periods integer[]; BEGIN "
            "IF TG_OP = 'INSERT' THEN periods := ARRAY[NEW.period_id]; "
            "ELSIF TG_OP = 'UPDATE' THEN periods := ARRAY[NEW.period_id, OLD.period_id]; "
            "ELSE periods := ARRAY[OLD.period_id]; END IF; "
            "PERFORM 1 FROM period WHERE id = ANY(periods) FOR SHARE; "
            "IF EXISTS (SELECT 1 FROM period WHERE id = ANY(periods) AND state <> 'open') THEN "
            "UPDATE directory_revision SET token = (random() * 9e18)::bigint; "
            "END IF; RETURN NULL; "
            "END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f'CREATE TRIGGER closed_answer_changed AFTER {" OR ".join(WRITES)} '
            'ON task_report FOR EACH ROW EXECUTE FUNCTION closed_answer_changed()'
        )
    else:
        # SQLite has one writer at a time: changed at once, nothing to wait for.
        for table in DIRECTORY_TABLES:
            for write in WRITES:
                op.execute(
                    f'CREATE TRIGGER directory_changed_{table}_{write.lower()} AFTER {write} '
                    f'ON "{table}" BEGIN UPDATE directory_revision SET token = random(); END'
                )
        for write, rows in (('INSERT', ('NEW',)), ('UPDATE', ('NEW', 'OLD')), ('DELETE', ('OLD',))):
            closed = ' OR '.join(
                f"(SELECT state FROM period WHERE id = {row}.period_id) IS NOT 'open'"
                for row in rows
            )
            op.execute(
                f'CREATE TRIGGER closed_answer_changed_{write.lower()} AFTER {write} '
                f'ON task_report WHEN {closed} '
                'BEGIN UPDATE directory_revision SET token = random(); END'
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER closed_answer_changed ON task_report")
        op.execute("DROP FUNCTION closed_answer_changed()")
        for table in DIRECTORY_TABLES:
            op.execute(f'DROP TRIGGER directory_changed ON "{table}"')
        op.execute("DROP FUNCTION directory_changed()")
    else:
        for write in WRITES:
            op.execute(f'DROP TRIGGER closed_answer_changed_{write.lower()}')
        for table in DIRECTORY_TABLES:
            for write in WRITES:
                op.execute(f'DROP TRIGGER directory_changed_{table}_{write.lower()}')
    op.drop_index('ix_task_report_ward_period_unit', table_name='task_report')
    op.drop_table('directory_revision')
