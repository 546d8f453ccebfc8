"""audit indexes for login throttles: recent failures of an account, or from an address, without Redis

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_action_object_id_at', ['action', 'object_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_entry_ip_at', ['ip', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_ip_at')
        batch_op.drop_index('ix_audit_entry_action_object_id_at')
