"""clinician profile: board certification, phone, fax and its version

Revision ID: f6a1c3e9d2b4
Revises: 5b6eaca3f89e
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f6a1c3e9d2b4'
down_revision = 'e5a1c0de2026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('board_certification', sa.String(length=200), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('phone', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('fax', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(
            sa.Column('profile_version', sa.Integer(), server_default='1', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('profile_version')
        batch_op.drop_column('fax')
        batch_op.drop_column('phone')
        batch_op.drop_column('board_certification')
