"""aftersales

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-23 14:57:19.411333
"""
from alembic import op
import sqlalchemy as sa
import backoffice.db


revision = '0006'
down_revision = '0001'
branch_labels = None
depends_on = None


QUICK_REPLIES = [
    ("refund_approved", "仅退款：同意退款",
     "亲，您的退款申请已同意，订单 {order_number} 已为您取消发货，{amount} 元会原路退回，请留意查收～"),
    ("already_shipped", "仅退款：已发货",
     "亲，您的订单 {order_number} 已经发货了（快递单号 {tracking_number}），暂时不能仅退款哦。"
     "请您收到包裹后申请退货退款，寄回的运费有运费险可以报销～"),
    ("refuse_delivery", "仅退款：请拒收",
     "亲，包裹已经发出了，麻烦您在快递送达时直接拒收，包裹退回后我们第一时间为您退款。"
     "也请您先撤销这次的仅退款申请，谢谢理解～"),
    ("change_reason", "退货：请修改退货原因",
     "亲，麻烦您把退货原因改成“七天无理由”或“不喜欢”，不影响您退款，我们收到退货后马上为您处理，谢谢亲～"),
    ("fill_tracking", "退货：请补填单号",
     "亲，您的退货还没有填写快递单号，麻烦补填一下哦，运费险需要单号才能赔付～"),
    ("correct_tracking", "退货：单号有误",
     "亲，您填写的退货快递单号查不到物流信息，麻烦核对更正一下，更正后我们马上为您退款～"),
    ("missing_items", "少发：请提供照片",
     "亲，非常抱歉！麻烦您拍一下快递面单、收到的全部商品和箱子上的编号发给我们，核实后马上为您补发或退款～"),
]



def upgrade() -> None:
    op.create_table('compensation_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_kind', sa.String(length=8), nullable=False),
    sa.Column('price_from_fen', sa.Integer(), nullable=False),
    sa.Column('price_below_fen', sa.Integer(), nullable=True),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('amount_min_fen', sa.Integer(), nullable=True),
    sa.Column('amount_max_fen', sa.Integer(), nullable=True),
    sa.Column('full_refund', sa.Boolean(), nullable=False),
    sa.CheckConstraint("item_kind IN ('normal', 'flash')", name=op.f('ck_compensation_rules_item_kind_known')),
    sa.CheckConstraint("severity IN ('minor', 'major', 'unusable')", name=op.f('ck_compensation_rules_severity_known')),
    sa.CheckConstraint('full_refund OR (amount_min_fen IS NOT NULL AND amount_max_fen IS NOT NULL AND amount_min_fen <= amount_max_fen)', name=op.f('ck_compensation_rules_range_or_full_refund')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compensation_rules'))
    )
    op.create_table('quick_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('title', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quick_replies')),
    sa.UniqueConstraint('code', name=op.f('uq_quick_replies_code'))
    )
    op.create_table('refusal_reasons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refusal_reasons')),
    sa.UniqueConstraint('name', name=op.f('uq_refusal_reasons_name'))
    )
    op.create_table('return_reasons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('counts_against_shop', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_reasons')),
    sa.UniqueConstraint('name', name=op.f('uq_return_reasons_name'))
    )
    op.create_table('intercept_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('refund_request_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'pulled', 'left')", name=op.f('ck_intercept_tasks_status_known')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_intercept_tasks_answered_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_intercept_tasks_created_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_intercept_tasks_order_id_orders')),
    sa.ForeignKeyConstraint(['refund_request_id'], ['refund_requests.id'], name=op.f('fk_intercept_tasks_refund_request_id_refund_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intercept_tasks'))
    )
    with op.batch_alter_table('intercept_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intercept_tasks_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intercept_tasks_refund_request_id'), ['refund_request_id'], unique=False)
        batch_op.create_index('ix_intercept_tasks_status_id', ['status', 'id'], unique=False)

    op.create_table('money_movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('refund_request_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('idempotency_key', sa.String(length=96), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('refund', 'partial_refund', 'compensation')", name=op.f('ck_money_movements_kind_known')),
    sa.CheckConstraint("status IN ('pending', 'sent', 'confirmed')", name=op.f('ck_money_movements_status_known')),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_money_movements_amount_positive')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_money_movements_approved_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_money_movements_created_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_money_movements_order_id_orders')),
    sa.ForeignKeyConstraint(['refund_request_id'], ['refund_requests.id'], name=op.f('fk_money_movements_refund_request_id_refund_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_money_movements')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_money_movements_idempotency_key'))
    )
    with op.batch_alter_table('money_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_money_movements_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_money_movements_refund_request_id'), ['refund_request_id'], unique=False)

    op.create_table('return_parcels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_number', sa.String(length=40), nullable=False),
    sa.Column('refund_request_id', sa.Integer(), nullable=True),
    sa.Column('received_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('item_matches', sa.Boolean(), nullable=True),
    sa.Column('condition', sa.String(length=8), nullable=True),
    sa.Column('original_packaging', sa.Boolean(), nullable=True),
    sa.Column('outcome', sa.String(length=8), nullable=True),
    sa.Column('refusal_reason', sa.String(length=64), nullable=True),
    sa.Column('refund_fen', sa.Integer(), nullable=True),
    sa.Column('restock_mark', sa.String(length=64), nullable=True),
    sa.Column('restock_location', sa.String(length=32), nullable=True),
    sa.Column('inspected_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.Column('inspected_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("condition IS NULL OR condition IN ('good', 'damaged', 'used')", name=op.f('ck_return_parcels_condition_known')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('refund', 'refuse', 'partial')", name=op.f('ck_return_parcels_outcome_known')),
    sa.ForeignKeyConstraint(['inspected_by_id'], ['users.id'], name=op.f('fk_return_parcels_inspected_by_id_users')),
    sa.ForeignKeyConstraint(['received_by_id'], ['users.id'], name=op.f('fk_return_parcels_received_by_id_users')),
    sa.ForeignKeyConstraint(['refund_request_id'], ['refund_requests.id'], name=op.f('fk_return_parcels_refund_request_id_refund_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_parcels')),
    sa.UniqueConstraint('tracking_number', name=op.f('uq_return_parcels_tracking_number'))
    )
    with op.batch_alter_table('return_parcels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_parcels_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_parcels_refund_request_id'), ['refund_request_id'], unique=False)

    with op.batch_alter_table('refund_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('platform_status', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('freight_insurance', sa.Boolean(), nullable=False, server_default=sa.false()))

    # The shop's defaults (SPEC §4.2, §4.3): staff edit them afterwards.
    rules = sa.table("compensation_rules", *(sa.column(c) for c in (
        "item_kind", "price_from_fen", "price_below_fen", "severity", "amount_min_fen", "amount_max_fen", "full_refund")))
    op.bulk_insert(rules, [
        *({"item_kind": "normal", "price_from_fen": 0, "price_below_fen": None, "severity": s,
           "amount_min_fen": 500, "amount_max_fen": 1000, "full_refund": False} for s in ("minor", "major", "unusable")),
        *({"item_kind": "flash", "price_from_fen": 0, "price_below_fen": 1890, "severity": s,
           "amount_min_fen": 200, "amount_max_fen": 500, "full_refund": False} for s in ("minor", "major")),
        {"item_kind": "flash", "price_from_fen": 0, "price_below_fen": 1890, "severity": "unusable",
         "amount_min_fen": None, "amount_max_fen": None, "full_refund": True},
        *({"item_kind": "flash", "price_from_fen": 1890, "price_below_fen": None, "severity": s,
           "amount_min_fen": 500, "amount_max_fen": 1000, "full_refund": False} for s in ("minor", "major", "unusable")),
    ])
    reasons = sa.table("return_reasons", sa.column("name"), sa.column("counts_against_shop"))
    op.bulk_insert(reasons, [{"name": n, "counts_against_shop": n not in ("不喜欢", "七天无理由")}
                             for n in ("不喜欢", "七天无理由", "质量问题", "发错货", "少件/漏发", "与描述不符", "破损")])
    replies = sa.table("quick_replies", sa.column("code"), sa.column("title"), sa.column("body"), sa.column("active"))
    op.bulk_insert(replies, [{"code": c, "title": t, "body": b, "active": True} for c, t, b in QUICK_REPLIES])
    refusals = sa.table("refusal_reasons", sa.column("name"), sa.column("active"))
    op.bulk_insert(refusals, [{"name": n, "active": True} for n in ("孤品无原包装", "商品已使用", "吊牌已拆", "非本店商品", "人为损坏")])



def downgrade() -> None:
    with op.batch_alter_table('refund_requests', schema=None) as batch_op:
        batch_op.drop_column('freight_insurance')
        batch_op.drop_column('platform_status')

    with op.batch_alter_table('return_parcels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_parcels_refund_request_id'))
        batch_op.drop_index(batch_op.f('ix_return_parcels_received_at'))

    op.drop_table('return_parcels')
    with op.batch_alter_table('money_movements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_money_movements_refund_request_id'))
        batch_op.drop_index(batch_op.f('ix_money_movements_order_id'))

    op.drop_table('money_movements')
    with op.batch_alter_table('intercept_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_intercept_tasks_status_id')
        batch_op.drop_index(batch_op.f('ix_intercept_tasks_refund_request_id'))
        batch_op.drop_index(batch_op.f('ix_intercept_tasks_order_id'))

    op.drop_table('intercept_tasks')
    op.drop_table('return_reasons')
    op.drop_table('refusal_reasons')
    op.drop_table('quick_replies')
    op.drop_table('compensation_rules')
