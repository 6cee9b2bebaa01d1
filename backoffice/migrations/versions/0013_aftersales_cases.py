"""aftersales cases

Revision ID: 0013
Revises: 0006
Create Date: 2026-11-23 17:31:40.788675
"""
from alembic import op
import sqlalchemy as sa
import backoffice.db


revision = '0013'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('aftersales_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('symptom', sa.String(length=24), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('outcome', sa.String(length=8), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', backoffice.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', backoffice.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('missing_items', 'lost_parcel', 'courier_problem')", name=op.f('ck_aftersales_cases_kind_known')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('reship', 'refund', 'found')", name=op.f('ck_aftersales_cases_outcome_known')),
    sa.CheckConstraint("status IN ('collecting', 'confirmed', 'resolved', 'closed')", name=op.f('ck_aftersales_cases_status_known')),
    sa.CheckConstraint("symptom IS NULL OR symptom IN ('pickup_only', 'slow', 'delivered_not_received', 'stalled', 'no_tracking')", name=op.f('ck_aftersales_cases_symptom_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_aftersales_cases_created_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_aftersales_cases_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_cases'))
    )
    with op.batch_alter_table('aftersales_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersales_cases_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_aftersales_cases_status_id', ['status', 'id'], unique=False)

    op.create_table('aftersales_case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_cases.id'], name=op.f('fk_aftersales_case_events_case_id_aftersales_cases')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_aftersales_case_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_case_events'))
    )
    with op.batch_alter_table('aftersales_case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersales_case_events_case_id'), ['case_id'], unique=False)

    op.create_table('aftersales_case_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('waybill', 'items', 'box', 'tracking')", name=op.f('ck_aftersales_case_evidence_kind_known')),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_cases.id'], name=op.f('fk_aftersales_case_evidence_case_id_aftersales_cases')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_aftersales_case_evidence_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_case_evidence')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_aftersales_case_evidence_stored_name'))
    )
    with op.batch_alter_table('aftersales_case_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersales_case_evidence_case_id'), ['case_id'], unique=False)

    op.create_table('courier_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('tracking_number', sa.String(length=40), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('outcome_fen', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('filed_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('settled_at', backoffice.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('filed', 'paid', 'rejected')", name=op.f('ck_courier_claims_status_known')),
    sa.CheckConstraint('outcome_fen IS NULL OR outcome_fen >= 0', name=op.f('ck_courier_claims_outcome_not_negative')),
    sa.CheckConstraint('price_fen > 0', name=op.f('ck_courier_claims_price_positive')),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_cases.id'], name=op.f('fk_courier_claims_case_id_aftersales_cases')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_courier_claims_filed_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_courier_claims_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courier_claims')),
    sa.UniqueConstraint('tracking_number', name=op.f('uq_courier_claims_tracking_number'))
    )
    with op.batch_alter_table('courier_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courier_claims_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_courier_claims_order_id'), ['order_id'], unique=False)

    op.create_table('reships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('original_order_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('created_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_cases.id'], name=op.f('fk_reships_case_id_aftersales_cases')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reships_created_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_reships_order_id_orders')),
    sa.ForeignKeyConstraint(['original_order_id'], ['orders.id'], name=op.f('fk_reships_original_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reships')),
    sa.UniqueConstraint('case_id', name=op.f('uq_reships_case_id')),
    sa.UniqueConstraint('order_id', name=op.f('uq_reships_order_id'))
    )
    with op.batch_alter_table('reships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reships_original_order_id'), ['original_order_id'], unique=False)

    op.create_table('compensation_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('item_kind', sa.String(length=8), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('full_refund', sa.Boolean(), nullable=False),
    sa.Column('policy_min_fen', sa.Integer(), nullable=True),
    sa.Column('policy_max_fen', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('form_token', sa.String(length=64), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('money_movement_id', sa.Integer(), nullable=True),
    sa.Column('created_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', backoffice.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('awaiting_approval', 'paid', 'rejected')", name=op.f('ck_compensation_payments_status_known')),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_compensation_payments_amount_positive')),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_cases.id'], name=op.f('fk_compensation_payments_case_id_aftersales_cases')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_compensation_payments_decided_by_id_users')),
    sa.ForeignKeyConstraint(['money_movement_id'], ['money_movements.id'], name=op.f('fk_compensation_payments_money_movement_id_money_movements')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_compensation_payments_order_id_orders')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_compensation_payments_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compensation_payments')),
    sa.UniqueConstraint('form_token', name=op.f('uq_compensation_payments_form_token'))
    )
    with op.batch_alter_table('compensation_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compensation_payments_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_compensation_payments_status_id', ['status', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('compensation_payments', schema=None) as batch_op:
        batch_op.drop_index('ix_compensation_payments_status_id')
        batch_op.drop_index(batch_op.f('ix_compensation_payments_order_id'))

    op.drop_table('compensation_payments')
    with op.batch_alter_table('reships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reships_original_order_id'))

    op.drop_table('reships')
    with op.batch_alter_table('courier_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courier_claims_order_id'))
        batch_op.drop_index(batch_op.f('ix_courier_claims_case_id'))

    op.drop_table('courier_claims')
    with op.batch_alter_table('aftersales_case_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersales_case_evidence_case_id'))

    op.drop_table('aftersales_case_evidence')
    with op.batch_alter_table('aftersales_case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersales_case_events_case_id'))

    op.drop_table('aftersales_case_events')
    with op.batch_alter_table('aftersales_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_aftersales_cases_status_id')
        batch_op.drop_index(batch_op.f('ix_aftersales_cases_order_id'))

    op.drop_table('aftersales_cases')
