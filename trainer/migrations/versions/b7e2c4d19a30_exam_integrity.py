"""exam integrity: a review policy per quiz (when marks, feedback and right answers show)
at most one open attempt per quiz and user; minimum reading time of module pages

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
    # One open attempt per quiz and user. Duplicates the old check-then-insert let through
    # are closed first (the newest stays open); they are left SUBMITTED for a trainer to see.
    op.execute(
        "UPDATE attempt SET state = 'SUBMITTED', auto_submitted = true "
        "WHERE state = 'IN_PROGRESS' AND EXISTS (SELECT 1 FROM attempt AS newer "
        "WHERE newer.quiz_id = attempt.quiz_id AND newer.user_id = attempt.user_id "
        "AND newer.state = 'IN_PROGRESS' AND newer.number > attempt.number)"
    )
    op.create_index(
        'uq_attempt_one_open', 'attempt', ['quiz_id', 'user_id'], unique=True,
        sqlite_where=sa.text("state = 'IN_PROGRESS'"),
        postgresql_where=sa.text("state = 'IN_PROGRESS'"),
    )


    # Minimum reading time of module pages: the trainer's setting and each first view.
    with op.batch_alter_table('content_module', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_reading_seconds', sa.Integer(), nullable=True))
    op.create_table('page_view',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('first_viewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['module_page.id'], name=op.f('fk_page_view_page_id_module_page'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_page_view_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'page_id', name=op.f('pk_page_view'))
    )


def downgrade():
    op.drop_table('page_view')
    with op.batch_alter_table('content_module', schema=None) as batch_op:
        batch_op.drop_column('min_reading_seconds')
    op.drop_index('uq_attempt_one_open', table_name='attempt')
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
