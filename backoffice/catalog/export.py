"""Listing drafts as spreadsheets laid out like the platforms' bulk-upload files (openpyxl).

Taobao: the columns of 淘宝助理's data package (the CSV that 淘宝助理 5.x and 千牛's 宝贝导入 read):
a "version 1.00" line, a line of field names, a line of Chinese headings, then one row per item. The
field list and the value formats (新图片 ``name:1:position:|;``, 销售属性组合
``price:quantity:SKU code:1627207:value;``, custom colour values as negative ids) follow the public
tools that write these files; see README "Bulk-upload export". Saved as CSV (UTF-16, tab-separated)
in Excel, the sheet is what 淘宝助理 imports; its pictures are looked up by name in the folder beside
the CSV, so a second sheet lists each picture name with the generated file to copy there.

Mogujie: no official bulk-upload template could be found; the sheet carries the fields of Mogujie's
item API (title, code, price, stock, image, skus with code, price, stock, attrs) with one row per
SKU, which is what its 商品导入 and the publishing adapter need.

Settings the upload file cannot carry (shipping template by name, stock reduction, delayed shipping,
shop categories) go to a sheet of their own, to be set in the seller centre.
"""
from __future__ import annotations

import io
from pathlib import PurePosixPath
from typing import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.catalog import detail_sanitiser
from backoffice.catalog.models import Listing, Product
from backoffice.db import session
from backoffice.money import fen_to_yuan
from integrations.cells import xlsx_row

COLOUR_PROP = "1627207"  # Taobao's 颜色分类 sale property
# 淘宝助理 5.6 columns: (field name, Chinese heading), in file order.
TAOBAO_COLUMNS = (
    ("title", "宝贝名称"), ("cid", "宝贝类目"), ("seller_cids", "店铺类目"), ("stuff_status", "新旧程度"),
    ("location_state", "省"), ("location_city", "城市"), ("item_type", "出售方式"), ("price", "宝贝价格"),
    ("auction_increment", "加价幅度"), ("num", "宝贝数量"), ("valid_thru", "有效期"), ("freight_payer", "运费承担"),
    ("post_fee", "平邮"), ("ems_fee", "EMS"), ("express_fee", "快递"), ("has_invoice", "发票"),
    ("has_warranty", "保修"), ("approve_status", "放入仓库"), ("has_showcase", "橱窗推荐"), ("list_time", "开始时间"),
    ("description", "宝贝描述"), ("cateProps", "宝贝属性"), ("postage_id", "邮费模版ID"), ("has_discount", "会员打折"),
    ("modified", "修改时间"), ("upload_fail_msg", "上传状态"), ("picture_status", "图片状态"),
    ("auction_point", "返点比例"), ("picture", "新图片"), ("video", "视频"), ("skuProps", "销售属性组合"),
    ("inputPids", "用户输入ID串"), ("inputValues", "用户输入名-值对"), ("outer_id", "商家编码"),
    ("propAlias", "销售属性别名"), ("auto_fill", "代充类型"), ("num_id", "数字ID"), ("local_cid", "本地ID"),
    ("navigation_type", "宝贝分类"), ("user_name", "用户名称"), ("syncStatus", "宝贝状态"),
    ("is_lighting_consigment", "闪电发货"), ("is_xinpin", "新品"), ("foodparame", "食品专项"), ("features", "尺码库"),
    ("buyareatype", "采购地"), ("global_stock_type", "库存类型"), ("global_stock_country", "国家地区"),
    ("sub_stock_type", "库存计数"), ("item_size", "物流体积"), ("item_weight", "物流重量"),
    ("sell_promise", "退换货承诺"), ("custom_design_flag", "定制工具"), ("wireless_desc", "无线详情"),
    ("barcode", "商品条形码"), ("sku_barcode", "sku 条形码"), ("newprepay", "7天退货"), ("subtitle", "宝贝卖点"),
)
MOGUJIE_COLUMNS = (
    ("title", "商品标题"), ("code", "商家编码"), ("category", "类目"), ("categoryId", "类目ID"), ("price", "价格"),
    ("stock", "总库存"), ("image", "封面图"), ("video", "视频"), ("skuCode", "SKU编码"), ("skuAttr", "颜色"),
    ("skuPrice", "SKU价格"), ("skuStock", "SKU库存"), ("skuImage", "SKU图"), ("detailImages", "详情图"),
    ("description", "商品描述"), ("shippingTemplate", "运费模板"), ("stockReduction", "库存扣减"),
    ("service", "服务承诺"), ("package", "包装"),
)
UNMAPPED_COLUMNS = ("商家编码", "宝贝名称", "运费模板", "库存扣减", "店铺分类数", "延时发货", "买家可选快递", "退货", "状态")


def _listings(shop_ids: Sequence[int], statuses: Sequence[str]) -> list[Listing]:
    return list(session.scalars(
        select(Listing).options(selectinload(Listing.product).selectinload(Product.skus))
        .where(Listing.shop_id.in_(shop_ids), Listing.status.in_(statuses)).order_by(Listing.id)
    ))


def picture_name(path: str) -> str:
    """The name 淘宝助理 looks a picture up by: the generated file's path, flattened, without suffix."""
    return str(PurePosixPath(path).with_suffix("")).replace("/", "_")


def taobao_row(item: Listing) -> tuple[dict, list[tuple[str, str]]]:
    """One item as 淘宝助理 fields, and the (picture name, file) pairs its pictures need."""
    skus = item.product.skus
    images, settings = item.images or {}, item.settings or {}
    pictures, cells = [], []
    for i, path in enumerate(images.get("main", [])):
        cells.append(f"{picture_name(path)}:1:{i}:|;")
        pictures.append((picture_name(path), path))
    sku_props, aliases = [], []
    for n, sku in enumerate(skus, 1):
        value = f"-{1000 + n}"  # a colour of the shop's own naming, not one of Taobao's standard colours
        sku_props.append(f"{fen_to_yuan(sku.price_fen)}:{sku.available}:{sku.code}:{COLOUR_PROP}:{value};")
        aliases.append(f"{COLOUR_PROP}:{value}:{sku.color};")
        image = images.get("sku", {}).get(sku.color)
        if image:
            cells.append(f"{picture_name(image)}:2:0:{COLOUR_PROP}:{value}|;")
            pictures.append((picture_name(image), image))
    row = {
        "title": item.title, "cid": settings.get("category_id", ""), "stuff_status": 1,  # 1 = 全新
        "location_state": settings.get("ships_from_province", ""), "location_city": settings.get("ships_from_city", ""),
        "item_type": 1,  # 1 = 一口价
        "price": fen_to_yuan(min((s.price_fen for s in skus), default=0)), "num": sum(s.available for s in skus),
        "approve_status": 1,  # 放入仓库: uploaded unlisted; publishing is a step of its own
        "description": detail_sanitiser.clean(item.detail_html) or item.description or item.title,
        "picture_status": "1;" * len(cells), "picture": "".join(cells), "video": images.get("video") or "",
        "skuProps": "".join(sku_props), "outer_id": item.product.listing_code, "propAlias": "".join(aliases),
        "newprepay": 1 if "7天" in (settings.get("service") or "") else 0,
    }
    return row, pictures


def mogujie_rows(item: Listing) -> list[dict]:
    """One row per SKU; the item's own fields on its first row."""
    images, settings = item.images or {}, item.settings or {}
    skus = item.product.skus
    first = {
        "title": item.title, "code": item.product.listing_code, "category": settings.get("category", ""),
        "categoryId": settings.get("category_id", ""), "price": fen_to_yuan(min((s.price_fen for s in skus), default=0)),
        "stock": sum(s.available for s in skus), "image": "\n".join(images.get("main", [])),
        "video": images.get("video") or "", "detailImages": "\n".join(images.get("detail", [])),
        "description": item.description or item.title, "shippingTemplate": settings.get("shipping_template", ""),
        "stockReduction": settings.get("stock_reduction", ""), "service": settings.get("service", ""),
        "package": settings.get("package", ""),
    }
    rows = []
    for i, sku in enumerate(skus):
        row = dict(first) if i == 0 else {"code": item.product.listing_code}
        row.update(skuCode=sku.code, skuAttr=sku.color, skuPrice=fen_to_yuan(sku.price_fen), skuStock=sku.available,
                   skuImage=images.get("sku", {}).get(sku.color) or "")
        rows.append(row)
    return rows or [first]


def _unmapped(item: Listing) -> list:
    s = item.settings or {}
    return [item.product.listing_code, item.title, s.get("shipping_template", ""), s.get("stock_reduction", ""),
            s.get("shop_categories", ""), "是" if s.get("delayed_shipping") else "否",
            "否" if s.get("buyer_chooses_courier") is False else "是", s.get("returns") or s.get("service", ""),
            item.status]


def _bold(ws, row: int) -> None:
    for cell in ws[row]:
        cell.font = Font(bold=True)


def workbook(platform: str, shop_ids: Sequence[int], statuses: Sequence[str]) -> io.BytesIO:
    listings = _listings(shop_ids, statuses)
    wb = Workbook()
    ws = wb.active
    if platform == "taobao":
        ws.title = "淘宝助理"
        ws.append(["version 1.00"])
        ws.append([f for f, _h in TAOBAO_COLUMNS])
        ws.append([h for _f, h in TAOBAO_COLUMNS])
        _bold(ws, 3)
        pictures = wb.create_sheet("图片文件")
        pictures.append(["图片名", "生成的图片文件"])
        _bold(pictures, 1)
        for item in listings:
            row, files = taobao_row(item)
            ws.append(xlsx_row(ws, [row.get(f, "") for f, _h in TAOBAO_COLUMNS]))
            for name, path in files:
                pictures.append(xlsx_row(pictures, [name, path]))
        ws.freeze_panes = "A4"
    else:
        ws.title = "蘑菇街"
        ws.append([f for f, _h in MOGUJIE_COLUMNS])
        ws.append([h for _f, h in MOGUJIE_COLUMNS])
        _bold(ws, 2)
        for item in listings:
            for row in mogujie_rows(item):
                ws.append(xlsx_row(ws, [row.get(f, "") for f, _h in MOGUJIE_COLUMNS]))
        ws.freeze_panes = "A3"
    ws.column_dimensions["A"].width = 48
    rest = wb.create_sheet("需在后台设置")
    rest.append(list(UNMAPPED_COLUMNS))
    _bold(rest, 1)
    for item in listings:
        rest.append(xlsx_row(rest, _unmapped(item)))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf
