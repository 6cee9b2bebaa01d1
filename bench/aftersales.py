"""Benchmark: receiving returns by tracking number and the reconciliation report.

1. Receive 10,000 return tracking numbers (returns_desk.receive_many) against a
   database of N orders (default 1,000,000) with their return requests.
   Baseline, same run: the bare indexed lookups of the same numbers with sqlite3.
   Target: under 1 s in total.
2. Reconcile R returns (default 100,000): the report's query and ordering.
   Baseline: the report's query alone. Target: under 3 s.

    python bench/aftersales.py [--orders 1000000] [--returns 100000] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--returns", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.returns = min(args.returns, args.orders)

    instance = Path(tempfile.mkdtemp(prefix="bench-aftersales-"))
    os.environ["BACKOFFICE_INSTANCE_PATH"] = str(instance)
    os.environ.setdefault("BACKOFFICE_QUEUE_URL", "memory://")
    path = instance / "bench.db"
    url = f"sqlite:///{path}"

    from backoffice import migrate
    from backoffice.aftersales import returns_desk
    from backoffice.aftersales.reconciliation import reconcile
    from backoffice.app import create_app
    from backoffice.db import session, unit_of_work
    from backoffice.timeutil import utcnow

    migrate.upgrade(url)
    started = time.perf_counter()
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO shops (platform, name, auth_status, active) VALUES ('taobao', '娜好呀', 'ok', 1)")
    now = utcnow().replace(tzinfo=None).isoformat(sep=" ")
    raw.executemany(
        "INSERT INTO orders (number, platform, shop_id, platform_order_id, receiver_name, receiver_phone, address_raw,"
        " goods_fen, freight_fen, discount_fen, paid_fen, status, stock_status, on_hold, cash_on_delivery,"
        " tracking_number, ordered_at, created_at, updated_at)"
        " VALUES (?, 'taobao', 1, ?, '张三', '13812345678', '河北省保定市竞秀区', 5300, 0, 0, 5300, 'completed',"
        " 'in_stock', 0, 0, ?, ?, ?, ?)",
        ((f"B{i:09d}", f"T{i:012d}", f"YT{i:011d}", now, now, now) for i in range(args.orders)))
    raw.executemany(
        "INSERT INTO refund_requests (order_id, platform_refund_id, kind, status, amount_fen, reason,"
        " return_tracking_number, requested_at, freight_insurance) VALUES (?, ?, 'return', 'awaiting_return', 5300,"
        " '不喜欢', ?, ?, 0)",
        ((i + 1, f"R{i}", f"RT{i:011d}", now) for i in range(args.returns)))
    raw.commit()
    setup_s = time.perf_counter() - started

    rng = random.Random(7)
    codes = [f"RT{rng.randrange(args.returns):011d}" if rng.random() < 0.9 else f"SF{i:010d}"
             for i in range(args.scans)]

    start = time.perf_counter()
    for chunk in range(0, len(codes), 500):
        part = codes[chunk:chunk + 500]
        raw.execute(f"SELECT id FROM refund_requests WHERE return_tracking_number IN ({','.join('?' * len(part))})",
                    part).fetchall()
    baseline_scan = time.perf_counter() - start
    raw.close()

    app = create_app({"DATABASE_URL": url})
    with app.app_context():
        # a running server has configured its mappers long before the first scan
        from sqlalchemy.orm import configure_mappers

        configure_mappers()
        start = time.perf_counter()
        with unit_of_work():
            result = returns_desk.receive_many(codes, None)
        scan_s = time.perf_counter() - start

        from backoffice.aftersales import returns_views

        start = time.perf_counter()
        with unit_of_work():
            rows = session.connection().execute(returns_views.reconciliation_query()).all()
        baseline_reconcile = time.perf_counter() - start
        start = time.perf_counter()
        with unit_of_work():
            report = reconcile(returns_views.return_rows(), utcnow())
        reconcile_s = time.perf_counter() - start

    figures = {
        "orders": args.orders, "returns": args.returns, "setup_s": round(setup_s, 2),
        "receive": {"scans": len(codes), "received": len(result.received), "unmatched": len(result.unmatched),
                    "repeated": len(result.repeated), "seconds": round(scan_s, 3),
                    "baseline_seconds": round(baseline_scan, 3), "ratio": round(scan_s / baseline_scan, 1),
                    "target_seconds": 1.0, "met": scan_s < 1.0},
        "reconcile": {"rows": len(report), "discrepancies": sum(1 for r in report if r.problems),
                      "seconds": round(reconcile_s, 3), "baseline_seconds": round(baseline_reconcile, 3),
                      "ratio": round(reconcile_s / baseline_reconcile, 2), "target_seconds": 3.0,
                      "met": reconcile_s < 3.0},
    }
    assert len(rows) == args.returns
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        for name in ("receive", "reconcile"):
            f = figures[name]
            print(f"{name:<10} {f['seconds']:>7} s (baseline {f['baseline_seconds']} s, x{f['ratio']}) "
                  f"target < {f['target_seconds']} s: {'met' if f['met'] else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
