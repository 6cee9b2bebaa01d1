"""Waybill numbers from the provider simulator or typed by hand, format checks,
shipping with the platform confirmation queued, and the packing check's data."""
from __future__ import annotations

import pytest

from backoffice.errors import OperationError
from backoffice.orders.models import Order
from backoffice.shipping import operations
from backoffice.shipping.models import ShipmentConfirmation
from backoffice.shipping.tracking import check
from integrations.waybill import simulator
from integrations.waybill.client import WaybillClient, WaybillError, WaybillRequest
from tests import factories as f


@pytest.fixture(scope="module")
def provider():
    server = simulator.serve()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize(("courier", "number", "ok"), [
    ("yuantong", "YT7512345678901", True), ("yuantong", "yt 7512 3456 78901", True), ("yuantong", "7512345678901", False),
    ("shunfeng", "SF1234567890123", True), ("shunfeng", "SF12345", False),
    ("jd", "JDVA12345678901", True), ("zhongtong", "78123456789012", True), ("zhongtong", "12345", False),
    ("youzhengguonei", "9812345678901", True), ("yunda", "4312345678901", True), ("shentong", "773123456789012", True),
])
def test_tracking_formats_from_the_database(db, courier, number, ok):
    from backoffice.shipping.models import Courier

    c = db.get(Courier, courier)
    assert (check(number, c.tracking_pattern, c.name)[1] is None) == ok


def test_simulator_numbers_match_every_courier_format(db, provider):
    from backoffice.shipping.models import Courier

    client = WaybillClient(provider)
    for courier in db.query(Courier):
        (waybill,) = client.request_numbers([WaybillRequest("202611-000001", courier.code, "李娜", "13912345678",
                                                            "浙江省杭州市西湖区文三路478号", 1)])
        assert check(waybill.tracking_number, courier.tracking_pattern, courier.name)[1] is None
    again = client.request_numbers([WaybillRequest("202611-000001", "yuantong", "李娜", "13912345678", "杭州", 1)])
    assert again[0].tracking_number == client.request_numbers(
        [WaybillRequest("202611-000001", "yuantong", "李娜", "13912345678", "杭州", 1)])[0].tracking_number
    with pytest.raises(WaybillError, match="422"):
        client.request_numbers([WaybillRequest("202611-000002", "dhl", "李娜", "1", "杭州", 1)])
    with pytest.raises(WaybillError, match="连接失败"):
        WaybillClient("http://127.0.0.1:9", timeout=1).request_numbers(
            [WaybillRequest("x", "yuantong", "a", "1", "b", 1)])


def test_wave_gets_numbers_from_the_provider(db, login_as, provider, monkeypatch):
    monkeypatch.setenv("BACKOFFICE_WAYBILL_URL", provider)
    bag = f.parcel_sku("daming-D-998-heise")
    orders = [f.parcel_order("广东省广州市天河区天河路385号", [(bag, q)]) for q in (1, 2)]
    operations.route_orders([o.id for o in orders])
    wave_id = operations.create_wave().id
    ids = [o.id for o in orders]
    db.commit()
    client = login_as("warehouse")
    client.post(f"/shipping/waves/{wave_id}/waybills", token_from=f"/shipping/waves/{wave_id}")
    numbers = {o.courier_code: o.tracking_number for o in db.query(Order).filter(Order.id.in_(ids))}
    assert numbers["shentong"].startswith("77") and numbers["yuantong"].startswith("YT")


def test_ship_records_the_number_and_queues_the_confirmation(db, login_as):
    bag = f.parcel_sku("daming-D-998-heise")
    order = f.parcel_order("广东省广州市天河区天河路385号", [(bag, 2)])
    operations.route_orders([order.id])
    order_id, number = order.id, order.number
    other = f.parcel_order("广东省广州市天河区天河路385号", [(bag, 1)])
    operations.route_orders([other.id])
    operations.set_tracking_number(other, "773000000000001")
    db.commit()
    client = login_as("warehouse")
    looked_up = client.get(f"/shipping/packing/order?number={number}").get_json()
    assert looked_up["items"] == [{"sku": "daming-D-998-heise", "title": "韩版链条斜挎小方包", "color": "黑色",
                                   "quantity": 2}]
    assert client.get("/shipping/packing/order?number=nope").status_code == 404
    token = client.token("/shipping/packing")
    wrong = client.post(f"/shipping/orders/{order_id}/ship", {"tracking_number": "SF1234567890123",
                                                             "csrf_token": token})
    assert wrong.status_code == 400 and "不是圆通的单号格式" in wrong.get_json()["error"]
    assert client.post(f"/shipping/orders/{order_id}/packed", {"csrf_token": token}).get_json() == {"ok": True}
    ok = client.post(f"/shipping/orders/{order_id}/ship", {"tracking_number": "YT7512345678901", "csrf_token": token})
    assert ok.status_code == 200, ok.get_json()
    shipped = db.get(Order, order_id)
    assert shipped.status == "shipped" and shipped.tracking_number == "YT7512345678901"
    (confirmation,) = db.query(ShipmentConfirmation).filter_by(order_id=order_id).all()
    assert (confirmation.platform, confirmation.courier_code, confirmation.sent_at) == ("taobao", "yuantong", None)
    again = client.post(f"/shipping/orders/{order_id}/ship", {"tracking_number": "YT7512345678901",
                                                             "csrf_token": token})
    assert again.status_code == 400 and "不是待发货状态" in again.get_json()["error"]


def test_tracking_number_used_twice_is_refused(db):
    bag = f.parcel_sku("daming-D-998-heise")
    a, b = (f.parcel_order("广东省广州市天河区天河路385号", [(bag, 1)]) for _ in range(2))
    operations.route_orders([a.id, b.id])
    operations.set_tracking_number(a, "773000000000009")
    with pytest.raises(OperationError, match="已用于订单"):
        operations.set_tracking_number(b, "773000000000009")
