"""library item: per library item, the digest of the file content it was last loaded from,
and a file version pending a trainer's decision (three-way reload)

Revision ID: b8e4c71d2f05
Revises: 7d3f1c2a9b40
Create Date: 2026-11-30 13:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e4c71d2f05'
down_revision = "b7e2c4d19a30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('library_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('base_digest', sa.String(length=64), nullable=True),
    sa.Column('pending_digest', sa.String(length=64), nullable=True),
    sa.Column('pending', sa.JSON(), nullable=True),
    sa.Column('pending_since', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_item')),
    sa.UniqueConstraint('kind', 'key', name=op.f('uq_library_item_kind_key'))
    )


def downgrade():
    op.drop_table('library_item')
