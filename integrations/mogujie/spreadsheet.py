"""The fallback for Mogujie shops without API access: read the order export of
the seller backend (CSV, UTF-8 with or without BOM, or GB18030) and write the
batch-shipping sheet to upload back. One row per order line."""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections import OrderedDict

from integrations.base import InvalidRequest, Order, OrderLine, Receiver, Shipment
from integrations.cells import csv_row
from integrations.clock import CST, yuan_to_fen

COLUMNS = {"order_id": "订单编号", "status": "订单状态", "created": "下单时间", "modified": "更新时间",
           "name": "收货人", "phone": "联系电话", "province": "省", "city": "市", "district": "区",
           "address": "详细地址", "sku": "商品编码", "title": "商品名称", "quantity": "数量", "price": "单价",
           "paid": "实付金额", "note": "买家留言"}
STATES = {"待付款": "awaiting_payment", "待发货": "to_ship", "已发货": "shipped", "已完成": "completed",
          "交易成功": "completed", "已关闭": "closed", "已取消": "closed"}
SHIPPING_HEADER = ("订单编号", "物流公司", "运单号")
COMPANY_NAMES = {"yuantong": "圆通速递", "zhongtong": "中通快递", "shentong": "申通快递", "yunda": "韵达快递",
                 "shunfeng": "顺丰速运", "ems": "EMS", "youzhengguonei": "邮政快递包裹", "jd": "京东快递"}


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidRequest("文件编码无法识别（应为 UTF-8 或 GBK）")


def _time(text: str, row: int, column: str) -> dt.datetime:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).replace(tzinfo=CST).astimezone(dt.timezone.utc)
        except ValueError:
            continue
    raise InvalidRequest(f"第 {row} 行“{column}”不是时间：{text!r}")


def read_orders(data: bytes) -> list[Order]:
    """Orders of an export; raises InvalidRequest naming the row and column."""
    reader = csv.DictReader(io.StringIO(_decode(data)))
    missing = [c for c in COLUMNS.values() if c not in (reader.fieldnames or []) and c not in ("更新时间", "买家留言")]
    if missing:
        raise InvalidRequest(f"缺少列：{'、'.join(missing)}")
    grouped: OrderedDict[str, list[tuple[int, dict]]] = OrderedDict()
    for n, row in enumerate(reader, start=2):
        grouped.setdefault(row[COLUMNS["order_id"]].strip(), []).append((n, row))
    orders = []
    for order_id, rows in grouped.items():
        n, first = rows[0]
        state = STATES.get(first[COLUMNS["status"]].strip())
        if state is None:
            raise InvalidRequest(f"第 {n} 行“订单状态”无法识别：{first[COLUMNS['status']]!r}")
        lines = []
        for k, (m, row) in enumerate(rows):
            try:
                qty, price = int(row[COLUMNS["quantity"]]), yuan_to_fen(row[COLUMNS["price"]].strip())
            except (ValueError, ArithmeticError):
                raise InvalidRequest(f"第 {m} 行“数量”或“单价”不是数字") from None
            lines.append(OrderLine(f"{order_id}-{k}", row[COLUMNS["sku"]].strip(), row[COLUMNS["title"]].strip(),
                                   qty, price))
        created = _time(first[COLUMNS["created"]], n, "下单时间")
        modified_text = (first.get(COLUMNS["modified"]) or "").strip()
        receiver = Receiver(*(first[COLUMNS[k]].strip() for k in ("name", "phone", "province", "city", "district",
                                                                    "address")))
        orders.append(Order("mogujie", order_id, state, first[COLUMNS["status"]].strip(), created,
                            _time(modified_text, n, "更新时间") if modified_text else created,
                            yuan_to_fen(first[COLUMNS["paid"]].strip() or "0"), receiver, tuple(lines),
                            (first.get(COLUMNS["note"]) or "").strip()))
    return orders


def shipping_sheet(shipments: list[Shipment]) -> bytes:
    """The batch-shipping upload: UTF-8 with BOM so spreadsheet programs show the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SHIPPING_HEADER)
    for s in shipments:
        writer.writerow(csv_row((s.platform_order_id, COMPANY_NAMES[s.courier_code], s.tracking_number)))
    return out.getvalue().encode("utf-8-sig")
