"""module seams: feed links name a registered calendar scope; audit entries name system actors

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 22:30:00

"""
from alembic import op
import sqlalchemy as sa
import coord.core.localtime  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


TEMPLATES = [
    ("agenda_published", "meetings/agenda_published"),
    ("minutes_circulated", "meetings/minutes_circulated"),
    ("invitation", "directory/invitation"),
    ("password_reset", "directory/password_reset"),
    ("calendar_invitation", "calendar/calendar_invitation"),
    ("calendar_cancellation", "calendar/calendar_cancellation"),
    ("calendar_reminder", "calendar/calendar_reminder"),
]


def upgrade():
    # A feed link names a scope registered by a module ("committee", ...) and that scope's object id,
    # instead of a committee: the calendar knows no module.
    with op.batch_alter_table('feed_link', schema=None) as batch_op:
        batch_op.drop_constraint('uq_feed_link_person_id', type_='unique')
        batch_op.drop_constraint('fk_feed_link_committee_id_committee', type_='foreignkey')
        batch_op.alter_column('kind', new_column_name='scope', existing_type=sa.String(length=20),
                              type_=sa.String(length=40), existing_nullable=False)
        batch_op.alter_column('committee_id', new_column_name='scope_id', existing_type=sa.Integer(),
                              existing_nullable=True)
    with op.batch_alter_table('feed_link', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_feed_link_person_id', ['person_id', 'scope', 'scope_id'])
    op.execute("UPDATE feed_link SET scope = 'person' WHERE scope = 'personal'")
    # E-mail templates live under templates/email/<module>/: messages waiting in the outbox follow them.
    for old, new in TEMPLATES:
        op.execute(sa.text("UPDATE outbox_messages SET template = :new WHERE template = :old")
                   .bindparams(old=old, new=new))
    # Jobs, the CLI and people not signed in are named in the audit log ("system", "anonymous").
    op.add_column('audit_entry', sa.Column('actor_label', sa.String(length=20), nullable=False,
                                           server_default=''))


def downgrade():
    for old, new in TEMPLATES:
        op.execute(sa.text("UPDATE outbox_messages SET template = :old WHERE template = :new")
                   .bindparams(old=old, new=new))
    op.drop_column('audit_entry', 'actor_label')
    op.execute("DELETE FROM feed_link WHERE scope NOT IN ('person', 'committee')")
    op.execute("UPDATE feed_link SET scope = 'personal' WHERE scope = 'person'")
    with op.batch_alter_table('feed_link', schema=None) as batch_op:
        batch_op.drop_constraint('uq_feed_link_person_id', type_='unique')
        batch_op.alter_column('scope', new_column_name='kind', existing_type=sa.String(length=40),
                              type_=sa.String(length=20), existing_nullable=False)
        batch_op.alter_column('scope_id', new_column_name='committee_id', existing_type=sa.Integer(),
                              existing_nullable=True)
    with op.batch_alter_table('feed_link', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_feed_link_person_id', ['person_id', 'kind', 'committee_id'])
        batch_op.create_foreign_key('fk_feed_link_committee_id_committee', 'committee', ['committee_id'],
                                    ['id'], ondelete='CASCADE')
