"""quiz rule tag and usage: random rules draw N from a category, a tag and/or a usage

Revision ID: c41e7d9a2b60
Revises: c4f1e8a2b6d0
Create Date: 2026-11-30 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41e7d9a2b60'
down_revision = 'c4f1e8a2b6d0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_rule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tag', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('usage', sa.Enum('PRACTICE', 'EXAM', 'BOTH', name='usage', native_enum=False, length=20), nullable=True))


def downgrade():
    # A rule that only had a tag or a usage becomes "every category": the closest the old
    # schema can say (its category is already "" then).
    with op.batch_alter_table('quiz_rule', schema=None) as batch_op:
        batch_op.drop_column('usage')
        batch_op.drop_column('tag')
