"""Merging orders (合单) in the database: proposals, applying, undoing, the
minimum amount, exclusions, price changes, cancelling."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import select

from backoffice.errors import OperationError
from backoffice.orders import operations as ops
from backoffice.orders import settings
from backoffice.orders.intake import intake
from backoffice.orders.models import MergeGroup, Order, OrderLine, PriceChange
from tests import factories as f


def orders_by_poid(db):
    return {o.platform_order_id: o for o in db.scalars(select(Order))}


@pytest.fixture
def livestream(db):
    """Three orders of 张丽 from one stream (one flash-sale bag at 9.90), one of 王芳."""
    shop = f.shop("live", "娜好呀直播间")
    f.sku(on_hand=50)
    f.sku("miaosha-1-heise", on_hand=50, price_fen=990, name="RST182 小方包", kind="flash", weight_g=300)
    intake([
        f.incoming("L1", shop_id=shop.id, platform="live", lines=(("miaosha-1-heise", 1, 990),), flash=True,
                   memo="直播间改价"),
        f.incoming("L2", shop_id=shop.id, platform="live", lines=(("daming-D-998-20-heise", 1, 5300),),
                   memo="送小礼物"),
        f.incoming("L3", shop_id=shop.id, platform="live", lines=(("miaosha-1-heise", 2, 990),), buyer=None,
                   address="河北 保定市竞秀区 朝阳北大街 1688 号"),
        f.incoming("L4", shop_id=shop.id, platform="live", name="王芳", phone="13698765432", buyer="wangfang",
                   address="北京市朝阳区望京街道阜通东大街6号院2号楼", lines=(("miaosha-1-heise", 1, 990),),
                   flash=True),
    ], source="sync")
    return shop


def test_after_the_livestream_orders_of_one_buyer_are_merged_with_the_sums(db, livestream):
    run = ops.run_merge(apply=True)
    assert (run.proposed, run.merged, run.under_minimum) == (1, 1, 0)
    orders = orders_by_poid(db)
    group = db.scalar(select(MergeGroup))
    assert [o.platform_order_id for o in group.orders] == ["L1", "L2", "L3"]  # every platform order kept
    assert orders["L4"].merge_group_id is None
    assert (group.goods_fen, group.paid_fen, group.item_count, group.weight_g) == (990 + 5300 + 1980,) * 2 + (4, 300 + 450 + 600)
    assert group.memo == "直播间改价 | 送小礼物"
    assert group.reasons == ["same_shop", "same_buyer", "same_receiver"]
    assert "合并发货" in orders["L1"].events[-1].message
    # running again proposes nothing new
    assert ops.run_merge(apply=True).merged == 0


def test_small_merged_groups_are_flagged_for_a_buyer_message(db):
    shop = f.shop()
    f.sku("miaosha-1-heise", on_hand=10, price_fen=590, kind="flash")
    intake([f.incoming(p, shop_id=shop.id, lines=(("miaosha-1-heise", 1, 590),)) for p in ("S1", "S2", "S3")],
           source="sync")
    ops.run_merge(apply=True)
    group = db.scalar(select(MergeGroup))
    assert group.paid_fen == 1770 and group.under_minimum
    assert ops.buyer_message_under_minimum(group) == \
        "亲，您的订单合并后金额为17.70元，未满19.90元，麻烦再选购一件或联系客服处理，谢谢～"
    settings.put("merge_minimum_fen", 1500)
    ops.unmerge(group, None)
    ops.run_merge(apply=True)
    assert not db.scalar(select(MergeGroup).where(MergeGroup.status == "merged")).under_minimum


def test_customer_service_accepts_rejects_and_excludes(db, livestream):
    run = ops.run_merge(apply=False)
    assert run.proposed == 1 and run.merged == 0
    proposal = db.scalar(select(MergeGroup).where(MergeGroup.status == "proposed"))
    assert proposal.order_ids == sorted(proposal.order_ids) and len(proposal.order_ids) == 3
    ops.reject(proposal, None)
    assert ops.run_merge(apply=False).proposed == 0  # a rejected merge is not proposed again
    orders = orders_by_poid(db)
    ops.exclude_from_merging(orders["L3"], None)
    ops.run_merge(apply=False)
    proposal = db.scalar(select(MergeGroup).where(MergeGroup.status == "proposed"))
    assert proposal.order_ids == [orders["L1"].id, orders["L2"].id]
    group = ops.apply_merge(proposal, None)
    assert group.status == "merged"
    with pytest.raises(OperationError):
        ops.apply_merge(group, None)


def test_an_order_that_changed_since_the_proposal_is_not_merged(db, livestream):
    ops.run_merge(apply=False)
    proposal = db.scalar(select(MergeGroup))
    orders = orders_by_poid(db)
    orders["L2"].on_hold = True
    with pytest.raises(OperationError):
        ops.apply_merge(proposal, None)
    assert all(o.merge_group_id is None for o in orders.values())


def test_cancelling_a_merged_order_undoes_the_merge_and_releases_stock(db, livestream):
    ops.run_merge(apply=True)
    orders = orders_by_poid(db)
    bag = orders["L2"].lines[0].sku_id
    from backoffice.catalog.models import Sku
    before = db.get(Sku, bag).reserved
    ops.cancel(orders["L2"], None, "买家拍错")
    assert orders["L2"].status == "cancelled" and not orders["L2"].stock_reserved
    assert db.get(Sku, bag).reserved == before - 1
    assert all(o.merge_group_id is None for o in orders.values())
    assert db.scalar(select(MergeGroup)).status == "undone"


def test_livestream_price_change_is_recorded_with_who_asked_and_approved(db, livestream, make_user):
    boss = make_user("supervisor", "wangfang")
    order = orders_by_poid(db)["L4"]
    line = order.lines[0]
    change = ops.change_price(line, 500, asked_by="王芳（买家）", approver_id=boss.id, note="直播间福利")
    assert (change.old_price_fen, change.new_price_fen, change.approved_by_id) == (990, 500, boss.id)
    assert (line.price_fen, order.goods_fen, order.paid_fen) == (500, 500, 500)
    assert "直播改价" in order.events[-1].message
    normal = orders_by_poid(db)["L2"].lines[0]
    with pytest.raises(OperationError):
        ops.change_price(normal, 100, asked_by="张丽", approver_id=boss.id)
    assert db.scalar(select(PriceChange.asked_by)) == "王芳（买家）"


def test_short_orders_get_a_restock_date_and_a_ready_message(db):
    shop = f.shop()
    f.sku(on_hand=0)
    intake([f.incoming("Q1", shop_id=shop.id)], source="sync")
    order = db.scalar(select(Order))
    assert order.stock_status == "short"
    message = ops.set_restock_date(order, dt.date(2026, 11, 28), None)
    assert message == "亲，您拍的韩版链条斜挎小方包 黑色暂时缺货，预计11月28日到货后第一时间为您发出，给您带来不便非常抱歉～"
    # purchasing is asked to restock under a production/batch number of the month the goods are due
    assert order.restock_number == "26HYK001"
    assert "已请采购补货（daming-D-998-20-heise × 1），生产批号 26HYK001" in order.events[-1].message
    ops.set_restock_date(order, dt.date(2026, 11, 30), None)
    assert order.restock_number == "26HYK001"  # a later day of the same month: the same restock
    ops.set_restock_date(order, dt.date(2026, 12, 3), None)
    assert order.restock_number == "26HYL001"  # due in December: numbered in December's sequence


def snapshot(db):
    db.expire_all()
    columns = [c for c in Order.__table__.columns if c.name != "updated_at"]
    return (db.execute(select(*columns).order_by(Order.id)).all(),
            db.execute(select(OrderLine.__table__).order_by(OrderLine.id)).all())


people = st.sampled_from([("张丽", "13812345678", "zhangli88"), ("王芳", "13698765432", "wangfang"),
                          ("张丽", "13812345678", None)])
incoming_orders = st.lists(st.tuples(people, st.integers(1, 3), st.sampled_from([None, "不合并", "送小礼物"]),
                                     st.sampled_from(["paid", "paid", "pending"])), min_size=2, max_size=8)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(incoming_orders)
def test_merge_then_unmerge_restores_the_orders_exactly(db, spec):
    nested = db.begin_nested()
    try:
        shop = f.shop()
        f.sku(on_hand=100)
        intake([f.incoming(f"P{i}", shop_id=shop.id, name=name, phone=phone, buyer=buyer, memo=memo, status=status,
                           lines=(("daming-D-998-20-heise", qty, 5300),))
                for i, ((name, phone, buyer), qty, memo, status) in enumerate(spec)], source="sync")
        before = snapshot(db)
        ops.run_merge(apply=True)
        groups = db.scalars(select(MergeGroup).where(MergeGroup.status == "merged")).all()
        for group in groups:
            assert group.paid_fen == sum(o.paid_fen for o in group.orders)
            ops.unmerge(group, None)
        assert snapshot(db) == before
    finally:
        nested.rollback()


def test_the_scheduled_merge_job_proposes_or_applies_as_set(db, livestream):
    from backoffice.orders.tasks import merge_work
    from backoffice.sync.tasks import JOBS

    assert "merge_orders" in JOBS
    counts: dict = {}
    merge_work(counts)
    assert counts == {"proposed": 1, "merged": 0, "under_minimum": 0}
    settings.put("merge_auto_apply", True)
    counts = {}
    merge_work(counts)
    assert counts == {"proposed": 0, "merged": 1, "under_minimum": 0}


def test_a_merged_order_cancelled_on_the_platform_leaves_the_merge(db, livestream):
    ops.run_merge(apply=True)
    later = dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc)
    intake([f.incoming("L2", shop_id=livestream.id, platform="live", status="cancelled", modified=later,
                       lines=(("daming-D-998-20-heise", 1, 5300),))], source="sync")
    orders = orders_by_poid(db)
    assert orders["L2"].status == "cancelled"
    assert all(o.merge_group_id is None for o in orders.values())
    assert [e.kind for e in orders["L1"].events][-1] == "unmerged"


def test_stored_merge_keys_find_the_same_groups_as_reading_every_open_order(db, livestream):
    """The merge job reads only receivers with two open orders (by the stored
    key); it must find exactly what the decision over all open orders finds."""
    from backoffice.orders.merge import decide, receiver_key

    intake([f.incoming("S1", shop_id=livestream.id, name="赵敏", phone="13912345678", buyer="zhaomin",
                       address="广东省深圳市南山区科苑路15号"),
            f.incoming("S2", shop_id=livestream.id, name="赵敏", phone="+86 139-1234-5678", buyer="zhaomin",
                       address="广东省深圳市南山区科苑路 15 号"),
            f.incoming("S3", shop_id=livestream.id, name="赵敏", phone="13912345678", buyer="zhaomin",
                       address="火星大道1号"),
            f.incoming("S4", shop_id=livestream.id, name="孙丽", phone="13700001111", buyer="sunli",
                       address="上海市浦东新区张杨路500号")], source="sync")
    orders = orders_by_poid(db)
    assert orders["S1"].merge_key == orders["S2"].merge_key is not None
    assert orders["S3"].merge_key is None  # unresolved address: no key, never merged
    rules = ops.merge_rules()
    assert decide(ops.load_candidates(partnered_only=True), rules).groups == \
        decide(ops.load_candidates(), rules).groups
    # a person corrects the address through the ORM: the key follows
    orders["S3"].region_code, orders["S3"].address_detail = orders["S1"].region_code, "科苑路15号"
    db.flush()
    assert orders["S3"].merge_key == orders["S1"].merge_key == receiver_key("赵敏", "13912345678",
                                                                             orders["S1"].region_code, "科苑路15号")
    every = decide(ops.load_candidates(), rules)
    partnered = ops.load_candidates(partnered_only=True)
    assert decide(partnered, rules).groups == every.groups and len(every.groups) == 2
    assert {c.order_id for c in partnered} == {orders[p].id for p in ("L1", "L2", "L3", "S1", "S2", "S3")}
