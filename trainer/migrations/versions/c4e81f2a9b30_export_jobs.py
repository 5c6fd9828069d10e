"""export jobs: big exports made in the background

Revision ID: c4e81f2a9b30
Revises: c4d81f2a9e60 (h-growth's list-page indexes; b7e5a0c3d912 without that branch)
Create Date: 2026-11-30 17:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4e81f2a9b30'
down_revision = 'c4d81f2a9e60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'export_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dataset', sa.String(length=40), nullable=False),
        sa.Column('fmt', sa.String(length=10), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=True),
        sa.Column('raw', sa.Boolean(), nullable=False),
        sa.Column('locale', sa.String(length=10), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('file_key', sa.String(length=255), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['cohort_id'], ['cohort.id'], name=op.f('fk_export_job_cohort_id_cohort'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['requested_by_id'], ['user.id'], name=op.f('fk_export_job_requested_by_id_user'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_job')),
    )
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_export_job_requested_by_id'), ['requested_by_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_job_requested_by_id'))
    op.drop_table('export_job')
