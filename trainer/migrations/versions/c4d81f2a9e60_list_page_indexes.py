"""indexes for the paged lists' searches, filters and sorts (issue 25)

Revision ID: c4d81f2a9e60
Revises: b7e5a0c3d912
Create Date: 2026-11-30 17:30:00

"""
from alembic import op

revision = 'c4d81f2a9e60'
down_revision = 'b7e5a0c3d912'
branch_labels = None
depends_on = None


def upgrade():
    # people lists: sorted by name, searched by name or employee-number prefix
    op.create_index('ix_user_name_employee_no', 'user', ['name', 'employee_no'])
    op.create_index(
        'ix_user_name_pattern', 'user', ['name'], postgresql_ops={'name': 'varchar_pattern_ops'}
    )
    op.create_index(
        'ix_user_employee_no_pattern',
        'user',
        ['employee_no'],
        postgresql_ops={'employee_no': 'varchar_pattern_ops'},
    )
    # a quiz's results list, newest first
    op.create_index('ix_attempt_quiz_started', 'attempt', ['quiz_id', 'started_at'])
    # overdue tasks and progress count one trainee's observations of one task
    op.create_index(
        'ix_internship_sign_off_enrolment_task', 'internship_sign_off', ['enrolment_id', 'task_id']
    )


def downgrade():
    op.drop_index('ix_internship_sign_off_enrolment_task', table_name='internship_sign_off')
    op.drop_index('ix_attempt_quiz_started', table_name='attempt')
    op.drop_index('ix_user_employee_no_pattern', table_name='user')
    op.drop_index('ix_user_name_pattern', table_name='user')
    op.drop_index('ix_user_name_employee_no', table_name='user')
