"""units kept inactive instead of deleted; the appendix a task came from

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 06:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('unit') as batch_op:
        batch_op.add_column(
            sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table('task') as batch_op:
        batch_op.add_column(sa.Column('appendix', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('task') as batch_op:
        batch_op.drop_column('appendix')
    with op.batch_alter_table('unit') as batch_op:
        batch_op.drop_column('active')
