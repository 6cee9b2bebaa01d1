"""catalog: listing generation rules, product images, listing drafts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:40:38.755817
"""
import datetime as dt

from alembic import op
import sqlalchemy as sa
import backoffice.db
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The shop's defaults (SPEC §1); staff edit all of them in the web UI.
SUPPLIERS = [  # name, pinyin code, formula (None: not configured, as for 睿思特), flash-sale folder prefix
    ("大明", "daming", "cost + 15", None),
    ("包之恋", "baozhilian", "cost + 15", None),
    ("睿思特", "ruisite", None, "RST"),
    ("夏洛昔", "xialuoxi", "(cost + 10) / 0.6 / 0.7", "XLX"),
]
PINYIN_OVERRIDES = [("藏青色", "cang qing se"), ("藏青", "cang qing"), ("藏蓝色", "cang lan se"),
                    ("长款", "chang kuan"), ("单肩", "dan jian")]
VOCABULARIES = {
    "shape": ["横款方形", "竖款方形", "水桶形", "小方包", "枕头包", "贝壳包", "翅膀包"],
    "material": ["PU", "帆布", "牛津布", "PVC", "呢子", "牛皮"],
    "element": ["链条", "锁扣", "铆钉", "撞色", "亮片", "格纹", "棱格"],
    "bag_type": ["书包", "双肩包", "单肩包", "斜挎包", "手提包", "手拿包", "钱包", "卡包"],
}
TITLE_WORDS = {  # word -> the attribute values that call for it (none: fits every bag)
    "title_main": [("包包", []), ("女包", []), ("{year}", []), ("新款", []), ("单肩", ["单肩包"]),
                   ("斜挎", ["斜挎包"]), ("手提包", ["手提包"]), ("双肩包", ["双肩包", "书包"])],
    "title_core": [("韩版", []), ("大包", ["大"]), ("小包", ["小", "迷你"])],
    "title_modifier": [("休闲", []), ("时尚", []), ("百搭", []), ("潮", []), ("简约", []), ("复古", ["复古"]),
                       ("迷你", ["迷你"]), ("小方包", ["小方包"]), ("枕头包", ["枕头包"]), ("大容量", ["大"]),
                       ("锁扣", ["锁扣"]), ("链条包", ["链条"]), ("风琴包", ["风琴包"]), ("贝壳包", ["贝壳包"]),
                       ("水桶包", ["水桶形"]), ("翅膀包", ["翅膀包"]), ("格纹", ["格纹"]), ("铆钉", ["铆钉"]),
                       ("学院风", ["书包", "双肩包"]), ("小清新", ["翅膀包"])],
}
SIZE_CLASSES = [("迷你", 20), ("小", 27), ("中", 32), ("大", None)]
DETAIL = {"models": 10, "stills": 10, "details": 4}
PLATFORM_RULES = [
    dict(platform="taobao", title_limit=60, cjk_weight=2, image_width=800, image_height=800, main_min=5,
         main_max=5, max_image_kb=3000, fit="pad",
         settings={"category": "女士包袋", "shipping_template": "包邮（保定发货）", "stock_reduction": "",
                   "service": "7天无理由退货", "package": "", "shop_categories": "2-3",
                   "delayed_shipping_for_flash": True, "detail": DETAIL}),
    dict(platform="mogujie", title_limit=60, cjk_weight=2, image_width=640, image_height=960, main_min=8,
         main_max=10, max_image_kb=2000, fit="crop",
         settings={"category": "服饰鞋包 › 箱包皮具 › 女包/男包", "shipping_template": "普通快递包邮",
                   "stock_reduction": "下单减库存", "service": "7天无理由退货", "package": "纸箱",
                   "shop_categories": "3", "delayed_shipping_for_flash": True, "detail": DETAIL}),
]


def upgrade() -> None:
    op.create_table('listing_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('updated_at', backoffice.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_templates')),
    sa.UniqueConstraint('name', name=op.f('uq_listing_templates_name'))
    )
    op.create_table('pinyin_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=32), nullable=False),
    sa.Column('pinyin', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pinyin_overrides')),
    sa.UniqueConstraint('word', name=op.f('uq_pinyin_overrides_word'))
    )
    op.create_table('platform_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('title_limit', sa.Integer(), nullable=False),
    sa.Column('cjk_weight', sa.Integer(), nullable=False),
    sa.Column('image_width', sa.Integer(), nullable=False),
    sa.Column('image_height', sa.Integer(), nullable=False),
    sa.Column('main_min', sa.Integer(), nullable=False),
    sa.Column('main_max', sa.Integer(), nullable=False),
    sa.Column('max_image_kb', sa.Integer(), nullable=False),
    sa.Column('fit', sa.String(length=8), nullable=False),
    sa.Column('settings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_rules')),
    sa.UniqueConstraint('platform', name=op.f('uq_platform_rules_platform'))
    )
    op.create_table('size_classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=16), nullable=False),
    sa.Column('below_cm', sa.Numeric(precision=6, scale=1), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_size_classes')),
    sa.UniqueConstraint('name', name=op.f('uq_size_classes_name'))
    )
    op.create_table('vocabulary_words',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_name', sa.String(length=32), nullable=False),
    sa.Column('word', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('matches', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vocabulary_words')),
    sa.UniqueConstraint('list_name', 'word', name=op.f('uq_vocabulary_words_list_name_word'))
    )
    with op.batch_alter_table('vocabulary_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vocabulary_words_list_name'), ['list_name'], unique=False)

    op.create_table('product_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('color', sa.String(length=32), nullable=True),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('dhash', sa.String(length=16), nullable=False),
    sa.Column('white_background', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_images_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_images')),
    sa.UniqueConstraint('product_id', 'path', name=op.f('uq_product_images_product_id_path'))
    )
    with op.batch_alter_table('product_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_images_product_id'), ['product_id'], unique=False)

    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('images', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('settings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('detail_html', sa.Text(), nullable=True))

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('structure', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('elements', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('bag_types', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('size_class', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_folder', sa.String(length=255), nullable=True))

    with op.batch_alter_table('skus', schema=None) as batch_op:
        batch_op.add_column(sa.Column('image_path', sa.String(length=255), nullable=True))

    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rounding_step_fen', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('rounding_mode', sa.String(length=16), nullable=False, server_default='half_up'))
        batch_op.add_column(sa.Column('flash_prefix', sa.String(length=16), nullable=True))

    _seed()


def _seed() -> None:
    conn = op.get_bind()
    meta = sa.MetaData()
    suppliers = sa.Table("suppliers", meta, autoload_with=conn)
    known = set(conn.scalars(sa.select(suppliers.c.name)))
    now = dt.datetime.now(dt.timezone.utc)
    for name, code, formula, prefix in SUPPLIERS:
        if name in known:  # a supplier entered before this revision keeps its data; add the prefix only
            conn.execute(suppliers.update().where(suppliers.c.name == name).values(flash_prefix=prefix))
        else:
            conn.execute(suppliers.insert().values(name=name, pinyin_code=code, price_formula=formula,
                                                   flash_prefix=prefix, created_at=now))
    op.bulk_insert(sa.Table("pinyin_overrides", meta, autoload_with=conn),
                   [{"word": w, "pinyin": p} for w, p in PINYIN_OVERRIDES])
    rows = [{"list_name": name, "word": w, "position": i, "matches": []}
            for name, words in VOCABULARIES.items() for i, w in enumerate(words)]
    rows += [{"list_name": name, "word": w, "position": i, "matches": m}
             for name, words in TITLE_WORDS.items() for i, (w, m) in enumerate(words)]
    op.bulk_insert(sa.Table("vocabulary_words", meta, autoload_with=conn), rows)
    op.bulk_insert(sa.Table("size_classes", meta, autoload_with=conn),
                   [{"name": n, "below_cm": b} for n, b in SIZE_CLASSES])
    op.bulk_insert(sa.Table("platform_rules", meta, autoload_with=conn), PLATFORM_RULES)


def downgrade() -> None:
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_column('flash_prefix')
        batch_op.drop_column('rounding_mode')
        batch_op.drop_column('rounding_step_fen')

    with op.batch_alter_table('skus', schema=None) as batch_op:
        batch_op.drop_column('image_path')

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('source_folder')
        batch_op.drop_column('number')
        batch_op.drop_column('size_class')
        batch_op.drop_column('bag_types')
        batch_op.drop_column('elements')
        batch_op.drop_column('structure')

    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_column('detail_html')
        batch_op.drop_column('settings')
        batch_op.drop_column('images')

    with op.batch_alter_table('product_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_images_product_id'))

    op.drop_table('product_images')
    with op.batch_alter_table('vocabulary_words', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vocabulary_words_list_name'))

    op.drop_table('vocabulary_words')
    op.drop_table('size_classes')
    op.drop_table('platform_rules')
    op.drop_table('pinyin_overrides')
    op.drop_table('listing_templates')
