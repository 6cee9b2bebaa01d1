"""Listing drafts as a spreadsheet for the platforms' bulk upload tools (openpyxl)."""
from __future__ import annotations

import io
from typing import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.catalog.models import Listing, Product
from backoffice.db import session
from backoffice.money import fen_to_yuan

# Column headings as the platforms' upload sheets name them.
COLUMNS = ("宝贝标题", "商家编码", "类目", "价格", "数量", "销售属性（颜色:编码:价格:数量）", "主图", "SKU图", "详情图",
           "运费模板", "库存扣减", "服务承诺", "包装", "店铺分类数", "延时发货", "宝贝描述", "状态")


def rows(shop_ids: Sequence[int], statuses: Sequence[str]) -> list[list]:
    listings = session.scalars(
        select(Listing).options(selectinload(Listing.product).selectinload(Product.skus))
        .where(Listing.shop_id.in_(shop_ids), Listing.status.in_(statuses)).order_by(Listing.id)
    )
    out = []
    for item in listings:
        skus = item.product.skus
        images, settings = item.images or {}, item.settings or {}
        out.append([
            item.title, item.product.listing_code, settings.get("category", ""),
            fen_to_yuan(min((s.price_fen for s in skus), default=0)), sum(s.available for s in skus),
            "；".join(f"{s.color}:{s.code}:{fen_to_yuan(s.price_fen)}:{s.available}" for s in skus),
            "\n".join(images.get("main", [])), "\n".join(f"{c}:{p}" for c, p in images.get("sku", {}).items()),
            "\n".join(images.get("detail", [])), settings.get("shipping_template", ""),
            settings.get("stock_reduction", ""), settings.get("service", ""), settings.get("package", ""),
            settings.get("shop_categories", ""), "是" if settings.get("delayed_shipping") else "否",
            item.description or item.title, item.status,
        ])
    return out


def workbook(platform: str, shop_ids: Sequence[int], statuses: Sequence[str]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = platform
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows(shop_ids, statuses):
        ws.append(row)
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 24
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf
