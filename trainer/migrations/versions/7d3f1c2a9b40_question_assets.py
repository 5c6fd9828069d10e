"""question assets: files (images) of imported questions, stored once by sha256

Revision ID: 7d3f1c2a9b40
Revises: 5ffe93571469
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3f1c2a9b40'
down_revision = '5ffe93571469'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question_asset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_asset')),
    sa.UniqueConstraint('sha256', name=op.f('uq_question_asset_sha256'))
    )


def downgrade():
    op.drop_table('question_asset')
