"""Benchmark: importing supplier folders (analysis, selection, rendering, drafts) per image.

Baseline, measured in the same run on the same files: plain Pillow, one process,
``Image.open`` + ``resize`` to 800×800 of every image. Target: the full import
costs at most 1.3× the baseline per image (it decodes with ``draft``, hashes
each photo once and spreads the work over every core in a process pool).

    python bench/listings.py [--folders 20] [--photos-per-colour 11] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.supplier_folders draws the photos


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folders", type=int, default=20)
    parser.add_argument("--photos-per-colour", type=int, default=11, help="model + still photos per colour")
    parser.add_argument("--width", type=int, default=3000)
    parser.add_argument("--height", type=int, default=4000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="bench-listings-"))
    os.environ["BACKOFFICE_INSTANCE_PATH"] = str(instance)
    os.environ.setdefault("BACKOFFICE_QUEUE_URL", "memory://")
    url = f"sqlite:///{instance / 'bench.db'}"

    from PIL import Image

    from backoffice import migrate
    from backoffice.app import create_app
    from backoffice.catalog.images import default_workers
    from backoffice.catalog.operations import import_folder, media_root
    from backoffice.db import session, unit_of_work
    from backoffice.shops.models import Shop
    from tests.supplier_folders import supplier_folder

    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url})
    source = instance / "folders"
    models = args.photos_per_colour * 2 // 3
    folders = [supplier_folder(source, f"大明&B-{i:03d}", ("黑色", "白色", "藏青色"), photo_size=(args.width, args.height),
                               models_per_colour=models, stills_per_colour=args.photos_per_colour - models,
                               mogujie_per_colour=0, squares=3, details=3) for i in range(args.folders)]
    files = [p for f in folders for p in sorted(f.rglob("*")) if p.suffix.lower() in (".jpg", ".png")]

    started = time.perf_counter()
    for path in files:
        with Image.open(path) as im:
            im.resize((800, 800))
    baseline = time.perf_counter() - started

    workers = default_workers()
    with app.app_context():
        with unit_of_work():
            session.add_all([Shop(platform="taobao", name="娜好呀"), Shop(platform="mogujie", name="娜好呀的包包")])
        media = media_root()
        started = time.perf_counter()
        for folder in folders:
            with unit_of_work():
                import_folder(folder, media, store="娜好呀", workers=workers)
        pipeline = time.perf_counter() - started

    n = len(files)
    result = {
        "benchmark": "listings", "folders": len(folders), "images": n, "size": f"{args.width}x{args.height}",
        "workers": workers,
        "baseline_open_resize_s_per_image": round(baseline / n, 4),
        "pipeline_s_per_image": round(pipeline / n, 4),
        "pipeline_images_per_s": round(n / pipeline, 1),
        "ratio_to_baseline": round(pipeline / baseline, 3),
        "target_ratio": 1.3,
    }
    result["within_target"] = result["ratio_to_baseline"] <= result["target_ratio"]
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:36} {value}")
    return 0 if result["within_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
