"""the Zalo Official Account: its stored token pair, each chat's reply window, and citizens'
questions handed to the ward's staff

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 06:20:00
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('oa_token_pair',
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('access_token', sa.Text(), nullable=False),
    sa.Column('refresh_token', sa.Text(), nullable=False),
    sa.Column('refreshed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['channel'], ['channel.name'], name=op.f('fk_oa_token_pair_channel_channel')),
    sa.PrimaryKeyConstraint('channel', name=op.f('pk_oa_token_pair'))
    )
    op.create_table('reply_window',
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.String(length=128), nullable=False),
    sa.Column('message_id', sa.String(length=128), nullable=False),
    sa.Column('closes_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel'], ['channel.name'], name=op.f('fk_reply_window_channel_channel')),
    sa.PrimaryKeyConstraint('channel', 'chat_id', name=op.f('pk_reply_window'))
    )
    op.create_table('handoff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.String(length=128), nullable=False),
    sa.Column('masked_question', sa.Text(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('asked_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_member_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_member_id'], ['member.id'], name=op.f('fk_handoff_answered_by_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['channel'], ['channel.name'], name=op.f('fk_handoff_channel_channel')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_handoff_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff'))
    )
    with op.batch_alter_table('handoff') as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_ward_id'), ['ward_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('handoff') as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_ward_id'))
    op.drop_table('handoff')
    op.drop_table('reply_window')
    op.drop_table('oa_token_pair')
