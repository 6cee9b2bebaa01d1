"""Benchmark: server time of the main pages with the demo shop plus N extra orders.

Baseline, measured in the same run: GET /healthz (one trivial query), so the
ratio shows what the page's own queries and rendering cost.

    python bench/web.py [--orders 20000] [--requests 50] [--json]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=20000, help="extra orders on top of the demo shop")
    parser.add_argument("--requests", type=int, default=50, help="requests per page")
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
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(f"baseline /healthz: {baseline['median_ms']} ms")
        for path, figures in pages.items():
            print(f"{path:<24} {figures['median_ms']:>8} ms  p95 {figures['p95_ms']:>8} ms  x{figures['ratio_to_baseline']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
