"""Job runs (the scheduler's claims), one stage change per (enrolment, stage), PDF errors.

Revision ID: e654a3dd928e
Revises: dfcb2e7657a6
Create Date: 2026-11-30 09:57:38.442560

"""

import sqlalchemy as sa
from alembic import op

revision = "e654a3dd928e"
down_revision = "dfcb2e7657a6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("slot", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("summary", sa.String(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_run")),
        sa.UniqueConstraint("name", "slot", name=op.f("uq_job_run_name_slot")),
    )
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_run_name"), ["name"], unique=False)

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pdf_error", sa.String(length=500), nullable=True))

    # Races before this revision could record a move twice: keep the first record of each.
    op.execute(
        "DELETE FROM stage_change WHERE id NOT IN ("
        " SELECT MIN(id) FROM stage_change GROUP BY enrolment_id, to_stage)"
    )
    with op.batch_alter_table("stage_change", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_stage_change_enrolment_id_to_stage"), ["enrolment_id", "to_stage"]
        )


def downgrade():
    with op.batch_alter_table("stage_change", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_stage_change_enrolment_id_to_stage"), type_="unique"
        )

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_column("pdf_error")

    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_run_name"))

    op.drop_table("job_run")
