"""Benchmark: courier routing and warehouse documents.

- route 100,000 parcels with the seeded rule set compiled once (target < 1 s);
  baseline: a dictionary lookup of a precomputed province → courier table over the same parcels.
- a 2,000-order wave: pick list + packing slips as HTML (target < 1 s) and PDF (target < 10 s);
  baselines: the same rows joined as plain text (HTML), one line of text per page (PDF).

    python bench/shipping.py [--parcels 100000] [--wave 2000] [--json]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--wave", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="bench-shipping-"))
    os.environ["BACKOFFICE_INSTANCE_PATH"] = str(instance)
    os.environ.setdefault("BACKOFFICE_QUEUE_URL", "memory://")
    url = f"sqlite:///{instance / 'bench.db'}"

    from reportlab.pdfgen.canvas import Canvas

    from backoffice import migrate
    from backoffice.addresses.divisions import divisions
    from backoffice.app import create_app
    from backoffice.db import unit_of_work
    from backoffice.shipping import pdf
    from backoffice.shipping.documents import Slip, SlipLine, pick_list
    from backoffice.shipping.routing import Parcel
    from backoffice.shipping.rulesets import published_rule_set, router_for

    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url})
    rng = random.Random(20261123)
    with app.app_context(), unit_of_work():
        compile_s, router = timed(lambda: router_for(published_rule_set()))

    districts = sorted(c for c, d in divisions().by_code.items() if d.level == 3)
    couriers = list(router.names)
    parcels = []
    for _ in range(args.parcels):
        code = rng.choice(districts)
        parcels.append(Parcel(code[:2] + "0000", code[:4] + "00", code, code, rng.choice((1, 1, 1, 2, 3)),
                              rng.randint(300, 3000), rng.randint(990, 30000), rng.random() < 0.1,
                              rng.choice(couriers) if rng.random() < 0.05 else None))
    table = {p.province_code: router.route(Parcel(p.province_code)).courier_code for p in parcels}
    baseline_s, _ = timed(lambda: [table[p.province_code] for p in parcels])
    route_s, decisions = timed(lambda: [router.route(p) for p in parcels])

    skus = [(f"daming-D-{i:03d}-heise", f"{'ABC'[i % 3]}-{i // 30 + 1:02d}-{i % 5 + 1}") for i in range(300)]
    slips = []
    for i in range(args.wave):
        lines = tuple(SlipLine(code, "韩版链条斜挎小方包", "黑色", loc, rng.choice((1, 1, 2)))
                      for code, loc in rng.sample(skus, rng.choice((1, 1, 2, 3))))
        slips.append(Slip(f"202611-{i:06d}", f"T{i:010d}", "娜好呀", "圆通", f"YT{i:013d}", "李娜", "13912345678",
                          "浙江省杭州市西湖区文三路478号", "", lines))
    with app.test_request_context():
        from flask import render_template

        render_template("shipping/doc_slips.html", wave=type("W", (), {"id": 1}), slips=slips[:5], rows=None,
                        sender="", autoprint=False)  # warm the templates

        def html():
            rows = pick_list(slips)
            wave = type("W", (), {"id": 1})
            a = render_template("shipping/doc_pick_list.html", wave=wave, slips=slips, rows=rows, sender="",
                                autoprint=False)
            b = render_template("shipping/doc_slips.html", wave=wave, slips=slips, rows=None, sender="",
                                autoprint=False)
            return len(a) + len(b)

        html_baseline_s, _ = timed(lambda: len("\n".join(
            f"{s.order_number} {line.sku_code} {line.location} {line.quantity}" for s in slips for line in s.lines)))
        html_s, html_bytes = timed(html)

    def pdf_docs():
        return len(pdf.pick_list_pdf(pick_list(slips), "拣货单", len(slips))) + len(pdf.slips_pdf(slips))

    def pdf_baseline():
        buffer = io.BytesIO()
        c = Canvas(buffer)
        for s in slips:
            c.drawString(50, 800, s.order_number)
            c.showPage()
        c.save()
        return len(buffer.getvalue())

    pdf_baseline_s, _ = timed(pdf_baseline)
    pdf_s, pdf_bytes = timed(pdf_docs)

    statuses: dict[str, int] = {}
    for d in decisions:
        statuses[d.status] = statuses.get(d.status, 0) + 1
    result = {
        "benchmark": "shipping",
        "routing": {"parcels": args.parcels, "compile_s": round(compile_s, 4), "seconds": round(route_s, 3),
                    "target_s": 1.0, "baseline_dict_lookup_s": round(baseline_s, 4),
                    "ratio_to_baseline": round(route_s / baseline_s, 1), "statuses": statuses},
        "wave_html": {"orders": args.wave, "seconds": round(html_s, 3), "target_s": 1.0, "bytes": html_bytes,
                      "baseline_plain_text_s": round(html_baseline_s, 4),
                      "ratio_to_baseline": round(html_s / html_baseline_s, 1)},
        "wave_pdf": {"orders": args.wave, "seconds": round(pdf_s, 3), "target_s": 10.0, "bytes": pdf_bytes,
                     "baseline_text_pages_s": round(pdf_baseline_s, 3),
                     "ratio_to_baseline": round(pdf_s / pdf_baseline_s, 1)},
    }
    result["within_targets"] = (route_s < 1.0 and html_s < 1.0 and pdf_s < 10.0)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key in ("routing", "wave_html", "wave_pdf"):
            print(key, result[key])
    return 0


if __name__ == "__main__":
    sys.exit(main())
