"""what the monthly figures counted of citizens' questions, per ward and day, kept when the
questions are deleted after the retention time

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('citizen_question_count',
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('offered_choices', sa.Integer(), nullable=False),
    sa.Column('handed_over', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_citizen_question_count_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ward_id', 'day', name=op.f('pk_citizen_question_count'))
    )


def downgrade() -> None:
    op.drop_table('citizen_question_count')
