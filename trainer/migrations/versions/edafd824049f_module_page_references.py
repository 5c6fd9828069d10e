"""module page references: where a page's statements about regulation come from

Revision ID: edafd824049f
Revises: e654a3dd928e
Create Date: 2026-11-30 09:50:08.600016

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "edafd824049f"
down_revision = "e654a3dd928e"
branch_labels = None
depends_on = None


def upgrade():
    # "citations", not "references" (an SQL reserved word); existing pages get an empty list.
    with op.batch_alter_table("module_page", schema=None) as batch_op:
        batch_op.add_column(sa.Column("citations", sa.JSON(), server_default="[]", nullable=False))


def downgrade():
    with op.batch_alter_table("module_page", schema=None) as batch_op:
        batch_op.drop_column("citations")
