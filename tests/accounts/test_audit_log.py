"""Every change of rules, settings, credentials, permissions and money is
audited, and its entry names things as staff know them: order number, SKU code,
shop name, wave number, rule set version; never "#441" or "key:compensation:2"."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from backoffice.accounts import audit_display
from backoffice.accounts.models import AuditEntry, User
from backoffice.cases.models import CompensationPayment, CompensationRule
from backoffice.catalog.models import PinyinOverride
from backoffice.orders.models import Order
from backoffice.service.models import QuickReply
from tests import factories as f

# "#441", "key：…", "refund:54", a Python dict or list, True/False/None, a snake_case code.
INTERNALS = re.compile(r"#\d|\b(?:key|table|id)[:：]|[a-z]+:\d|\{'|\['|\b(?:False|True|None)\b|(?<![{\w])[a-z]+_[a-z_]+(?![}\w])")
SECRET = "s3cr3t-app-secret-9f2c"


def _draft(db) -> int:
    from backoffice.shipping import rule_edits

    draft = rule_edits.create_draft("广东改走中通")
    db.commit()
    return draft.id


def _flash_order(db) -> dict:
    order = f.order()
    order.lines[0].flash_sale = True
    db.commit()
    return {"order": order.id, "line": order.lines[0].id, "number": order.number, "sku": order.lines[0].sku_code}


# (name, role, setup(db) -> values, path, form(values), action, the staff-facing name shown)
CASES = [
    ("courier rule draft", "supervisor", lambda db: {}, "/shipping/rules/drafts",
     lambda v: {"note": "京东阿里地区超区"}, "rule.change", lambda v, db: "快递规则 v2 京东阿里地区超区"),
    ("courier rule saved", "supervisor", lambda db: {"id": _draft(db)}, "/shipping/rules/{id}/rule",
     lambda v: {"new-name": "广东走中通", "new-provinces": ["440000"], "new-couriers": ["zhongtong", "", ""]},
     "rule.change", lambda v, db: "快递规则 v2 广东改走中通"),
    ("courier coverage", "supervisor", lambda db: {"id": _draft(db)}, "/shipping/rules/{id}/coverage",
     lambda v: {"cov-courier_code": "jd", "cov-region": "海南", "cov-surcharge": "0"},
     "rule.change", lambda v, db: "快递规则 v2 广东改走中通 改动：超区表新增 京东 海南省"),
    ("freight rate", "supervisor", lambda db: {"id": _draft(db)}, "/shipping/rules/{id}/rates",
     lambda v: {"rate-courier_code": "jd", "rate-region": "新疆", "rate-first_weight_g": "1000", "rate-first": "18",
                "rate-extra_unit_g": "1000", "rate-extra": "8", "rate-rounding": "ceil"},
     "rule.change", lambda v, db: "快递规则 v2 广东改走中通 改动：运费新增 京东 新疆维吾尔自治区"),
    ("courier rule set published", "supervisor", lambda db: {"id": _draft(db)}, "/shipping/rules/{id}/publish",
     lambda v: {}, "rule.publish", lambda v, db: "快递规则 v2 广东改走中通"),
    ("platform listing rule", "supervisor", lambda db: {}, "/catalog/rules/platforms/mogujie",
     lambda v: {"title_limit": "60", "cjk_weight": "2", "image_width": "640", "image_height": "960",
                "main_min": "8", "main_max": "9", "max_image_kb": "1500", "fit": "pad", "category": "女包",
                "shipping_template": "包邮", "stock_reduction": "下单减库存", "service": "7天无理由退货",
                "package": "纸箱", "shop_categories": "3"},
     "rule.change", lambda v, db: "上架规则 蘑菇街"),
    ("size classes", "supervisor", lambda db: {}, "/catalog/rules/sizes", lambda v: {"classes": "小 25\n中 35\n大"},
     "rule.change", lambda v, db: "尺寸档"),
    ("word list", "listing", lambda db: {}, "/catalog/rules/words/material", lambda v: {"words": "牛皮\nPU"},
     "rule.change", lambda v, db: "词表 材质"),
    ("pinyin", "listing", lambda db: {}, "/catalog/rules/pinyin", lambda v: {"word": "长款", "pinyin": "chang kuan"},
     "rule.change", lambda v, db: "拼音 长款"),
    ("listing template", "listing", lambda db: {}, "/catalog/rules/templates/description.txt",
     lambda v: {"source": "{{ title }} 现货速发"}, "rule.change", lambda v, db: "商品模板 description.txt"),
    ("order rules", "supervisor", lambda db: {}, "/orders/settings",
     lambda v: {"order_number_pattern": "{yyyy}{mm}{seq}", "batch_number_pattern": "{yy}HY{month_letter}{seq:03d}",
                "merge_mode": "strict", "merge_no_merge_words": "不合并", "merge_minimum": "29.90",
                "short_stock_message": "亲，{items}缺货", "under_minimum_message": "差{amount}/{minimum}",
                "rule_same_shop": "y", "rule_paid": "y"},
     "rule.change", lambda v, db: "订单规则"),
    ("after-sales policy", "supervisor",
     lambda db: {"rule": db.scalar(select(CompensationRule.id).order_by(CompensationRule.id))}, "/aftersales/rules",
     lambda v: {"table": "policy", "id": v["rule"], "amount_min": "3", "amount_max": "6"},
     "rule.change", lambda v, db: "补偿规则 "),
    ("quick reply", "supervisor", lambda db: {"reply": db.scalar(select(QuickReply.id).order_by(QuickReply.id))},
     "/aftersales/rules", lambda v: {"table": "reply", "id": v["reply"], "title": "补填单号", "body": "亲，请补填单号",
                                      "active": "y"},
     "rule.change", lambda v, db: "快捷短语 补填单号"),
    ("service rules", "supervisor", lambda db: {}, "/service/rules",
     lambda v: {"bad_bad": "y", "bad_words": "拉链", "review_reply": "感谢{buyer}的好评！", "first_answer_hours": "12",
                "investigation_working_days": "2", "complaint_follow_up_days": "3", "new_customer_visit_days": "7",
                "regular_customer_visit_months": "2", "weekly_report_due_hour": "12"},
     "rule.change", lambda v, db: "客服规则"),
    ("shop credentials", "admin", lambda db: {"id": f.shop("pinduoduo", "拼多多箱包店").id},
     "/sync/shops/{id}/connect",
     lambda v: {"app_key": "4f8ab2c1d3e5", "app_secret": SECRET, "access_token": "tok-" + SECRET,
                "token_expires_at": "2030-01-01T08:00", "endpoint": ""},
     "credentials.change", lambda v, db: "店铺 拼多多箱包店"),
    ("new user", "admin", lambda db: {}, "/users/new",
     lambda v: {"username": "kefu9", "role": "service", "password": "long-enough-1"},
     "user.create", lambda v, db: "用户 kefu9"),
    ("role change", "admin", lambda db: {"id": _user(db)}, "/users/{id}",
     lambda v: {"role": "supervisor", "active": "y"}, "user.role_change", lambda v, db: "用户 kefu8"),
    ("livestream price change", "supervisor", _flash_order, "/orders/{order}/price",
     lambda v: {"line_id": str(v["line"]), "new_price": "5.00", "asked_by": "王芳"},
     "price.change", lambda v, db: f"订单 {v['number']}"),
]


def _user(db) -> int:
    from backoffice.accounts.operations import create_user

    user = create_user("kefu8", "long-enough-1", "service", "客服八")
    db.commit()
    return user.id


def shown(app, entry) -> str:
    with app.test_request_context():
        text, _link = audit_display.target(entry)
        return " ".join([text] + [f"{k}：{v}" for k, v in audit_display.details(entry)])


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_every_change_is_audited_in_staff_words(app, db, login_as, case):
    _name, role, setup, path, form, action, name = case
    values = setup(db)
    db.commit()
    path = path.format(**values)
    client = login_as(role)
    before = db.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0
    page = path if not path.endswith(("/publish", "/rule", "/coverage", "/rates", "/drafts", "/price")) else None
    token_from = page or ("/shipping/rules" if path.startswith("/shipping") else path.rsplit("/", 1)[0])
    response = client.post(path, form(values), token_from=token_from)
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:2000]
    db.expire_all()
    entries = db.scalars(select(AuditEntry).where(AuditEntry.id > before, AuditEntry.action == action)).all()
    assert entries, f"{path} wrote no {action} entry"
    text = shown(app, entries[-1])
    assert name(values, db) in text, text
    assert not INTERNALS.search(text), text
    assert SECRET not in text and SECRET not in str(entries[-1].detail)
    viewer = login_as("admin" if role == "supervisor" else "supervisor")
    target = name(values, db).split(" 改动：")[0]  # the page shows the change in its own column
    assert target in viewer.get(f"/audit?action={action}").get_data(as_text=True)


def test_credentials_entries_name_the_fields_that_changed_never_the_values(app, db, login_as):
    shop_id = f.shop("pinduoduo", "拼多多箱包店").id
    db.commit()
    admin = login_as("admin")
    url = f"/sync/shops/{shop_id}/connect"
    admin.post(url, {"app_key": "4f8ab2c1d3e5", "app_secret": SECRET, "access_token": "tok-1",
                     "token_expires_at": "2030-01-01T08:00", "endpoint": ""}, token_from=url)
    admin.post(url, {"app_key": "4f8ab2c1d3e5", "app_secret": "", "access_token": "tok-2",
                     "token_expires_at": "2030-01-01T08:00", "endpoint": ""}, token_from=url)
    first, second = db.scalars(select(AuditEntry).where(AuditEntry.action == "credentials.change")
                               .order_by(AuditEntry.id)).all()
    assert "改动的项：App Key、App Secret、Access Token、Token 到期时间" in shown(app, first)
    assert shown(app, second) == "店铺 拼多多箱包店 改动的项：Access Token"
    assert not any(s in str(e.detail) for e in (first, second) for s in (SECRET, "tok-1", "tok-2"))


def test_refunds_and_compensation_entries_show_the_order_number_not_keys(app, db, login_as):
    from backoffice.cases.payouts import record_refund

    order_id = f.order(paid_fen=9900).id
    user_id = _user(db)
    record_refund(db.get(Order, order_id), "compensation", 500, "compensation:2", db.get(User, user_id), "补偿")
    db.commit()
    order = db.get(Order, order_id)
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "refund"))
    text = shown(app, entry)
    assert text == f"订单 {order.number} 类型：补偿 金额：¥5.00"
    assert "compensation:2" not in text and entry.detail["key"] == "compensation:2"  # kept, not shown


def test_older_entries_without_a_name_are_named_from_the_database(app, db):
    from backoffice.accounts import audit

    order = f.order()
    audit.record("pii.view", f"order:{order.id}", order_number=order.number)  # as written before names were kept
    db.commit()
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "pii.view"))
    assert shown(app, entry).startswith(f"订单 {order.number}") and "#" not in shown(app, entry)


def test_pinyin_removal_names_the_word(app, db, login_as):
    row = PinyinOverride(word="长款包", pinyin="chang kuan bao")
    db.add(row)
    db.commit()
    row_id = row.id
    client = login_as("listing")
    client.post(f"/catalog/rules/pinyin/{row_id}/delete", token_from="/catalog/rules")
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "rule.change"))
    assert shown(app, entry) == "拼音 长款包 改动：已删除"


def test_compensation_paid_awaiting_and_rejected_are_audited_by_order_number(app, db, login_as):
    from tests.cases.test_aftersales_cases import _pay_form, stocked_order

    number, _order_id, _sku = stocked_order(db)
    service = login_as("service")
    _pay_form(service, order_number=number, amount="8", reason="五金轻微划痕")  # in the policy's range: paid
    _pay_form(service, order_number=number, amount="15", reason="买家不接受 10 元")  # above: waits
    payment_id = db.scalar(select(CompensationPayment.id).where(CompensationPayment.status == "awaiting_approval"))
    login_as("supervisor").post(f"/aftersales/compensation/payments/{payment_id}/reject",
                                token_from="/aftersales/compensation/pay")
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "refund").order_by(AuditEntry.id)).all()
    texts = [shown(app, e) for e in entries]
    assert texts == [f"订单 {number} 类型：部分退款 金额：¥8.00",
                     f"补偿 {number} 类型：补偿 金额：¥15.00 决定：等待主管审批",
                     f"补偿 {number} 类型：补偿 金额：¥15.00 决定：已拒绝"]
    assert [e.username for e in entries] == ["service-user", "service-user", "supervisor-user"]
