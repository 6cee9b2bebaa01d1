"""sync: a job run names its worker and holds a lease it renews, and says how to run it again

Revision ID: 0030
Revises: 0015
Create Date: 2026-12-04 19:15:00
"""
import sqlalchemy as sa
from alembic import op

import backoffice.db

revision = '0030'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('lease_until', backoffice.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('task', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('params', backoffice.db.JSONType, nullable=True))
        batch_op.add_column(sa.Column('attempt', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_index('ix_job_runs_status_lease_until', ['status', 'lease_until'])


def downgrade() -> None:
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_job_runs_status_lease_until')
        batch_op.drop_column('attempt')
        batch_op.drop_column('params')
        batch_op.drop_column('task')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('worker')
