"""scoring: trainer-approved element examples; programme setting for the forbidden-phrase veto

Revision ID: b3c5e7a9d1f2
Revises: b8e4c71d2f05
Create Date: 2026-11-30 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3c5e7a9d1f2'
down_revision = 'b8e4c71d2f05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('element_example',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('turn_key', sa.String(length=64), nullable=False),
    sa.Column('element_key', sa.String(length=64), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('found', sa.Boolean(), nullable=False),
    sa.Column('source_step_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_element_example_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name=op.f('fk_element_example_scenario_id_scenario'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_step_id'], ['drill_step.id'], name=op.f('fk_element_example_source_step_id_drill_step'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_element_example')),
    sa.UniqueConstraint('scenario_id', 'turn_key', 'element_key', 'text', name=op.f('uq_element_example_scenario_id_turn_key_element_key_text'))
    )
    with op.batch_alter_table('element_example', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_element_example_scenario_id'), ['scenario_id'], unique=False)
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('forbidden_veto', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('forbidden_veto')
    with op.batch_alter_table('element_example', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_element_example_scenario_id'))
    op.drop_table('element_example')
