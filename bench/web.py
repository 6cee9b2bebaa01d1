"""Benchmark: server time of the main pages with the demo shop plus N extra orders,
and staff working at once.

1. Pages. Baseline, measured in the same run: GET /healthz (one trivial
   query), so the ratio shows what the page's own queries and rendering cost.
2. Concurrency, through a real threaded server on loopback: --staff logins at
   the same moment, then --threads staff making --writes mixed writes each at
   once (reveal a receiver, set a restock date, hold/release an order).
   Baseline, same run: the same requests one after another. Targets: 0 errors.

    python bench/web.py [--orders 20000] [--requests 50] [--staff 20] [--threads 16] [--writes 50] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.served drives the served app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=20000, help="extra orders on top of the demo shop")
    parser.add_argument("--requests", type=int, default=50, help="requests per page")
    parser.add_argument("--staff", type=int, default=20, help="staff logging in at the same moment")
    parser.add_argument("--threads", type=int, default=16, help="staff writing at once")
    parser.add_argument("--writes", type=int, default=50, help="writes per writing staff member")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="bench-web-"))
    os.environ["BACKOFFICE_INSTANCE_PATH"] = str(instance)
    os.environ.setdefault("BACKOFFICE_QUEUE_URL", "memory://")
    url = os.environ.get("BACKOFFICE_BENCH_DATABASE_URL", f"sqlite:///{instance / 'bench.db'}")

    from sqlalchemy import insert, select

    from backoffice import demo, migrate
    from backoffice.app import create_app
    from backoffice.db import session, unit_of_work
    from backoffice.orders.models import Order
    from backoffice.timeutil import utcnow

    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
    with app.app_context(), unit_of_work():
        logins = {role: (user, pw) for role, user, pw in demo.load(instance)}
        template = session.scalar(select(Order).limit(1))
        shop_id, now = template.shop_id, utcnow()
        rows = [dict(number=f"209901-{i:06d}", platform="taobao", shop_id=shop_id, platform_order_id=f"B{i:09d}",
                     receiver_name="张三", receiver_phone="13812345678", province="河北省", city="保定市",
                     district="竞秀区", address_detail="朝阳北大街 1 号", address_raw="河北省保定市竞秀区朝阳北大街 1 号",
                     status="paid" if i % 3 else "completed", ordered_at=now, created_at=now, updated_at=now)
                for i in range(args.orders)]
        session.execute(insert(Order), rows)

    client = app.test_client()
    client.post("/login", data={"username": logins["supervisor"][0], "password": logins["supervisor"][1]})

    def timed(path: str) -> dict:
        client.get(path)  # warm caches and templates
        samples = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(path)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
        return {"median_ms": round(statistics.median(samples) * 1000, 2),
                "p95_ms": round(sorted(samples)[int(len(samples) * 0.95) - 1] * 1000, 2)}

    baseline = timed("/healthz")
    pages = {path: timed(path) for path in ("/", "/orders/", "/orders/?status=paid", "/aftersales/", "/audit")}
    for figures in pages.values():
        figures["ratio_to_baseline"] = round(figures["median_ms"] / max(baseline["median_ms"], 1e-6), 1)
    result = {"database": url.split(":")[0], "orders": args.orders + demo.ORDER_COUNT, "requests": args.requests,
              "baseline_healthz": baseline, "pages": pages}
    result["concurrency"] = concurrency(url, args)
    result["targets"] = [
        {"name": f"{args.staff} logins at once: errors", "value": result["concurrency"]["logins"]["errors"],
         "unit": "requests", "target": 0, "met": result["concurrency"]["logins"]["errors"] == 0},
        {"name": f"{args.threads} threads x {args.writes} writes: errors",
         "value": result["concurrency"]["writes"]["errors"], "unit": "requests", "target": 0,
         "met": result["concurrency"]["writes"]["errors"] == 0},
    ]
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(f"baseline /healthz: {baseline['median_ms']} ms")
        for path, figures in pages.items():
            print(f"{path:<24} {figures['median_ms']:>8} ms  p95 {figures['p95_ms']:>8} ms  x{figures['ratio_to_baseline']}")
        for name, figures in result["concurrency"].items():
            print(f"{name:<22} {figures['count']:>5} requests  {figures['errors']} errors  "
                  f"p50 {figures['p50_ms']} ms  p99 {figures['p99_ms']} ms")
        for target in result["targets"]:
            print(f"{'met' if target['met'] else 'NOT MET'}: {target['name']} = {target['value']} (target {target['target']})")
    return 0 if all(t["met"] for t in result["targets"]) else 1


def concurrency(url: str, args) -> dict:
    """Logins and writes at once through a real server, and the same one after another."""
    from sqlalchemy import select

    from backoffice.accounts.operations import create_user
    from backoffice.app import create_app
    from backoffice.db import session, unit_of_work
    from backoffice.orders.models import Order
    from tests.served import Outcome, concurrent_logins, concurrent_writes, in_threads, login, mixed_writes, sequential_logins, served

    app = create_app({"DATABASE_URL": url})  # CSRF on, as staff use it
    password = "bench-Pass-2026"
    with app.app_context(), unit_of_work():
        users = [(create_user(f"bench{i:02d}", password, "service").username, password) for i in range(args.staff)]
        order_ids = list(session.scalars(select(Order.id).where(Order.status == "paid").order_by(Order.id).limit(50)))
    with served(app) as base:
        logins_seq = sequential_logins(base, users)
        logins = concurrent_logins(base, users)
        browsers = [None] * args.threads
        in_threads(args.threads, lambda i: browsers.__setitem__(i, login(base, *users[i % len(users)])))
        writes_seq = Outcome()
        for i, browser in enumerate(browsers):
            mixed_writes(browser, base, order_ids, args.writes, i, writes_seq)
        writes = concurrent_writes(base, browsers, order_ids, args.writes)
    return {"logins": logins.figures(), "logins_sequential_baseline": logins_seq.figures(),
            "writes": writes.figures(), "writes_sequential_baseline": writes_seq.figures()}


if __name__ == "__main__":
    sys.exit(main())
