"""units kept inactive instead of deleted; the appendix a task came from

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 06:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN, not batch mode: SQLite's batch mode copies the table, which would
# drop the directory-cache triggers (migration 0002) on unit and task.
def upgrade() -> None:
    op.add_column('unit', sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column('task', sa.Column('appendix', sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column('task', 'appendix')
    op.drop_column('unit', 'active')
