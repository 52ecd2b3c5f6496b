"""a role's end (withdrawn or handed over, the row kept for its history); an invitation's
person name and the head it replaces

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 17:00:00
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: member_role keeps its directory triggers (migration 0002), which
    # SQLite would drop with a rebuilt table.
    with op.batch_alter_table('member_role') as batch_op:
        batch_op.add_column(sa.Column('ended_at', storage.types.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('invite') as batch_op:
        batch_op.add_column(sa.Column('person_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('replaces_member_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_invite_replaces_member_id_member'), 'member', ['replaces_member_id'], ['id'], ondelete='SET NULL'
        )


def downgrade() -> None:
    with op.batch_alter_table('invite') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invite_replaces_member_id_member'), type_='foreignkey')
        batch_op.drop_column('replaces_member_id')
        batch_op.drop_column('person_name')
    with op.batch_alter_table('member_role') as batch_op:
        batch_op.drop_column('ended_at')
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite drops a column by rebuilding the table, and its triggers with it: put back
        # migration 0002's.
        for write in ('INSERT', 'UPDATE', 'DELETE'):
            op.execute(
                f'CREATE TRIGGER directory_changed_member_role_{write.lower()} AFTER {write} '
                'ON "member_role" BEGIN UPDATE directory_revision SET token = random(); END'
            )
