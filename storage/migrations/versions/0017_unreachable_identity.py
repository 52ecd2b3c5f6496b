"""since when a messenger account cannot be reached (the person blocked the bot, the chat is
gone), so nothing more is queued or sent to it until the person writes again

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-02 17:00:00
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('identity') as batch_op:
        batch_op.add_column(
            sa.Column('unreachable_since', storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('identity') as batch_op:
        batch_op.drop_column('unreachable_since')
