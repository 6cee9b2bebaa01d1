"""catalog: store price formulas, the store a product was priced for, hand-edited drafts, bulk-upload settings

Revision ID: 0010
Revises: 0002
Create Date: 2026-11-23 17:45:00
"""
from alembic import op
import sqlalchemy as sa
import backoffice.db

revision = '0010'
down_revision = '0002'
branch_labels = None
depends_on = None

# SPEC §1.2: the Taobao store 娜好呀 prices at cost + 15, whatever the supplier's formula.
STORE_FORMULAS = [{"platform": "taobao", "store": "娜好呀", "formula": "cost + 15", "rounding_step_fen": 1,
                   "rounding_mode": "half_up"}]
# What the platforms' bulk-upload sheets need beyond SPEC §1.6: the shop ships from 保定, 河北 (SPEC §0);
# the category ID is the platform's number for the category, entered by staff (empty: picked at upload).
UPLOAD_SETTINGS = {"category_id": "", "ships_from_province": "河北", "ships_from_city": "保定"}


def upgrade() -> None:
    table = op.create_table(
        'store_price_formulas',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(length=16), nullable=False),
        sa.Column('store', sa.String(length=64), nullable=False),
        sa.Column('formula', sa.String(length=255), nullable=False),
        sa.Column('rounding_step_fen', sa.Integer(), nullable=False),
        sa.Column('rounding_mode', sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_store_price_formulas')),
        sa.UniqueConstraint('platform', 'store', name=op.f('uq_store_price_formulas_platform_store')),
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priced_for', sa.String(length=64), nullable=True))
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', backoffice.db.UTCDateTime(), nullable=True))
    op.bulk_insert(table, STORE_FORMULAS)
    conn = op.get_bind()
    rules = sa.Table("platform_rules", sa.MetaData(), autoload_with=conn)
    for rule_id, settings in conn.execute(sa.select(rules.c.id, rules.c.settings)).all():
        conn.execute(rules.update().where(rules.c.id == rule_id).values(settings={**UPLOAD_SETTINGS, **(settings or {})}))


def downgrade() -> None:
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_column('edited_at')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('priced_for')
    op.drop_table('store_price_formulas')
