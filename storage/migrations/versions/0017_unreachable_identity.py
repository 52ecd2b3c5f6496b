"""since when a messenger account cannot be reached (the person blocked the bot, the chat is
gone), so nothing more is queued or sent to it until the person writes again

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 17:00:00
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def _fire_deferred_triggers() -> None:
    # identity carries migration 0002's deferred directory trigger: rows an earlier migration
    # of this run changed (0003 gave them their channel) leave it pending, and PostgreSQL
    # will not alter a table with pending trigger events. Firing them now changes nothing else.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('SET CONSTRAINTS ALL IMMEDIATE')


def upgrade() -> None:
    _fire_deferred_triggers()
    with op.batch_alter_table('identity') as batch_op:
        batch_op.add_column(
            sa.Column('unreachable_since', storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    _fire_deferred_triggers()
    with op.batch_alter_table('identity') as batch_op:
        batch_op.drop_column('unreachable_since')
