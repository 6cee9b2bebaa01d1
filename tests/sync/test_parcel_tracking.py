"""Parcels shipped and not delivered are followed through Kuaidi100: polled by
a scheduled job, subscribed, and updated by its signed pushes."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from backoffice.jobs import JobRun
from backoffice.orders.models import OrderEvent
from backoffice.sync.models import TrackedParcel
from backoffice.sync.parcel_tracking import CALLBACK_PATH
from backoffice.timeutil import utcnow
from integrations.clock import CST
from integrations.simulators.kuaidi100 import Kuaidi100Simulator
from tests import factories


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=CST)


@pytest.fixture
def k100(app):
    sim = Kuaidi100Simulator()
    sim.add_parcel("zhongtong", "78312345678901", "3", [
        (at("2026-11-20 18:02"), "【杭州市】 中通快递 杭州西湖 已揽收"),
        (at("2026-11-22 09:15"), "【成都市】 快件已送达【菜鸟驿站】，请凭取件码取件"),
    ])
    sim.add_parcel("yuantong", "YT7512345678901", "0", [(at("2026-11-22 20:00"), "【广州市】 圆通速递 已揽收")])
    sim.start()
    app.config.update(KUAIDI100_KEY=sim.app_key, KUAIDI100_CUSTOMER=sim.app_secret, KUAIDI100_ENDPOINT=sim.url,
                      KUAIDI100_SALT="yan-2026-salt")
    yield sim
    sim.stop()


def shipped(courier: str, number: str, days_ago: float = 1, status: str = "shipped"):
    order = factories.order(status=status, receiver_name="李秀英")
    order.courier_code, order.tracking_number = courier, number
    order.shipped_at = utcnow() - dt.timedelta(days=days_ago)
    return order


def states(db) -> dict[str, tuple]:
    return {p.tracking_number: (p.state, p.finished, len(p.events))
            for p in db.scalars(select(TrackedParcel))}


def test_the_job_polls_parcels_on_their_way_and_notes_deliveries(app, db, k100, login_as):
    from backoffice.sync.tasks import track_parcels

    delivered = shipped("zhongtong", "78312345678901")
    shipped("yuantong", "YT7512345678901")
    shipped("yunda", "4312000000001")  # Kuaidi100 has nothing yet: tried again later
    shipped("zhongtong", "78399999999999", days_ago=45)  # too old to follow
    shipped("yuantong", "YT0000000000001", status="paid")  # not shipped
    delivered_id = delivered.id
    db.commit()
    k100.faults.set(server_error=1, rate_limit=1)
    with app.app_context():
        track_parcels()
    assert states(db) == {"78312345678901": ("delivered", True, 2), "YT7512345678901": ("in_transit", False, 1),
                          "4312000000001": ("unknown", False, 0)}
    unknown = db.scalar(select(TrackedParcel).where(TrackedParcel.tracking_number == "4312000000001"))
    assert "查询无结果" in unknown.last_error
    notes = db.scalars(select(OrderEvent.message).where(OrderEvent.order_id == delivered_id,
                                                        OrderEvent.kind == "tracking")).all()
    assert notes == ["快递已签收"]
    run = db.scalar(select(JobRun).where(JobRun.job == "track_parcels"))
    assert (run.status, run.counts) == ("succeeded", {"queried": 2, "subscribed": 0, "failed": 1})
    requests_before = k100.requests
    with app.app_context():
        track_parcels()  # checked a moment ago: not asked again yet
    assert k100.requests == requests_before
    page = login_as("supervisor").get("/sync/").get_data(as_text=True)
    assert "跟踪包裹（快递100）" in page and "已查询：2" in page


def test_subscribed_parcels_are_updated_by_signed_pushes(app, db, k100):
    from backoffice.sync.tasks import track_parcels

    app.config["KUAIDI100_PUBLIC_URL"] = "https://shop.example.cn"
    shipped("yuantong", "YT7512345678901")
    db.commit()
    with app.app_context():
        track_parcels()
    subscription = k100.subscriptions[("yuantong", "YT7512345678901")]
    assert subscription["callbackurl"] == "https://shop.example.cn" + CALLBACK_PATH
    assert subscription["salt"] == "yan-2026-salt"

    k100.add_parcel("yuantong", "YT7512345678901", "3", [
        (at("2026-11-22 20:00"), "【广州市】 圆通速递 已揽收"),
        (at("2026-11-23 11:30"), "【上海市】 已签收，签收人：本人")])
    anonymous = app.test_client()  # Kuaidi100 has no login and no CSRF token
    form = k100.push_form("yuantong", "YT7512345678901")
    forged = dict(form, sign="0" * 32)
    assert anonymous.post(CALLBACK_PATH, data=forged).status_code == 403
    assert states(db)["YT7512345678901"] == ("in_transit", False, 1)
    answer = anonymous.post(CALLBACK_PATH, data=form)
    assert answer.status_code == 200 and answer.get_json() == {"result": True, "returnCode": "200", "message": "成功"}
    assert states(db)["YT7512345678901"] == ("delivered", True, 2)
    anonymous.post(CALLBACK_PATH, data=form)  # pushed again: nothing changes
    assert states(db)["YT7512345678901"] == ("delivered", True, 2)
