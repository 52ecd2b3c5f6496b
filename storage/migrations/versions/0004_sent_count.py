"""messages sent per channel and month; the language an outbox row is rendered in

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 00:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sent_count',
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('sent', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['channel'], ['channel.name'], name=op.f('fk_sent_count_channel_channel')),
    sa.PrimaryKeyConstraint('channel', 'month', name=op.f('pk_sent_count'))
    )
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_column('locale')
    op.drop_table('sent_count')
