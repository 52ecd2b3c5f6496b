"""a ward's schedule settings; the scheduled notifications queued (and snoozes), by key

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:10:00
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ward_schedule',
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_ward_schedule_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ward_id', name=op.f('pk_ward_schedule'))
    )
    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_reminder_period_id_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_reminder_unit_id_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_reminder_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
    sa.UniqueConstraint('key', name=op.f('uq_reminder_key'))
    )
    op.create_index('ix_reminder_period_unit', 'reminder', ['period_id', 'unit_id', 'kind'], unique=False)
    op.create_index(op.f('ix_reminder_ward_id'), 'reminder', ['ward_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reminder_ward_id'), table_name='reminder')
    op.drop_index('ix_reminder_period_unit', table_name='reminder')
    op.drop_table('reminder')
    op.drop_table('ward_schedule')
