"""Concurrent writers on PostgreSQL, with real commits (not the per-test
transaction): imports never duplicate, numbers have no gaps, stock never
goes below zero."""
from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select, text

from backoffice.catalog.models import Sku
from backoffice.db import session, unit_of_work
from backoffice.orders.intake import intake
from backoffice.orders.models import Order, OrderLine
from tests import factories as f

# emptied after each test; the seeded reference tables keep the rows the migrations put there
TABLES = ("price_changes", "order_events", "order_lines", "refund_requests", "orders", "merge_groups",
          "number_sequences")
SEEDED = ("listings", "skus", "products", "suppliers", "shops")  # in the order their rows can go


@pytest.fixture
def committed(engine):
    """The shared scoped session bound to the engine itself: every thread gets
    its own session and commits for real. Tables are emptied after."""
    if engine.dialect.name != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (set BACKOFFICE_TEST_DATABASE_URL)")
    session.remove()
    session.configure(bind=engine)

    with engine.connect() as conn:
        seeded = {t: conn.scalar(text(f"SELECT coalesce(max(id), 0) FROM {t}")) for t in SEEDED}

    def wipe():
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
            for table in SEEDED:
                conn.execute(text(f"DELETE FROM {table} WHERE id > :seeded"), {"seeded": seeded[table]})

    wipe()
    yield engine
    session.remove()
    session.configure(bind=None)
    wipe()


def run_threads(n, work):
    barrier = threading.Barrier(n)
    errors = []

    def target(i):
        try:
            barrier.wait()
            work(i)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            session.remove()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def setup_shop(on_hand):
    with unit_of_work():
        shop = f.shop()
        f.sku(on_hand=on_hand)
        return shop.id


def test_concurrent_imports_of_the_same_orders_create_each_once(committed):
    shop_id = setup_shop(on_hand=1000)
    batch = [f.incoming(f"T{i:05d}", shop_id=shop_id) for i in range(60)]

    def work(i):
        with unit_of_work():
            intake(batch[i % 3::1] if i % 2 else list(reversed(batch)), source="sync")

    run_threads(6, work)
    with unit_of_work():
        assert session.scalar(select(func.count()).select_from(Order)) == 60
        assert session.scalar(select(func.count()).select_from(OrderLine)) == 60
        assert session.scalar(select(Sku.reserved)) == 60


def test_numbers_stay_unique_and_gap_free_under_many_writers(committed):
    shop_id = setup_shop(on_hand=10_000)

    def work(i):
        for round_ in range(5):
            with unit_of_work():
                intake([f.incoming(f"W{i:02d}-{round_}-{k}", shop_id=shop_id) for k in range(3)], source="sync")
            if round_ == 2:  # a writer whose transaction fails must not leave a hole
                try:
                    with unit_of_work():
                        intake([f.incoming(f"X{i:02d}", shop_id=shop_id)], source="sync")
                        raise RuntimeError("rolled back")
                except RuntimeError:
                    pass

    run_threads(10, work)
    with unit_of_work():
        numbers = sorted(session.scalars(select(Order.number)))
    assert numbers == [f"202611-{n:06d}" for n in range(1, 151)]


def test_stock_never_goes_below_zero_under_concurrent_orders(committed):
    shop_id = setup_shop(on_hand=7)

    def work(i):
        for k in range(3):
            with unit_of_work():
                intake([f.incoming(f"S{i:02d}-{k}", shop_id=shop_id)], source="sync")

    run_threads(8, work)
    with unit_of_work():
        sku = session.scalar(select(Sku))
        statuses = Counter(session.scalars(select(Order.stock_status)))
        assert (sku.on_hand, sku.reserved) == (7, 7)
        assert statuses == {"in_stock": 7, "short": 17}


def test_reserving_after_a_restock_never_oversells(committed):
    """Short orders retried at once after a restock: the SKU row lock lets
    exactly as many through as there are bags."""
    shop_id = setup_shop(on_hand=0)
    with unit_of_work():
        intake([f.incoming(f"R{i:02d}", shop_id=shop_id) for i in range(12)], source="sync")
        session.scalar(select(Sku)).on_hand = 5
    with unit_of_work():
        ids = list(session.scalars(select(Order.id).order_by(Order.id)))
    from backoffice.orders import stock

    def work(i):
        with unit_of_work():
            stock.reserve_order(session.get(Order, ids[i]))

    run_threads(12, work)
    with unit_of_work():
        assert session.scalar(select(Sku.reserved)) == 5
        assert Counter(session.scalars(select(Order.stock_status))) == {"in_stock": 5, "short": 7}
