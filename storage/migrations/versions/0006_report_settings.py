"""per-ward report settings: issuing body, superior, signer, number symbol, recipients

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 06:00:00
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_settings',
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('issuing_body', sa.String(length=300), nullable=True),
    sa.Column('superior', sa.String(length=300), nullable=True),
    sa.Column('signer_name', sa.String(length=200), nullable=True),
    sa.Column('signer_title', sa.String(length=200), nullable=True),
    sa.Column('authority', sa.String(length=8), nullable=True),
    sa.Column('number_symbol', sa.String(length=64), nullable=True),
    sa.Column('recipients', sa.JSON(), nullable=True),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_report_settings_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ward_id', name=op.f('pk_report_settings'))
    )


def downgrade() -> None:
    op.drop_table('report_settings')
