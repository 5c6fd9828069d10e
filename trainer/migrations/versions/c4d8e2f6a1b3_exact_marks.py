"""marks stored as exact decimals (NUMERIC) instead of floating point

Revision ID: c4d8e2f6a1b3
Revises: b7e5a0c3d912
Create Date: 2026-11-30 17:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4d8e2f6a1b3'
down_revision = 'b7e5a0c3d912'
branch_labels = None
depends_on = None

MARK_COLUMNS = {
    'question_version': [('points', False)],
    'quiz': [('pass_percent', False)],
    'attempt': [('score', True), ('max_score', False), ('percent', True)],
    'response': [('fraction', True), ('score', True)],
    'practical_assessment': [('score', False), ('max_score', False), ('percent', False)],
}


def _retype(old, new):
    # PostgreSQL casts double precision to numeric through 15 significant digits, so the
    # stored 0.1 becomes exactly 0.1, not 0.1000000000000000055…
    for table, columns in MARK_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, nullable in columns:
                batch_op.alter_column(
                    name, existing_type=old, type_=new, existing_nullable=nullable
                )


def upgrade():
    _retype(sa.Double(), sa.Numeric())


def downgrade():
    _retype(sa.Numeric(), sa.Double())
