"""user.anonymised_at: when a leaver's personal data was anonymised

Revision ID: c4a9e2f7b1d3
Revises: c41e7d9a2b60
Create Date: 2026-11-30 17:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4a9e2f7b1d3'
down_revision = 'c41e7d9a2b60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
