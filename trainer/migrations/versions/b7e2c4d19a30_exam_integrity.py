"""exam integrity: a review policy per quiz (when marks, feedback and right answers show)

Revision ID: b7e2c4d19a30
Revises: 7d3f1c2a9b40
Create Date: 2026-11-30 13:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2c4d19a30'
down_revision = '7d3f1c2a9b40'
branch_labels = None
depends_on = None

WHEN = ('IMMEDIATELY', 'AFTER_CLOSE', 'AFTER_LAST_ATTEMPT', 'NEVER')
OLD_WHEN = ('IMMEDIATELY', 'AFTER_CLOSE', 'NEVER')
GATING = "('PRE_JOB', 'FINAL', 'REFRESHER')"


def when(name: str, values=WHEN) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'review_feedback_when', when('reviewwhen'), server_default='NEVER', nullable=False
        ))
        batch_op.add_column(sa.Column(
            'review_answers_when', when('reviewwhen'), server_default='NEVER', nullable=False
        ))
    # What the quiz showed before stays shown, except that a gating exam never shows the right
    # answers while attempts remain (issue 13): its feedback stays, its answers wait for the
    # last attempt.
    op.execute(
        "UPDATE quiz SET review_feedback_when = review_when, review_answers_when = review_when "
        "WHERE review_shows_answers"
    )
    op.execute(
        "UPDATE quiz SET review_answers_when = 'NEVER' "
        f"WHERE purpose IN {GATING} AND review_answers_when IN ('IMMEDIATELY', 'AFTER_CLOSE')"
    )
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_column('review_shows_answers')


def downgrade():
    op.execute("UPDATE quiz SET review_when = 'NEVER' WHERE review_when = 'AFTER_LAST_ATTEMPT'")
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'review_shows_answers', sa.Boolean(), server_default=sa.true(), nullable=False
        ))
    op.execute(
        "UPDATE quiz SET review_shows_answers = (review_answers_when <> 'NEVER')"
    )
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.alter_column('review_shows_answers', server_default=None)
        batch_op.drop_column('review_answers_when')
        batch_op.drop_column('review_feedback_when')
