"""The structured rule form: what a supervisor types ↔ a rule's conditions and action."""
from __future__ import annotations

import pytest

from backoffice.errors import OperationError
from backoffice.shipping.rule_edits import region_code
from backoffice.shipping.rule_form import resolve_region, rule_from_values, values_from_rule
from backoffice.shipping.rulesets import courier_names, published_rule_set

COURIERS = ["youzhengguonei", "jd", "yunda", "yuantong", "shentong", "zhongtong"]


def test_every_seeded_rule_survives_the_form_unchanged(db):
    for rule in published_rule_set().rules:
        values = values_from_rule(rule.name, rule.conditions, rule.action)
        name, conditions, action = rule_from_values(values, courier_names(active_only=False))
        stored = {k: sorted(v) if k.endswith("_codes") else v for k, v in rule.conditions.items()}  # code sets
        assert (name, conditions, action) == (rule.name, stored, rule.action)


def test_a_full_rule_from_the_form():
    name, conditions, action = rule_from_values({
        "name": "阿里那曲易碎件走邮政", "provinces": ["540000"], "cities": "阿里地区、那曲",
        "districts": "噶尔县 南京市鼓楼区", "items_min": "1", "items_max": "3", "weight_min": "", "weight_max": "3000",
        "amount_min": "19.9", "amount_max": "200", "flash_sale": "no", "request": "none", "tags": "易碎，超大",
        "couriers": ["youzhengguonei", "", ""], "fallback": "jd", "surcharge": "8", "approval": True,
        "allow_out_of_area": True}, COURIERS)
    assert name == "阿里那曲易碎件走邮政"
    assert conditions == {
        "province_codes": ["540000"], "city_codes": ["540600", "542500"], "district_codes": ["320106", "542523"],
        "items_min": 1, "items_max": 3, "weight_max_g": 3000, "amount_min_fen": 1990, "amount_max_fen": 20000,
        "flash_sale": False, "request": "none", "tags_any": ["易碎", "超大"]}
    assert action == {"couriers": ["youzhengguonei"], "fallback": "jd", "surcharge_fen": 800, "approval": True,
                      "allow_out_of_area": True}


@pytest.mark.parametrize("values, error", [
    ({"name": "", "couriers": ["jd"]}, "规则「（未命名）」的「规则名称」：必须填写"),
    ({"name": "朝阳走京东", "districts": "朝阳区", "couriers": ["jd"]},
     "规则「朝阳走京东」的「区县」：「朝阳区」有多个同名地区（北京市朝阳区、吉林省长春市朝阳区），请写上省市"),
    ({"name": "火星", "cities": "火星市", "couriers": ["jd"]}, "规则「火星」的「城市」：不认识城市「火星市」"),
    ({"name": "重件", "weight_min": "2kg", "couriers": ["jd"]}, "规则「重件」的「重量下限（克）」：「2kg」不是非负整数"),
    ({"name": "大单", "amount_min": "五十", "couriers": ["jd"]}, "规则「大单」的「当天金额下限（元）」：「五十」不是金额"),
    ({"name": "区间", "amount_min": "100", "amount_max": "50", "couriers": ["jd"]}, "规则「区间」的「当天金额」：下限大于上限"),
    ({"name": "空", "provinces": ["650000"]}, "规则「空」的「动作」：至少要分配快递、使用买家指定的快递或填写拒绝理由"),
    ({"name": "重复", "couriers": ["jd", "jd"]}, "规则「重复」的「分配快递」：同一快递选了两次"),
    ({"name": "拒绝", "refuse_reason": "不发顺丰"}, "规则「拒绝」的「买家指定快递」：使用或拒绝买家指定的快递时，条件须选「买家指定了快递」"),
    ({"name": "DHL", "couriers": ["dhl"]}, "规则「DHL」的「分配快递」：有未知快递"),
    ({"name": "加价", "couriers": ["jd"], "surcharge": "-3"}, "规则「加价」的「加收运费（元）」：「-3」不是非负金额"),
])
def test_form_errors_name_the_rule_and_field(values, error):
    with pytest.raises(OperationError) as caught:
        rule_from_values(values, COURIERS)
    assert error in caught.value.message.split("；")


@pytest.mark.parametrize("text, level, code", [
    ("阿里地区", 2, "542500"), ("阿里", 2, "542500"), ("喀什", 2, "653100"), ("542500", 2, "542500"),
    ("噶尔县", 3, "542523"), ("北京朝阳区", 3, "110105"), ("吉林省长春市朝阳区", 3, "220104"),
])
def test_region_names_resolve_to_codes(text, level, code):
    assert resolve_region(text, level) == code


@pytest.mark.parametrize("text, code, error", [
    ("新疆", "650000", None), ("阿里地区", "542500", None), ("西藏噶尔县", "542523", None), ("南京市鼓楼区", "320106", None),
    ("鼓楼区", None, "「鼓楼区」有多个同名地区（江苏省南京市鼓楼区、江苏省徐州市鼓楼区、河南省开封市鼓楼区、福建省福州市鼓楼区），请写上省市"),
    ("火星", None, "无法识别地区「火星」"), ("999999", None, "没有代码为 999999 的地区"),
])
def test_coverage_and_freight_regions(text, code, error):
    if error:
        with pytest.raises(OperationError, match=error):
            region_code(text)
    else:
        assert region_code(text) == code
