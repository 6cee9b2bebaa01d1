"""Shop connections (encrypted, write-only secrets), re-authorisation, "sync now"
and the inbox's keep-the-latest rule."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from backoffice.jobs import JobRun
from backoffice.shops import credentials as vault
from backoffice.shops import operations as shop_ops
from backoffice.shops.models import Shop
from backoffice.sync import operations as ops
from backoffice.sync.models import InboxRecord
from backoffice.timeutil import utcnow
from integrations.base import Credentials
from tests import factories
from tests.simulated import start_simulator, visible_orders

SECRET, TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "6201a8b7c6d5e4f3TOKEN"


def test_credentials_are_encrypted_and_need_the_key(monkeypatch):
    key = vault.Fernet.generate_key().decode()
    blob = vault.encrypt(Credentials("12345678", SECRET, TOKEN, "http://127.0.0.1:9"), None, key=key)
    assert SECRET.encode() not in blob and TOKEN.encode() not in blob
    assert vault.decrypt(blob, key=key).credentials.app_secret == SECRET
    with pytest.raises(vault.CredentialsUnreadable):
        vault.decrypt(blob, key=vault.Fernet.generate_key().decode())
    monkeypatch.setenv("BACKOFFICE_CREDENTIALS_KEY", key)
    assert vault.decrypt(blob).credentials.access_token == TOKEN  # the key from the environment wins
    assert SECRET not in repr(vault.decrypt(blob))


def test_connecting_a_shop_stores_secrets_that_are_never_shown_back(app, db, login_as):
    shop = factories.shop("pinduoduo", "拼多多箱包店")
    shop.auth_status = "none"
    db.commit()
    shop_id = shop.id
    admin = login_as("admin")
    url = f"/sync/shops/{shop_id}/connect"
    response = admin.post(url, {"app_key": "4f8ab2c1d3e5", "app_secret": SECRET, "access_token": TOKEN,
                                "token_expires_at": "2030-01-01T08:00", "endpoint": ""}, token_from=url)
    assert response.status_code == 302
    shop = db.get(Shop, shop_id)
    assert shop.auth_status == "ok" and shop.token_expires_at == dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    assert SECRET.encode() not in shop.credentials_encrypted
    page = admin.get(url).get_data(as_text=True)
    assert "4f8ab2c1d3e5" in page and SECRET not in page and TOKEN not in page
    # blank secrets keep the stored ones
    admin.post(url, {"app_key": "4f8ab2c1d3e5", "app_secret": "", "access_token": "",
                     "token_expires_at": "2030-01-01T08:00", "endpoint": "http://127.0.0.1:8765"}, token_from=url)
    stored = shop_ops.shop_credentials(db.get(Shop, shop_id))
    assert (stored.app_secret, stored.access_token, stored.endpoint) == (SECRET, TOKEN, "http://127.0.0.1:8765")


@pytest.mark.parametrize("form, message", [
    ({"app_key": "", "app_secret": SECRET}, "请填写 App Key"),
    ({"app_key": "4f8a", "app_secret": ""}, "App Key 和 App Secret 都必须填写"),
    ({"app_key": "4f8a", "app_secret": SECRET, "endpoint": "not a url"}, "请填写完整地址"),
])
def test_bad_connection_forms_say_what_is_wrong(app, db, login_as, form, message):
    shop_id = factories.shop("douyin", "抖音包包").id
    db.commit()
    admin = login_as("admin")
    url = f"/sync/shops/{shop_id}/connect"
    response = admin.post(url, form, token_from=url)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.get(Shop, shop_id).credentials_encrypted is None


def test_an_expired_shop_is_shown_as_needing_reauthorisation(app, db, login_as):
    shop = factories.shop("taobao", "娜好呀")
    shop_ops.connect_shop(shop, "12345678", SECRET, TOKEN, utcnow() - dt.timedelta(hours=1))
    db.commit()
    page = login_as("supervisor").get("/sync/").get_data(as_text=True)
    assert "需要重新授权" in page and "同步" in page
    assert SECRET not in page and TOKEN not in page


def test_sync_now_pulls_the_shops_orders_into_the_inbox(app, db, login_as):
    sim = start_simulator("douyin", orders=180, hours=6)
    try:
        shop_id = factories.connected_shop(sim, "抖音旗舰店").id
        db.commit()
        supervisor = login_as("supervisor")
        response = supervisor.post(f"/sync/shops/{shop_id}/pull", token_from="/sync/")
        assert response.status_code == 302
        stored = db.scalar(select(func.count()).select_from(InboxRecord).where(InboxRecord.shop_id == shop_id))
        assert stored == len(visible_orders(sim))
        runs = db.execute(select(JobRun.job, JobRun.status, JobRun.counts).where(JobRun.shop_id == shop_id)
                          .order_by(JobRun.id)).all()
        assert [(j, s) for j, s, _ in runs] == [("pull_orders", "succeeded"), ("pull_refunds", "succeeded"),
                                               ("intake_orders", "succeeded"), ("intake_refunds", "succeeded")]
        assert runs[0].counts["records"] >= 180
        page = supervisor.get("/sync/").get_data(as_text=True)
        assert "拉取订单" in page and "记录：" in page
    finally:
        sim.stop()


versions = st.lists(st.tuples(st.sampled_from(["3001", "3002", "3003"]), st.integers(0, 50)), min_size=1, max_size=25)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(versions, min_size=1, max_size=4))
def test_the_inbox_keeps_exactly_the_latest_version_of_each_record(db, batches):
    shop_id = factories.shop("taobao", "收件箱测试店").id
    db.execute(delete(InboxRecord).where(InboxRecord.shop_id == shop_id))
    base = dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)
    for batch in batches:
        ops.store_inbox(shop_id, "order", [(pid, base + dt.timedelta(minutes=m), {"v": m}) for pid, m in batch])
    latest: dict[str, int] = {}
    for pid, m in (v for batch in batches for v in batch):
        latest[pid] = max(latest.get(pid, -1), m)
    rows = db.execute(select(InboxRecord.platform_id, InboxRecord.platform_modified_at, InboxRecord.payload)
                      .where(InboxRecord.shop_id == shop_id)).all()
    assert {pid: (at - base) // dt.timedelta(minutes=1) for pid, at, _ in rows} == latest
    assert all(payload["v"] == latest[pid] for pid, _, payload in rows)


def test_sync_now_refuses_shops_without_a_platform_api(app, db, login_as):
    shop_id = factories.shop("live", "直播间").id
    db.commit()
    response = login_as("supervisor").post(f"/sync/shops/{shop_id}/pull", token_from="/sync/", follow_redirects=True)
    assert "直播间 没有可拉取的平台接口" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(JobRun)) == 0


def test_a_mogujie_shop_without_api_ships_by_the_batch_shipping_sheet(app, db, login_as):
    import re

    from backoffice.outbox import OutboxMessage, enqueue

    shop = factories.shop("mogujie", "蘑菇街小店")
    shop.auth_status = "none"
    taobao_id = factories.shop("taobao", "娜好呀").id
    for order_id, courier, number in (("M2001", "yuantong", "YT9876543210123"), ("M2002", "jd", "JD0012345678901")):
        enqueue(shop.id, "shipment", f"shipment:mogujie:{order_id}",
                {"platform_order_id": order_id, "courier_code": courier, "tracking_number": number})
    db.commit()
    shop_id = shop.id
    supervisor = login_as("supervisor")
    page = supervisor.get("/sync/").get_data(as_text=True)
    assert "2 个发货等待批量发货表" in page
    upto = re.search(rf"/sync/shops/{shop_id}/shipping-sheet\?upto=(\d+)", page).group(1)
    sheet = supervisor.get(f"/sync/shops/{shop_id}/shipping-sheet?upto={upto}")
    assert sheet.status_code == 200 and sheet.headers["Content-Type"].startswith("text/csv")
    assert sheet.data.decode("utf-8-sig").splitlines() == [
        "订单编号,物流公司,运单号", "M2001,圆通速递,YT9876543210123", "M2002,京东快递,JD0012345678901"]

    # a parcel shipped after the sheet was downloaded is not in it, and keeps waiting
    enqueue(shop_id, "shipment", "shipment:mogujie:M2003",
            {"platform_order_id": "M2003", "courier_code": "zhongtong", "tracking_number": "ZT7700112233"})
    db.commit()
    done = supervisor.post(f"/sync/shops/{shop_id}/shipping-sheet/uploaded", {"upto": upto}, token_from="/sync/")
    assert done.status_code == 302
    db.expire_all()
    states = dict(db.execute(select(OutboxMessage.idempotency_key, OutboxMessage.status)).all())
    assert states == {"shipment:mogujie:M2001": "delivered", "shipment:mogujie:M2002": "delivered",
                      "shipment:mogujie:M2003": "pending"}
    assert "1 个发货等待批量发货表" in supervisor.get("/sync/").get_data(as_text=True)
    assert supervisor.get(f"/sync/shops/{taobao_id}/shipping-sheet?upto={upto}").status_code == 404
    assert supervisor.get(f"/sync/shops/{shop_id}/shipping-sheet?upto=x").status_code == 400
    assert login_as("service").get(f"/sync/shops/{shop_id}/shipping-sheet?upto={upto}").status_code == 403
