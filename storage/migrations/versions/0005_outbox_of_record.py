"""the outbox of record: a turn's replies and notifications as rows naming their chat, with
attempts, a claim and the platform's message id; files kept for delivery and links; one poller
per channel; groups registered for a ward

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 06:00:00
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A notification so far went to a private chat, whose id is the person's: external_id
    # becomes the chat id. The platform is the channel's.
    with op.batch_alter_table('outbox_message', recreate='always') as batch_op:
        batch_op.drop_index('ix_outbox_message_state_platform')
        batch_op.alter_column('external_id', new_column_name='chat_id', existing_type=sa.String(length=128), existing_nullable=False)
        batch_op.drop_column('platform')
        batch_op.add_column(sa.Column('kind', sa.String(length=32), nullable=False, server_default=sa.text("'notification'")))
        batch_op.add_column(sa.Column('update_id', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('pressed', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('provider_message_id', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=500), nullable=True))
    with op.batch_alter_table('outbox_message', recreate='always') as batch_op:
        batch_op.alter_column('kind', server_default=None, existing_type=sa.String(length=32))
        batch_op.create_index('ix_outbox_message_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_outbox_message_chat', ['channel', 'chat_id', 'state'], unique=False)
        batch_op.create_index('ix_outbox_message_update', ['channel', 'update_id'], unique=False)

    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_stored_file_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file'))
    )
    op.create_table('channel_lease',
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.String(length=128), nullable=False),
    sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel'], ['channel.name'], name=op.f('fk_channel_lease_channel_channel')),
    sa.PrimaryKeyConstraint('channel', name=op.f('pk_channel_lease'))
    )
    op.create_table('app_secret',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_app_secret'))
    )
    op.create_table('group_chat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.String(length=128), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('registered_by', sa.Integer(), nullable=True),
    sa.Column('registered_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel'], ['channel.name'], name=op.f('fk_group_chat_channel_channel')),
    sa.ForeignKeyConstraint(['registered_by'], ['member.id'], name=op.f('fk_group_chat_registered_by_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_group_chat_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_chat')),
    sa.UniqueConstraint('channel', 'chat_id', name=op.f('uq_group_chat_channel_chat_id'))
    )
    with op.batch_alter_table('group_chat') as batch_op:
        batch_op.create_index(batch_op.f('ix_group_chat_ward_id'), ['ward_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('group_chat') as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_chat_ward_id'))
    op.drop_table('group_chat')
    op.drop_table('app_secret')
    op.drop_table('channel_lease')
    op.drop_table('stored_file')
    # Replies were never rows before: only notifications go back.
    op.execute("DELETE FROM outbox_message WHERE kind = 'reply' OR state = 'making'")
    with op.batch_alter_table('outbox_message', recreate='always') as batch_op:
        batch_op.drop_index('ix_outbox_message_update')
        batch_op.drop_index('ix_outbox_message_chat')
        batch_op.drop_index('ix_outbox_message_due')
        for column in ('last_error', 'provider_message_id', 'claimed_until', 'claimed_by',
                       'next_attempt_at', 'pressed', 'update_id', 'kind'):
            batch_op.drop_column(column)
        batch_op.alter_column('chat_id', new_column_name='external_id', existing_type=sa.String(length=128), existing_nullable=False)
        batch_op.add_column(sa.Column('platform', sa.String(length=32), nullable=False, server_default=sa.text("'console'")))
    op.execute("UPDATE outbox_message SET platform = (SELECT platform FROM channel WHERE channel.name = outbox_message.channel)")
    with op.batch_alter_table('outbox_message', recreate='always') as batch_op:
        batch_op.alter_column('platform', server_default=None, existing_type=sa.String(length=32))
        batch_op.create_index('ix_outbox_message_state_platform', ['state', 'platform'], unique=False)
