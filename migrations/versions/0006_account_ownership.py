"""account ownership: token versions, pending e-mail changes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 23:08:50

"""
from alembic import op
import sqlalchemy as sa

import coord.core.localtime  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # Every token, secret link and login session carries (or is checked against) the person's version.
    with op.batch_alter_table('feed_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_version', sa.Integer(), server_default='0', nullable=False))
    # An address asked for and not yet confirmed from that address.
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('token_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('token_version')
        batch_op.drop_column('pending_email')
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_column('token_version')
    with op.batch_alter_table('feed_link', schema=None) as batch_op:
        batch_op.drop_column('token_version')
