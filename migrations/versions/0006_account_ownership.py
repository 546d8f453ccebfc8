"""account ownership: token versions, pending e-mail changes, TOTP secrets encrypted at rest

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 23:08:50

"""
import logging

from alembic import context, op
import sqlalchemy as sa
from flask import current_app

import coord.core.localtime  # noqa: F401  (custom column types)
from coord.directory import totp_crypto


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

logger = logging.getLogger('alembic.runtime.migration')
person = sa.table('person', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))


def upgrade():
    # Every token, secret link and login session carries (or is checked against) the person's version.
    with op.batch_alter_table('feed_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_version', sa.Integer(), server_default='0', nullable=False))
    # An address asked for and not yet confirmed; TOTP secrets grow into Fernet tokens (~140 characters).
    # (On SQLite the batch recreates the person table; foreign keys are not enforced there by the app.)
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('token_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.alter_column('totp_secret', existing_type=sa.VARCHAR(length=64), type_=sa.String(length=255),
                              existing_nullable=True)
    _rewrite_secrets(lambda stored: totp_crypto.encrypt(stored, current_app.config)
                     if totp_crypto.is_plain(stored) else None)


def downgrade():
    def plain(stored):
        if totp_crypto.is_plain(stored):
            return None
        try:
            return totp_crypto.decrypt(stored, current_app.config)
        except totp_crypto.SecretUnreadable:
            raise RuntimeError('a TOTP secret does not decrypt with this TOTP_ENCRYPTION_KEY / SECRET_KEY: '
                               'downgrade with the key that encrypted it') from None

    _rewrite_secrets(plain)
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255), type_=sa.VARCHAR(length=64),
                              existing_nullable=True)
        batch_op.drop_column('token_version')
        batch_op.drop_column('pending_email')
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_column('token_version')
    with op.batch_alter_table('feed_link', schema=None) as batch_op:
        batch_op.drop_column('token_version')


def _rewrite_secrets(convert):
    """Apply `convert` to each stored TOTP secret (None: leave it), with the app's key (never stored)."""
    if context.is_offline_mode():
        logger.warning('offline mode: TOTP secrets are not re-encoded; run this revision online '
                       '(flask --app coord db upgrade), or people with a second factor cannot log in')
        return
    connection = op.get_bind()
    rows = connection.execute(sa.select(person.c.id, person.c.totp_secret)
                              .where(person.c.totp_secret.is_not(None))).all()
    for row in rows:
        value = convert(row.totp_secret)
        if value is not None:
            connection.execute(person.update().where(person.c.id == row.id).values(totp_secret=value))
