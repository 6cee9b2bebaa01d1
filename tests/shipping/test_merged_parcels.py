"""A merged parcel (合单) ships once with one waybill, and every platform order
in it is confirmed on its platform with that waybill."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from backoffice.errors import OperationError
from backoffice.orders.models import MergeGroup, Order
from backoffice.shipping import operations as shipping
from backoffice.shipping.models import ShipmentConfirmation
from tests import factories


def merged_pair(db):
    first = factories.order(receiver_name="王芳", phone="13912345678")
    second = factories.order(receiver_name="王芳", phone="13912345678")
    third = factories.order(receiver_name="李娜", phone="13800001111")  # not in the parcel
    group = MergeGroup(status="merged", mode="normal", order_ids=[first.id, second.id], reasons=[])
    db.add(group)
    db.flush()
    for o in (first, second, third):
        o.courier_code = "yuantong"
    first.merge_group_id = second.merge_group_id = group.id
    db.flush()
    return first, second, third


def test_one_waybill_and_a_confirmation_per_platform_order(app, db):
    first, second, third = merged_pair(db)
    ids = (first.id, second.id, third.id)
    with app.test_request_context():
        shipping.ship_order(second, "YT7512345678901")
        db.commit()  # leaving a request context closes the session
    first, second, third = (db.get(Order, i) for i in ids)
    assert {o.tracking_number for o in (first, second)} == {"YT7512345678901"}
    assert {o.status for o in (first, second)} == {"shipped"} and third.status == "paid"
    confirmations = db.scalars(select(ShipmentConfirmation).order_by(ShipmentConfirmation.order_id)).all()
    assert [(c.platform_order_id, c.tracking_number) for c in confirmations] == [
        (first.platform_order_id, "YT7512345678901"), (second.platform_order_id, "YT7512345678901")]


def test_the_shared_waybill_is_not_a_duplicate_but_another_parcels_is(app, db):
    first, second, third = merged_pair(db)
    with app.test_request_context():
        shipping.set_tracking_number(first, "YT7512345678901")
        assert second.tracking_number == "YT7512345678901"
        shipping.set_tracking_number(second, "YT7512345678901")  # the same parcel: fine
        with pytest.raises(OperationError):
            shipping.set_tracking_number(third, "YT7512345678901")


def test_a_held_member_stops_the_whole_parcel(app, db):
    first, second, _ = merged_pair(db)
    first.on_hold = True
    with app.test_request_context():
        with pytest.raises(OperationError):
            shipping.ship_order(second, "YT7512345678901")
        assert db.scalar(select(ShipmentConfirmation.id)) is None
        assert second.status == "paid"


def test_shipping_writes_one_outbox_message_per_platform_order(app, db):
    from backoffice.outbox import OutboxMessage

    first, second, _ = merged_pair(db)
    live = factories.order(platform="live")
    live.courier_code = "yuantong"
    db.flush()
    with app.test_request_context():
        shipping.ship_order(first, "YT7512345678901")
        shipping.ship_order(live, "YT7512345678902")
        messages = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(m.kind, m.payload["platform_order_id"], m.payload["tracking_number"]) for m in messages] == [
            ("shipment", first.platform_order_id, "YT7512345678901"),
            ("shipment", second.platform_order_id, "YT7512345678901"),
        ]  # a livestream order has no platform to tell
