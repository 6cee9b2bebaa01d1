"""shipping: product tags, per-extra-kilo freight, each courier's rounding, JD's out-of-area cities in 西藏

Revision ID: 0012
Revises: 0005
Create Date: 2026-11-23 17:40:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0012'
down_revision = '0005'
branch_labels = None
depends_on = '0002'  # products (catalog) get their tags column

POST, JD = "youzhengguonei", "jd"
XINJIANG, XIZANG = "650000", "540000"
POST_FAR = ("460000", "630000", "450000", "530000", "110000")  # 邮政's out-of-area provinces, 18 yuan

# Additional-unit prices SPEC §3.1 leaves open: defaults staff correct in the freight form.
# (courier, region, extra unit g, extra fen, rounding)
EXTRA = ([(POST, XINJIANG, 1000, 1000, "ceil"), (JD, XIZANG, 1000, 600, "half_up")]
         + [(POST, code, 1000, 800, "ceil") for code in POST_FAR])

# "西藏 → 京东; where JD does not reach the address → 邮政": the prefectures JD does not deliver to
# (city level), so rule 60's fallback applies there. Staff extend the list in the coverage table.
JD_OUT_OF_AREA = ("542500", "540600")  # 阿里地区, 那曲市


def upgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tags', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='[]'))

    # Only the untouched default set is amended: once staff have made versions, their data stands.
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM courier_rule_sets")).scalar() != 1:
        return
    set_id = conn.execute(sa.text("SELECT id FROM courier_rule_sets WHERE version = 1")).scalar()
    if set_id is None:
        return
    for courier, region, unit, fen, rounding in EXTRA:
        conn.execute(sa.text(
            "UPDATE freight_rates SET extra_unit_g = :unit, extra_fen = :fen, rounding = :rounding "
            "WHERE rule_set_id = :set_id AND courier_code = :courier AND region_code = :region AND extra_fen IS NULL"),
            {"unit": unit, "fen": fen, "rounding": rounding, "set_id": set_id, "courier": courier, "region": region})
    for region in JD_OUT_OF_AREA:
        conn.execute(sa.text(
            "INSERT INTO courier_coverage_exclusions (rule_set_id, courier_code, region_code, surcharge_fen) "
            "VALUES (:set_id, :courier, :region, 0)"), {"set_id": set_id, "courier": JD, "region": region})


def downgrade() -> None:
    # The seeded freight and coverage rows are valid data under 0005 and stay.
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('tags')
