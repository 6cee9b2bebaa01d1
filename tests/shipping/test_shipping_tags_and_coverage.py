"""Product tags reach routing; JD's out-of-area prefectures in 西藏; seeded per-kilo freight."""
from __future__ import annotations

import pytest

from backoffice.catalog.models import Product
from backoffice.orders.models import Order
from backoffice.shipping import operations, rule_edits
from backoffice.shipping.parcels import parcels_for_orders
from backoffice.shipping.rulesets import published_rule_set, router_for
from tests import factories as f


def test_product_tags_are_edited_in_the_product_form_and_reach_the_parcel(db, login_as):
    vase = f.parcel_sku("daming-D-777-baise", weight_g=900)
    product_id = vase.product_id
    db.commit()
    staff = login_as("listing")
    url = f"/catalog/products/{product_id}"
    saved = staff.post(url, {"name": "玻璃装饰小方包", "cost": "38", "shape": "", "material": "", "tags": "易碎、超大 易碎"}, token_from=url)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    db.expire_all()
    assert db.get(Product, product_id).tags == ["易碎", "超大"]
    assert "易碎、超大" in staff.get(url).get_data(as_text=True)

    bag = f.parcel_sku("daming-D-998-heise")
    order = f.parcel_order("广东省广州市天河区天河路385号", [(db.get(Product, product_id).skus[0], 1), (bag, 1)])
    draft = rule_edits.create_draft("易碎件走京东")
    rule = rule_edits.save_rule(draft, {"name": "易碎件走京东", "tags": "易碎", "couriers": ["jd"]})
    for _ in range(2):  # above the item-count rules
        rule_edits.move_rule(draft, rule.id, "up")
    router = router_for(draft)
    parcel = parcels_for_orders([db.get(Order, order.id)], router.names, 800)[order.id]
    assert parcel.tags == frozenset({"易碎", "超大"})
    decision = router.route(parcel)
    assert decision.courier_code == "jd" and "商品标签 易碎" in decision.reasons[0]
    assert router_for(published_rule_set()).route(parcel).courier_code == "yuantong"  # 2 items, no tag rule


@pytest.mark.parametrize("address, courier, reason", [
    ("西藏拉萨市城关区北京中路1号", "jd", None),
    ("西藏日喀则市桑珠孜区上海中路8号", "jd", None),
    ("西藏阿里地区噶尔县狮泉河镇1号", "youzhengguonei", "京东在阿里地区超区"),
    ("西藏那曲市色尼区浙江中路2号", "youzhengguonei", "京东在那曲市超区"),
])
def test_jd_does_not_reach_every_prefecture_of_tibet(db, address, courier, reason):
    order = f.parcel_order(address, [(f.parcel_sku("daming-D-998-heise"), 1)])
    decision = operations.route_orders([order.id])[order.id]
    assert decision.courier_code == courier and decision.rule_name == "#60 西藏走京东"
    if reason:
        assert any(reason in r for r in decision.reasons) and "改用备选快递邮政" in decision.reasons[-1]


@pytest.mark.parametrize("address, weight_g, courier, fen", [
    ("新疆乌鲁木齐市天山区解放南路1号", 1000, "youzhengguonei", 1800),
    ("新疆乌鲁木齐市天山区解放南路1号", 1001, "youzhengguonei", 2800),  # 邮政: every started kilo counts
    ("新疆乌鲁木齐市天山区解放南路1号", 2300, "youzhengguonei", 3800),
    ("西藏拉萨市城关区北京中路1号", 3400, "jd", 1800),  # 京东: under half a kilo over is free
    ("西藏拉萨市城关区北京中路1号", 3600, "jd", 2400),
    ("西藏拉萨市城关区北京中路1号", 5400, "jd", 3000),
    ("西藏拉萨市城关区北京中路1号", 5500, "jd", 3600),  # half a kilo rounds up
])
def test_seeded_freight_per_extra_kilo_with_each_couriers_rounding(db, address, weight_g, courier, fen):
    order = f.parcel_order(address, [(f.parcel_sku(f"daming-W-{weight_g}-heise", weight_g=weight_g), 1)])
    decision = operations.route_orders([order.id])[order.id]
    assert (decision.courier_code, decision.freight_fen) == (courier, fen)
