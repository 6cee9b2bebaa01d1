"""Benchmark: pulling N orders from the Taobao simulator end to end (signed
HTTP, backwards paging, mapping to DTOs, upserting into the inbox, the intake
making them orders up to 2,000 at a time in the same transaction, checkpoint),
then the intake job that follows a pull (nothing left for it when all went in).

Baseline, measured in the same run: fetching the same pages over HTTP (signed
and decoded, but neither mapped nor stored). The simulator runs in its own
process (`backoffice simulate`), so it does not share this process's GIL.

    python bench/sync.py [--orders 50000] [--json]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_sim/state", timeout=2) as response:
                return json.load(response)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=50000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    os.environ["BACKOFFICE_INSTANCE_PATH"] = str(instance)
    os.environ.setdefault("BACKOFFICE_QUEUE_URL", "memory://")
    url = os.environ.get("BACKOFFICE_BENCH_DATABASE_URL", f"sqlite:///{instance / 'bench.db'}")
    port = free_port()
    script = Path(sys.executable).with_name("backoffice")
    sim = subprocess.Popen([str(script), "simulate", "taobao", "--port", str(port), "--orders", str(args.orders),
                            "--hours", "20"], env=dict(os.environ), stdout=subprocess.DEVNULL,
                           stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_for(endpoint)
        from sqlalchemy import func, select

        from backoffice import migrate
        from backoffice.app import create_app
        from backoffice.db import session, unit_of_work
        from backoffice.shops.models import Shop
        from backoffice.shops.operations import connect_shop
        from backoffice.sync.models import InboxRecord
        from backoffice.timeutil import utcnow
        from integrations.base import Credentials
        from integrations.clock import to_cst_text
        from integrations.paging import backwards
        from integrations.taobao.adapter import PAGE_SIZE, TRADE_FIELDS, TaobaoAdapter

        migrate.upgrade(url)
        app = create_app({"DATABASE_URL": url})
        creds = Credentials("sim-app-key", "sim-app-secret", "sim-access-token", endpoint)
        now = utcnow()
        start, end = now - dt.timedelta(hours=21), now - dt.timedelta(minutes=1)

        # Baseline: the same requests, answers decoded, nothing mapped or stored.
        adapter = TaobaoAdapter(creds)

        def fetch(page: int, size: int):
            body = adapter.client.call("taobao.trades.sold.increment.get", {
                "fields": TRADE_FIELDS, "start_modified": to_cst_text(start), "end_modified": to_cst_text(end),
                "page_no": page, "page_size": size, "use_has_next": "false"})
            return ((body.get("trades") or {}).get("trade") or []), int(body.get("total_results", 0))

        t0, c0 = time.perf_counter(), time.process_time()
        fetched = sum(len(page) for page in backwards(fetch, PAGE_SIZE))
        baseline_s, baseline_cpu = time.perf_counter() - t0, time.process_time() - c0

        with app.app_context():
            with unit_of_work():
                shop = Shop(platform="taobao", name="基准测试店")
                session.add(shop)
                session.flush()
                connect_shop(shop, creds.app_key, creds.app_secret, creds.access_token, None, endpoint)
                shop_id = shop.id
            from backoffice.sync import pulling

            pull_now = end + TaobaoAdapter.settle_lag
            pulling.FIRST_PULL = pull_now - start  # a new shop's first pull: the baseline's span, one window
            t0, c0 = time.perf_counter(), time.process_time()
            with unit_of_work():
                result = pulling.pull(shop_id, adapter=TaobaoAdapter(creds), now=pull_now)
            e2e_s, e2e_cpu = time.perf_counter() - t0, time.process_time() - c0
            with unit_of_work():
                stored = session.scalar(select(func.count()).select_from(InboxRecord)
                                        .where(InboxRecord.shop_id == shop_id))
            # then the intake job that follows every pull: what the pull left in the inbox
            from backoffice.orders.models import Order
            from backoffice.sync.inbox_intake import process_orders

            t0, c0 = time.perf_counter(), time.process_time()
            while True:
                with unit_of_work():
                    if not process_orders(shop_id).processed:
                        break
            intake_s, intake_cpu = time.perf_counter() - t0, time.process_time() - c0
            with unit_of_work():
                taken_in = session.scalar(select(func.count()).select_from(Order).where(Order.shop_id == shop_id))
    finally:
        sim.terminate()
        sim.wait(timeout=10)

    figures = {
        "database": url.split(":")[0], "orders": args.orders, "pages": result.pages,
        # cpu_seconds: this process only (the simulator runs apart); steadier than
        # wall time when the machine is shared.
        "baseline_fetch_only": {"seconds": round(baseline_s, 2), "cpu_seconds": round(baseline_cpu, 2),
                                "orders": fetched, "orders_per_s": round(fetched / baseline_s)},
        "end_to_end": {"seconds": round(e2e_s, 2), "cpu_seconds": round(e2e_cpu, 2), "orders": stored,
                       "taken_in": result.taken_in, "orders_per_s": round(stored / e2e_s)},
        "ratio_to_baseline": round(e2e_s / baseline_s, 2),
        "target": {"orders_per_s": 2000, "ratio_to_baseline": 2.0},
        # the intake job that follows each pull (its leftovers), and both together
        "order_intake": {"seconds": round(intake_s, 2), "cpu_seconds": round(intake_cpu, 2), "orders": taken_in,
                         "orders_per_s": round(taken_in / intake_s)},
        "pull_and_order_intake": {"seconds": round(e2e_s + intake_s, 2),
                                  "orders_per_s": round(taken_in / (e2e_s + intake_s)),
                                  "ratio_to_baseline": round((e2e_s + intake_s) / baseline_s, 2)},
    }
    if stored != args.orders or taken_in != args.orders:
        print(f"inbox holds {stored} orders, orders {taken_in}, the simulator {args.orders}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        print(f"baseline (fetch only): {figures['baseline_fetch_only']}")
        print(f"end to end:            {figures['end_to_end']}  x{figures['ratio_to_baseline']}")
        print(f"order intake:          {figures['order_intake']}")
        print(f"pull + order intake:   {figures['pull_and_order_intake']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
