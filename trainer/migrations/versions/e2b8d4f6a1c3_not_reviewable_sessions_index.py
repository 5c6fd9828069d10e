"""index of drill sessions whose replies are not for review (playing or preview), for the
dashboard's count of replies to review (issue 25)

Revision ID: e2b8d4f6a1c3
Revises: d1a7c3e5f920
Create Date: 2026-12-01 03:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e2b8d4f6a1c3'
down_revision = 'd1a7c3e5f920'
branch_labels = None
depends_on = None

# as trainer/roleplay/models.py NOT_REVIEWABLE at this revision
NOT_REVIEWABLE = {
    "postgresql": "state <> 'finished' OR preview",
    "sqlite": "state <> 'finished' OR preview = 1",
}


def upgrade():
    op.create_index(
        'ix_drill_session_not_reviewable',
        'drill_session',
        ['id'],
        postgresql_where=sa.text(NOT_REVIEWABLE["postgresql"]),
        sqlite_where=sa.text(NOT_REVIEWABLE["sqlite"]),
    )


def downgrade():
    op.drop_index('ix_drill_session_not_reviewable', table_name='drill_session')
