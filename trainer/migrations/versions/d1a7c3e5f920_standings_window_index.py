"""indexes for the standings (sign-off days, replies that used a forbidden phrase) and the
dashboard's count of replies to review (issue 25)

Revision ID: d1a7c3e5f920
Revises: c4e81f2a9b30
Create Date: 2026-11-30 22:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd1a7c3e5f920'
down_revision = 'c4e81f2a9b30'
branch_labels = None
depends_on = None

# as trainer/roleplay/models.py FORBIDDEN_REPLY at this revision
FORBIDDEN_REPLY = {
    "postgresql": "drill_step.kind = 'reply'"
    " AND json_array_length(drill_step.findings -> 'forbidden') > 0",
    "sqlite": "drill_step.kind = 'reply'"
    " AND json_array_length(drill_step.findings, '$.forbidden') > 0",
}

PENDING_REVIEW = "kind = 'reply' AND reviewed_at IS NULL"


def upgrade():
    op.create_index('ix_internship_sign_off_observed_on', 'internship_sign_off', ['observed_on'])
    op.create_index(
        'ix_drill_step_forbidden_reply',
        'drill_step',
        ['session_id'],
        postgresql_where=sa.text(FORBIDDEN_REPLY["postgresql"]),
        sqlite_where=sa.text(FORBIDDEN_REPLY["sqlite"]),
    )
    op.create_index(
        'ix_drill_step_pending_review',
        'drill_step',
        ['session_id'],
        postgresql_where=sa.text(PENDING_REVIEW),
        sqlite_where=sa.text(PENDING_REVIEW),
    )


def downgrade():
    op.drop_index('ix_drill_step_pending_review', table_name='drill_step')
    op.drop_index('ix_drill_step_forbidden_reply', table_name='drill_step')
    op.drop_index('ix_internship_sign_off_observed_on', table_name='internship_sign_off')
