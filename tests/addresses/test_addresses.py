"""Address parsing against the official divisions: real addresses of every
province, the abbreviations people use, and what must be flagged."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice.addresses.divisions import divisions
from backoffice.addresses.parser import parse_address

REAL = [  # text, province, city, district code, detail
    ("河北省保定市竞秀区朝阳北大街1688号3单元502", "河北省", "保定市", "130602", "朝阳北大街1688号3单元502"),
    ("河北 保定 竞秀区 朝阳北大街 1688 号", "河北省", "保定市", "130602", "朝阳北大街 1688 号"),
    ("北京市朝阳区望京街道阜通东大街6号院", "北京市", "北京市", "110105", "望京街道阜通东大街6号院"),
    ("北京朝阳区望京", "北京市", "北京市", "110105", "望京"),
    ("北京市北京市海淀区中关村大街27号", "北京市", "北京市", "110108", "中关村大街27号"),
    ("天津市南开区鞍山西道77号", "天津市", "天津市", "120104", "鞍山西道77号"),
    ("上海市浦东新区张杨路500号时代广场18楼", "上海市", "上海市", "310115", "张杨路500号时代广场18楼"),
    ("重庆市沙坪坝区沙正街174号", "重庆市", "重庆市", "500106", "沙正街174号"),
    ("重庆酉阳土家族苗族自治县钟多街道", "重庆市", "重庆市", "500242", "钟多街道"),
    ("山西省太原市小店区长风街113号", "山西省", "太原市", "140105", "长风街113号"),
    ("内蒙古呼和浩特市赛罕区大学东街235号", "内蒙古自治区", "呼和浩特市", "150105", "大学东街235号"),
    ("内蒙古自治区锡林郭勒盟锡林浩特市额尔敦路", "内蒙古自治区", "锡林郭勒盟", "152502", "额尔敦路"),
    ("辽宁省沈阳市和平区南京北街206号", "辽宁省", "沈阳市", "210102", "南京北街206号"),
    ("吉林延边延吉市河南街", "吉林省", "延边朝鲜族自治州", "222401", "河南街"),
    ("吉林市船营区北京路", "吉林省", "吉林市", "220204", "北京路"),
    ("黑龙江省哈尔滨市南岗区西大直街92号", "黑龙江省", "哈尔滨市", "230103", "西大直街92号"),
    ("江苏南京鼓楼区中山北路30号", "江苏省", "南京市", "320106", "中山北路30号"),
    ("浙江省杭州市西湖区文三路90号", "浙江省", "杭州市", "330106", "文三路90号"),
    ("浙江省西湖区文三路", "浙江省", "杭州市", "330106", "文三路"),
    ("安徽省合肥市蜀山区长江西路189号", "安徽省", "合肥市", "340104", "长江西路189号"),
    ("福建省厦门市思明区湖滨南路388号", "福建省", "厦门市", "350203", "湖滨南路388号"),
    ("江西省南昌市东湖区八一大道", "江西省", "南昌市", "360102", "八一大道"),
    ("山东省青岛市市南区香港中路76号", "山东省", "青岛市", "370202", "香港中路76号"),
    ("河南省郑州市金水区花园路39号", "河南省", "郑州市", "410105", "花园路39号"),
    ("河南省济源市沁园街道", "河南省", None, "419001", "沁园街道"),
    ("湖北省武汉市洪山区珞喻路1037号", "湖北省", "武汉市", "420111", "珞喻路1037号"),
    ("湖南省长沙市岳麓区麓山南路932号", "湖南省", "长沙市", "430104", "麓山南路932号"),
    ("广东省深圳市南山区科苑路15号", "广东省", "深圳市", "440305", "科苑路15号"),
    ("广东省东莞市南城街道鸿福路", "广东省", "东莞市", None, "南城街道鸿福路"),
    ("广西南宁市青秀区民族大道136号", "广西壮族自治区", "南宁市", "450103", "民族大道136号"),
    ("海南省海口市龙华区国贸大道48号", "海南省", "海口市", "460106", "国贸大道48号"),
    ("四川省成都市武侯区人民南路四段11号", "四川省", "成都市", "510107", "人民南路四段11号"),
    ("贵州省贵阳市南明区中华南路", "贵州省", "贵阳市", "520102", "中华南路"),
    ("云南省昆明市五华区东风西路11号", "云南省", "昆明市", "530102", "东风西路11号"),
    ("西藏拉萨市城关区北京中路48号", "西藏自治区", "拉萨市", "540102", "北京中路48号"),
    ("陕西省西安市雁塔区小寨东路126号", "陕西省", "西安市", "610113", "小寨东路126号"),
    ("甘肃省兰州市城关区东岗西路", "甘肃省", "兰州市", "620102", "东岗西路"),
    ("青海省西宁市城中区西大街40号", "青海省", "西宁市", "630103", "西大街40号"),
    ("宁夏银川市兴庆区解放西街2号", "宁夏回族自治区", "银川市", "640104", "解放西街2号"),
    ("新疆乌鲁木齐市天山区解放北路90号", "新疆维吾尔自治区", "乌鲁木齐市", "650102", "解放北路90号"),
    ("新疆石河子市北一路", "新疆维吾尔自治区", None, "659001", "北一路"),
    ("保定市竞秀区朝阳北大街", "河北省", "保定市", "130602", "朝阳北大街"),
    ("竞秀区朝阳北大街", "河北省", "保定市", "130602", "朝阳北大街"),
    ("福建省鼓楼区五四路", "福建省", "福州市", "350102", "五四路"),
    ("河北省，保定市，竞秀区，朝阳北大街", "河北省", "保定市", "130602", "朝阳北大街"),
    ("ｈｅ河北省保定市竞秀区", None, None, None, None),  # stray text before the province: not guessed
]


@pytest.mark.parametrize("text, province, city, district_code, detail", REAL)
def test_real_addresses(text, province, city, district_code, detail):
    parsed = parse_address(text)
    if province is None:
        assert not parsed.resolved
        return
    assert parsed.resolved, (parsed.problem, parsed.problem_detail)
    assert (parsed.province, parsed.city, parsed.district_code, parsed.detail) == (province, city, district_code, detail)
    assert parsed.province_code == parsed.region_code[:2] + "0000"


@pytest.mark.parametrize("text, problem", [
    ("", "empty"),
    ("火星基地一号", "no_province"),
    ("朝阳区望京街道", "ambiguous"),          # 北京 and 长春 both have a 朝阳区
    ("鼓楼区中山路", "ambiguous"),
    ("河北省杭州市西湖区", "mismatch"),       # 杭州 is not in 河北
    ("河北省保定市西湖区", "mismatch"),
    ("浙江省杭州市文三路90号", "no_district"),
    ("河北省某某村", "no_city"),
])
def test_what_cannot_be_resolved_is_flagged_with_the_reason(text, problem):
    parsed = parse_address(text)
    assert not parsed.resolved and parsed.problem == problem
    assert parsed.district_code is None


def _district_cases():
    data = divisions()
    cases = []
    for d in data.by_code.values():
        if d.level != 3:
            continue
        province = data.by_code[d.province_code]
        city = data.parent(d)
        city_name = city.name if city is not None and city.level == 2 and city.name != province.name else ""
        cases.append((d.code, f"{province.name}{city_name}{d.name}"))
    return cases


DISTRICTS = _district_cases()


def test_the_dataset_covers_the_country():
    data = divisions()
    assert len(data.provinces) == 34
    assert len(DISTRICTS) > 2800
    assert data.by_code["130602"].name == "竞秀区" and data.by_code["133100"].name == "雄安新区"


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(DISTRICTS), st.sampled_from(["幸福路8号", " 3栋2单元101", "，和平街道"]))
def test_every_district_written_in_full_parses_back_to_itself(case, street):
    code, text = case
    parsed = parse_address(text + street)
    if parsed.problem == "ambiguous":  # same name twice in one city (rare): flagged, never guessed
        assert code in {d.code for d in divisions().by_code.values()}
        return
    assert parsed.resolved, (text, parsed.problem, parsed.problem_detail)
    assert parsed.district_code == code
    assert parsed.detail == street.strip(" ，")
