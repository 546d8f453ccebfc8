"""minutes adopted at a meeting; meetings and series found by their creator

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('adopted_at_meeting_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_minutes_adopted_at_meeting_id_meeting'), 'meeting', ['adopted_at_meeting_id'], ['id'],
            ondelete='SET NULL',
        )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_created_by_id'), ['created_by_id'], unique=False)
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_series_created_by_id'), ['created_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_series_created_by_id'))
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_created_by_id'))
    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_minutes_adopted_at_meeting_id_meeting'), type_='foreignkey')
        batch_op.drop_column('adopted_at_meeting_id')
