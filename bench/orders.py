"""Benchmark: order intake, merge detection and the order list.

Generates N realistic orders (Chinese names and addresses across provinces,
1-3 lines, about 20% from buyers with two orders, i.e. mergeable), runs them
through the intake operation in batches into a fresh database, then merge
detection over all open orders. The order list is timed in a database of
--list-orders orders of history (rare flags on a few percent), built once into
build/bench-orders-<N>-v<version>.sqlite and reused (or the database in
BACKOFFICE_BENCH_LIST_DATABASE_URL, filled when its orders table is empty).

Each stage has a ceiling measured in the same run, and the ratio to it:
- intake: a plain DB-API executemany of the same order, line and event rows
  into the same database (rolled back): what numbering, parsing, stock and
  checks cost on top of writing the rows;
- merge detection: reading the open orders' columns through the bare driver;
- list: the first page's bare keyset query through the driver.
The machine is shared: wall-clock figures move with its load, so CPU seconds
and the ratios are reported too.

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


def ceiling(engine, orders) -> tuple[float, float]:
    """Orders per second and per CPU second of a plain executemany of the same
    rows (in a transaction rolled back)."""
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
        began, cpu = time.perf_counter(), time.process_time()
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
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
        trans.rollback()
    return len(orders) / elapsed, len(orders) / cpu


def bare_candidates_seconds(engine) -> float:
    """Ceiling of merge detection: reading the open orders' merge columns through the bare driver."""
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        began = time.perf_counter()
        cursor.execute("SELECT id, shop_id, buyer_id, receiver_name, receiver_phone, region_code, address_detail, "
                       "status, on_hold, cash_on_delivery, seller_memo, merge_excluded, merge_group_id "
                       "FROM orders WHERE status IN ('pending', 'paid')")
        cursor.fetchall()
        elapsed = time.perf_counter() - began
        cursor.close()
    return elapsed


LIST_DB_VERSION = 1  # bump when the generated history changes shape


def build_list_database(url: str, total: int) -> None:
    """Fill a fresh database with `total` orders of history as a shop would have
    them after two years: mostly completed, a few open; rare flags (buyer
    message, address to check, on hold, merged, short) on a few percent.
    Plain executemany, built once and cached: the list timings only read it."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    stamp = (lambda t: t.replace(tzinfo=None).isoformat(" ", "microseconds")) if sqlite else (lambda t: t)
    from backoffice.demo import ADDRESSES, GIVEN, SURNAMES

    rng = random.Random(7)
    platforms = [("taobao", "娜好呀"), ("taobao", "娜好呀二店"), ("mogujie", "娜好呀蘑菇街"), ("pinduoduo", "娜好呀拼多多"),
                 ("douyin", "娜好呀抖音"), ("live", "直播间")]
    statuses = ["completed"] * 85 + ["shipped"] * 5 + ["cancelled"] * 2 + ["closed"] * 2 + ["paid"] * 5 + ["pending"]
    first = dt.datetime(2024, 12, 1, tzinfo=dt.timezone.utc)
    step = dt.timedelta(days=720) / total
    with engine.begin() as conn:
        shop_ids = []
        for platform, name in platforms:
            conn.exec_driver_sql(f"INSERT INTO shops (platform, name, auth_status, active) VALUES "
                                 f"({mark}, {mark}, 'ok', {'1' if sqlite else 'true'})", (platform, name))
            shop_ids.append((platform, conn.exec_driver_sql("SELECT max(id) FROM shops").scalar()))
        cols = ("number", "platform", "shop_id", "platform_order_id", "buyer_id", "receiver_name", "receiver_phone",
                "province", "city", "district", "address_detail", "address_raw", "region_code", "address_problem",
                "goods_fen", "freight_fen", "discount_fen", "paid_fen", "status", "stock_status", "stock_reserved",
                "buyer_message", "seller_memo", "on_hold", "cash_on_delivery", "ordered_at", "paid_at", "created_at",
                "updated_at", "source", "weight_g", "merge_excluded", "merge_group_id")
        order_sql = f"INSERT INTO orders ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"
        line_sql = (f"INSERT INTO order_lines (order_id, sku_code, title, quantity, price_fen, flash_sale) "
                    f"VALUES ({', '.join([mark] * 6)})")
        group_sql = (f"INSERT INTO merge_groups (id, status, mode, order_ids, reasons, goods_fen, paid_fen, weight_g, "
                     f"item_count, under_minimum, created_at) VALUES ({', '.join([mark] * 11)})")
        chunk = 50_000
        for start in range(0, total, chunk):
            rows, lines, groups = [], [], []
            for i in range(start, min(total, start + chunk)):
                platform, shop_id = rng.choice(shop_ids)
                province, city, district, street = rng.choice(ADDRESSES)
                status = rng.choice(statuses)
                at = first + step * i
                problem = "unresolved" if rng.random() < 0.003 else None
                group = None
                if i % 100 == 1 and status in ("paid", "shipped", "completed"):  # ~1% shipped merged, in pairs
                    group = i
                    groups.append((i, "merged", "normal", "[]", "[]", 10600, 10600, 900, 2, False, stamp(at)))
                rows.append((
                    f"H{i:09d}", platform, shop_id, f"H{i:09d}", f"buyer{rng.randrange(300_000)}",
                    rng.choice(SURNAMES) + rng.choice(GIVEN), f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                    province, city, district, street, f"{province}{city}{district}{street}",
                    None if problem else "130602", problem, 5300, 0, 0, 5300, status,
                    "short" if status == "paid" and rng.random() < 0.1 else "in_stock", status in ("paid", "pending"),
                    "能发顺丰吗" if rng.random() < 0.03 else None, None,
                    status == "paid" and rng.random() < 0.05, False, stamp(at), stamp(at), stamp(at), stamp(at),
                    "sync", 450, False, group))
                lines.append((None, f"daming-D-{i % 40}-heise", f"韩版链条包 {i % 40} 黑色", 1, 5300, False))
            if groups:
                conn.exec_driver_sql(group_sql, groups)
            conn.exec_driver_sql(order_sql, rows)
            low = conn.exec_driver_sql(f"SELECT id FROM orders WHERE number = {mark}", (rows[0][0],)).scalar()
            conn.exec_driver_sql(line_sql, [(low + k,) + line[1:] for k, line in enumerate(lines)])
        if sqlite:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def list_timings(url: str, requests: int) -> dict:
    """Server time of the order list pages (the app in-process, no network),
    and the bare keyset query of the same page through the driver as ceiling."""
    from sqlalchemy import select

    from backoffice.accounts.models import User
    from backoffice.accounts.operations import create_user
    from backoffice.app import create_app
    from backoffice.db import session, unit_of_work
    from backoffice.orders.models import Order

    app = create_app({"DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        with unit_of_work():
            if session.scalar(select(User.id).where(User.username == "bench")) is None:
                create_user("bench", "Kx9-orders-timing", "supervisor", "压测")
            total = session.scalar(select(Order.id).order_by(Order.id.desc()).limit(1))
            sample = session.execute(select(Order.receiver_phone, Order.buyer_id, Order.number)
                                     .where(Order.id == total // 2)).one()
    client = app.test_client()
    client.post("/login", data={"username": "bench", "password": "Kx9-orders-timing"})
    phone, buyer, number = sample
    paths = {
        "first page": "/orders/",
        "status paid": "/orders/?status=paid",
        "deep page (before=500000)": f"/orders/?before={total // 2}",
        "phone": f"/orders/?phone={phone}",
        "buyer": f"/orders/?buyer={buyer}",
        "order number": f"/orders/?q={number}",
        "one day": "/orders/?date_from=2025-06-01&date_to=2025-06-01",
        "completed, one day": "/orders/?status=completed&date_from=2025-06-01&date_to=2025-06-01",
        "shop": "/orders/?shop=2",
        "flag short": "/orders/?flag=short",
        "flag buyer message": "/orders/?flag=message",
        "flag message, pinduoduo": "/orders/?platform=pinduoduo&flag=message",
        "flag address": "/orders/?flag=address",
        "flag merged": "/orders/?flag=merged",
        "flag on hold": "/orders/?flag=on_hold",
        "on hold, paid, taobao": "/orders/?status=paid&platform=taobao&flag=on_hold",
    }
    engine = app.extensions["engine"]
    with engine.connect() as conn:  # ceiling: the first page's rows, bare
        raw = conn.connection.driver_connection.cursor()
        samples = []
        for _ in range(requests):
            t0 = time.perf_counter()
            raw.execute("SELECT * FROM orders ORDER BY id DESC LIMIT 51")
            raw.fetchall()
            samples.append(time.perf_counter() - t0)
        raw.close()
    bare_ms = statistics.median(samples) * 1000

    pages = {}
    for name, path in paths.items():
        assert client.get(path).status_code == 200, path
        wall, cpu = [], []
        for _ in range(requests):
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(path)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            assert response.status_code == 200, (path, response.status_code)
        pages[name] = {"path": path, "median_ms": round(statistics.median(wall) * 1000, 1),
                       "p95_ms": round(sorted(wall)[max(0, int(len(wall) * 0.95) - 1)] * 1000, 1),
                       "cpu_median_ms": round(statistics.median(cpu) * 1000, 1)}
    first = pages["first page"]["median_ms"]
    return {"orders_in_table": total, "ceiling_bare_first_page_query_ms": round(bare_ms, 2),
            "ratio_to_ceiling_first_page": round(bare_ms / first, 3), "pages": pages,
            "target_met": all(p["median_ms"] < 50 for p in pages.values())}


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

    from sqlalchemy import create_engine, text

    from backoffice import migrate
    from backoffice.app import create_app
    from backoffice.catalog.models import Product, Sku, Supplier
    from backoffice.db import session, unit_of_work
    from backoffice.orders.intake import intake
    from backoffice.orders.merge import decide
    from backoffice.orders.operations import load_candidates, merge_rules
    from backoffice.shops.models import Shop

    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
    engine = app.extensions["engine"]
    rng = random.Random(2026)
    with app.app_context():
        with unit_of_work():
            shop = Shop(platform="taobao", name="娜好呀", auth_status="ok")
            supplier = session.query(Supplier).filter_by(name="大明").one()  # seeded by the migration
            session.add(shop)
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

        ceiling_rate, ceiling_cpu_rate = ceiling(engine, orders)
        from backoffice.addresses.divisions import divisions

        divisions()  # the division table is read once per process (a server's start), not per order
        began, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(orders), args.batch):
            with unit_of_work():
                intake(orders[start:start + args.batch], source="sync")
        intake_seconds, intake_cpu = time.perf_counter() - began, time.process_time() - cpu

        merge_ceiling = bare_candidates_seconds(engine)
        with unit_of_work():
            rules = merge_rules()
            began, cpu = time.perf_counter(), time.process_time()
            candidates = load_candidates(partnered_only=rules.by_receiver)  # as the merge job reads them
            loaded = time.perf_counter() - began
            decision = decide(candidates, rules)
            merge_seconds, merge_cpu = time.perf_counter() - began, time.process_time() - cpu
        open_orders = session.execute(text("SELECT count(*) FROM orders WHERE status IN ('pending', 'paid')")).scalar()
        grouped = sum(len(g.order_ids) for g in decision.groups)
    engine.dispose()

    list_url = os.environ.get("BACKOFFICE_BENCH_LIST_DATABASE_URL")
    if list_url is not None:
        migrate.upgrade(list_url)
        with create_engine(list_url).connect() as conn:
            if conn.exec_driver_sql("SELECT count(*) FROM orders").scalar() == 0:
                build_list_database(list_url, args.list_orders)
    else:  # built once, then reused: the list timings only read it
        cached = Path(__file__).resolve().parent.parent / "build" / f"bench-orders-{args.list_orders}-v{LIST_DB_VERSION}.sqlite"
        list_url = f"sqlite:///{cached}"
        if not cached.exists():
            cached.parent.mkdir(exist_ok=True)
            partial = cached.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            migrate.upgrade(f"sqlite:///{partial}")
            build_list_database(f"sqlite:///{partial}", args.list_orders)
            partial.rename(cached)
    migrate.upgrade(list_url)  # new indexes of a newer schema reach the cached database too
    listing = list_timings(list_url, args.requests)

    intake_rate = args.orders / intake_seconds
    result = {
        "database": url.split(":")[0], "orders": args.orders, "batch": args.batch,
        "load_average_1min": round(os.getloadavg()[0], 1),  # other work on the machine slows every figure
        "intake": {"orders_per_s": round(intake_rate), "seconds": round(intake_seconds, 2),
                   "cpu_seconds": round(intake_cpu, 2), "orders_per_cpu_s": round(args.orders / intake_cpu),
                   "ceiling_executemany_orders_per_s": round(ceiling_rate),
                   "ceiling_orders_per_cpu_s": round(ceiling_cpu_rate),
                   "ratio_to_ceiling": round(intake_rate / ceiling_rate, 3),
                   "cpu_ratio_to_ceiling": round(args.orders / intake_cpu / ceiling_cpu_rate, 3),
                   "targets_met": intake_rate >= 10_000 and intake_rate / ceiling_rate >= 0.3},
        "merge_detection": {"open_orders": open_orders, "candidates": len(candidates),
                            "seconds": round(merge_seconds, 3), "cpu_seconds": round(merge_cpu, 3),
                            "load_seconds": round(loaded, 3), "orders_per_s": round(open_orders / merge_seconds),
                            "ceiling_bare_read_of_open_orders_s": round(merge_ceiling, 3),
                            "ratio_to_ceiling": round(merge_ceiling / merge_seconds, 3),
                            "groups": len(decision.groups), "orders_in_groups": grouped,
                            "target_met": merge_seconds < 2 * open_orders / 100_000},
        "list": listing,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        i = result["intake"]
        print(f"intake: {i['orders_per_s']} orders/s ({i['orders_per_cpu_s']}/CPU s), ceiling "
              f"{i['ceiling_executemany_orders_per_s']}/s ({i['ceiling_orders_per_cpu_s']}/CPU s), "
              f"ratio {i['ratio_to_ceiling']} (CPU {i['cpu_ratio_to_ceiling']})")
        m = result["merge_detection"]
        print(f"merge detection: {m['open_orders']} open orders in {m['seconds']} s ({m['cpu_seconds']} CPU s), "
              f"{m['groups']} groups; bare read {m['ceiling_bare_read_of_open_orders_s']} s, "
              f"ratio {m['ratio_to_ceiling']}")
        print(f"list with {listing['orders_in_table']} orders; bare first-page query "
              f"{listing['ceiling_bare_first_page_query_ms']} ms")
        for name, figures in listing["pages"].items():
            print(f"  {name:<28} {figures['median_ms']:>7} ms  p95 {figures['p95_ms']:>7} ms  "
                  f"CPU {figures['cpu_median_ms']:>6} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
