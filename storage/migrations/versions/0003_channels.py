"""channels: update ids, conversations (now per chat), identities and outbox rows name the bot
account they belong to; what was there moves onto the console channel

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 00:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

CONSOLE = "'console'"


def upgrade() -> None:
    op.create_table('channel',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_channel_ward_id_ward'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_channel'))
    )
    op.execute(f"INSERT INTO channel (name, platform) VALUES ({CONSOLE}, {CONSOLE})")

    # Update ids and conversations so far all came from the console (the only adapter), and a
    # conversation so far was a private chat: its chat id is the person's id.
    with op.batch_alter_table('processed_update', recreate='always') as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=64), nullable=False, server_default=sa.text(CONSOLE)))
    with op.batch_alter_table('processed_update', recreate='always') as batch_op:
        batch_op.alter_column('channel', server_default=None)
        batch_op.drop_constraint('uq_processed_update_platform_update_id', type_='unique')
        batch_op.drop_column('platform')
        batch_op.create_unique_constraint(batch_op.f('uq_processed_update_channel_update_id'), ['channel', 'update_id'])
        batch_op.create_foreign_key(batch_op.f('fk_processed_update_channel_channel'), 'channel', ['channel'], ['name'])

    with op.batch_alter_table('conversation_state', recreate='always') as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=64), nullable=False, server_default=sa.text(CONSOLE)))
        batch_op.add_column(sa.Column('chat_id', sa.String(length=128), nullable=True))
    op.execute("UPDATE conversation_state SET chat_id = external_id")
    with op.batch_alter_table('conversation_state', recreate='always') as batch_op:
        batch_op.alter_column('channel', server_default=None)
        batch_op.alter_column('chat_id', existing_type=sa.String(length=128), nullable=False)
        batch_op.drop_constraint('uq_conversation_state_platform_external_id', type_='unique')
        batch_op.drop_column('platform')
        batch_op.create_unique_constraint(batch_op.f('uq_conversation_state_channel_chat_id_external_id'), ['channel', 'chat_id', 'external_id'])
        batch_op.create_foreign_key(batch_op.f('fk_conversation_state_channel_channel'), 'channel', ['channel'], ['name'])

    with op.batch_alter_table('outbox_message', recreate='always') as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=64), nullable=False, server_default=sa.text(CONSOLE)))
    with op.batch_alter_table('outbox_message', recreate='always') as batch_op:
        batch_op.alter_column('channel', server_default=None)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_message_channel_channel'), 'channel', ['channel'], ['name'])

    # identity carries the directory triggers of 0002: a batch operation would rebuild the table
    # on SQLite and lose them, so the column is added in place.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE identity ADD COLUMN channel VARCHAR(64) REFERENCES channel (name)")
    else:
        op.add_column('identity', sa.Column('channel', sa.String(length=64), nullable=True))
        op.create_foreign_key(op.f('fk_identity_channel_channel'), 'identity', 'channel', ['channel'], ['name'])
    op.execute(f"UPDATE identity SET channel = {CONSOLE}")


def downgrade() -> None:
    # Back to one conversation per person and update ids per platform: the console's rows keep
    # their meaning; another channel's would collide, so only the console's are kept.
    for table in ('processed_update', 'conversation_state', 'outbox_message'):
        op.execute(f"DELETE FROM {table} WHERE channel <> {CONSOLE}")
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE identity DROP COLUMN channel")
    else:
        op.drop_constraint('fk_identity_channel_channel', 'identity', type_='foreignkey')
        op.drop_column('identity', 'channel')
    with op.batch_alter_table('outbox_message', recreate='always') as batch_op:
        batch_op.drop_constraint('fk_outbox_message_channel_channel', type_='foreignkey')
        batch_op.drop_column('channel')
    with op.batch_alter_table('conversation_state', recreate='always') as batch_op:
        batch_op.add_column(sa.Column('platform', sa.String(length=32), nullable=False, server_default=sa.text(CONSOLE)))
    with op.batch_alter_table('conversation_state', recreate='always') as batch_op:
        batch_op.alter_column('platform', server_default=None)
        batch_op.drop_constraint('fk_conversation_state_channel_channel', type_='foreignkey')
        batch_op.drop_constraint('uq_conversation_state_channel_chat_id_external_id', type_='unique')
        batch_op.drop_column('chat_id')
        batch_op.drop_column('channel')
        batch_op.create_unique_constraint('uq_conversation_state_platform_external_id', ['platform', 'external_id'])
    with op.batch_alter_table('processed_update', recreate='always') as batch_op:
        batch_op.add_column(sa.Column('platform', sa.String(length=32), nullable=False, server_default=sa.text(CONSOLE)))
    with op.batch_alter_table('processed_update', recreate='always') as batch_op:
        batch_op.alter_column('platform', server_default=None)
        batch_op.drop_constraint('fk_processed_update_channel_channel', type_='foreignkey')
        batch_op.drop_constraint('uq_processed_update_channel_update_id', type_='unique')
        batch_op.drop_column('channel')
        batch_op.create_unique_constraint('uq_processed_update_platform_update_id', ['platform', 'update_id'])
    op.drop_table('channel')
