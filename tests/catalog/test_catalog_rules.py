"""The pure listing rules: codes (SPEC §1.1), price formulas (§1.2), size class (§1.3), titles (§1.5)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.catalog import codes, pricing, sizes, titles
from backoffice.catalog.codes import CodeError, CodeRequest, make_codes

OVERRIDES = {"藏青色": "cang qing se"}


@pytest.mark.parametrize("req, listing, skus, prefix", [
    (CodeRequest("daming", "D-998-20", "normal", colors=("黑色",)), "daming-D-998-20",
     {"黑色": "daming-D-998-20-heise"}, ""),
    (CodeRequest("daming", "D-998-20", "streamer", "宝娜主播", colors=("黑色", "米白色")), "daming-D-998-20-BNZB",
     {"黑色": "daming-D-998-20-BNZB-heise", "米白色": "daming-D-998-20-BNZB-mibaise"}, "【宝娜主播粉丝专享】"),
    (CodeRequest("xialuoxi", "X-512", "streamer", "瑜儿", colors=("粉色",)), "xialuoxi-X-512-YE",
     {"粉色": "xialuoxi-X-512-YE-fense"}, "【瑜儿粉丝专享】"),
    (CodeRequest("ruisite", "RST182", "flash", number=182, colors=("黑色", "白色")), "miaosha-182",
     {"黑色": "miaosha-182-heise", "白色": "miaosha-182-baise"}, ""),
    (CodeRequest("daming", "D-GP-01", "unique", number=3, colors=("焦糖色",)), "888888", {"焦糖色": "888888-3"}, ""),
    (CodeRequest("baozhilian", "955", colors=("藏青色", "绿色", "卡其色")), "baozhilian-955",
     {"藏青色": "baozhilian-955-cangqingse", "绿色": "baozhilian-955-lvse", "卡其色": "baozhilian-955-kaqise"}, ""),
    (CodeRequest("daming", "d-1021", colors=("黑色",), sizes=("小", "大")), "daming-d-1021",
     {"黑色/小": "daming-d-1021-heise-xiao", "黑色/大": "daming-d-1021-heise-da"}, ""),
])
def test_codes_for_every_kind(req, listing, skus, prefix):
    result = make_codes(req, OVERRIDES)
    assert (result.listing_code, result.sku_codes, result.title_prefix) == (listing, skus, prefix)
    assert result.reasons


def test_the_override_dictionary_fixes_polyphones():
    assert codes.pinyin("藏青色") == "zangqingse"  # pypinyin alone reads 藏 as zang
    assert codes.pinyin("藏青色", OVERRIDES) == "cangqingse"
    assert codes.pinyin("深藏青色", OVERRIDES) == "shencangqingse"  # overrides apply inside longer words
    assert codes.initials("宝娜主播") == "BNZB" and codes.initials("Coco主播") == "CZB"
    assert codes.pinyin("酒红色") == "jiuhongse" and codes.pinyin("绿色") == "lvse"


@pytest.mark.parametrize("req, field", [
    (CodeRequest("daming", "D-1", "unique", number=1, colors=("黑色", "白色")), "colors"),
    (CodeRequest("ruisite", "RST1", "flash", colors=("黑色",)), "number"),
    (CodeRequest("daming", "D 998", colors=("黑色",)), "model"),
    (CodeRequest("daming", "新款998", colors=("黑色",)), "model"),
    (CodeRequest("daming", "D-1", "streamer", colors=("黑色",)), "streamer"),
    (CodeRequest("daming", "D-1", colors=("黑色", "黑色")), "colors"),
    (CodeRequest("daming", "D-1", colors=("黑色", "嘿色")), "colors"),  # both read heise
    (CodeRequest("daming", "D-1", colors=()), "colors"),
    (CodeRequest("Daming", "D-1", colors=("黑色",)), "supplier"),
    (CodeRequest("daming", "D-1", "vip", colors=("黑色",)), "kind"),
])
def test_codes_refuse_bad_inputs_naming_the_field(req, field):
    with pytest.raises(CodeError) as err:
        make_codes(req, OVERRIDES)
    assert err.value.field == field


@given(st.lists(st.sampled_from(["黑色", "白色", "米白色", "卡其色", "酒红色", "藏青色", "粉色", "绿色", "焦糖色"]),
                min_size=1, max_size=6, unique=True))
def test_sku_codes_extend_the_listing_code_and_never_collide(colours):
    result = make_codes(CodeRequest("daming", "D-998-20", colors=tuple(colours)), OVERRIDES)
    assert len(set(result.sku_codes.values())) == len(colours)
    assert all(c.startswith(result.listing_code + "-") and c.isascii() for c in result.sku_codes.values())


# -- price formulas -------------------------------------------------------------
@pytest.mark.parametrize("formula, cost_fen, step, mode, weight, expected", [
    ("(cost + 10) / 0.6 / 0.7", 3000, 1, "half_up", None, 9524),  # 夏洛昔, SPEC §1.2
    ("cost + 15", 3800, 1, "half_up", None, 5300),  # 娜好呀
    ("cost * 1.005", 100, 1, "half_up", None, 101),  # 100.5 fen
    ("cost * 1.005", 100, 1, "half_even", None, 100),
    ("cost * 1.005", 100, 1, "down", None, 100),
    ("(cost + 10) / 0.6 / 0.7", 3000, 10, "half_up", None, 9520),  # to the jiao
    ("(cost + 10) / 0.6 / 0.7", 3000, 100, "up", None, 9600),  # up to the yuan
    ("cost + weight / 100", 2000, 1, "half_up", 500, 2500),
    ("-(-cost) * 2", 1250, 1, "half_up", None, 2500),
    ("cost*2-0.1", 1000, 1, "half_up", None, 1990),
])
def test_formula_prices(formula, cost_fen, step, mode, weight, expected):
    price = pricing.price_fen(pricing.parse(formula), cost_fen, step_fen=step, mode=mode, weight_g=weight)
    assert price.fen == expected and formula in price.reason


@pytest.mark.parametrize("text", ["", "cost +", "cost ** 2", "__import__('os')", "price + 1", "cost; import os",
                                  "(cost + 1", "1 + 2", "cost + 1)", "cost.real", "cost + ¥5"])
def test_formulas_that_are_refused(text):
    with pytest.raises(pricing.FormulaError):
        pricing.parse(text)


def test_division_by_zero_and_non_prices_are_errors():
    with pytest.raises(pricing.FormulaError):
        pricing.price_fen(pricing.parse("cost / (cost - cost)"), 1000)
    with pytest.raises(pricing.FormulaError):
        pricing.price_fen(pricing.parse("cost - 100"), 1000)


@given(st.integers(min_value=1, max_value=10_000_00))
def test_a_markup_formula_adds_exactly_and_grows_with_cost(cost_fen):
    assert pricing.price_fen(pricing.parse("cost + 15"), cost_fen).fen == cost_fen + 1500
    f = pricing.parse("(cost + 10) / 0.6 / 0.7")
    assert pricing.price_fen(f, cost_fen + 1).fen >= pricing.price_fen(f, cost_fen).fen


# -- size class -----------------------------------------------------------------
CLASSES = [("迷你", Decimal(20)), ("小", Decimal(27)), ("中", Decimal(32)), ("大", None)]


@pytest.mark.parametrize("dims, expected", [
    ((19.9, 8, 12), "迷你"), ((20, 8, 14), "小"), ((26.9, 7, 13), "小"), ((27, 10, 14), "中"),
    ((12, 31.9, 10), "中"), ((34, 13, 27), "大"), ((22, 22, 45), "大"), ((None, None, None), None),
])
def test_size_class_from_the_longest_side(dims, expected):
    name, reason = sizes.size_class(dims, CLASSES)
    assert name == expected and reason


def test_every_bag_is_listed_as_medium_unless_it_has_size_variants():
    assert sizes.listed_sizes(False) == ["中"]
    assert sizes.listed_sizes(True) == ["小", "大"]


# -- titles ---------------------------------------------------------------------
W = titles.Word
WORDS = [W("title_main", "包包"), W("title_main", "女包"), W("title_main", "{year}"), W("title_main", "新款"),
         W("title_main", "斜挎", ("斜挎包",)), W("title_main", "单肩", ("单肩包",)), W("title_core", "韩版"),
         W("title_core", "小包", ("小", "迷你")), W("title_modifier", "休闲"), W("title_modifier", "时尚"),
         W("title_modifier", "百搭"), W("title_modifier", "简约"), W("title_modifier", "复古"),
         W("title_modifier", "小方包", ("小方包",)), W("title_modifier", "链条包", ("链条",)),
         W("title_modifier", "枕头包", ("枕头包",)), W("title_modifier", "学院风", ("书包",))]


@pytest.mark.parametrize("text, length", [("包包", 4), ("RST182", 6), ("【瑜儿粉丝专享】", 16), ("2026新款", 8),
                                          ("RST182 小方包", 13)])
def test_title_length_counts_a_chinese_character_as_two(text, length):
    assert titles.title_length(text) == length


def test_a_title_matches_the_attributes_without_repeating_a_word():
    t = titles.build_title("", ["小方包", "链条", "斜挎包", "小"], WORDS, limit=60, year=2026)
    assert t.text.startswith("包包女包2026新款斜挎韩版小包")
    assert {"小方包", "链条包", "斜挎"} <= set(t.words) and "枕头包" not in t.words and "单肩" not in t.words
    assert len(t.words) == len(set(t.words)) and t.length <= 60


def test_streamer_and_flash_sale_titles():
    streamer = titles.build_title("【瑜儿粉丝专享】", ["链条"], WORDS, limit=60, year=2026)
    assert streamer.text.startswith("【瑜儿粉丝专享】包包") and streamer.length <= 60
    flash = titles.build_title("RST182 小方包", ["小方包"], WORDS, limit=60, year=2026)
    assert flash.text.startswith("RST182 小方包") and flash.text.count("小方包") == 1


def test_matched_words_win_the_room_when_the_limit_is_tight():
    t = titles.build_title("", ["枕头包", "单肩包"], WORDS, limit=16, year=2026)
    assert t.length <= 16 and "枕头包" in t.words and "单肩" in t.words
    assert t.text.index("单肩") < t.text.index("枕头包")  # shown in list order, not priority order


@given(st.sets(st.sampled_from(["小方包", "链条", "斜挎包", "单肩包", "小", "迷你", "书包", "枕头包"])),
       st.integers(min_value=16, max_value=60), st.sampled_from(["", "【瑜儿粉丝专享】", "RST182 小方包"]))
def test_titles_stay_within_the_limit_with_unique_words(attrs, limit, prefix):
    t = titles.build_title(prefix, attrs, WORDS, limit=limit, year=2026)
    assert t.length == titles.title_length(t.text) <= limit
    assert len(t.words) == len(set(t.words)) and t.text.startswith(prefix)
