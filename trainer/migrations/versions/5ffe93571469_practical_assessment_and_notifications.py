"""Practical assessments (checklists, assessments) and notifications (with e-mail preferences).

Revision ID: 5ffe93571469
Revises: edafd824049f
Create Date: 2026-11-30 11:09:25.876143

"""
from alembic import op
import sqlalchemy as sa


revision = '5ffe93571469'
down_revision = 'edafd824049f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practical_checklist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('programme_code', sa.String(length=40), nullable=True),
    sa.Column('pass_percent', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=True),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('pass_percent BETWEEN 1 AND 100', name=op.f('ck_practical_checklist_pass_percent_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practical_checklist')),
    sa.UniqueConstraint('key', name=op.f('uq_practical_checklist_key'))
    )
    with op.batch_alter_table('practical_checklist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practical_checklist_programme_code'), ['programme_code'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('endpoint', sa.String(length=80), nullable=True),
    sa.Column('link_args', sa.JSON(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=160), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mail_state', sa.String(length=20), nullable=False),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('user_id', 'dedupe_key', name=op.f('uq_notification_user_id_dedupe_key'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_mail_state'), ['mail_state'], unique=False)
        batch_op.create_index('ix_notification_user_unread', ['user_id', 'read_at'], unique=False)

    op.create_table('notification_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_preference_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_preference'))
    )
    op.create_table('practical_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('checklist_id', sa.Integer(), nullable=False),
    sa.Column('observer_id', sa.Integer(), nullable=False),
    sa.Column('observer_role', sa.String(length=20), nullable=False),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('max_score', sa.Double(), nullable=False),
    sa.Column('percent', sa.Double(), nullable=False),
    sa.Column('pass_percent', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('idempotency_token', sa.String(length=64), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawal_reason', sa.String(length=1000), nullable=True),
    sa.CheckConstraint('percent BETWEEN 0 AND 100', name=op.f('ck_practical_assessment_percent_range')),
    sa.ForeignKeyConstraint(['checklist_id'], ['practical_checklist.id'], name=op.f('fk_practical_assessment_checklist_id_practical_checklist')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_practical_assessment_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observer_id'], ['user.id'], name=op.f('fk_practical_assessment_observer_id_user')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user.id'], name=op.f('fk_practical_assessment_withdrawn_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practical_assessment')),
    sa.UniqueConstraint('idempotency_token', name=op.f('uq_practical_assessment_idempotency_token'))
    )
    with op.batch_alter_table('practical_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practical_assessment_enrolment_id'), ['enrolment_id'], unique=False)



def downgrade():
    with op.batch_alter_table('practical_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practical_assessment_enrolment_id'))

    op.drop_table('practical_assessment')
    op.drop_table('notification_preference')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_unread')
        batch_op.drop_index(batch_op.f('ix_notification_mail_state'))

    op.drop_table('notification')
    with op.batch_alter_table('practical_checklist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practical_checklist_programme_code'))

    op.drop_table('practical_checklist')
