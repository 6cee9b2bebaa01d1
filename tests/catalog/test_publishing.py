"""Publishing listing drafts through the platform adapters, over HTTP to the simulators."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backoffice.catalog.models import Listing
from backoffice.outbox import OutboxMessage
from backoffice.sync.dispatch import deliver, dispatch
from backoffice.timeutil import utcnow
from integrations.base import Listing as ListingDTO
from integrations.base import ListingSku, supports
from tests import factories
from tests.simulated import connect, start_simulator

PUBLISH_PLATFORMS = ("taobao", "pinduoduo", "douyin")
SETTINGS = {"shipping_template": "包邮（保定发货）", "ships_from_province": "河北", "ships_from_city": "保定",
            "stock_reduction": "下单减库存"}


@pytest.fixture(params=PUBLISH_PLATFORMS)
def sim(request):
    simulator = start_simulator(request.param)
    yield simulator
    simulator.stop()


def bag(outer_id="daming-D-998-20") -> ListingDTO:
    return ListingDTO(outer_id, "韩版链条斜挎小方包女包 2026 新款", "大明 D-998-20 小方包", "<p>细节图</p>",
                   (ListingSku(f"{outer_id}-heise", "黑色", 9524, 12), ListingSku(f"{outer_id}-cangqingse", "藏青色", 9824, 3)),
                   ("http://127.0.0.1/media/main-01.jpg", "http://127.0.0.1/media/main-02.jpg"), "50012010", SETTINGS)


def test_which_platforms_publish_through_their_api():
    assert [p for p in ("taobao", "pinduoduo", "douyin", "mogujie") if supports(p, "publish_listing")] == \
        list(PUBLISH_PLATFORMS)


def test_a_listing_is_published_once_with_its_skus_and_prices(sim):
    adapter = connect(sim)
    item_id = adapter.publish_listing(bag())
    assert adapter.publish_listing(bag()) == item_id  # a repeat answers the same item
    assert len(sim.items.items) == 1
    item = sim.items.items["daming-D-998-20"]
    assert item.id == item_id and item.title == "韩版链条斜挎小方包女包 2026 新款"
    assert {code: (s["color"], s["price_fen"], s["quantity"]) for code, s in item.skus.items()} == {
        "daming-D-998-20-heise": ("黑色", 9524, 12), "daming-D-998-20-cangqingse": ("藏青色", 9824, 3)}


def test_faults_during_publishing_still_end_with_one_item(sim):
    adapter = connect(sim)
    sim.faults.set(rate_limit=2, server_error=1, spread=1)
    item_id = None
    for _ in range(6):  # the outbox's retries, compressed
        try:
            item_id = adapter.publish_listing(bag())
            break
        except Exception as exc:  # noqa: BLE001 (a 5xx on a write is left to the next try)
            assert getattr(exc, "retryable", False), exc
    assert item_id and len(sim.items.items) == 1 and len(sim.items.items["daming-D-998-20"].skus) == 2


def test_a_listing_missing_its_category_is_refused(sim):
    from integrations.base import InvalidRequest

    listing = bag()
    listing.category_id = ""
    with pytest.raises(InvalidRequest):
        connect(sim).publish_listing(listing)
    assert sim.items.items == {}


# -- the back office: the publish action, the outbox, the dispatcher's write-back ---------------------------
def ready_listing(db, sim, shop_name="皮具旗舰店"):
    """A reviewed draft of two colours for a shop connected to the simulator; returns ids."""
    from backoffice.catalog.models import Sku

    shop = factories.connected_shop(sim, shop_name)
    item = factories.listing(status="ready")
    item.shop_id = shop.id
    item.settings = {**SETTINGS, "category_id": "50012010"}
    product = item.product
    item.images = {"main": [f"listings/{product.listing_code}/taobao/main-{n:02d}.jpg" for n in (1, 2, 3)],
                   "sku": {"黑色": f"listings/{product.listing_code}/taobao/sku-heise.jpg"}}
    product.skus.append(Sku(code=f"{product.listing_code}-cangqingse", color="藏青色", price_fen=5600, on_hand=4,
                            reserved=1))
    db.flush()
    ids = item.id, shop.id, product.listing_code
    db.commit()
    return ids


def dispatch_until_done(db, shop_id, sim, rounds=5):
    for _ in range(rounds):
        db.execute(OutboxMessage.__table__.update().values(next_attempt_at=utcnow()))
        db.commit()
        dispatch(adapters={shop_id: connect(sim)})


@pytest.fixture
def tb():
    """Listing drafts (and their pages) exist for Taobao and Mogujie; Taobao is the one with an API."""
    simulator = start_simulator("taobao")
    yield simulator
    simulator.stop()


def test_the_dispatcher_publishes_on_every_platform_with_an_api(app, db, make_user, sim):
    from backoffice.catalog import publishing

    listing_id, shop_id, code = ready_listing(db, sim)
    user = make_user("listing")
    with app.test_request_context():
        publishing.publish(db.get(Listing, listing_id), shop_id, "http://127.0.0.1/catalog/media/", user)
        db.commit()
    sim.faults.set(rate_limit=1, server_error=1)
    dispatch_until_done(db, shop_id, sim)
    listing = db.get(Listing, listing_id)
    assert (listing.status, listing.platform_item_id) == ("published", sim.items.items[code].id)
    assert {c: (s["color"], s["price_fen"], s["quantity"]) for c, s in sim.items.items[code].skus.items()} == {
        f"{code}-heise": ("黑色", 5300, 10), f"{code}-cangqingse": ("藏青色", 5600, 3)}


def test_publishing_a_ready_draft_makes_one_item_with_its_skus_and_prices(app, db, login_as, tb):
    listing_id, shop_id, code = ready_listing(db, tb)
    staff = login_as("listing")
    page = staff.get(f"/catalog/listings/{listing_id}").get_data(as_text=True)
    assert "发布" in page and "皮具旗舰店" in page
    staff.post(f"/catalog/listings/{listing_id}/publish", {"shop_id": shop_id}, token_from=f"/catalog/listings/{listing_id}")
    assert db.get(Listing, listing_id).status == "publishing"
    message = db.scalar(select(OutboxMessage))
    assert (message.kind, message.shop_id, message.payload["listing"]["outer_id"]) == ("listing", shop_id, code)
    dispatch_until_done(db, shop_id, tb, rounds=2)
    listing = db.get(Listing, listing_id)
    item = tb.items.items[code]
    assert (listing.status, listing.platform_item_id) == ("published", item.id)
    assert len(tb.items.items) == 1
    assert {c: (s["color"], s["price_fen"], s["quantity"]) for c, s in item.skus.items()} == {
        f"{code}-heise": ("黑色", 5300, 10), f"{code}-cangqingse": ("藏青色", 5600, 3)}
    assert db.scalar(select(OutboxMessage.status)) == "delivered"
    page = staff.get(f"/catalog/listings/{listing_id}").get_data(as_text=True)
    assert item.id in page and "已发布" in page


def test_rate_limits_and_a_5xx_during_publishing_still_end_with_one_item(app, db, login_as, tb):
    listing_id, shop_id, code = ready_listing(db, tb)
    login_as("listing").post(f"/catalog/listings/{listing_id}/publish", {"shop_id": shop_id},
                             token_from=f"/catalog/listings/{listing_id}")
    tb.faults.set(rate_limit=2, server_error=2)
    dispatch_until_done(db, shop_id, tb)
    assert len(tb.items.items) == 1 and len(tb.items.items[code].skus) == 2
    assert db.get(Listing, listing_id).platform_item_id == tb.items.items[code].id
    assert db.scalar(select(OutboxMessage.status)) == "delivered"


def test_a_crash_after_the_platform_made_the_item_records_that_item(app, db, login_as, tb):
    listing_id, shop_id, code = ready_listing(db, tb)
    login_as("listing").post(f"/catalog/listings/{listing_id}/publish", {"shop_id": shop_id},
                             token_from=f"/catalog/listings/{listing_id}")
    payload = db.scalar(select(OutboxMessage.payload))
    made = deliver("listing", payload, connect(tb))  # sent, then the worker died before recording it
    dispatch_until_done(db, shop_id, tb, rounds=1)
    assert db.get(Listing, listing_id).platform_item_id == made and len(tb.items.items) == 1


def test_a_published_listing_cannot_be_published_twice(app, db, login_as, tb):
    listing_id, shop_id, code = ready_listing(db, tb)
    staff = login_as("listing")
    staff.post(f"/catalog/listings/{listing_id}/publish", {"shop_id": shop_id}, token_from=f"/catalog/listings/{listing_id}")
    again = staff.post(f"/catalog/listings/{listing_id}/publish", {"shop_id": shop_id},
                       token_from=f"/catalog/listings/{listing_id}", follow_redirects=True).get_data(as_text=True)
    assert "草稿才能发布" in again
    dispatch_until_done(db, shop_id, tb, rounds=1)
    staff.post(f"/catalog/listings/{listing_id}/publish", {"shop_id": shop_id}, token_from=f"/catalog/listings/{listing_id}")
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 1 and len(tb.items.items) == 1
    assert db.get(Listing, listing_id).status == "published"


def test_a_refused_publish_puts_the_draft_back_to_ready_with_the_reason(app, db, login_as, tb):
    listing_id, shop_id, code = ready_listing(db, tb)
    staff = login_as("listing")
    staff.post(f"/catalog/listings/{listing_id}/publish", {"shop_id": shop_id}, token_from=f"/catalog/listings/{listing_id}")
    message = db.scalar(select(OutboxMessage))
    message.payload = {**message.payload, "listing": {**message.payload["listing"], "category_id": ""}}
    db.commit()
    dispatch_until_done(db, shop_id, tb, rounds=1)
    assert db.get(Listing, listing_id).status == "ready" and tb.items.items == {}
    page = staff.get(f"/catalog/listings/{listing_id}").get_data(as_text=True)
    assert "平台拒绝了上一次发布" in page


def test_publishing_needs_a_ready_draft_a_connected_shop_and_a_category(app, db, login_as, tb):
    listing_id, shop_id, code = ready_listing(db, tb)
    other = factories.shop(tb.platform, "未授权小店").id
    listing = db.get(Listing, listing_id)
    listing.settings = {**SETTINGS}
    db.commit()
    staff = login_as("listing")
    path = f"/catalog/listings/{listing_id}"
    page = staff.post(f"{path}/publish", {"shop_id": shop_id}, token_from=path, follow_redirects=True).get_data(as_text=True)
    assert "类目" in page
    page = staff.post(f"{path}/publish", {"shop_id": other}, token_from=path, follow_redirects=True).get_data(as_text=True)
    assert "已连接" in page
    assert db.get(Listing, listing_id).status == "ready" and db.scalar(select(OutboxMessage)) is None


def test_a_mogujie_draft_offers_export_only(app, db, login_as):
    item = factories.listing(status="ready")
    item.shop = factories.shop("mogujie", "蘑菇街小店")
    db.flush()
    listing_id, shop_id = item.id, item.shop_id
    db.commit()
    staff = login_as("listing")
    page = staff.get(f"/catalog/listings/{listing_id}").get_data(as_text=True)
    assert "没有发布接口" in page and "export.xlsx?platform=mogujie" in page
    assert f"/catalog/listings/{listing_id}/publish" not in page
    staff.post(f"/catalog/listings/{listing_id}/publish", {"shop_id": shop_id}, token_from="/catalog/")
    assert db.get(Listing, listing_id).status == "ready" and db.scalar(select(OutboxMessage)) is None
