from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.masking import mask_address, mask_name, mask_phone


@pytest.mark.parametrize("name, masked", [
    ("张三", "张*"),
    ("王芳", "王*"),
    ("欧阳娜娜", "欧***"),
    ("李", "李*"),
    ("  赵丽颖 ", "赵**"),
    ("Li Lei", "L*****"),
    ("", ""),
    (None, ""),
])
def test_names(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("phone, masked", [
    ("13812345678", "138****5678"),
    ("15930216688", "159****6688"),
    ("+86 13812345678", "+86 1******5678"),
    ("0312-5961234", "031*-***1234"),
    ("138-1234-5678", "138-****-5678"),
    ("1234567", "*******"),
    ("", ""),
])
def test_phones(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("parts, masked", [
    (("河北省", "保定市", "竞秀区", "朝阳北大街 1688 号"), "河北省 保定市 竞秀区 ****"),
    (("北京市", "北京市", "朝阳区", "望京街道 6 号院"), "北京市 北京市 朝阳区 ****"),
    (("新疆维吾尔自治区", "乌鲁木齐市", None, "解放北路 90 号"), "新疆维吾尔自治区 乌鲁木齐市 ****"),
    (("上海市", "上海市", "浦东新区", None), "上海市 上海市 浦东新区"),
])
def test_addresses_keep_the_region_and_hide_the_street(parts, masked):
    assert mask_address(*parts) == masked


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mobile_numbers_keep_shape_and_reveal_at_most_seven_digits(phone):
    masked = mask_phone(phone)
    assert len(masked) == len(phone)
    assert masked[:3] == phone[:3] and masked[-4:] == phone[-4:]
    assert masked[3:7] == "****"


@given(st.text(min_size=2, max_size=8).filter(lambda s: s.strip() and len(s.strip()) >= 2))
def test_a_masked_name_never_contains_the_given_name(name):
    masked = mask_name(name)
    assert masked[0] == name.strip()[0]
    assert set(masked[1:]) == {"*"}
