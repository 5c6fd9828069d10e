"""attempt pages and flags: quiz.questions_per_page, response.flagged

Revision ID: c4f1e8a2b6d0
Revises: c4f1a9d2b6e0
Create Date: 2026-11-30 17:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4f1e8a2b6d0'
down_revision = 'c4f1a9d2b6e0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column('questions_per_page', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            'questions_per_page', 'questions_per_page IS NULL OR questions_per_page > 0'
        )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('flagged', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('flagged')
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_constraint('questions_per_page', type_='check')
        batch_op.drop_column('questions_per_page')
