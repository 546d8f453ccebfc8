"""training calendar: modules (the program's catalogue, seeded here), sessions and their parts, trainers,
registrations with the waiting list, attendance and attestations, requests for a training

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 08:00:24.380607

"""
from alembic import op
import sqlalchemy as sa
from datetime import datetime, timezone
import coord.core.localtime  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


PARTNERS_FR = "Intervenant·e·s et professionnel·le·s des organismes partenaires et des milieux qui en font la demande"
PARTNERS_EN = "Workers and professionals of the partner organizations and of organizations that ask"
# code, minutes, French title, English title, French description, English description
CATALOGUE = (
    ("exploitation", 420,
     "L'exploitation sexuelle : définitions, profils, facteurs de risque et de protection, conséquences",
     "Sexual exploitation: definitions, profiles, risk and protective factors, consequences",
     "Ce qu'est l'exploitation sexuelle et ce qu'elle n'est pas ; les profils des protagonistes (personnes "
     "exploitées, proxénètes, client·e·s) ; les facteurs de risque et de protection ; les conséquences "
     "physiques, psychologiques, relationnelles, sociales et légales.",
     "What sexual exploitation is and is not; the profiles of those involved (exploited people, pimps, "
     "buyers); risk and protective factors; physical, psychological, relational, social and legal consequences."),
    ("networks", 210,
     "L'organisation de la marchandisation des services sexuels par les réseaux criminels",
     "How criminal networks organize the trade in sexual services",
     "Comment les groupes du crime organisé (gangs de rue, motards criminels, mafia) recrutent, contrôlent "
     "et déplacent les personnes ; ce que cela change pour l'intervention et la sécurité.",
     "How organized crime groups (street gangs, outlaw bikers, mafia) recruit, control and move people; what "
     "it changes for intervention and safety."),
    ("entry", 210,
     "Le processus d'engagement dans un parcours d'exploitation sexuelle",
     "The process of entry into sexual exploitation",
     "Les étapes du recrutement et de l'emprise, d'après le guide « Le silence de Cendrillon » ; repérer "
     "les signes et agir tôt.",
     "The stages of recruitment and control, after the guide \"Le silence de Cendrillon\"; spotting the "
     "signs and acting early."),
    ("harm-reduction", 420,
     "Réduction des méfaits et prévention de la rechute",
     "Harm reduction and relapse prevention",
     "Les approches de réduction des méfaits et de prévention de la rechute auprès des jeunes de 12 à 24 "
     "ans ; accompagner les allers-retours du désistement.",
     "Harm reduction and relapse prevention with young people aged 12 to 24; supporting the back-and-forth "
     "of desistance."),
    ("trauma", 420,
     "Les approches sensibles aux traumatismes",
     "Trauma-informed approaches",
     "Comprendre les effets des traumatismes complexes et adapter sa pratique : sécurité, choix, "
     "collaboration, pouvoir d'agir.",
     "Understanding the effects of complex trauma and adapting one's practice: safety, choice, "
     "collaboration, empowerment."),
    ("crisis", 420,
     "L'intervention en situation de crise et de risque aigu",
     "Crisis and acute-risk intervention",
     "Évaluer la sécurité et bâtir un plan de crise, inspiré du Safety Assessment and Crisis Plan de "
     "l'approche WrapAround.",
     "Assessing safety and building a crisis plan, after the WrapAround approach's Safety Assessment and "
     "Crisis Plan."),
    ("change-wheel", 210,
     "La roue du changement (modèle transthéorique)",
     "The wheel of change (transtheoretical model)",
     "Les stades du changement et l'intervention qui convient à chacun.",
     "The stages of change and the intervention that suits each one."),
    ("mi-initial", 840,
     "L'entretien motivationnel — formation initiale",
     "Motivational interviewing — initial training",
     "L'esprit et les techniques de base de l'entretien motivationnel, avec le cahier de l'intervenant·e "
     "« Ma stratosphère ». Deux journées.",
     "The spirit and core skills of motivational interviewing, with the workbook \"Ma stratosphère\". Two days."),
    ("mi-continuing", 420,
     "L'entretien motivationnel — formation continue",
     "Motivational interviewing — continuing training",
     "Approfondissement et supervision de la pratique, à partir de situations vécues.",
     "Deepening and supervised practice, from real situations."),
    ("indigenous", 420,
     "Les réalités autochtones (Premières Nations et Inuit)",
     "Indigenous realities (First Nations and Inuit)",
     "Les réalités historiques et actuelles des peuples autochtones et une intervention culturellement "
     "sécurisante, comme le recommande la Commission spéciale sur l'exploitation sexuelle des mineurs.",
     "The historical and present realities of Indigenous peoples and culturally safe intervention, as the "
     "Special Commission on the Sexual Exploitation of Minors recommends."),
    ("vicarious-trauma", 210,
     "Le traumatisme vicariant et l'usure de compassion",
     "Vicarious trauma and compassion fatigue",
     "Reconnaître les effets de l'aide aux personnes traumatisées sur soi et prendre soin de soi et de "
     "son équipe.",
     "Recognizing what helping traumatized people does to oneself, and caring for oneself and one's team."),
)
# (module, the module it requires)
PREREQUISITES = (("mi-continuing", "mi-initial"), ("crisis", "trauma"))


def seed_catalogue():
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    modules = sa.table(
        "training_module",
        sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("position", sa.Integer),
        sa.column("title_fr", sa.String), sa.column("title_en", sa.String),
        sa.column("description_fr", sa.Text), sa.column("description_en", sa.Text),
        sa.column("audience_fr", sa.String), sa.column("audience_en", sa.String),
        sa.column("duration_minutes", sa.Integer), sa.column("active", sa.Boolean),
        sa.column("created_at", sa.DateTime), sa.column("updated_at", sa.DateTime),
    )
    op.bulk_insert(modules, [
        {"id": n, "code": code, "position": n, "title_fr": title_fr, "title_en": title_en,
         "description_fr": description_fr, "description_en": description_en,
         "audience_fr": PARTNERS_FR, "audience_en": PARTNERS_EN, "duration_minutes": minutes, "active": True,
         "created_at": now, "updated_at": now}
        for n, (code, minutes, title_fr, title_en, description_fr, description_en) in enumerate(CATALOGUE, 1)
    ])
    ids = {code: n for n, (code, *_rest) in enumerate(CATALOGUE, 1)}
    prerequisites = sa.table("training_prerequisite", sa.column("module_id", sa.Integer),
                             sa.column("required_id", sa.Integer))
    op.bulk_insert(prerequisites, [{"module_id": ids[m], "required_id": ids[r]} for m, r in PREREQUISITES])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('training_module', 'id'), (SELECT max(id) FROM training_module))")


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('training_module',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title_fr', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('description_fr', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('audience_fr', sa.String(length=300), nullable=False),
    sa.Column('audience_en', sa.String(length=300), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.Column('updated_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.CheckConstraint('duration_minutes BETWEEN 30 AND 6000', name=op.f('ck_training_module_duration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_module')),
    sa.UniqueConstraint('code', name=op.f('uq_training_module_code'))
    )
    op.create_table('training_prerequisite',
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('required_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('module_id <> required_id', name=op.f('ck_training_prerequisite_self')),
    sa.ForeignKeyConstraint(['module_id'], ['training_module.id'], name=op.f('fk_training_prerequisite_module_id_training_module')),
    sa.ForeignKeyConstraint(['required_id'], ['training_module.id'], name=op.f('fk_training_prerequisite_required_id_training_module')),
    sa.PrimaryKeyConstraint('module_id', 'required_id', name=op.f('pk_training_prerequisite'))
    )
    op.create_table('training_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('organization_name', sa.String(length=200), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('audience', sa.String(length=300), nullable=False),
    sa.Column('expected_size', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', coord.core.localtime.UTCDateTime(), nullable=True),
    sa.Column('created_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.Column('updated_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'scheduled', 'declined')", name=op.f('ck_training_request_status')),
    sa.CheckConstraint('expected_size BETWEEN 1 AND 1000', name=op.f('ck_training_request_size')),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_training_request_period')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['person.id'], name=op.f('fk_training_request_handled_by_id_person')),
    sa.ForeignKeyConstraint(['module_id'], ['training_module.id'], name=op.f('fk_training_request_module_id_training_module')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_training_request_organization_id_organization')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['person.id'], name=op.f('fk_training_request_requested_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_request')),
    sa.UniqueConstraint('ref', name=op.f('uq_training_request_ref'))
    )
    with op.batch_alter_table('training_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_request_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_request_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_request_status'), ['status'], unique=False)

    op.create_table('training_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=24), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('per_organization_limit', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('registration_opens_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.Column('registration_closes_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.Column('cancel_hours_before', sa.Integer(), nullable=False),
    sa.Column('offer_hours', sa.Integer(), nullable=False),
    sa.Column('starts_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.Column('ends_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('next_queue_number', sa.Integer(), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.Column('updated_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.CheckConstraint("audience IN ('partners', 'open')", name=op.f('ck_training_session_audience')),
    sa.CheckConstraint("status IN ('planned', 'confirmed', 'cancelled')", name=op.f('ck_training_session_status')),
    sa.CheckConstraint('cancel_hours_before BETWEEN 0 AND 720', name=op.f('ck_training_session_cancel')),
    sa.CheckConstraint('capacity BETWEEN 1 AND 1000', name=op.f('ck_training_session_capacity')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_training_session_times')),
    sa.CheckConstraint('offer_hours BETWEEN 1 AND 336', name=op.f('ck_training_session_offer')),
    sa.CheckConstraint('per_organization_limit IS NULL OR per_organization_limit >= 1', name=op.f('ck_training_session_org_limit')),
    sa.CheckConstraint('registration_closes_at > registration_opens_at', name=op.f('ck_training_session_registration')),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_training_session_created_by_id_person')),
    sa.ForeignKeyConstraint(['module_id'], ['training_module.id'], name=op.f('fk_training_session_module_id_training_module')),
    sa.ForeignKeyConstraint(['request_id'], ['training_request.id'], name=op.f('fk_training_session_request_id_training_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_session')),
    sa.UniqueConstraint('ref', name=op.f('uq_training_session_ref'))
    )
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_session_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_session_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_session_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_session_status'), ['status'], unique=False)

    op.create_table('training_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.Column('ends_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_training_part_order')),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_training_part_session_id_training_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_part'))
    )
    with op.batch_alter_table('training_part', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_part_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_part_starts_at'), ['starts_at'], unique=False)

    op.create_table('training_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=24), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('organization_name', sa.String(length=200), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('organization_key', sa.String(length=220), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('queue_number', sa.Integer(), nullable=True),
    sa.Column('offered_at', coord.core.localtime.UTCDateTime(), nullable=True),
    sa.Column('offer_expires_at', coord.core.localtime.UTCDateTime(), nullable=True),
    sa.Column('offer_version', sa.Integer(), nullable=False),
    sa.Column('link_version', sa.Integer(), nullable=False),
    sa.Column('verified_at', coord.core.localtime.UTCDateTime(), nullable=True),
    sa.Column('cancelled_at', coord.core.localtime.UTCDateTime(), nullable=True),
    sa.Column('attendance', sa.String(length=10), nullable=True),
    sa.Column('attendance_marked_by_id', sa.Integer(), nullable=True),
    sa.Column('attendance_marked_at', coord.core.localtime.UTCDateTime(), nullable=True),
    sa.Column('attestation_code', sa.String(length=40), nullable=True),
    sa.Column('created_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.Column('updated_at', coord.core.localtime.UTCDateTime(), nullable=False),
    sa.CheckConstraint("attendance IS NULL OR attendance IN ('present', 'partial', 'absent')", name=op.f('ck_training_registration_attendance')),
    sa.CheckConstraint("person_id IS NOT NULL OR email <> ''", name=op.f('ck_training_registration_who')),
    sa.CheckConstraint("status IN ('unverified', 'registered', 'waiting', 'offered', 'cancelled', 'lapsed')", name=op.f('ck_training_registration_status')),
    sa.ForeignKeyConstraint(['attendance_marked_by_id'], ['person.id'], name=op.f('fk_training_registration_attendance_marked_by_id_person')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_training_registration_organization_id_organization')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_training_registration_person_id_person')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['person.id'], name=op.f('fk_training_registration_registered_by_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_training_registration_session_id_training_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_registration')),
    sa.UniqueConstraint('attestation_code', name=op.f('uq_training_registration_attestation_code')),
    sa.UniqueConstraint('ref', name=op.f('uq_training_registration_ref')),
    sa.UniqueConstraint('session_id', 'queue_number', name='uq_training_registration_queue')
    )
    with op.batch_alter_table('training_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_registration_offer_expires_at'), ['offer_expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_registration_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_registration_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_registration_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_registration_status'), ['status'], unique=False)
        batch_op.create_index('uq_training_registration_email_active', ['session_id', 'email'], unique=True, sqlite_where=sa.text("email <> '' AND status IN ('unverified','registered','waiting','offered')"), postgresql_where=sa.text("email <> '' AND status IN ('unverified','registered','waiting','offered')"))
        batch_op.create_index('uq_training_registration_person_active', ['session_id', 'person_id'], unique=True, sqlite_where=sa.text("person_id IS NOT NULL AND status IN ('unverified','registered','waiting','offered')"), postgresql_where=sa.text("person_id IS NOT NULL AND status IN ('unverified','registered','waiting','offered')"))

    op.create_table('training_trainer',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_training_trainer_person_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_training_trainer_session_id_training_session')),
    sa.PrimaryKeyConstraint('session_id', 'person_id', name=op.f('pk_training_trainer'))
    )
    with op.batch_alter_table('training_trainer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_trainer_person_id'), ['person_id'], unique=False)

    # ### end Alembic commands ###
    seed_catalogue()


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('training_trainer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_trainer_person_id'))

    op.drop_table('training_trainer')
    with op.batch_alter_table('training_registration', schema=None) as batch_op:
        batch_op.drop_index('uq_training_registration_person_active', sqlite_where=sa.text("person_id IS NOT NULL AND status IN ('unverified','registered','waiting','offered')"), postgresql_where=sa.text("person_id IS NOT NULL AND status IN ('unverified','registered','waiting','offered')"))
        batch_op.drop_index('uq_training_registration_email_active', sqlite_where=sa.text("email <> '' AND status IN ('unverified','registered','waiting','offered')"), postgresql_where=sa.text("email <> '' AND status IN ('unverified','registered','waiting','offered')"))
        batch_op.drop_index(batch_op.f('ix_training_registration_status'))
        batch_op.drop_index(batch_op.f('ix_training_registration_session_id'))
        batch_op.drop_index(batch_op.f('ix_training_registration_person_id'))
        batch_op.drop_index(batch_op.f('ix_training_registration_organization_id'))
        batch_op.drop_index(batch_op.f('ix_training_registration_offer_expires_at'))

    op.drop_table('training_registration')
    with op.batch_alter_table('training_part', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_part_starts_at'))
        batch_op.drop_index(batch_op.f('ix_training_part_session_id'))

    op.drop_table('training_part')
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_session_status'))
        batch_op.drop_index(batch_op.f('ix_training_session_starts_at'))
        batch_op.drop_index(batch_op.f('ix_training_session_request_id'))
        batch_op.drop_index(batch_op.f('ix_training_session_module_id'))

    op.drop_table('training_session')
    with op.batch_alter_table('training_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_request_status'))
        batch_op.drop_index(batch_op.f('ix_training_request_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_training_request_organization_id'))

    op.drop_table('training_request')
    op.drop_table('training_prerequisite')
    op.drop_table('training_module')
    # ### end Alembic commands ###
