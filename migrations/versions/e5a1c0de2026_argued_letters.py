"""letters argued against the denial: claim kinds, the structured ask, how the patient is
referred to, what a document answers, the reviewer's commitment, rebuttal conditions

Revision ID: e5a1c0de2026
Revises: 5b6eaca3f89e
Create Date: 2026-12-06 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5a1c0de2026'
down_revision = '5b6eaca3f89e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('date_style', sa.String(length=10), server_default='dmy', nullable=False))
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('patient_sex', sa.String(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('patient_title', sa.String(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('patient_pronouns', sa.String(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('requested_service', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('requested_quantity', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('requested_duration', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('thesis', sa.Text(), server_default='', nullable=False))
    # Plain ADD COLUMNs: on SQLite a constraint would copy and drop the tables, which their
    # foreign keys refuse once rows point at them; there the app clears these ids itself.
    op.add_column('source_document', sa.Column('answers_denial', sa.Boolean(), server_default='0', nullable=False))
    op.add_column('source_document', sa.Column('answers_call_id', sa.Integer(), nullable=True))
    op.add_column('case_citation', sa.Column('kind', sa.String(length=20), server_default='trial', nullable=False))
    op.add_column('case_citation', sa.Column('criterion_id', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != 'sqlite':
        op.create_foreign_key('fk_source_document_answers_call', 'source_document', 'peer_call',
                              ['answers_call_id'], ['id'], ondelete='SET NULL')
        op.create_foreign_key('fk_case_citation_criterion', 'case_citation', 'criterion',
                              ['criterion_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('peer_call', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewer_commitment', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reviewer_reason', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('rebuttal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('rebuttal', schema=None) as batch_op:
        batch_op.drop_column('needs')
    with op.batch_alter_table('peer_call', schema=None) as batch_op:
        batch_op.drop_column('reviewer_reason')
        batch_op.drop_column('reviewer_commitment')
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint('fk_case_citation_criterion', 'case_citation', type_='foreignkey')
        op.drop_constraint('fk_source_document_answers_call', 'source_document', type_='foreignkey')
    with op.batch_alter_table('case_citation', schema=None) as batch_op:
        batch_op.drop_column('criterion_id')
        batch_op.drop_column('kind')
    with op.batch_alter_table('source_document', schema=None) as batch_op:
        batch_op.drop_column('answers_call_id')
        batch_op.drop_column('answers_denial')
    with op.batch_alter_table('case', schema=None) as batch_op:
        for name in ('thesis', 'requested_duration', 'requested_quantity', 'requested_service',
                     'patient_pronouns', 'patient_title', 'patient_sex'):
            batch_op.drop_column(name)
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_column('date_style')
