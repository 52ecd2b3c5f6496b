"""the platform's order of the message that last changed a conversation, so a message sent
before it and handled after it (by another process) is not applied to a later step

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-02 10:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conversation_state') as batch_op:
        batch_op.add_column(sa.Column('applied_order', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conversation_state') as batch_op:
        batch_op.drop_column('applied_order')
