"""tracked parcels (Kuaidi100 polling and subscription callbacks)

Revision ID: 0015
Revises: 0004
Create Date: 2026-11-23 17:50:00
"""
from alembic import op
import sqlalchemy as sa
import backoffice.db
from sqlalchemy.dialects import postgresql

revision = '0015'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tracked_parcels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('courier_code', sa.String(length=16), nullable=False),
    sa.Column('tracking_number', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('finished', sa.Boolean(), nullable=False),
    sa.Column('events', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('last_event_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.Column('checked_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.Column('subscribed_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracked_parcels')),
    sa.UniqueConstraint('courier_code', 'tracking_number', name=op.f('uq_tracked_parcels_courier_code_tracking_number'))
    )
    op.create_index('ix_tracked_parcels_finished_checked_at', 'tracked_parcels', ['finished', 'checked_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_tracked_parcels_finished_checked_at', table_name='tracked_parcels')
    op.drop_table('tracked_parcels')
