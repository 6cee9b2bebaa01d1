"""accounts: a per-user session version, so logging out ends the user's sessions and remember-me cookies

Revision ID: 0017
Revises: 0001
Create Date: 2026-12-04 19:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0017'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
