"""shipping

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-23 14:46:17.790885
"""
import datetime

from alembic import op
import sqlalchemy as sa
import backoffice.db
from sqlalchemy.dialects import postgresql

revision = '0005'
down_revision = '0001'
branch_labels = None
depends_on = None

# -- the shop's default rules (SPEC §3.1), data staff edit afterwards ---------
POST, JD, YUNDA, YTO, STO = "youzhengguonei", "jd", "yunda", "yuantong", "shentong"
XINJIANG, XIZANG, QINGHAI = "650000", "540000", "630000"
POST_HOME = ["130000", "410000", "370000", "340000", "120000", "330000", "140000", "310000", "610000", "320000"]

# Tracking-number formats (regular expressions); staff correct them as couriers change.
TRACKING_PATTERNS = {
    POST: r"^(9\d{12}|1\d{12}|[A-Z]{2}\d{9}CN)$",
    JD: r"^JD[A-Z0-9]{11,16}$",
    YUNDA: r"^(\d{13}|\d{15})$",
    YTO: r"^YT\d{13}$",
    STO: r"^(\d{12}|\d{13}|\d{15})$",
    "zhongtong": r"^(7\d{11}|7\d{13})$",
    "shunfeng": r"^SF\d{12,13}$",
    "ems": r"^(1\d{12}|[A-Z]{2}\d{9}[A-Z]{2})$",
}

RULES = [
    (10, "秒杀订单不能指定快递", {"flash_sale": True, "request": "any"},
     {"refuse_reason": "秒杀订单不能指定快递"}),
    (20, "秒杀只有邮政到·当天不满50元", {"flash_sale": True, "only_reaches": POST, "amount_max_fen": 4999},
     {"couriers": [POST], "allow_out_of_area": True}),
    (30, "秒杀只有邮政到·当天满50元", {"flash_sale": True, "only_reaches": POST, "amount_min_fen": 5000},
     {"couriers": [POST], "allow_out_of_area": True, "approval": True}),
    (40, "买家指定快递", {"request": "any"},
     {"use_request": True, "allow_out_of_area": True, "refuse_reason": "指定的快递不到收货地址"}),
    (50, "新疆走邮政", {"province_codes": [XINJIANG]}, {"couriers": [POST], "allow_out_of_area": True}),
    (60, "西藏走京东", {"province_codes": [XIZANG]}, {"couriers": [JD], "fallback": POST}),
    (70, "青海走韵达或京东", {"province_codes": [QINGHAI]}, {"couriers": [YUNDA, JD]}),
    (80, "邮政默认区域", {"province_codes": POST_HOME}, {"couriers": [POST]}),
    (90, "两件及以上走圆通", {"items_min": 2}, {"couriers": [YTO], "fallback": STO}),
    (100, "一件走申通", {"items_max": 1}, {"couriers": [STO], "fallback": YTO}),
]

# Out-of-area (超区) lists; 邮政 still goes there for 18 yuan extra freight.
# 新疆: "only 邮政 reaches", so every other courier is out of area there.
COVERAGE = (
    [(POST, code, 1800) for code in ("460000", "630000", "450000", XINJIANG, "530000", "110000")]
    + [(YTO, code, 0) for code in (XINJIANG, XIZANG, "640000", QINGHAI)]
    + [(STO, code, 0) for code in (XINJIANG, XIZANG, QINGHAI, "460000")]
    + [(code, XINJIANG, 0) for code in (JD, YUNDA, "zhongtong", "shunfeng", "ems")]
)

# (courier, region, first weight g, first fen, extra unit g, extra fen or None, rounding)
RATES = (
    [(POST, XINJIANG, 1000, 1800, 1000, None, "ceil"), (JD, XIZANG, 3000, 1800, 1000, None, "ceil")]
    + [(POST, code, 1000, 1800, 1000, None, "ceil") for code in ("460000", "630000", "450000", "530000", "110000")]
)


def seed() -> None:
    couriers = sa.table("couriers", sa.column("code", sa.String), sa.column("tracking_pattern", sa.String))
    for code, pattern in TRACKING_PATTERNS.items():
        op.execute(couriers.update().where(couriers.c.code == code).values(tracking_pattern=pattern))
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    rule_sets = sa.table("courier_rule_sets", sa.column("id", sa.Integer), sa.column("version", sa.Integer),
                         sa.column("status", sa.String), sa.column("note", sa.String),
                         sa.column("default_item_weight_g", sa.Integer), sa.column("created_at", backoffice.db.UTCDateTime()),
                         sa.column("published_at", backoffice.db.UTCDateTime()))
    now = datetime.datetime.now(datetime.timezone.utc)
    op.bulk_insert(rule_sets, [{"id": 1, "version": 1, "status": "published", "note": "SPEC §3.1 默认规则",
                                "default_item_weight_g": 800, "created_at": now, "published_at": now}])
    rules = sa.table("courier_rules", sa.column("rule_set_id", sa.Integer), sa.column("position", sa.Integer),
                     sa.column("name", sa.String), sa.column("conditions", json), sa.column("action", json))
    op.bulk_insert(rules, [{"rule_set_id": 1, "position": pos, "name": name, "conditions": cond, "action": act}
                           for pos, name, cond, act in RULES])
    coverage = sa.table("courier_coverage_exclusions", sa.column("rule_set_id", sa.Integer),
                        sa.column("courier_code", sa.String), sa.column("region_code", sa.String),
                        sa.column("surcharge_fen", sa.Integer))
    op.bulk_insert(coverage, [{"rule_set_id": 1, "courier_code": c, "region_code": r, "surcharge_fen": f}
                              for c, r, f in COVERAGE])
    rates = sa.table("freight_rates", sa.column("rule_set_id", sa.Integer), sa.column("courier_code", sa.String),
                     sa.column("region_code", sa.String), sa.column("first_weight_g", sa.Integer),
                     sa.column("first_fen", sa.Integer), sa.column("extra_unit_g", sa.Integer),
                     sa.column("extra_fen", sa.Integer), sa.column("rounding", sa.String))
    op.bulk_insert(rates, [{"rule_set_id": 1, "courier_code": c, "region_code": r, "first_weight_g": w,
                            "first_fen": f, "extra_unit_g": u, "extra_fen": e, "rounding": rd}
                           for c, r, w, f, u, e, rd in RATES])
    if op.get_bind().dialect.name == "postgresql":  # ids were given explicitly above
        op.execute("SELECT setval(pg_get_serial_sequence('courier_rule_sets', 'id'), 1)")


def upgrade() -> None:
    op.create_table('courier_rule_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('default_item_weight_g', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.Column('published_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'retired')", name=op.f('ck_courier_rule_sets_status_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_courier_rule_sets_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courier_rule_sets')),
    sa.UniqueConstraint('version', name=op.f('uq_courier_rule_sets_version'))
    )
    with op.batch_alter_table('courier_rule_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courier_rule_sets_status'), ['status'], unique=False)

    op.create_table('waves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criteria', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.Column('printed_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_waves_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waves'))
    )
    op.create_table('courier_coverage_exclusions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_set_id', sa.Integer(), nullable=False),
    sa.Column('courier_code', sa.String(length=32), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('surcharge_fen', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['courier_code'], ['couriers.code'], name=op.f('fk_courier_coverage_exclusions_courier_code_couriers')),
    sa.ForeignKeyConstraint(['rule_set_id'], ['courier_rule_sets.id'], name=op.f('fk_courier_coverage_exclusions_rule_set_id_courier_rule_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courier_coverage_exclusions')),
    sa.UniqueConstraint('rule_set_id', 'courier_code', 'region_code', name=op.f('uq_courier_coverage_exclusions_rule_set_id_courier_code_region_code'))
    )
    with op.batch_alter_table('courier_coverage_exclusions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courier_coverage_exclusions_rule_set_id'), ['rule_set_id'], unique=False)

    op.create_table('courier_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_set_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('conditions', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('action', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['rule_set_id'], ['courier_rule_sets.id'], name=op.f('fk_courier_rules_rule_set_id_courier_rule_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courier_rules')),
    sa.UniqueConstraint('rule_set_id', 'position', name=op.f('uq_courier_rules_rule_set_id_position'))
    )
    with op.batch_alter_table('courier_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courier_rules_rule_set_id'), ['rule_set_id'], unique=False)

    op.create_table('freight_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_set_id', sa.Integer(), nullable=False),
    sa.Column('courier_code', sa.String(length=32), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('first_weight_g', sa.Integer(), nullable=False),
    sa.Column('first_fen', sa.Integer(), nullable=False),
    sa.Column('extra_unit_g', sa.Integer(), nullable=False),
    sa.Column('extra_fen', sa.Integer(), nullable=True),
    sa.Column('rounding', sa.String(length=8), nullable=False),
    sa.CheckConstraint("rounding IN ('ceil', 'half_up')", name=op.f('ck_freight_rates_rounding_known')),
    sa.ForeignKeyConstraint(['courier_code'], ['couriers.code'], name=op.f('fk_freight_rates_courier_code_couriers')),
    sa.ForeignKeyConstraint(['rule_set_id'], ['courier_rule_sets.id'], name=op.f('fk_freight_rates_rule_set_id_courier_rule_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_freight_rates')),
    sa.UniqueConstraint('rule_set_id', 'courier_code', 'region_code', name=op.f('uq_freight_rates_rule_set_id_courier_code_region_code'))
    )
    with op.batch_alter_table('freight_rates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_freight_rates_rule_set_id'), ['rule_set_id'], unique=False)

    op.create_table('routing_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('rule_set_id', sa.Integer(), nullable=False),
    sa.Column('courier_code', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rule_name', sa.String(length=64), nullable=False),
    sa.Column('surcharge_fen', sa.Integer(), nullable=False),
    sa.Column('freight_fen', sa.Integer(), nullable=True),
    sa.Column('reasons', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('inputs', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('decided_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['courier_code'], ['couriers.code'], name=op.f('fk_routing_decisions_courier_code_couriers')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_routing_decisions_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_set_id'], ['courier_rule_sets.id'], name=op.f('fk_routing_decisions_rule_set_id_courier_rule_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_decisions'))
    )
    with op.batch_alter_table('routing_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_routing_decisions_order_id_id', ['order_id', 'id'], unique=False)

    op.create_table('shipment_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('platform_order_id', sa.String(length=64), nullable=False),
    sa.Column('courier_code', sa.String(length=32), nullable=False),
    sa.Column('tracking_number', sa.String(length=40), nullable=False),
    sa.Column('created_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.Column('sent_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['courier_code'], ['couriers.code'], name=op.f('fk_shipment_confirmations_courier_code_couriers')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_shipment_confirmations_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_shipment_confirmations_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_confirmations')),
    sa.UniqueConstraint('order_id', 'tracking_number', name=op.f('uq_shipment_confirmations_order_id_tracking_number'))
    )
    with op.batch_alter_table('shipment_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipment_confirmations_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipment_confirmations_sent_at'), ['sent_at'], unique=False)

    op.create_table('wave_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('packed_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_wave_orders_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wave_id'], ['waves.id'], name=op.f('fk_wave_orders_wave_id_waves'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wave_orders')),
    sa.UniqueConstraint('wave_id', 'order_id', name=op.f('uq_wave_orders_wave_id_order_id'))
    )
    with op.batch_alter_table('wave_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wave_orders_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wave_orders_wave_id'), ['wave_id'], unique=False)

    with op.batch_alter_table('couriers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracking_pattern', sa.String(length=200), nullable=True))

    seed()


def downgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of couriers
    # would drop a table that orders still reference.
    op.drop_column('couriers', 'tracking_pattern')

    with op.batch_alter_table('wave_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wave_orders_wave_id'))
        batch_op.drop_index(batch_op.f('ix_wave_orders_order_id'))

    op.drop_table('wave_orders')
    with op.batch_alter_table('shipment_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipment_confirmations_sent_at'))
        batch_op.drop_index(batch_op.f('ix_shipment_confirmations_order_id'))

    op.drop_table('shipment_confirmations')
    with op.batch_alter_table('routing_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_routing_decisions_order_id_id')

    op.drop_table('routing_decisions')
    with op.batch_alter_table('freight_rates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_freight_rates_rule_set_id'))

    op.drop_table('freight_rates')
    with op.batch_alter_table('courier_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courier_rules_rule_set_id'))

    op.drop_table('courier_rules')
    with op.batch_alter_table('courier_coverage_exclusions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courier_coverage_exclusions_rule_set_id'))

    op.drop_table('courier_coverage_exclusions')
    op.drop_table('waves')
    with op.batch_alter_table('courier_rule_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courier_rule_sets_status'))

    op.drop_table('courier_rule_sets')
    # ### end Alembic commands ###
