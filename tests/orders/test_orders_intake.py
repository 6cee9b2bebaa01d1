"""The intake operation: idempotent upsert, numbering, stock, address flags."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from backoffice.orders import numbering, settings
from backoffice.orders.intake import intake
from backoffice.orders.models import Order, OrderEvent, OrderLine
from backoffice.orders.numbers import PatternError, check_pattern, format_number
from tests import factories as f

UTC = dt.timezone.utc


def count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def test_new_orders_are_numbered_by_month_reserved_and_parsed(db):
    shop = f.shop()
    bag = f.sku(on_hand=5)
    result = intake([
        f.incoming("T1001", shop_id=shop.id, lines=((bag.code, 2, 5300),)),
        f.incoming("T1002", shop_id=shop.id, address="广西南宁市青秀区民族大道136号",
                   ordered_at=dt.datetime(2026, 11, 30, 17, 0, tzinfo=UTC)),  # 12-01 01:00 in Shanghai
        f.incoming("T1003", shop_id=shop.id, ordered_at=dt.datetime(2026, 11, 21, tzinfo=UTC)),
    ], source="sync")
    orders = {o.platform_order_id: o for o in db.scalars(select(Order))}
    assert [orders[p].number for p in ("T1001", "T1003", "T1002")] == ["202611-000001", "202611-000002",
                                                                        "202612-000001"]
    first = orders["T1001"]
    assert (first.province, first.city, first.district, first.region_code) == ("河北省", "保定市", "竞秀区", "130602")
    assert first.goods_fen == first.paid_fen == 10600 and first.weight_g == 900
    assert first.stock_status == "in_stock" and first.stock_reserved
    assert orders["T1002"].province == "广西壮族自治区"
    db.refresh(bag)
    assert bag.reserved == 4  # 2 + 1 + 1
    assert len(result.created) == 3
    assert count(db, OrderEvent) == 3


def test_reimporting_changes_nothing_and_newer_status_updates(db):
    shop = f.shop()
    bag = f.sku(on_hand=5)
    t0 = dt.datetime(2026, 11, 20, 5, tzinfo=UTC)
    intake([f.incoming("T2001", shop_id=shop.id, modified=t0)], source="sync")
    again = intake([f.incoming("T2001", shop_id=shop.id, modified=t0)], source="file")
    assert (again.created, again.updated, again.unchanged) == ([], [], 1)
    assert count(db, Order) == 1 and count(db, OrderLine) == 1 and count(db, OrderEvent) == 1
    older = intake([f.incoming("T2001", shop_id=shop.id, status="cancelled", modified=t0 - dt.timedelta(hours=1))],
                   source="sync")
    assert older.unchanged == 1
    newer = intake([f.incoming("T2001", shop_id=shop.id, status="cancelled", modified=t0 + dt.timedelta(hours=1),
                               memo="买家要求取消")], source="sync")
    order = db.scalar(select(Order))
    assert newer.updated == [order.id]
    assert order.status == "cancelled" and order.seller_memo == "买家要求取消" and not order.stock_reserved
    db.refresh(bag)
    assert bag.reserved == 0  # released on cancel
    assert [e.kind for e in order.events] == ["created", "platform_update"]


def test_without_modification_times_a_status_only_moves_forward(db):
    shop = f.shop()
    bag = f.sku(on_hand=3)
    intake([f.incoming("T3001", shop_id=shop.id, status="paid")], source="sync")
    assert intake([f.incoming("T3001", shop_id=shop.id, status="pending")], source="sync").unchanged == 1
    assert len(intake([f.incoming("T3001", shop_id=shop.id, status="shipped")], source="sync").updated) == 1
    db.refresh(bag)
    assert (bag.on_hand, bag.reserved) == (2, 0)  # shipped: taken off the shelf


def test_short_orders_reserve_nothing_and_unknown_skus_are_not_reserved(db):
    shop = f.shop()
    flash = f.sku("miaosha-1-heise", on_hand=2, name="RST182 小方包", kind="flash")
    result = intake([
        f.incoming("T4001", shop_id=shop.id, lines=((flash.code, 2, 990),)),
        f.incoming("T4002", shop_id=shop.id, lines=((flash.code, 1, 990),)),
        f.incoming("T4003", shop_id=shop.id, lines=(("nosuch-sku", 1, 990),)),
        f.incoming("T4004", shop_id=shop.id, lines=((flash.code, 1, 990),), status="completed"),
    ], source="sync")
    stock = {o.platform_order_id: (o.stock_status, o.stock_reserved) for o in db.scalars(select(Order))}
    assert stock == {"T4001": ("in_stock", True), "T4002": ("short", False), "T4003": ("unknown", False),
                     "T4004": ("unknown", False)}
    db.refresh(flash)
    assert flash.reserved == 2
    assert len(result.created) == 4


def test_an_unresolvable_address_is_flagged_not_guessed(db):
    shop = f.shop()
    f.sku()
    intake([f.incoming("T5001", shop_id=shop.id, address="朝阳区望京街道 6 号院")], source="sync")
    order = db.scalar(select(Order))
    assert order.address_problem == "ambiguous" and order.region_code is None
    assert order.address_raw == "朝阳区望京街道 6 号院"
    assert "地址需人工核对" in order.events[0].message


def test_the_number_pattern_is_data(db):
    shop = f.shop()
    f.sku()
    settings.put("order_number_pattern", "NH{yy}{month_letter}{seq:05d}")
    intake([f.incoming("T6001", shop_id=shop.id)], source="manual")
    assert db.scalar(select(Order.number)) == "NH26K00001"


def test_a_rolled_back_intake_gives_its_numbers_back(db):
    shop = f.shop()
    f.sku()
    intake([f.incoming("T7001", shop_id=shop.id)], source="sync")
    with pytest.raises(ValueError):
        with db.begin_nested():
            intake([f.incoming("T7002", shop_id=shop.id)], source="sync")
            raise ValueError("the file had a bad row")
    intake([f.incoming("T7003", shop_id=shop.id)], source="sync")
    assert sorted(db.scalars(select(Order.number))) == ["202611-000001", "202611-000002"]


@pytest.mark.parametrize("pattern, day, seq, expected", [
    ("{yyyy}{mm}-{seq:06d}", dt.date(2026, 11, 5), 123, "202611-000123"),
    ("{yy}HY{month_letter}{seq:03d}", dt.date(2026, 1, 5), 7, "26HYA007"),
    ("{yy}HY{month_letter}{seq:03d}", dt.date(2027, 12, 31), 1234, "27HYL1234"),
])
def test_number_formats(pattern, day, seq, expected):
    assert format_number(pattern, day, seq) == expected


@pytest.mark.parametrize("pattern", ["{yyyy}{mm}", "{seq}", "{yyyy}{mm}-{serial}", "{yyyy}{mm}-{seq", "{mm}-{seq}"])
def test_bad_patterns_are_refused(pattern):
    with pytest.raises(PatternError):
        check_pattern(pattern)


def test_batch_numbers_follow_the_spec(db):
    day = dt.date(2026, 11, 23)
    assert [numbering.next_batch_number(day) for _ in range(3)] == ["26HYK001", "26HYK002", "26HYK003"]
    assert numbering.next_batch_number(dt.date(2027, 2, 1)) == "27HYB001"


@pytest.mark.parametrize("receiver, expected", [
    (dict(address="内蒙古呼和浩特赛罕区大学东街235号"), ("内蒙古自治区", "呼和浩特市", "赛罕区")),
    (dict(address="北京朝阳区望京街道阜通东大街6号院"), ("北京市", "北京市", "朝阳区")),
    (dict(address="保定市竞秀区朝阳北大街1688号"), ("河北省", "保定市", "竞秀区")),
    (dict(address="解放北路90号天百大厦", province="新疆维吾尔自治区", city="乌鲁木齐市", district="天山区"),
     ("新疆维吾尔自治区", "乌鲁木齐市", "天山区")),
    (dict(address="广东省深圳市南山区科苑路15号", province="广东省"), ("广东省", "深圳市", "南山区")),
])
def test_addresses_from_every_source_resolve_to_divisions(db, receiver, expected):
    from backoffice.orders.incoming import IncomingReceiver

    shop = f.shop()
    f.sku()
    order = f.incoming("A1", shop_id=shop.id)
    order = type(order)(**{**order.__dict__, "receiver": IncomingReceiver("赵敏", "13912345678", **receiver)})
    intake([order], source="sync")
    stored = db.scalar(select(Order))
    assert (stored.province, stored.city, stored.district) == expected
    assert stored.address_problem is None and stored.address_raw == receiver["address"]


_demand = st.one_of(st.none(), st.dictionaries(st.integers(1, 4), st.integers(1, 5), max_size=3))


@given(demands=st.lists(_demand, max_size=30), stock_of=st.dictionaries(st.integers(1, 4), st.integers(0, 12)))
def test_stock_plan_serves_orders_in_turn_and_never_goes_below_zero(demands, stock_of):
    from backoffice.orders.stock import plan

    available = dict(stock_of)
    granted = plan(demands, available)
    assert len(granted) == len(demands)
    remaining = dict(stock_of)
    for demand, ok in zip(demands, granted):
        fits = bool(demand) and all(remaining.get(s, 0) >= q for s, q in demand.items())
        assert ok == fits  # granted exactly when the whole order fits at its turn (none, or an empty demand, never)
        if ok:
            for s, q in demand.items():
                remaining[s] -= q
    assert available == remaining and all(v >= 0 for v in available.values())
