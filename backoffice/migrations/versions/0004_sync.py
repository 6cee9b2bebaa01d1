"""sync checkpoints inbox outbox

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-23 14:48:22.456995
"""
from alembic import op
import sqlalchemy as sa
import backoffice.db
from sqlalchemy.dialects import postgresql

revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('stream', sa.String(length=16), nullable=False),
    sa.Column('synced_until', backoffice.db.UTCDateTime(), nullable=True),
    sa.Column('lease_owner', sa.String(length=80), nullable=True),
    sa.Column('lease_until', backoffice.db.UTCDateTime(), nullable=True),
    sa.Column('updated_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_sync_checkpoints_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_checkpoints')),
    sa.UniqueConstraint('shop_id', 'stream', name=op.f('uq_sync_checkpoints_shop_id_stream'))
    )
    op.create_table('sync_inbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('platform_id', sa.String(length=64), nullable=False),
    sa.Column('platform_modified_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('received_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.Column('processed_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_sync_inbox_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_inbox')),
    sa.UniqueConstraint('shop_id', 'kind', 'platform_id', name=op.f('uq_sync_inbox_shop_id_kind_platform_id'))
    )
    with op.batch_alter_table('sync_inbox', schema=None) as batch_op:
        batch_op.create_index('ix_sync_inbox_kind_processed_at', ['kind', 'processed_at'], unique=False)

    op.create_table('sync_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.Column('claimed_until', backoffice.db.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.Column('delivered_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')", name=op.f('ck_sync_outbox_status_known')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_sync_outbox_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_outbox')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_sync_outbox_idempotency_key'))
    )
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_sync_outbox_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_expires_at', backoffice.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('auth_error', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('auth_error')
        batch_op.drop_column('token_expires_at')

    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_outbox_status_next_attempt_at')

    op.drop_table('sync_outbox')
    with op.batch_alter_table('sync_inbox', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_inbox_kind_processed_at')

    op.drop_table('sync_inbox')
    op.drop_table('sync_checkpoints')
