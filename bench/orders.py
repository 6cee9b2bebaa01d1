"""Benchmark: order intake, merge detection and the order list.

Generates N realistic orders (Chinese names and addresses across provinces,
1-3 lines, about 20% from buyers with two orders, i.e. mergeable), runs them
through the intake operation in batches, then merge detection over all open
orders, then times the order list with the table filled up to --list-orders.

Ceiling, measured in the same run: a plain DB-API executemany insert of the
same order, line and event rows into the same database (rolled back), so
intake's ratio shows what numbering, parsing, stock and checks cost.

    python bench/orders.py [--orders 100000] [--batch 5000] [--list-orders 1000000] [--json]
Targets (SQLite, 2 cores): intake >= 10,000 orders/s and >= 30% of the ceiling;
merge detection over 100,000 open orders < 2 s; list pages < 50 ms.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def generate(n: int, shop_id: int, skus: list[tuple[str, int]], rng: random.Random):
    from backoffice.demo import ADDRESSES, GIVEN, MEMOS, MESSAGES, SURNAMES
    from backoffice.orders.incoming import IncomingLine, IncomingOrder, IncomingReceiver

    start = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    people, orders = [], []
    for i in range(n):
        if people and rng.random() < 0.1:  # a buyer's second order: ~20% of orders are mergeable
            person = people.pop(rng.randrange(len(people)))
        else:
            province, city, district, street = rng.choice(ADDRESSES)
            person = (rng.choice(SURNAMES) + rng.choice(GIVEN), f"1{rng.choice('3589')}{rng.randint(10**8, 10**9 - 1)}",
                      f"{province}{city}{district}{street}", f"buyer{i}")
            people.append(person)
            if len(people) > 2000:
                people.pop(0)
        name, phone, address, buyer = person
        lines = [IncomingLine(code, rng.choice([1, 1, 1, 2]), price)
                 for code, price in rng.sample(skus, rng.choices([1, 2, 3], [70, 22, 8])[0])]
        orders.append(IncomingOrder(
            platform="taobao", shop_id=shop_id, platform_order_id=f"T{i:010d}", buyer_id=buyer,
            receiver=IncomingReceiver(name, phone, address), lines=lines, status="paid",
            ordered_at=start + dt.timedelta(seconds=i * 20), buyer_message=rng.choice(MESSAGES),
            seller_memo=rng.choice(MEMOS)))
    return orders


def ceiling(engine, orders) -> float:
    """Orders/s of a plain executemany of the same rows (in a transaction rolled back)."""
    now = dt.datetime.now(dt.timezone.utc)
    sqlite = engine.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    stamp = (lambda t: t.replace(tzinfo=None)) if sqlite else (lambda t: t)
    order_cols = ("number", "platform", "shop_id", "platform_order_id", "buyer_id", "receiver_name", "receiver_phone",
                  "address_raw", "goods_fen", "freight_fen", "discount_fen", "paid_fen", "status", "stock_status",
                  "on_hold", "cash_on_delivery", "ordered_at", "created_at", "updated_at", "source", "stock_reserved",
                  "weight_g", "merge_excluded", "seller_memo", "buyer_message")
    order_rows = [(f"X{i}", o.platform, o.shop_id, o.platform_order_id, o.buyer_id, o.receiver.name,
                   o.receiver.phone, o.receiver.address, 0, 0, 0, 0, "paid", "in_stock", False, False,
                   stamp(o.ordered_at), stamp(now), stamp(now), "file", True, 0, False, o.seller_memo,
                   o.buyer_message) for i, o in enumerate(orders)]
    with engine.connect() as conn:
        trans = conn.begin()
        began = time.perf_counter()
        conn.exec_driver_sql(f"INSERT INTO orders ({', '.join(order_cols)}) VALUES ({', '.join([mark] * len(order_cols))})",
                             order_rows)
        first = conn.exec_driver_sql("SELECT min(id) FROM orders WHERE number LIKE 'X%'").scalar()
        line_rows = [(first + i, line.sku_code, line.sku_code, line.quantity, line.price_fen, False)
                     for i, o in enumerate(orders) for line in o.lines]
        conn.exec_driver_sql(f"INSERT INTO order_lines (order_id, sku_code, title, quantity, price_fen, flash_sale) "
                             f"VALUES ({', '.join([mark] * 6)})", line_rows)
        conn.exec_driver_sql(f"INSERT INTO order_events (order_id, at, kind, message, data) "
                             f"VALUES ({', '.join([mark] * 5)})",
                             [(first + i, stamp(now), "created", "bench", "{}") for i in range(len(orders))])
        elapsed = time.perf_counter() - began
        trans.rollback()
    return len(orders) / elapsed


def fill(engine, total: int, shop_id: int) -> None:
    """Top the orders table up to `total` rows with plain inserts (history for the list)."""
    with engine.begin() as conn:
        have = conn.exec_driver_sql("SELECT count(*) FROM orders").scalar()
        sqlite = engine.dialect.name == "sqlite"
        mark = "?" if sqlite else "%s"
        t = dt.datetime(2025, 1, 1) if sqlite else dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
        cols = ("number", "platform", "shop_id", "platform_order_id", "receiver_name", "receiver_phone", "address_raw",
                "goods_fen", "freight_fen", "discount_fen", "paid_fen", "status", "stock_status", "on_hold",
                "cash_on_delivery", "ordered_at", "created_at", "updated_at", "source", "stock_reserved", "weight_g",
                "merge_excluded")
        sql = f"INSERT INTO orders ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"
        for start in range(have, total, 100_000):
            rows = [(f"H{i:09d}", "taobao", shop_id, f"H{i:09d}", "王芳", f"139{i:08d}", "河北省保定市竞秀区", 5300, 0, 0,
                     5300, "completed", "unknown", False, False, t, t, t, "sync", False, 450, False)
                    for i in range(start, min(total, start + 100_000))]
            conn.exec_driver_sql(sql, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5000, help="orders per intake call (one transaction each)")
    parser.add_argument("--list-orders", type=int, default=1_000_000, help="orders in the table for the list timing")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="bench-orders-"))
    os.environ["BACKOFFICE_INSTANCE_PATH"] = str(instance)
    os.environ.setdefault("BACKOFFICE_QUEUE_URL", "memory://")
    url = os.environ.get("BACKOFFICE_BENCH_DATABASE_URL", f"sqlite:///{instance / 'bench.db'}")

    from sqlalchemy import text

    from backoffice import migrate
    from backoffice.accounts.operations import create_user
    from backoffice.app import create_app
    from backoffice.catalog.models import Product, Sku, Supplier
    from backoffice.db import session, unit_of_work
    from backoffice.orders.intake import intake
    from backoffice.orders.merge import decide
    from backoffice.orders.operations import load_candidates, merge_rules
    from backoffice.sync.models import Shop

    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
    engine = app.extensions["engine"]
    rng = random.Random(2026)
    with app.app_context():
        with unit_of_work():
            create_user("bench", "bench-password-1", "supervisor", "压测")
            shop = Shop(platform="taobao", name="娜好呀", auth_status="ok")
            supplier = Supplier(name="大明", pinyin_code="daming")
            session.add_all([shop, supplier])
            for p in range(40):
                product = Product(supplier=supplier, model=f"D-{p}", name=f"韩版链条包 {p}", listing_code=f"daming-D-{p}",
                                  cost_fen=3800, weight_g=300 + p * 10)
                for colour in ("heise", "baise", "kaqise"):
                    product.skus.append(Sku(code=f"daming-D-{p}-{colour}", color=colour, price_fen=5300,
                                            on_hand=10 ** 7))
                session.add(product)
            session.flush()
            shop_id = shop.id
            skus = [(s.code, s.price_fen) for s in session.query(Sku)]
        orders = generate(args.orders, shop_id, skus, rng)

        ceiling_rate = ceiling(engine, orders)
        began, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(orders), args.batch):
            with unit_of_work():
                intake(orders[start:start + args.batch], source="sync")
        intake_seconds, intake_cpu = time.perf_counter() - began, time.process_time() - cpu

        with unit_of_work():
            rules = merge_rules()
            began, cpu = time.perf_counter(), time.process_time()
            candidates = load_candidates()
            loaded = time.perf_counter() - began
            decision = decide(candidates, rules)
            merge_seconds, merge_cpu = time.perf_counter() - began, time.process_time() - cpu
        grouped = sum(len(g.order_ids) for g in decision.groups)

        fill(engine, args.list_orders, shop_id)
        with unit_of_work():
            phone = orders[len(orders) // 2].receiver.phone
            total = session.execute(text("SELECT count(*) FROM orders")).scalar()

    client = app.test_client()
    client.post("/login", data={"username": "bench", "password": "bench-password-1"})

    def timed(path: str) -> dict:
        client.get(path)
        samples = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(path)
            samples.append(time.perf_counter() - t0)
            assert response.status_code == 200, (path, response.status_code)
        return {"median_ms": round(statistics.median(samples) * 1000, 2),
                "p95_ms": round(sorted(samples)[max(0, int(len(samples) * 0.95) - 1)] * 1000, 2)}

    pages = {path: timed(path) for path in (
        "/orders/", "/orders/?status=paid", f"/orders/?phone={phone}", "/orders/?flag=short", "/orders/?platform=taobao&flag=message",
        "/orders/?status=completed&date_from=2025-01-01&date_to=2025-01-01", f"/orders/?buyer=buyer{args.orders // 2}")}
    intake_rate = args.orders / intake_seconds
    result = {
        "database": url.split(":")[0], "orders": args.orders, "batch": args.batch,
        "load_average_1min": round(os.getloadavg()[0], 1),  # other work on the machine slows every figure
        "intake": {"orders_per_s": round(intake_rate), "seconds": round(intake_seconds, 2),
                   "cpu_seconds": round(intake_cpu, 2),
                   "ceiling_executemany_orders_per_s": round(ceiling_rate),
                   "ratio_to_ceiling": round(intake_rate / ceiling_rate, 3),
                   "targets_met": intake_rate >= 10_000 and intake_rate / ceiling_rate >= 0.3},
        "merge_detection": {"open_orders": len(candidates), "seconds": round(merge_seconds, 3),
                            "cpu_seconds": round(merge_cpu, 3),
                            "load_seconds": round(loaded, 3), "orders_per_s": round(len(candidates) / merge_seconds),
                            "groups": len(decision.groups), "orders_in_groups": grouped,
                            "target_met": merge_seconds < 2 * len(candidates) / 100_000},
        "list": {"orders_in_table": total, "pages": pages,
                 "target_met": all(p["median_ms"] < 50 for p in pages.values())},
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        i = result["intake"]
        print(f"intake: {i['orders_per_s']} orders/s, ceiling {i['ceiling_executemany_orders_per_s']}/s, "
              f"ratio {i['ratio_to_ceiling']}")
        m = result["merge_detection"]
        print(f"merge detection: {m['open_orders']} open orders in {m['seconds']} s, {m['groups']} groups")
        for path, figures in pages.items():
            print(f"{path:<60} {figures['median_ms']:>8} ms  p95 {figures['p95_ms']:>8} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
