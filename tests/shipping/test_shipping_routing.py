"""Courier routing: the seeded SPEC §3.1 rules on real addresses, requests,
flash sales, and the out-of-area invariant for any rule set."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice.addresses.divisions import divisions
from backoffice.addresses.parser import parse_address
from backoffice.shipping.freight import Rate, freight_fen
from backoffice.shipping.parcels import parcel_from_address, requested_courier
from backoffice.shipping.routing import Parcel, Router
from backoffice.shipping.rulesets import published_rule_set, router_for

POST, JD, YUNDA, YTO, STO = "youzhengguonei", "jd", "yunda", "yuantong", "shentong"


@pytest.fixture
def router(db):
    return router_for(published_rule_set())


def route(router, address, **kw):
    parsed = parse_address(address)
    assert parsed.resolved, (address, parsed.problem)
    return router.route(parcel_from_address(parsed, **kw))


# One real address in every province-level region, one item, no request.
PROVINCES = [
    ("北京市朝阳区建国路88号SOHO现代城", STO, "ok"),
    ("天津市和平区南京路189号", POST, "ok"),
    ("河北省石家庄市长安区中山东路39号", POST, "ok"),
    ("山西省太原市小店区长风街123号", POST, "ok"),
    ("内蒙古呼和浩特市新城区新华大街63号", STO, "ok"),
    ("辽宁省沈阳市和平区南京北街206号", STO, "ok"),
    ("吉林省长春市朝阳区人民大街2888号", STO, "ok"),
    ("黑龙江省哈尔滨市南岗区西大直街92号", STO, "ok"),
    ("上海市浦东新区世纪大道100号", POST, "ok"),
    ("江苏省南京市鼓楼区中山北路30号", POST, "ok"),
    ("浙江省杭州市西湖区文三路478号", POST, "ok"),
    ("安徽省合肥市蜀山区长江西路130号", POST, "ok"),
    ("福建省福州市鼓楼区五四路158号", STO, "ok"),
    ("江西省南昌市东湖区八一大道333号", STO, "ok"),
    ("山东省济南市历下区泉城路180号", POST, "ok"),
    ("河南省郑州市金水区花园路88号", POST, "ok"),
    ("湖北省武汉市洪山区珞喻路1037号", STO, "ok"),
    ("湖南省长沙市岳麓区麓山南路932号", STO, "ok"),
    ("广东省广州市天河区天河路385号", STO, "ok"),
    ("广西壮族自治区南宁市青秀区民族大道100号", STO, "ok"),
    ("海南省海口市龙华区滨海大道32号", YTO, "ok"),  # 申通 超区 → 圆通
    ("重庆市渝中区解放碑民权路28号", STO, "ok"),
    ("四川省成都市武侯区人民南路四段1号", STO, "ok"),
    ("贵州省贵阳市云岩区中华北路242号", STO, "ok"),
    ("云南省昆明市五华区东风西路11号", STO, "ok"),
    ("西藏自治区拉萨市城关区北京中路1号", JD, "ok"),
    ("陕西省西安市雁塔区长安南路1号", POST, "ok"),
    ("甘肃省兰州市城关区东岗西路638号", STO, "ok"),
    ("青海省西宁市城中区南大街17号", YUNDA, "ok"),
    ("宁夏回族自治区银川市兴庆区解放西街2号", STO, "ok"),
    ("新疆维吾尔自治区乌鲁木齐市天山区解放南路1号", POST, "surcharge"),
]


def test_every_province_is_in_the_table():
    codes = {parse_address(a).province_code for a, _, _ in PROVINCES}
    mainland = {c for c, d in divisions().by_code.items() if d.level == 1 and c[:2] not in ("71", "81", "82")}
    assert codes == mainland


@pytest.mark.parametrize(("address", "courier", "status"), PROVINCES)
def test_one_item_to_every_province(router, address, courier, status):
    decision = route(router, address, items=1)
    assert (decision.courier_code, decision.status) == (courier, status)
    assert f"规则 {decision.rule} 适用" in "".join(decision.reasons)


@pytest.mark.parametrize(("address", "items", "courier", "note"), [
    ("广东省深圳市南山区科技园科苑路15号", 2, YTO, None),
    ("宁夏银川市兴庆区解放西街2号", 3, STO, "圆通在宁夏回族自治区超区"),  # 圆通 超区
    ("海南省三亚市吉阳区迎宾路1号", 2, YTO, None),
    ("北京市海淀区中关村大街1号", 2, YTO, None),
    ("河北省保定市竞秀区朝阳北大街1688号", 5, POST, None),  # row 4 comes before the item rules
    ("西藏拉萨市城关区北京中路1号", 2, JD, None),
    ("青海省海东市乐都区碾伯镇1号", 2, YUNDA, None),
])
def test_several_items(router, address, items, courier, note):
    decision = route(router, address, items=items)
    assert decision.courier_code == courier
    if note:
        assert note in decision.reasons


def test_xinjiang_goes_by_post_with_the_out_of_area_freight(router):
    decision = route(router, "新疆喀什地区喀什市人民东路1号", items=1)
    assert decision.courier_code == POST and decision.surcharge_fen == 1800 and decision.status == "surcharge"
    assert decision.rule == "#50 新疆走邮政"
    assert decision.freight_fen == 1800  # first kg 18 yuan (one 800 g bag)


def test_tibet_falls_back_to_post_where_jd_does_not_reach(router):
    """No JD gaps are known by default; a district added to JD's out-of-area list goes by 邮政."""
    jd_gap = Router(
        [{"position": 60, "name": "西藏走京东", "conditions": {"province_codes": ["540000"]},
          "action": {"couriers": [JD], "fallback": POST}}],
        [(JD, "542500", 0)], router.names)
    far = parcel_from_address(parse_address("西藏阿里地区噶尔县狮泉河镇"))
    near = parcel_from_address(parse_address("西藏拉萨市城关区北京中路1号"))
    assert jd_gap.route(far).courier_code == POST and "改用备选快递邮政" in jd_gap.route(far).reasons
    assert jd_gap.route(near).courier_code == JD


@pytest.mark.parametrize(("address", "asked", "courier", "status", "surcharge"), [
    ("广东省广州市天河区天河路385号", "shunfeng", "shunfeng", "ok", 0),      # 顺丰 reaches
    ("浙江省杭州市西湖区文三路478号", YUNDA, YUNDA, "ok", 0),
    ("海南省海口市龙华区滨海大道32号", STO, YTO, "request_refused", 0),      # 申通 超区 海南
    ("青海省西宁市城中区南大街17号", YTO, YUNDA, "request_refused", 0),
    ("北京市朝阳区建国路88号", POST, POST, "surcharge", 1800),             # 邮政 超区 but 18 yuan
    ("新疆乌鲁木齐市天山区解放南路1号", JD, POST, "request_refused", 1800),  # only 邮政 reaches
])
def test_buyer_requests(router, address, asked, courier, status, surcharge):
    decision = route(router, address, requested=asked)
    assert (decision.courier_code, decision.status, decision.surcharge_fen) == (courier, status, surcharge)
    if status == "request_refused":
        assert any("不接受买家指定的" in r for r in decision.reasons)


@pytest.mark.parametrize(("address", "amount_fen", "asked", "courier", "status", "surcharge"), [
    ("新疆乌鲁木齐市天山区解放南路1号", 3990, None, POST, "surcharge", 1800),       # under 50: buyer pays
    ("新疆乌鲁木齐市天山区解放南路1号", 4999, None, POST, "surcharge", 1800),
    ("新疆乌鲁木齐市天山区解放南路1号", 5000, None, POST, "needs_approval", 1800),  # 50+: supervisor
    ("新疆伊犁哈萨克自治州伊宁市解放路1号", 12800, "shunfeng", POST, "needs_approval", 1800),
    ("广东省广州市天河区天河路385号", 1990, "shunfeng", STO, "request_refused", 0),  # cannot choose
    ("浙江省杭州市西湖区文三路478号", 9900, None, POST, "ok", 0),
])
def test_flash_sale(router, address, amount_fen, asked, courier, status, surcharge):
    decision = route(router, address, flash_sale=True, amount_fen=amount_fen, requested=asked)
    assert (decision.courier_code, decision.status, decision.surcharge_fen) == (courier, status, surcharge)
    if asked:
        assert "秒杀订单不能指定快递" in decision.reasons[0]


def test_reasons_name_the_rule_and_the_inputs(router):
    decision = route(router, "新疆乌鲁木齐市天山区解放南路1号", flash_sale=True, amount_fen=6000)
    text = "\n".join(decision.reasons)
    assert "#30 秒杀只有邮政到·当天满50元" in text and "买家当天金额 60.00 元（规则 ≥50.00 元）" in text
    assert "需主管审批" in text


def test_unknown_destination_needs_a_person(router):
    decision = router.route(Parcel(province_code=None, items=1))
    assert decision.courier_code is None and decision.status == "no_route"


def test_requested_courier_from_the_memo(router):
    assert requested_courier(["亲，麻烦发顺丰哦", None], router.names) == "shunfeng"
    assert requested_courier(["发圆通或者申通都行"], router.names) is None
    assert requested_courier([None, ""], router.names) is None


@pytest.mark.parametrize(("weight", "rate", "fen"), [
    (800, Rate(POST, "650000", 1000, 1800), 1800),
    (1000, Rate(POST, "650000", 1000, 1800), 1800),
    (1001, Rate(POST, "650000", 1000, 1800, 1000, 800), 2600),          # ceil: a started kg counts
    (2600, Rate(POST, "650000", 1000, 1800, 1000, 800), 3400),
    (2400, Rate(POST, "650000", 1000, 1800, 1000, 800, "half_up"), 2600),  # 1.4 kg over → 1 unit
    (3000, Rate(JD, "540000", 3000, 1800), 1800),                       # 西藏 京东 first 3 kg
    (3200, Rate(JD, "540000", 3000, 1800), None),                       # no extra price set
    (3200, Rate(JD, "540000", 3000, 1800, 500, 300, "half_up"), 1800),
])
def test_freight(weight, rate, fen):
    assert freight_fen(weight, rate) == fen


def test_tibet_jd_freight_first_three_kilos(router):
    decision = route(router, "西藏拉萨市城关区北京中路1号", weight_g=2900)
    assert decision.courier_code == JD and decision.freight_fen == 1800


# -- the invariant: never an out-of-area courier unless the rule allows it and the surcharge is charged
ALL_COURIERS = [POST, JD, YUNDA, YTO, STO, "zhongtong", "shunfeng", "ems"]
_DISTRICTS = sorted(c for c, d in divisions().by_code.items() if d.level == 3)
_PROVINCES = sorted(c for c, d in divisions().by_code.items() if d.level == 1)

parcels = st.builds(
    lambda district, items, amount, flash, req: Parcel(
        district[:2] + "0000", district[:4] + "00", district, district, items, items * 800, amount, flash, req),
    st.sampled_from(_DISTRICTS), st.integers(1, 6), st.integers(0, 20000), st.booleans(),
    st.none() | st.sampled_from(ALL_COURIERS))
rules = st.lists(st.fixed_dictionaries({
    "conditions": st.fixed_dictionaries({}, optional={
        "province_codes": st.lists(st.sampled_from(_PROVINCES), max_size=5),
        "items_min": st.integers(1, 3), "flash_sale": st.booleans(), "request": st.sampled_from(["any", "none"])}),
    "action": st.fixed_dictionaries({"couriers": st.lists(st.sampled_from(ALL_COURIERS), min_size=1, max_size=3)},
                                    optional={"use_request": st.booleans(), "allow_out_of_area": st.booleans(),
                                              "fallback": st.sampled_from(ALL_COURIERS),
                                              "surcharge_fen": st.integers(0, 3000)}),
}), min_size=1, max_size=8)
coverage = st.lists(st.tuples(st.sampled_from(ALL_COURIERS), st.sampled_from(_PROVINCES), st.sampled_from([0, 1800])),
                    max_size=40)


def _assert_invariant(router: Router, parcel: Parcel) -> None:
    decision = router.route(parcel)
    if decision.courier_code is None:
        return
    extra = router.out_of_area(decision.courier_code, parcel)
    if extra is not None:
        rule = next(r for r in router.rules if r.label == decision.rule)
        assert rule.allow_out_of_area and extra > 0 and decision.surcharge_fen >= extra, decision


@settings(max_examples=300, deadline=None)
@given(rules, coverage, parcels)
def test_never_out_of_area_without_rule_and_surcharge(rule_list, excluded, parcel):
    names = {c: c for c in ALL_COURIERS}
    router = Router([dict(r, position=i, name=f"r{i}") for i, r in enumerate(rule_list)], excluded, names)
    _assert_invariant(router, parcel)


def test_seeded_rules_keep_the_invariant(router):
    @settings(max_examples=500, deadline=None)
    @given(parcels)
    def check(parcel):
        _assert_invariant(router, parcel)

    check()


@settings(max_examples=100, deadline=None)
@given(rules, coverage, st.lists(parcels, min_size=2, max_size=30))
def test_shared_evaluations_decide_as_a_fresh_router_does(rule_list, excluded, parcel_list):
    """Alike parcels share one evaluation: the decisions must equal those of a router seeing each parcel first."""
    names = {c: c for c in ALL_COURIERS}
    spec = [dict(r, position=i, name=f"r{i}") for i, r in enumerate(rule_list)]
    shared = Router(spec, excluded, names)
    for parcel in parcel_list:
        assert shared.route(parcel) == Router(spec, excluded, names).route(parcel)
