"""organization sector: replaces the organization's kind

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


SECTORS = ('health_social', 'police', 'community', 'education', 'other')
SECTOR_CHECK = "sector IN (" + ", ".join(f"'{sector}'" for sector in SECTORS) + ")"
# kind -> sector; an unknown kind (none was accepted) becomes 'other'.
KIND_TO_SECTOR = {
    'institutional': 'health_social',
    'police': 'police',
    'community': 'community',
    'school': 'education',
    'other': 'other',
}
SECTOR_TO_KIND = {
    'health_social': 'institutional',
    'police': 'police',
    'community': 'community',
    'education': 'school',
    'other': 'other',
}


def _case(column: str, mapping: dict[str, str], default: str) -> sa.TextClause:
    whens = " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in mapping.items())
    return sa.text(f"CASE {column} {whens} ELSE '{default}' END")


def upgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sector', sa.String(length=20), nullable=True))
    op.execute(f"UPDATE organization SET sector = {_case('kind', KIND_TO_SECTOR, 'other').text}")
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.alter_column('sector', existing_type=sa.String(length=20), nullable=False)
        batch_op.create_check_constraint(op.f('ck_organization_sector'), SECTOR_CHECK)
        batch_op.drop_column('kind')


def downgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=True))
    op.execute(f"UPDATE organization SET kind = {_case('sector', SECTOR_TO_KIND, 'other').text}")
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_constraint(op.f('ck_organization_sector'), type_='check')
        batch_op.drop_column('sector')
