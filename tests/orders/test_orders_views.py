"""Order pages: import with row errors, manual entry, filters, merges, rules."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from backoffice.orders import settings
from backoffice.orders.intake import intake
from backoffice.orders.models import MergeGroup, Order, PriceChange
from backoffice.timeutil import to_local, utcnow
from tests import factories as f

HEADER = "订单编号,买家会员名,收货人姓名,联系手机,收货地址,商家编码,宝贝标题,购买数量,价格,邮费,订单状态,订单创建时间,订单付款时间,买家留言,订单备注"
GOOD = [
    "3321000001,zhangli88,张丽,13812345678,河北省保定市竞秀区朝阳北大街1688号,daming-D-998-20-heise,韩版链条斜挎小方包,1,53.00,0,买家已付款，等待卖家发货,2026-11-20 12:01:02,2026-11-20 12:03:00,请尽快发货,",  # noqa: E501  (one whole row of the export file)
    "3321000001,zhangli88,张丽,13812345678,河北省保定市竞秀区朝阳北大街1688号,miaosha-1-heise,RST182 小方包,2,9.90,0,买家已付款，等待卖家发货,2026-11-20 12:01:02,2026-11-20 12:03:00,,",  # noqa: E501  (one whole row of the export file)
    "3321000002,wangfang,王芳,13698765432,新疆乌鲁木齐天山区解放北路90号,daming-D-998-20-heise,韩版链条斜挎小方包,1,53.00,5,交易成功,2026-11-19 09:00:00,2026-11-19 09:01:00,,老客户",  # noqa: E501  (one whole row of the export file)
]


@pytest.fixture
def shop(db):
    s = f.shop()
    f.sku(on_hand=20)
    f.sku("miaosha-1-heise", on_hand=20, price_fen=990, kind="flash")
    db.commit()
    return s.id


def upload(client, shop_id, content: bytes, name="orders.csv", **kw):
    return client.post("/orders/import", data={"shop_id": str(shop_id), "file": (io.BytesIO(content), name)},
                       token_from="/orders/import", content_type="multipart/form-data", **kw)


def orders_count(db):
    return db.scalar(select(func.count()).select_from(Order))


def test_a_good_file_imports_once(login_as, db, shop):
    client = login_as("service")
    content = "\n".join([HEADER, *GOOD]).encode("gb18030")  # Taobao exports GBK
    response = upload(client, shop, content)
    assert response.status_code == 302
    assert orders_count(db) == 2
    first = db.scalar(select(Order).where(Order.platform_order_id == "3321000001"))
    assert len(first.lines) == 2 and first.goods_fen == 5300 + 1980 and first.source == "file"
    assert first.buyer_message == "请尽快发货" and first.province == "河北省"
    second = db.scalar(select(Order).where(Order.platform_order_id == "3321000002"))
    assert second.status == "completed" and second.province == "新疆维吾尔自治区" and second.paid_fen == 5800
    again = upload(client, shop, content, follow_redirects=True).get_data(as_text=True)
    assert "新订单 0 个，更新 0 个，2 个已存在" in again and orders_count(db) == 2


def test_every_bad_row_is_listed_and_nothing_is_imported(login_as, db, shop):
    client = login_as("service")
    bad = [
        GOOD[0],
        GOOD[0],  # row 3: the same line again
        "3321000003,lili,李丽,1381234,北京市朝阳区望京街道6号院,daming-D-998-20-heise,包,1,53.00,0,,,,,",  # row 4
        "3321000004,lili,李丽,13812345678,朝阳区望京街道6号院,nosuch-sku,包,1,53.00,0,,,,,",  # row 5
        "3321000005,lili,李丽,13812345678,北京市朝阳区望京街道6号院,daming-D-998-20-heise,包,0,abc,0,拍下未付,,,,",
        ",lili,,13812345678,北京市朝阳区望京街道6号院,daming-D-998-20-heise,包,1,53,0,,,,,",  # row 7
    ]
    response = upload(client, shop, "\n".join([HEADER, *bad]).encode())
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    rows = html.split('id="row-errors"')[1].split("</table>")[0]
    expected = [("3", "重复"), ("4", "手机号码不正确"), ("5", "商家编码不存在"), ("5", "地址无法识别"),
                ("6", "数量"), ("6", "“价格”不是金额"), ("6", "订单状态无法识别"), ("7", "“订单编号”为空"),
                ("7", "“收货人姓名”为空")]
    for row, reason in expected:
        assert f'<td class="num">{row}</td><td>{reason}' in rows.replace("\n", ""), (row, reason)
    assert orders_count(db) == 0


@pytest.mark.parametrize("content, name, message", [
    (b"", "orders.csv", "文件是空的"),
    ("订单编号,收货人姓名\n1,张丽".encode(), "orders.csv", "缺少列"),
    (b"PK\x03\x04 broken", "orders.xlsx", "无法读取"),
    (b"hello", "orders.pdf", ".csv"),
])
def test_unreadable_files_are_refused_clearly(login_as, db, shop, content, name, message):
    response = upload(login_as("service"), shop, content, name)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_xlsx_exports_import_too(login_as, db, shop):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for line in GOOD:
        cells = line.split(",")
        cells[0] = int(cells[0])  # Excel keeps long order numbers as numbers
        cells[8] = float(cells[8])
        sheet.append(cells)
    data = io.BytesIO()
    book.save(data)
    assert upload(login_as("service"), shop, data.getvalue(), "淘宝订单.xlsx").status_code == 302
    assert set(db.scalars(select(Order.platform_order_id))) == {"3321000001", "3321000002"}


def test_manual_order_is_created_once_even_if_sent_twice(login_as, db, shop):
    client = login_as("service")
    page = client.get("/orders/new").get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    data = {"token": token, "shop_id": str(shop), "receiver_name": "赵敏", "receiver_phone": "13912345678",
            "address": "广东省深圳市南山区科苑路15号", "lines": "daming-D-998-20-heise 2\nmiaosha-1-heise 1 5.00",
            "freight": "", "buyer_message": "", "seller_memo": "直播间改价", "buyer_id": ""}
    first = client.post("/orders/new", data=data, token_from="/orders/new")
    second = client.post("/orders/new", data=data, token_from="/orders/new")
    assert first.status_code == second.status_code == 302 and first.location == second.location
    order = db.scalar(select(Order))
    assert orders_count(db) == 1 and order.source == "manual" and order.goods_fen == 2 * 5300 + 500
    assert order.number == to_local(utcnow()).strftime("%Y%m") + "-000001"


@pytest.mark.parametrize("field, value, message", [
    ("receiver_phone", "12345", "手机号"),
    ("address", "朝阳区望京街道6号院", "地址"),
    ("lines", "nosuch-sku 1", "nosuch-sku"),
    ("lines", "daming-D-998-20-heise 0", "第 1 行"),
])
def test_manual_order_errors_name_the_field(login_as, db, shop, field, value, message):
    client = login_as("service")
    data = {"token": "t1", "shop_id": str(shop), "receiver_name": "赵敏", "receiver_phone": "13912345678",
            "address": "广东省深圳市南山区科苑路15号", "lines": "daming-D-998-20-heise 1", "buyer_id": ""}
    data[field] = value
    response = client.post("/orders/new", data=data, token_from="/orders/new")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert orders_count(db) == 0


def test_list_filters_and_keyset_pages(login_as, db, shop):
    intake([f.incoming(f"T{i:03d}", shop_id=shop, phone=f"1381234{i:04d}") for i in range(60)], source="sync")
    intake([f.incoming("SHORT1", shop_id=shop, lines=(("daming-D-998-20-heise", 50, 5300),))], source="sync")
    db.commit()
    client = login_as("warehouse")
    html = client.get("/orders/").get_data(as_text=True)
    assert html.count('href="/orders/') >= 50 and "before=" in html
    older = html.split('href="/orders/?before=')[1].split('"')[0]
    assert "T000" in client.get(f"/orders/?before={older}").get_data(as_text=True)
    ignored = client.get("/orders/?phone=13812340007").get_data(as_text=True)  # warehouse: no phone search
    assert "不能按手机号搜索订单" in ignored and "T059" in ignored and 'name="phone"' not in ignored
    only = login_as("service").get("/orders/?phone=13812340007").get_data(as_text=True)
    assert "T007" in only and "T008" not in only and 'name="phone"' in only
    short = client.get("/orders/?flag=short").get_data(as_text=True)
    assert "SHORT1" in short and "T001" not in short
    number = db.scalar(select(Order.number).where(Order.platform_order_id == "T010"))
    assert "T010" in client.get(f"/orders/?q={number}").get_data(as_text=True)
    assert "SHORT1" in client.get("/orders/?date_from=2026-11-20&date_to=2026-11-20&platform=taobao").get_data(
        as_text=True)
    assert "SHORT1" not in client.get("/orders/?date_from=2026-11-21").get_data(as_text=True)
    assert "SHORT1" not in client.get("/orders/?date_to=2026-11-19").get_data(as_text=True)


def test_service_accepts_a_proposed_merge_and_sees_it_on_the_order(login_as, db, shop):
    intake([f.incoming("M1", shop_id=shop), f.incoming("M2", shop_id=shop)], source="sync")
    db.commit()
    client = login_as("service")
    assert client.post("/orders/merges/run", token_from="/orders/merges").status_code == 302
    group_id = db.scalar(select(MergeGroup.id))
    page = client.get("/orders/merges").get_data(as_text=True)
    assert "同一买家" in page
    assert client.post(f"/orders/merges/{group_id}/accept", token_from="/orders/merges").status_code == 302
    order_id = db.scalar(select(Order.id).where(Order.platform_order_id == "M1"))
    detail = client.get(f"/orders/{order_id}").get_data(as_text=True)
    assert "撤销合并" in detail and "合计 ¥106.00，2 件" in detail


def test_bulk_hold_and_settings(login_as, db, shop):
    intake([f.incoming("B1", shop_id=shop)], source="sync")
    db.commit()
    order_id = db.scalar(select(Order.id))
    client = login_as("supervisor")
    response = client.post("/orders/bulk", data={"ids": [str(order_id)], "action": "hold"}, token_from="/orders/")
    assert response.status_code == 302
    assert db.scalar(select(Order.on_hold))
    form = {"order_number_pattern": "{yyyy}{mm}{seq}", "batch_number_pattern": "{yy}HY{month_letter}{seq:03d}",
            "merge_mode": "strict", "merge_no_merge_words": "不合并，分开发", "merge_minimum": "29.90",
            "short_stock_message": "亲，{items}缺货，{restock_date}到", "under_minimum_message": "差{amount}/{minimum}",
            "rule_same_shop": "y", "rule_paid": "y"}
    assert client.post("/orders/settings", data=form, token_from="/orders/settings").status_code == 302
    db.expire_all()
    assert settings.get("merge_mode") == "strict" and settings.get("merge_minimum_fen") == 2990
    assert settings.get("merge_no_merge_words") == ["不合并", "分开发"]
    assert settings.get("merge_rules")["paid"] and not settings.get("merge_rules")["not_cod"]
    bad = client.post("/orders/settings", data=dict(form, order_number_pattern="{mm}-{seq}"),
                      token_from="/orders/settings")
    assert bad.status_code == 422


@pytest.mark.parametrize("text, expected", [
    ("daming-D-998-20-heise 2", [("daming-D-998-20-heise", 2, 5300)]),
    ("daming-D-998-20-heise，2，49.90", [("daming-D-998-20-heise", 2, 4990)]),
    ("xialuoxi-X-366-heise × 1\n\ndaming-D-998-20-heise", [("xialuoxi-X-366-heise", 1, 6100),
                                                           ("daming-D-998-20-heise", 1, 5300)]),
])
def test_manual_items_box(app, text, expected):
    from backoffice.orders.manual import parse_lines

    with app.test_request_context():
        lines, errors = parse_lines(text, {"daming-D-998-20-heise": 5300, "xialuoxi-X-366-heise": 6100})
    assert errors == [] and [(line.sku_code, line.quantity, line.price_fen) for line in lines] == expected


def test_detail_actions_restock_cancel_and_price_change(login_as, db, shop):
    intake([f.incoming("D1", shop_id=shop, lines=(("daming-D-998-20-heise", 30, 5300),)),
            f.incoming("D2", shop_id=shop, lines=(("miaosha-1-heise", 1, 990),), flash=True)], source="sync")
    db.commit()
    short_id = db.scalar(select(Order.id).where(Order.platform_order_id == "D1"))
    flash_id = db.scalar(select(Order.id).where(Order.platform_order_id == "D2"))
    line_id = db.scalar(select(Order).where(Order.id == flash_id)).lines[0].id
    service = login_as("service")
    page = f"/orders/{short_id}"
    assert "保存到货日期" in service.get(page).get_data(as_text=True)
    done = service.post(f"{page}/restock", data={"restock_date": "2026-11-28"}, token_from=page,
                        follow_redirects=True).get_data(as_text=True)
    assert "预计11月28日到货后第一时间为您发出" in done
    assert "补货批号 26HYK001" in done and "生产批号 26HYK001" in done  # on the order and on its timeline
    bad = service.post(f"{page}/cancel", data={"reason": ""}, token_from=page)
    assert bad.status_code == 422 and "此字段为必填项" in bad.get_data(as_text=True)
    assert service.post(f"{page}/cancel", data={"reason": "买家不要了"}, token_from=page).status_code == 302
    assert db.scalar(select(Order.status).where(Order.id == short_id)) == "cancelled"
    boss = login_as("supervisor")
    page = f"/orders/{flash_id}"
    response = boss.post(f"{page}/price", data={"line_id": str(line_id), "new_price": "5.00", "asked_by": "王芳"},
                         token_from=page, follow_redirects=True)
    assert "直播改价记录" in response.get_data(as_text=True)
    approver = db.scalar(select(PriceChange).join(PriceChange.approved_by)).approved_by.display_name
    assert f"王芳 要求，{approver} 批准" in response.get_data(as_text=True)
    assert db.scalar(select(Order.paid_fen).where(Order.id == flash_id)) == 500
    refused = boss.post(f"{page}/price", data={"line_id": str(line_id), "new_price": "abc", "asked_by": "王芳"},
                        token_from=page)
    assert refused.status_code == 422 and "请输入以元为单位的金额" in refused.get_data(as_text=True)


@pytest.mark.parametrize("role, may", [("admin", True), ("supervisor", True), ("service", True),
                                       ("warehouse", False)])
def test_searching_orders_by_phone_follows_the_permission_table(login_as, db, shop, role, may):
    from backoffice.accounts.permissions import role_can

    assert role_can(role, "orders.search_phone") is may
    # platform order ids no random token (CSRF, ...) on the page can contain
    intake([f.incoming(f"手机单{i}", shop_id=shop, phone=f"1390000000{i}") for i in range(2)], source="sync")
    db.commit()
    page = login_as(role).get("/orders/?phone=13900000001").get_data(as_text=True)
    assert ("手机单1" in page) and (("手机单0" not in page) is may) and (("不能按手机号搜索订单" in page) is not may)
