"""PDF of the warehouse documents with reportlab: A4 pick lists and packing
slips, 100×180 mm waybill labels. Chinese text uses reportlab's built-in
STSong-Light CID font, so no font file ships or downloads."""
from __future__ import annotations

import io
from typing import Iterable

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from backoffice.shipping import barcodes
from backoffice.shipping.documents import PickRow, Slip

FONT = "STSong-Light"
LABEL = (100 * mm, 180 * mm)
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _canvas(buffer: io.BytesIO, size, title: str) -> Canvas:
    c = Canvas(buffer, pagesize=size, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("backoffice")
    return c


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pick_list_pdf(rows: list[PickRow], heading: str, order_count: int) -> bytes:
    buffer = io.BytesIO()
    c = _canvas(buffer, A4, heading)
    width, height = A4
    row_h, top, bottom = 16 * mm, height - 30 * mm, 15 * mm
    page = 1

    def header() -> float:
        c.setFont(FONT, 14)
        c.drawString(15 * mm, height - 15 * mm, heading)
        c.setFont(FONT, 9)
        c.drawString(15 * mm, height - 21 * mm, f"订单 {order_count} 单 · SKU {len(rows)} 种 · "
                                                 f"件数 {sum(r.quantity for r in rows)} · 第 {page} 页")
        c.drawString(15 * mm, height - 27 * mm, "货位          SKU / 商品                                   数量   订单数")
        return top

    y = header()
    for row in rows:
        if y - row_h < bottom:
            c.showPage()
            page += 1
            y = header()
        y -= row_h
        c.setFont(FONT, 11)
        c.drawString(15 * mm, y + 9 * mm, row.location or "—")
        c.setFont(FONT, 8)
        c.drawString(38 * mm, y + 11 * mm, _clip(f"{row.sku_code}  {row.title} {row.color}", 60))
        barcodes.draw(c, row.sku_code, 36 * mm, y + 2 * mm, 7 * mm, 0.7)
        c.setFont(FONT, 14)
        c.drawRightString(170 * mm, y + 8 * mm, str(row.quantity))
        c.setFont(FONT, 10)
        c.drawRightString(192 * mm, y + 8 * mm, str(row.order_count))
        c.line(15 * mm, y, 195 * mm, y)
    c.showPage()
    c.save()
    return buffer.getvalue()


def slips_pdf(slips: Iterable[Slip]) -> bytes:
    """One A4 page per order: the packing slip (发货单) with the order number's Code128."""
    buffer = io.BytesIO()
    c = _canvas(buffer, A4, "发货单")
    width, height = A4
    for slip in slips:
        c.setFont(FONT, 16)
        c.drawString(15 * mm, height - 20 * mm, f"发货单  {slip.shop}")
        barcodes.draw(c, slip.order_number, 120 * mm, height - 28 * mm, 14 * mm, 1.0)
        c.setFont(FONT, 10)
        c.drawString(130 * mm, height - 32 * mm, slip.order_number)
        c.drawString(15 * mm, height - 30 * mm, f"平台订单 {slip.platform_order_id}  快递 {slip.courier} {slip.tracking_number}")
        c.drawString(15 * mm, height - 37 * mm, _clip(f"收货人 {slip.receiver_masked}", 60))
        y = height - 55 * mm
        c.drawString(15 * mm, y, "货位      SKU                                  商品                       数量")
        for line in slip.lines:
            y -= 7 * mm
            c.drawString(15 * mm, y, line.location or "—")
            c.drawString(33 * mm, y, _clip(line.sku_code, 36))
            c.drawString(95 * mm, y, _clip(f"{line.title} {line.color}", 26))
            c.drawRightString(192 * mm, y, str(line.quantity))
        c.drawString(15 * mm, y - 10 * mm, f"合计 {slip.item_count} 件")
        if slip.memo:
            c.drawString(15 * mm, y - 17 * mm, _clip(f"备注 {slip.memo}", 60))
        c.showPage()
    c.save()
    return buffer.getvalue()


def labels_pdf(slips: Iterable[Slip], sender: str) -> bytes:
    """100×180 mm waybill labels: courier, tracking barcode, receiver, sender, contents."""
    buffer = io.BytesIO()
    c = _canvas(buffer, LABEL, "快递面单")
    w, h = LABEL
    for slip in slips:
        c.setFont(FONT, 18)
        c.drawString(5 * mm, h - 12 * mm, slip.courier or "未分配快递")
        if slip.tracking_number:
            barcodes.draw(c, slip.tracking_number, 5 * mm, h - 40 * mm, 20 * mm, 1.2)
            c.setFont(FONT, 11)
            c.drawString(10 * mm, h - 45 * mm, slip.tracking_number)
        c.line(3 * mm, h - 50 * mm, w - 3 * mm, h - 50 * mm)
        c.setFont(FONT, 12)
        c.drawString(5 * mm, h - 58 * mm, f"收 {slip.receiver_name}  {slip.receiver_phone}")
        c.setFont(FONT, 10)
        for i in range(0, min(len(slip.address), 84), 28):
            c.drawString(5 * mm, h - (66 + i // 28 * 6) * mm, slip.address[i:i + 28])
        c.line(3 * mm, h - 88 * mm, w - 3 * mm, h - 88 * mm)
        c.setFont(FONT, 9)
        c.drawString(5 * mm, h - 95 * mm, _clip(f"寄 {sender}", 40))
        c.drawString(5 * mm, h - 102 * mm, f"{slip.item_count} 件 · 订单 {slip.order_number}")
        barcodes.draw(c, slip.order_number, 5 * mm, 10 * mm, 14 * mm, 1.0)
        c.showPage()
    c.save()
    return buffer.getvalue()
