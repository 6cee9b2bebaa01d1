"""Catalog jobs with progress: importing a batch of supplier folders and regenerating the drafts of a
selection of products, one unit of work per folder or product."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from backoffice.db import session, unit_of_work
from backoffice.jobs import JobRun
from backoffice import queue
from backoffice.timeutil import utcnow

BATCH_JOB = "catalog_batch:{token}"
REGENERATE_JOB = "catalog_regenerate:{token}"


@queue.job("catalog_batch")
def catalog_batch(token: str, parent: str, store: str | None) -> None:
    app = queue.job_app()
    with app.app_context():
        from backoffice.catalog.operations import media_root

        run_batch(token, Path(parent), store, media_root())


def batch_run(token: str) -> JobRun | None:
    return session.scalar(select(JobRun).where(JobRun.job == BATCH_JOB.format(token=token)))


def run_batch(token: str, parent: Path, store: str | None, media: Path) -> None:
    """Import every supplier folder under ``parent``; a refused folder is reported, the others go on."""
    from backoffice.catalog.operations import ImportRefused, import_folder
    from backoffice.errors import OperationError

    folders = sorted(d for d in parent.iterdir() if d.is_dir() and not d.name.startswith("."))
    counts = {"total": len(folders), "done": 0, "imported": [], "refused": []}
    with unit_of_work():
        run = JobRun(job=BATCH_JOB.format(token=token), status="running", counts=dict(counts))
        session.add(run)
        session.flush()
        run_id = run.id
    for folder in folders:
        try:
            with unit_of_work():
                result = import_folder(folder, media, store=store)
            counts["imported"].append({"folder": folder.name, "listing_code": result["listing_code"]})
        except ImportRefused as exc:
            counts["refused"].append({"folder": folder.name,
                                      "problems": [f"{p.file or '-'}: {p.message}" for p in exc.problems]})
        except OperationError as exc:
            counts["refused"].append({"folder": folder.name, "problems": [exc.message]})
        counts["done"] += 1
        with unit_of_work():
            session.get(JobRun, run_id).counts = dict(counts)
    with unit_of_work():
        run = session.get(JobRun, run_id)
        run.status, run.error = batch_outcome(counts)
        run.finished_at = utcnow()


def batch_outcome(counts: dict) -> tuple[str, str | None]:
    """A batch that imported nothing failed, whatever the reason; the refused folders list why."""
    from flask_babel import gettext as _

    if counts["imported"]:
        return "succeeded", None
    if not counts["total"]:
        return "failed", _("The folder holds no supplier folders.")
    return "failed", _("All %(count)s folders were refused; nothing was imported.", count=len(counts["refused"]))


@queue.job("catalog_regenerate")
def catalog_regenerate(token: str, product_ids: list[int], overwrite_edited: bool) -> None:
    app = queue.job_app()
    with app.app_context():
        from backoffice.catalog.operations import media_root

        run_regenerate(token, product_ids, overwrite_edited, media_root())


def regenerate_run(token: str) -> JobRun | None:
    return session.scalar(select(JobRun).where(JobRun.job == REGENERATE_JOB.format(token=token)))


def run_regenerate(token: str, product_ids: list[int], overwrite_edited: bool, media: Path) -> None:
    """Regenerate each product's drafts; edited drafts are kept unless ``overwrite_edited``."""
    from backoffice.catalog.models import Product
    from backoffice.catalog.generation import regenerate

    counts = {"total": len(product_ids), "done": 0, "overwrite_edited": overwrite_edited,
              "regenerated": [], "kept": [], "refused": []}
    with unit_of_work():
        run = JobRun(job=REGENERATE_JOB.format(token=token), status="running", counts=dict(counts))
        session.add(run)
        session.flush()
        run_id = run.id
    for product_id in product_ids:
        with unit_of_work():
            product = session.get(Product, product_id)
            if product is not None:
                outcome, reason = regenerate(product, media, overwrite_edited=overwrite_edited)
                entry = {"listing_code": product.listing_code, "product_id": product_id}
                counts[outcome].append({**entry, "reason": reason} if reason else entry)
        counts["done"] += 1
        with unit_of_work():
            session.get(JobRun, run_id).counts = dict(counts)
    with unit_of_work():
        run = session.get(JobRun, run_id)
        run.status, run.finished_at = "succeeded", utcnow()
