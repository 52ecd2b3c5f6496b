"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 07:39:25.826609
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conversation_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('external_id', sa.String(length=128), nullable=False),
    sa.Column('flow', sa.String(length=64), nullable=True),
    sa.Column('step', sa.String(length=64), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_state')),
    sa.UniqueConstraint('platform', 'external_id', name=op.f('uq_conversation_state_platform_external_id'))
    )
    op.create_table('processed_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('update_id', sa.String(length=128), nullable=False),
    sa.Column('processed_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processed_update')),
    sa.UniqueConstraint('platform', 'update_id', name=op.f('uq_processed_update_platform_update_id'))
    )
    op.create_table('ward',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('report_day', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ward')),
    sa.UniqueConstraint('name_key', name=op.f('uq_ward_name_key'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_audit_entry_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_ward_id'), ['ward_id'], unique=False)

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

    op.create_table('member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_member_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member'))
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_ward_id'), ['ward_id'], unique=False)

    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('external_id', sa.String(length=128), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('dedup_key', sa.String(length=200), nullable=True),
    sa.Column('state', sa.Enum('pending', 'sent', 'failed', name='outboxstate', native_enum=False, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_outbox_message_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_outbox_message_dedup_key'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_state_platform', ['state', 'platform'], unique=False)

    op.create_table('period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.Enum('month', 'half_year', name='periodkind', native_enum=False, length=32), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.Enum('open', 'closed', name='periodstate', native_enum=False, length=32), nullable=False),
    sa.Column('opened_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_period_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period')),
    sa.UniqueConstraint('ward_id', 'label', name=op.f('uq_period_ward_id_label'))
    )
    with op.batch_alter_table('period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_period_ward_id'), ['ward_id'], unique=False)

    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('reporting_schedule', sa.JSON(), nullable=False),
    sa.Column('source_file', sa.String(length=300), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_plan_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('ward_id', 'number', name=op.f('uq_plan_ward_id_number'))
    )
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_ward_id'), ['ward_id'], unique=False)

    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('kind', sa.Enum('office', 'police', 'centre', 'mass_organisation', 'school', 'other', name='unitkind', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_unit_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit')),
    sa.UniqueConstraint('ward_id', 'name_key', name=op.f('uq_unit_ward_id_name_key'))
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_ward_id'), ['ward_id'], unique=False)

    op.create_table('identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('external_id', sa.String(length=128), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_identity_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity')),
    sa.UniqueConstraint('platform', 'external_id', name=op.f('uq_identity_platform_external_id'))
    )
    with op.batch_alter_table('identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_member_id'), ['member_id'], unique=False)

    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('reported_by_member_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.Enum('infrastructure', 'security', name='incidentcategory', native_enum=False, length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reported_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reported_by_member_id'], ['member.id'], name=op.f('fk_incident_reported_by_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_incident_unit_id_unit'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_incident_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_ward_id'), ['ward_id'], unique=False)

    op.create_table('invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('coordinator', 'head', 'staff', 'leader', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('may_submit', sa.Boolean(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('used_by_member_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_invite_unit_id_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['used_by_member_id'], ['member.id'], name=op.f('fk_invite_used_by_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_invite_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_invite_code_hash'))
    )
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invite_ward_id'), ['ward_id'], unique=False)

    op.create_table('member_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('coordinator', 'head', 'staff', 'leader', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('may_submit', sa.Boolean(), nullable=False),
    sa.Column('granted_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_member_role_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_member_role_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_role')),
    sa.UniqueConstraint('member_id', 'role', 'unit_id', name=op.f('uq_member_role_member_id_role_unit_id'))
    )
    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'submitted', 'returned', 'accepted', name='submissionstate', native_enum=False, length=32), nullable=False),
    sa.Column('submitted_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_member_id', sa.Integer(), nullable=True),
    sa.Column('submitted_late', sa.Boolean(), nullable=False),
    sa.Column('reviewed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_member_id', sa.Integer(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_submission_period_id_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_member_id'], ['member.id'], name=op.f('fk_submission_reviewed_by_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitted_by_member_id'], ['member.id'], name=op.f('fk_submission_submitted_by_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_submission_unit_id_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_submission_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission')),
    sa.UniqueConstraint('period_id', 'unit_id', name=op.f('uq_submission_period_id_unit_id'))
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_ward_id'), ['ward_id'], unique=False)

    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('section_code', sa.String(length=16), nullable=True),
    sa.Column('section_title', sa.String(length=500), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('output', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('lead_all_units', sa.Boolean(), nullable=False),
    sa.Column('coordinate_all_units', sa.Boolean(), nullable=False),
    sa.Column('deadline_kind', sa.Enum('date', 'month', 'quarter', 'half_year', 'year', 'whole_year', 'annual', 'recurring', 'conditional', 'unknown', name='deadlinekind', native_enum=False, length=32), nullable=False),
    sa.Column('deadline_due', sa.Date(), nullable=True),
    sa.Column('deadline_text', sa.String(length=500), nullable=False),
    sa.Column('kpi_value', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('kpi_unit', sa.String(length=64), nullable=True),
    sa.Column('kpi_comparator', sa.Enum('>=', '>', '=', '<=', '<', name='comparator', native_enum=False, length=32), nullable=True),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('_insert_sentinel', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_task_plan_id_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_task_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_task_plan_id_code'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_ward_id'), ['ward_id'], unique=False)

    op.create_table('blocker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('raised_by_member_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('raised_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answer_due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.Enum('open', 'answered', name='blockerstate', native_enum=False, length=32), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_member_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_member_id'], ['member.id'], name=op.f('fk_blocker_answered_by_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['raised_by_member_id'], ['member.id'], name=op.f('fk_blocker_raised_by_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_blocker_task_id_task'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_blocker_unit_id_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_blocker_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocker'))
    )
    with op.batch_alter_table('blocker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blocker_ward_id'), ['ward_id'], unique=False)

    op.create_table('task_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('done', 'in_progress', 'not_started', 'not_applicable', name='taskstatus', native_enum=False, length=32), nullable=True),
    sa.Column('progress_percent', sa.Integer(), nullable=True),
    sa.Column('kpi_value', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('difficulties', sa.Text(), nullable=True),
    sa.Column('proposals', sa.Text(), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('changed_after_due', sa.Boolean(), nullable=False),
    sa.Column('updated_by_member_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_task_report_period_id_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_report_task_id_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_task_report_unit_id_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_member_id'], ['member.id'], name=op.f('fk_task_report_updated_by_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_task_report_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_report')),
    sa.UniqueConstraint('period_id', 'task_id', 'unit_id', name=op.f('uq_task_report_period_id_task_id_unit_id'))
    )
    with op.batch_alter_table('task_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_report_ward_id'), ['ward_id'], unique=False)

    op.create_table('task_unit',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('link', sa.Enum('lead', 'coordinate', name='unitlink', native_enum=False, length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_unit_task_id_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_task_unit_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', 'unit_id', 'link', name=op.f('pk_task_unit'))
    )
    with op.batch_alter_table('task_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_unit_unit_id'), ['unit_id'], unique=False)

    op.create_table('task_report_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_report_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('changed_by_member_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_member_id'], ['member.id'], name=op.f('fk_task_report_revision_changed_by_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_report_id'], ['task_report.id'], name=op.f('fk_task_report_revision_task_report_id_task_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_report_revision')),
    sa.UniqueConstraint('task_report_id', 'revision', name=op.f('uq_task_report_revision_task_report_id_revision'))
    )
    with op.batch_alter_table('task_report_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_report_revision_task_report_id'), ['task_report_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('task_report_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_report_revision_task_report_id'))

    op.drop_table('task_report_revision')
    with op.batch_alter_table('task_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_unit_unit_id'))

    op.drop_table('task_unit')
    with op.batch_alter_table('task_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_report_ward_id'))

    op.drop_table('task_report')
    with op.batch_alter_table('blocker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blocker_ward_id'))

    op.drop_table('blocker')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_ward_id'))
        batch_op.drop_index(batch_op.f('ix_task_plan_id'))

    op.drop_table('task')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_ward_id'))

    op.drop_table('submission')
    op.drop_table('member_role')
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invite_ward_id'))

    op.drop_table('invite')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_ward_id'))

    op.drop_table('incident')
    with op.batch_alter_table('identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_member_id'))

    op.drop_table('identity')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_ward_id'))

    op.drop_table('unit')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_ward_id'))

    op.drop_table('plan')
    with op.batch_alter_table('period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_period_ward_id'))

    op.drop_table('period')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_state_platform')

    op.drop_table('outbox_message')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_ward_id'))

    op.drop_table('member')
    with op.batch_alter_table('citizen_question', schema=None) as batch_op:
        batch_op.drop_index('ix_citizen_question_ward_asked')

    op.drop_table('citizen_question')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_ward_id'))

    op.drop_table('audit_entry')
    op.drop_table('ward')
    op.drop_table('processed_update')
    op.drop_table('conversation_state')
