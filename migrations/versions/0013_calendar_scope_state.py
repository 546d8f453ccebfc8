"""calendar generations per scope (feeds invalidated per person or committee, not all at once)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
import coord.core.localtime  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_scope_state',
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('changed_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_calendar_scope_state'))
    )


def downgrade():
    op.drop_table('calendar_scope_state')
