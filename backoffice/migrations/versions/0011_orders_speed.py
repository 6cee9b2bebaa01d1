"""orders: merge keys, partial indexes for the list's rare flags, restock batch numbers

Revision ID: 0011
Revises: 0003
Create Date: 2026-11-23 17:40:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0003'
branch_labels = None
depends_on = None

# Partial indexes in id order: a flag's newest page is read off a small index.
FLAG_INDEXES = [
    ("ix_orders_short_id", "stock_status = 'short'", "stock_status = 'short'"),
    ("ix_orders_message_id", "buyer_message IS NOT NULL", "buyer_message IS NOT NULL"),
    ("ix_orders_address_problem_id", "address_problem IS NOT NULL", "address_problem IS NOT NULL"),
    ("ix_orders_on_hold_id", "on_hold = 1", "on_hold"),
    ("ix_orders_merged_id", "merge_group_id IS NOT NULL", "merge_group_id IS NOT NULL"),
]
OPEN_WITH_KEY = "status IN ('pending', 'paid') AND merge_key IS NOT NULL"


def _where(sqlite: str, postgresql: str) -> dict:
    return {"sqlite_where": sa.text(sqlite), "postgresql_where": sa.text(postgresql)}


def upgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merge_key', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('restock_number', sa.String(length=16), nullable=True))
        batch_op.drop_index('ix_orders_stock_status_id')
        batch_op.drop_index('ix_orders_merge_group_id')
        batch_op.drop_index('ix_orders_created_at')  # nothing looks orders up by it; every insert paid for it
    _fill_merge_keys()
    for name, sqlite, postgresql in FLAG_INDEXES:
        op.create_index(name, 'orders', ['id'], unique=False, **_where(sqlite, postgresql))
    op.create_index('ix_orders_merge_group_id', 'orders', ['merge_group_id'], unique=False,
                    **_where("merge_group_id IS NOT NULL", "merge_group_id IS NOT NULL"))
    op.create_index('ix_orders_open_merge_key', 'orders', ['merge_key'], unique=False,
                    **_where(OPEN_WITH_KEY, OPEN_WITH_KEY))


def _fill_merge_keys() -> None:
    """Keys for the orders that can still merge (the others never need one)."""
    from backoffice.orders.merge import receiver_key

    conn = op.get_bind()
    orders = sa.table("orders", sa.column("id", sa.Integer), sa.column("receiver_name", sa.String),
                      sa.column("receiver_phone", sa.String), sa.column("region_code", sa.String),
                      sa.column("address_detail", sa.String), sa.column("status", sa.String),
                      sa.column("merge_key", sa.String))
    rows = conn.execute(sa.select(orders.c.id, orders.c.receiver_name, orders.c.receiver_phone, orders.c.region_code,
                                  orders.c.address_detail)
                        .where(orders.c.status.in_(("pending", "paid")), orders.c.region_code.is_not(None))).all()
    keys = [{"oid": oid, "key": receiver_key(name, phone, region, detail)} for oid, name, phone, region, detail in rows]
    if keys:
        conn.execute(orders.update().where(orders.c.id == sa.bindparam("oid")).values(merge_key=sa.bindparam("key")),
                     keys)


def downgrade() -> None:
    op.drop_index('ix_orders_open_merge_key', table_name='orders')
    op.drop_index('ix_orders_merge_group_id', table_name='orders')
    for name, _, _ in FLAG_INDEXES:
        op.drop_index(name, table_name='orders')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_merge_group_id', ['merge_group_id'], unique=False)
        batch_op.create_index('ix_orders_stock_status_id', ['stock_status', 'id'], unique=False)
        batch_op.create_index('ix_orders_created_at', ['created_at'], unique=False)
        batch_op.drop_column('restock_number')
        batch_op.drop_column('merge_key')
