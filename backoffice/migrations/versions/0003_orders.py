"""orders: intake, numbering, stock, merging

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-23 14:44:37.761314
"""
from alembic import op
import sqlalchemy as sa
import backoffice.db
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


# The shop's order rules as editable data (SPEC §2); staff change them on the settings page.
SETTINGS = [
    ("order_number_pattern", "{yyyy}{mm}-{seq:06d}",
     "internal order number: {yyyy} {yy} {mm} {month_letter} and {seq} (the month's sequence)"),
    ("batch_number_pattern", "{yy}HY{month_letter}{seq:03d}",
     "production/batch number: <YY>HY<month letter A-L><sequence>"),
    ("merge_mode", "normal", "normal, strict (also the same buyer account) or loose (name, phone and address only)"),
    ("merge_rules", {"same_shop": True, "same_buyer": True, "same_receiver": True, "paid": True,
                     "not_shipped": True, "not_printed": True, "no_open_refund": True, "not_on_hold": True,
                     "not_cod": True, "no_merge_memo": True},
     "which merge rules apply"),
    ("merge_no_merge_words", ["不合并", "不要合并", "分开发"], "words in the seller memo that keep an order apart"),
    ("merge_minimum_fen", 1990, "merged groups under this amount (fen) get a message to the buyer"),
    ("merge_auto_apply", False, "the scheduled merge job applies merges itself instead of proposing them"),
    ("short_stock_message",
     "亲，您拍的{items}暂时缺货，预计{restock_date}到货后第一时间为您发出，给您带来不便非常抱歉～",
     "message to the buyer of an order that is short of stock"),
    ("under_minimum_message",
     "亲，您的订单合并后金额为{amount}元，未满{minimum}元，麻烦再选购一件或联系客服处理，谢谢～",
     "message to the buyer of a merged order still under the minimum"),
]


def upgrade() -> None:
    op.create_table('number_sequences',
    sa.Column('name', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'period', name=op.f('pk_number_sequences'))
    )
    op.create_table('order_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_order_settings'))
    )
    op.create_table('merge_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('order_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('reasons', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('goods_fen', sa.Integer(), nullable=False),
    sa.Column('paid_fen', sa.Integer(), nullable=False),
    sa.Column('weight_g', sa.Integer(), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('memo', sa.Text(), nullable=True),
    sa.Column('under_minimum', sa.Boolean(), nullable=False),
    sa.Column('created_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.Column('decided_at', backoffice.db.UTCDateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('proposed', 'merged', 'rejected', 'undone')", name=op.f('ck_merge_groups_status_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_merge_groups_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merge_groups'))
    )
    with op.batch_alter_table('merge_groups', schema=None) as batch_op:
        batch_op.create_index('ix_merge_groups_status_id', ['status', 'id'], unique=False)

    op.create_table('price_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('old_price_fen', sa.Integer(), nullable=False),
    sa.Column('new_price_fen', sa.Integer(), nullable=False),
    sa.Column('asked_by', sa.String(length=64), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('at', backoffice.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_price_changes_approved_by_id_users')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_price_changes_order_line_id_order_lines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_changes'))
    )
    with op.batch_alter_table('price_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_price_changes_order_line_id'), ['order_line_id'], unique=False)

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=16), server_default='sync', nullable=False))
        batch_op.add_column(sa.Column('platform_status', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('platform_modified_at', backoffice.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('address_problem', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('stock_reserved', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('restock_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('weight_g', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('merge_group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merge_excluded', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_orders_merge_group_id'), ['merge_group_id'], unique=False)
        batch_op.create_index('ix_orders_ordered_at', ['ordered_at'], unique=False)
        batch_op.create_index('ix_orders_platform_id', ['platform', 'id'], unique=False)
        batch_op.create_index('ix_orders_shop_id_id', ['shop_id', 'id'], unique=False)
        batch_op.create_index('ix_orders_stock_status_id', ['stock_status', 'id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_orders_merge_group_id_merge_groups'), 'merge_groups', ['merge_group_id'], ['id'])

    settings = sa.table("order_settings", sa.column("key", sa.String), sa.column("value", sa.JSON),
                        sa.column("description", sa.String))
    op.bulk_insert(settings, [{"key": k, "value": v, "description": d} for k, v, d in SETTINGS])


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_merge_group_id_merge_groups'), type_='foreignkey')
        batch_op.drop_index('ix_orders_stock_status_id')
        batch_op.drop_index('ix_orders_shop_id_id')
        batch_op.drop_index('ix_orders_platform_id')
        batch_op.drop_index('ix_orders_ordered_at')
        batch_op.drop_index(batch_op.f('ix_orders_merge_group_id'))
        batch_op.drop_column('merge_excluded')
        batch_op.drop_column('merge_group_id')
        batch_op.drop_column('weight_g')
        batch_op.drop_column('restock_date')
        batch_op.drop_column('stock_reserved')
        batch_op.drop_column('address_problem')
        batch_op.drop_column('platform_modified_at')
        batch_op.drop_column('platform_status')
        batch_op.drop_column('source')

    with op.batch_alter_table('price_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_price_changes_order_line_id'))

    op.drop_table('price_changes')
    with op.batch_alter_table('merge_groups', schema=None) as batch_op:
        batch_op.drop_index('ix_merge_groups_status_id')

    op.drop_table('merge_groups')
    op.drop_table('order_settings')
    op.drop_table('number_sequences')
