"""user must change password

Revision ID: c4f1d2e3a5b6
Revises: c4a9e2f7b1d3
Create Date: 2026-11-30 17:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4f1d2e3a5b6'
down_revision = 'c4a9e2f7b1d3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
