"""Reading the platforms' order export files (CSV or XLSX) into incoming
orders, with every bad row reported by its row number and reason.

One row per order line; rows with the same order number make one order. The
columns are found by their header, under the names the platforms use (see
COLUMNS and the README). Pure: the caller passes the SKU codes that exist.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from backoffice.addresses.parser import parse_address
from backoffice.money import AmountError, whole_quantity, yuan_to_fen
from backoffice.orders.incoming import IncomingLine, IncomingOrder, IncomingReceiver
from backoffice.orders.labels import label
from backoffice.timeutil import SHANGHAI

# field -> header names used by Taobao, Mogujie, Pinduoduo and Douyin exports
COLUMNS = {
    "order_id": ("订单编号", "订单号", "主订单编号", "平台订单号"),
    "buyer": ("买家会员名", "买家昵称", "买家", "用户昵称"),
    "name": ("收货人姓名", "收货人", "收件人"),
    "phone": ("联系手机", "收货人手机号", "手机", "联系电话", "收件人手机"),
    "address": ("收货地址", "详细地址", "收货人地址", "收件地址"),
    "province": ("省", "省份"),
    "city": ("市", "城市"),
    "district": ("区", "区县"),
    "sku": ("商家编码", "SKU编码", "商品编码", "规格编码", "商家SKU编码"),
    "title": ("宝贝标题", "商品名称", "商品标题"),
    "quantity": ("购买数量", "数量", "商品数量", "宝贝数量"),
    "price": ("价格", "单价", "商品价格", "商品单价"),
    "freight": ("邮费", "运费"),
    "paid": ("实际支付金额", "实付金额", "买家实付", "订单实付金额"),
    "status": ("订单状态",),
    "ordered_at": ("订单创建时间", "下单时间", "创建时间"),
    "paid_at": ("订单付款时间", "付款时间", "支付时间"),
    "message": ("买家留言", "留言"),
    "memo": ("订单备注", "卖家备注", "商家备注", "备注"),
    "flash": ("秒杀",),
}
REQUIRED = ("order_id", "name", "phone", "address", "sku", "quantity", "price")
STATUS_WORDS = {
    "等待买家付款": "pending", "待付款": "pending", "未付款": "pending",
    "买家已付款，等待卖家发货": "paid", "等待卖家发货": "paid", "待发货": "paid", "已付款": "paid",
    "卖家已发货，等待买家确认": "shipped", "已发货": "shipped", "待收货": "shipped",
    "交易成功": "completed", "已完成": "completed", "已签收": "completed",
    "交易关闭": "closed", "已关闭": "closed", "已取消": "cancelled", "交易取消": "cancelled",
}
_MOBILE = re.compile(r"1[3-9]\d{9}(-\d{1,6})?")  # -1234: a platform's privacy-number extension
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
MAX_ROWS = 20_000
_EXCEL_TEXT = re.compile(r'="(.*)"', re.S)
_APOSTROPHE_NUMBER = re.compile(r"'([\d-]+)")


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it (the header is row 1)
    reason: str  # translated text for the shop staff
    value: str = ""


class FileError(ValueError):
    """The file as a whole cannot be read (format, header)."""


def read(filename: str, data: bytes) -> list[tuple[int, dict]]:
    """(row number, {field: value}) for every non-empty row."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _xlsx(data)
    elif name.endswith(".csv"):
        table = _csv(data)
    else:
        raise FileError(_l("Only .csv and .xlsx files can be imported."))
    if not table:
        raise FileError(_l("The file is empty."))
    header = [str(h or "").strip() for h in table[0]]
    index = {}
    for field, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in names:
                index[field] = i
                break
    missing = [COLUMNS[f][0] for f in REQUIRED if f not in index]
    if missing:
        raise FileError(_l("Columns missing: %(columns)s", columns="、".join(missing)))
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {f: (cells[i] if i < len(cells) else None) for f, i in index.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise FileError(_l("At most %(n)d rows at a time; split the file.", n=MAX_ROWS))
    return rows


def _csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):  # Taobao and others export GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError(_l("The file encoding is not UTF-8 or GBK."))
    if "\x00" in text:  # csv accepts NUL since 3.11, but no database keeps it and no export has it
        row = text[:text.index("\x00")].count("\n") + 1
        raise FileError(_l("Row %(row)d contains a NUL character: the file is damaged or not a CSV export.", row=row))
    reader = csv.reader(io.StringIO(text))
    try:
        return [row for row in reader]
    except csv.Error as exc:  # e.g. a cell above the field limit (131,072 characters)
        raise FileError(_l("Row %(row)d cannot be read (%(error)s); a cell may be too long or a quote unclosed.",
                           row=reader.line_num, error=str(exc))) from None


def _xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise FileError(_l("The Excel file cannot be read (%(error)s).", error=type(exc).__name__)) from None
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # Exports quote long numbers as ="123..." or '123...; only that quoting is undone: a
    # value that merely starts with =, ' or " is kept as written.
    quoted = _EXCEL_TEXT.fullmatch(text) or _APOSTROPHE_NUMBER.fullmatch(text)
    return quoted.group(1).strip() if quoted else text


def _time(value) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = text_of(value).replace("/", "-")
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(text)
    return moment.replace(tzinfo=SHANGHAI) if moment.tzinfo is None else moment


def valid_phone(phone: str) -> bool:
    digits = re.sub(r"[\s()]", "", phone).removeprefix("+86").removeprefix("86-")
    return bool(_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits))


def build(rows: list[tuple[int, dict]], platform: str, shop_id: int,
          known_skus: set[str]) -> tuple[list[IncomingOrder], list[RowError]]:
    errors: list[RowError] = []
    orders: dict[str, dict] = {}
    seen_lines: dict[tuple[str, str], int] = {}
    for number, v in rows:
        before = len(errors)
        order_id, sku = text_of(v["order_id"]), text_of(v["sku"])
        for field in REQUIRED:
            if not text_of(v.get(field)):
                errors.append(RowError(number, _l("“%(column)s” is empty", column=COLUMNS[field][0])))
        if len(errors) > before:
            continue
        if (order_id, sku) in seen_lines:
            errors.append(RowError(number, _l("Duplicate: the same item of the same order as row %(row)d",
                                                row=seen_lines[order_id, sku]), order_id))
            continue
        seen_lines[order_id, sku] = number
        if sku not in known_skus:
            errors.append(RowError(number, _l("Unknown SKU code"), sku))
        phone = text_of(v["phone"])
        if not valid_phone(phone):
            errors.append(RowError(number, _l("Bad phone number"), phone))
        receiver = IncomingReceiver(text_of(v["name"]), phone, text_of(v["address"]), text_of(v.get("province")) or None,
                                    text_of(v.get("city")) or None, text_of(v.get("district")) or None)
        parsed = parse_address(receiver.full_address())
        if not parsed.resolved:
            errors.append(RowError(number, _l("Address not resolved: %(problem)s",
                                                problem=label("address_problem", parsed.problem)), receiver.address))
        try:
            quantity = whole_quantity(text_of(v["quantity"]))
        except AmountError as exc:
            errors.append(RowError(number, _l("The quantity is %(reason)s", reason=exc.reason), text_of(v["quantity"])))
            quantity = 0
        amounts = {}
        for field in ("price", "freight", "paid"):
            raw = text_of(v.get(field))
            amounts[field], problem = None, None
            column = COLUMNS[field][0]
            if raw:
                try:
                    amounts[field] = yuan_to_fen(raw)
                except AmountError as exc:
                    problem = (_l("“%(column)s” is not an amount", column=column) if exc.kind == "format"
                               else _l("“%(column)s” is %(reason)s", column=column, reason=exc.reason))
                else:
                    if amounts[field] < 0:
                        problem = _l("“%(column)s” is not an amount", column=column)
            if problem:
                errors.append(RowError(number, problem, raw))
        status_word = text_of(v.get("status"))
        status = STATUS_WORDS.get(status_word, "paid" if not status_word else None)
        if status is None:
            errors.append(RowError(number, _l("Unknown order status"), status_word))
        times = {}
        for field in ("ordered_at", "paid_at"):
            try:
                times[field] = _time(v.get(field))
            except ValueError:
                errors.append(RowError(number, _l("“%(column)s” is not a date and time", column=COLUMNS[field][0]),
                                        text_of(v.get(field))))
        if len(errors) > before:
            continue
        line = IncomingLine(sku, quantity, amounts["price"], text_of(v.get("title")),
                            text_of(v.get("flash")) in ("是", "1", "Y", "y", "true"))
        if order_id in orders:
            orders[order_id]["lines"].append(line)
            continue
        orders[order_id] = dict(
            platform=platform, shop_id=shop_id, platform_order_id=order_id, receiver=receiver, lines=[line],
            status=status, buyer_id=text_of(v.get("buyer")) or None, freight_fen=amounts["freight"] or 0,
            paid_fen=amounts["paid"], ordered_at=times["ordered_at"], paid_at=times["paid_at"],
            platform_status=status_word or None, buyer_message=text_of(v.get("message")) or None,
            seller_memo=text_of(v.get("memo")) or None)
    return [IncomingOrder(**o) for o in orders.values()], errors

