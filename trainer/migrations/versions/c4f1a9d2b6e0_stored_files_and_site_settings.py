"""stored files (certificate PDFs, question assets) and site settings (the key's fingerprint)

Question assets' bytes move from question_asset.content into stored_file under
`question-assets/<sha256>`. Certificate PDFs that earlier releases wrote to instance/certificates
are copied by `trainer storage migrate` (a file copy, not a schema change: see README).
Downgrading puts the assets' bytes back; PDFs kept in stored_file are lost with the table
(`trainer backup` first), and the next `certificates.issue_due` job renders them afresh.

Revision ID: c4f1a9d2b6e0
Revises: c4d8e2f6a1b3
Create Date: 2026-11-30 17:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4f1a9d2b6e0'
down_revision = 'c4d8e2f6a1b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stored_file',
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_stored_file')),
    )
    op.create_table(
        'site_setting',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('value', sa.String(length=255), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_site_setting')),
    )
    op.execute(
        "INSERT INTO stored_file (key, content, size, sha256, updated_at) "
        "SELECT 'question-assets/' || sha256, content, size, sha256, created_at "
        "FROM question_asset"
    )
    with op.batch_alter_table('question_asset', schema=None) as batch_op:
        batch_op.drop_column('content')


def downgrade():
    with op.batch_alter_table('question_asset', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content', sa.LargeBinary(), nullable=True))
    op.execute(
        "UPDATE question_asset SET content = (SELECT content FROM stored_file "
        "WHERE stored_file.key = 'question-assets/' || question_asset.sha256)"
    )
    # assets kept in S3 have no bytes here: an empty file rather than a broken schema
    op.execute(
        sa.text("UPDATE question_asset SET content = :empty WHERE content IS NULL").bindparams(
            sa.bindparam('empty', b'', type_=sa.LargeBinary())
        )
    )
    with op.batch_alter_table('question_asset', schema=None) as batch_op:
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=False)
    op.drop_table('site_setting')
    op.drop_table('stored_file')
