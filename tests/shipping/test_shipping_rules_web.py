"""Supervisors edit a draft rule set, preview it over the last 30 days, publish;
past decisions keep the version that made them."""
from __future__ import annotations

import datetime as dt

from backoffice.shipping import operations
from backoffice.shipping.models import RoutingDecision, RuleSet
from backoffice.shipping.whatif import replay
from backoffice.timeutil import utcnow
from tests import factories as f


def test_edit_preview_and_publish_a_rule(db, login_as):
    bag = f.parcel_sku("daming-D-998-heise")
    old = f.parcel_order("广东省广州市天河区天河路385号", [(bag, 1)], ordered_at=utcnow() - dt.timedelta(days=3))
    ancient = f.parcel_order("广东省深圳市南山区科苑路15号", [(bag, 1)], ordered_at=utcnow() - dt.timedelta(days=45))
    zhejiang = f.parcel_order("浙江省杭州市西湖区文三路478号", [(bag, 1)], ordered_at=utcnow() - dt.timedelta(days=1))
    first = operations.route_orders([old.id])[old.id]
    first_id, old_id, old_number = first.id, old.id, old.number
    ancient_number, zhejiang_number = ancient.number, zhejiang.number
    db.commit()

    client = login_as("supervisor")
    assert client.get("/shipping/rules").status_code == 200
    created = client.post("/shipping/rules/drafts", {"note": "广东改走中通"}, token_from="/shipping/rules")
    assert created.status_code == 302
    draft_url = created.headers["Location"]
    draft = db.query(RuleSet).filter_by(status="draft").one()
    draft_id = draft.id
    page = client.get(draft_url).get_data(as_text=True)
    assert "一件走申通" in page and "新疆维吾尔自治区" in page

    count = len(db.get(RuleSet, draft_id).rules)
    bad = client.post(f"/shipping/rules/{draft_id}/rule", {
        "new-name": "广东走中通", "new-provinces": ["440000"], "new-cities": "广州、火星市",
        "new-items_min": "3", "new-items_max": "2", "new-couriers": ["zhongtong", ""]}, token_from=draft_url)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "规则「广东走中通」的「城市」：不认识城市「火星市」" in text and "规则「广东走中通」的「件数」：下限大于上限" in text
    assert 'value="广州、火星市"' in text  # the supervisor's input is shown again
    db.expire_all()
    assert len(db.get(RuleSet, draft_id).rules) == count  # nothing half-saved

    saved = client.post(f"/shipping/rules/{draft_id}/rule", {
        "new-name": "广东走中通", "new-provinces": ["440000"], "new-couriers": ["zhongtong", "", ""],
        "new-fallback": "yuantong"}, token_from=draft_url)
    assert saved.status_code == 302
    db.expire_all()
    rule = next(r for r in db.get(RuleSet, draft_id).rules if r.name == "广东走中通")
    rule_id = rule.id
    assert rule.conditions == {"province_codes": ["440000"]}
    assert rule.action == {"couriers": ["zhongtong"], "fallback": "yuantong"}
    assert rule.position == 110  # new rules go last
    for _ in range(2):  # above 两件及以上走圆通 and 一件走申通
        client.post(f"/shipping/rules/{draft_id}/rule/{rule_id}/move", {"direction": "up"}, token_from=draft_url)
    db.expire_all()
    order = [r.name for r in db.get(RuleSet, draft_id).rules]
    assert order[-3:] == ["广东走中通", "两件及以上走圆通", "一件走申通"]

    whatif = client.get(f"/shipping/rules/{draft_id}/whatif").get_data(as_text=True)
    assert old_number in whatif and "中通" in whatif
    assert ancient_number not in whatif and zhejiang_number not in whatif  # older than 30 days; unchanged
    result = replay(db.get(RuleSet, draft_id))
    assert result.courier_changes == 1 and result.orders == 2

    published = client.post(f"/shipping/rules/{draft_id}/publish", token_from=draft_url)
    assert published.status_code == 302
    assert db.get(RuleSet, draft_id).status == "published"
    assert db.query(RuleSet).filter_by(status="published").count() == 1
    # Published versions are read-only.
    refused = client.post(f"/shipping/rules/{draft_id}/rule", {"new-name": "x", "new-couriers": ["zhongtong"]},
                          token_from="/shipping/rules")
    assert refused.status_code == 400 and "已发布，不能修改" in refused.get_data(as_text=True)

    again = operations.route_orders([old_id])[old_id]
    assert again.courier_code == "zhongtong" and again.rule_set.version == 2
    past = db.get(RoutingDecision, first_id)
    assert past.courier_code == "shentong" and past.rule_set.version == 1  # never rewritten


def test_coverage_and_freight_edits(db, login_as):
    client = login_as("supervisor")
    created = client.post("/shipping/rules/drafts", {"note": "京东阿里地区超区"}, token_from="/shipping/rules")
    draft_url = created.headers["Location"]
    draft_id = db.query(RuleSet).filter_by(status="draft").one().id
    client.post(f"/shipping/rules/{draft_id}/coverage", {"cov-courier_code": "jd", "cov-region": "阿里地区",
                                                         "cov-surcharge": "0"}, token_from=draft_url)
    client.post(f"/shipping/rules/{draft_id}/rates", {
        "rate-courier_code": "youzhengguonei", "rate-region": "新疆", "rate-first_weight_g": "1000",
        "rate-first": "18", "rate-extra_unit_g": "1000", "rate-extra": "8", "rate-rounding": "ceil"},
        token_from=draft_url)  # duplicate of the seeded row: refused with a message
    refused = client.get(draft_url).get_data(as_text=True)
    assert "该快递在这个地区已有运费，请修改那一行" in refused
    seeded = next(r for r in db.get(RuleSet, draft_id).rates if r.courier_code == "jd" and r.region_code == "540000")
    seeded_id = seeded.id
    p = f"rate{seeded_id}"
    edited = client.post(f"/shipping/rules/{draft_id}/rates", {
        "rate_id": str(seeded_id), f"{p}-courier_code": "jd", f"{p}-region": "西藏自治区", f"{p}-first_weight_g": "3000",
        f"{p}-first": "18", f"{p}-extra_unit_g": "500", f"{p}-extra": "3.5", f"{p}-rounding": "ceil"}, token_from=draft_url)
    assert edited.status_code == 302
    bad = client.post(f"/shipping/rules/{draft_id}/rates", {
        "rate_id": str(seeded_id), f"{p}-courier_code": "jd", f"{p}-region": "西藏", f"{p}-first_weight_g": "3000",
        f"{p}-first": "十八", f"{p}-extra_unit_g": "500", f"{p}-extra": "3.5", f"{p}-rounding": "ceil"}, token_from=draft_url)
    assert "运费 京东 西藏：价格必须是以元为单位的金额" in client.get(bad.headers["Location"]).get_data(as_text=True)
    db.expire_all()
    rs = db.get(RuleSet, draft_id)
    jd = next(r for r in rs.rates if r.id == seeded_id)
    assert (jd.first_fen, jd.extra_unit_g, jd.extra_fen, jd.rounding) == (1800, 500, 350, "ceil")
    assert any(c.courier_code == "jd" and c.region_code == "542500" for c in rs.coverage)
    assert sum(1 for r in rs.rates if r.courier_code == "youzhengguonei" and r.region_code == "650000") == 1
    router_result = replay(rs)  # no orders: nothing changes
    assert router_result.orders == 0


def test_only_supervisors_edit_rules(db, login_as):
    assert login_as("warehouse").get("/shipping/rules").status_code == 403
    assert login_as("service").get("/shipping/rules").status_code == 403


def test_route_orders_uses_memo_request_weights_and_day_totals(db):
    bag = f.parcel_sku("daming-D-998-heise", weight_g=1200, price_fen=2990)
    first = f.parcel_order("新疆乌鲁木齐市天山区解放南路1号", [(bag, 1)], flash_sale=True, buyer="小美")
    second = f.parcel_order("新疆乌鲁木齐市天山区解放南路1号", [(bag, 1)], flash_sale=True, buyer="小美",
                            message="发顺丰")
    decisions = operations.route_orders([first.id, second.id])
    d = decisions[second.id]
    assert d.inputs["amount_fen"] == 5980 and d.inputs["requested"] == "shunfeng" and d.inputs["weight_g"] == 1200
    assert d.status == "needs_approval" and d.courier_code == "youzhengguonei"  # the day's total passed 50 yuan
    assert second.courier_code == "youzhengguonei"
    assert d.reasons[0] == "规则 #10 秒杀订单不能指定快递：不接受买家指定的顺丰：秒杀订单不能指定快递"


def test_order_page_shows_the_routing_decision(db, login_as):
    order = f.parcel_order("海南省海口市龙华区滨海大道32号", [(f.parcel_sku("daming-D-998-heise"), 1)])
    operations.route_orders([order.id])
    order_id = order.id
    db.commit()
    page = login_as("service").get(f"/orders/{order_id}").get_data(as_text=True)
    assert "圆通" in page and "#100 一件走申通" in page and "申通在海南省超区" in page and "改用备选快递圆通" in page


def test_supervisor_decides_free_shipping_for_a_big_flash_sale_buyer(db, login_as):
    bag = f.parcel_sku("daming-D-998-heise", price_fen=6800)
    order = f.parcel_order("新疆乌鲁木齐市天山区解放南路1号", [(bag, 1)], flash_sale=True)
    assert operations.route_orders([order.id])[order.id].status == "needs_approval"
    order_id = order.id
    db.commit()
    warehouse = login_as("warehouse")
    assert "免补运费" not in warehouse.get(f"/orders/{order_id}").get_data(as_text=True)
    assert warehouse.post(f"/shipping/orders/{order_id}/decide", {"courier_code": "youzhengguonei",
                                                                  "free_shipping": "y"}).status_code == 403
    boss = login_as("supervisor")
    page = boss.get(f"/orders/{order_id}").get_data(as_text=True)
    assert 'name="free_shipping"' in page
    done = boss.post(f"/shipping/orders/{order_id}/decide", {"courier_code": "youzhengguonei", "free_shipping": "y"},
                     token_from=f"/orders/{order_id}")
    assert done.status_code == 302
    latest = operations.latest_decisions([order_id])[order_id]
    assert (latest.status, latest.surcharge_fen, latest.rule_name) == ("ok", 0, "主管决定")
    assert "包邮（免补运费）" in latest.reasons[0] and "原规则：#30 秒杀只有邮政到·当天满50元" in latest.reasons[1]
    assert db.query(RoutingDecision).filter_by(order_id=order_id).count() == 2
