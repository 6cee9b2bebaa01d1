from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

import backoffice.models as m
from backoffice import demo
from backoffice.db import Base

TABLES = [t for t in Base.metadata.sorted_tables]


def snapshot(db):
    """Row count and a content digest of every table."""
    result = {}
    for table in TABLES:
        rows = db.execute(select(table).order_by(*table.primary_key.columns)).all()
        result[table.name] = (len(rows), hash(tuple(tuple(str(v) for v in row) for row in rows)))
    return result


def test_loading_twice_changes_nothing(app, db, tmp_path):
    first_logins = demo.load(tmp_path)
    db.flush()
    first = snapshot(db)
    second_logins = demo.load(tmp_path)
    db.flush()
    assert snapshot(db) == first
    assert first_logins == second_logins
    assert {role for role, _, _ in first_logins} == {"admin", "supervisor", "listing", "service", "warehouse"}
    stored = json.loads((tmp_path / "demo_logins.json").read_text())
    assert stored == {username: password for _, username, password in first_logins}
    assert oct((tmp_path / "demo_logins.json").stat().st_mode & 0o777) == "0o600"


def test_the_demo_shop_makes_every_page_meaningful(app, db, tmp_path):
    demo.load(tmp_path)
    db.flush()
    assert db.scalar(select(func.count()).select_from(m.Order)) == demo.ORDER_COUNT
    provinces = set(db.scalars(select(m.Order.province)))
    assert len(provinces) >= 20 and {"新疆维吾尔自治区", "西藏自治区", "河北省"} <= provinces
    assert set(db.scalars(select(m.Order.status))) >= {"paid", "shipped", "completed", "pending", "cancelled"}
    assert set(db.scalars(select(m.Product.kind))) == {"normal", "streamer", "flash", "unique"}
    assert set(db.scalars(select(m.RefundRequest.kind))) == {"refund_only", "return"}
    # reserved stock equals the paid, in-stock orders' quantities and never exceeds what is on hand
    for sku in db.scalars(select(m.Sku)):
        assert 0 <= sku.reserved <= sku.on_hand
    numbers = list(db.scalars(select(m.Order.number)))
    assert len(set(numbers)) == len(numbers)


@pytest.mark.parametrize("role", ["admin", "supervisor", "listing", "service", "warehouse"])
def test_every_menu_page_renders_with_the_demo_data(app, db, tmp_path, role):
    from flask import url_for

    from backoffice.web.navigation import menu_for
    from tests.conftest import Client

    logins = {r: (u, p) for r, u, p in demo.load(tmp_path)}
    db.commit()
    user = db.scalar(select(m.User).where(m.User.username == logins[role][0]))
    items, sees_orders = menu_for(user), user.can("orders.view")
    order_id = db.scalar(select(m.Order.id).order_by(m.Order.id))
    client = Client(app.test_client())
    assert client.login(*logins[role]).status_code == 302
    home = client.get("/").get_data(as_text=True)
    for item in items:
        with app.test_request_context():
            url = url_for(item.endpoint)
        assert f'href="{url}"' in home, (role, url)
        response = client.get(url)
        assert response.status_code == 200, (role, url)
        assert "<table" in response.get_data(as_text=True) or item.endpoint == "dashboard.index"
    if sees_orders:
        assert client.get(f"/orders/{order_id}").status_code == 200


def test_demo_addresses_resolve_to_official_codes(app, db, tmp_path):
    demo.load(tmp_path)
    db.flush()
    codes = db.execute(select(m.Order.province, m.Order.region_code)).all()
    assert all(code and len(code) == 6 for _, code in codes)
    assert {code[:2] for province, code in codes if province == "河北省"} == {"13"}


def test_the_demo_douyin_shop_is_connected_to_the_local_simulator(app, db, tmp_path):
    from backoffice.shops.operations import shop_credentials

    with app.app_context():
        demo.load(tmp_path)
        db.flush()
        shops = {s.platform: s for s in db.scalars(select(m.Shop))}
        assert shops["douyin"].auth_status == "ok"
        assert shops["douyin"].credentials_encrypted and b"sim-app-secret" not in shops["douyin"].credentials_encrypted
        assert shop_credentials(shops["douyin"]).endpoint == "http://127.0.0.1:5101"
        assert {s.auth_status for p, s in shops.items() if p != "douyin"} == {"none"}
