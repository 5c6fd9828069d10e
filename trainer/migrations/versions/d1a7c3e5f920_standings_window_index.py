"""an index for the standings' window of sign-off days (issue 25)

Revision ID: d1a7c3e5f920
Revises: c4e81f2a9b30
Create Date: 2026-11-30 22:10:00

"""
from alembic import op

revision = 'd1a7c3e5f920'
down_revision = 'c4e81f2a9b30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_internship_sign_off_observed_on', 'internship_sign_off', ['observed_on'])


def downgrade():
    op.drop_index('ix_internship_sign_off_observed_on', table_name='internship_sign_off')
