"""citizen questions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 07:00:48.775862
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('citizen_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('masked_text', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('guide_id', sa.String(length=100), nullable=True),
    sa.Column('handoff_reason', sa.String(length=32), nullable=True),
    sa.Column('asked_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_citizen_question_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen_question'))
    )
    with op.batch_alter_table('citizen_question', schema=None) as batch_op:
        batch_op.create_index('ix_citizen_question_ward_asked', ['ward_id', 'asked_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('citizen_question', schema=None) as batch_op:
        batch_op.drop_index('ix_citizen_question_ward_asked')

    op.drop_table('citizen_question')
