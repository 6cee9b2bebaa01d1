"""Catalog jobs with progress: importing a batch of supplier folders and regenerating the drafts of a
selection of products, one unit of work per folder or product."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from backoffice import queue
from backoffice.db import session, unit_of_work
from backoffice.jobs import JobRun
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
    """The batch's latest run (a run whose worker died is followed by its retry)."""
    return _latest_run(BATCH_JOB.format(token=token))


def _latest_run(job: str) -> JobRun | None:
    return session.scalar(select(JobRun).where(JobRun.job == job).order_by(JobRun.id.desc()).limit(1))


def _begin(job: str, counts: dict, task: str, params: list) -> int:
    """Record the run (its lease, how to run it again); a retry carries on from
    what the abandoned attempt recorded as done."""
    from backoffice.jobs import claim
    from backoffice.queue import current_attempt

    with unit_of_work():
        previous = _latest_run(job)
        if previous is not None and previous.status == "failed" and current_attempt.get() > 1:
            for key, value in previous.counts.items():
                if isinstance(value, list):
                    counts[key] = list(value)
            counts["done"] = sum(len(v) for k, v in counts.items() if isinstance(v, list))
        run = JobRun(job=job, status="running", counts=dict(counts), task=task, params=params, **claim(utcnow()))
        session.add(run)
        session.flush()
        return run.id


def run_batch(token: str, parent: Path, store: str | None, media: Path) -> None:
    """Import every supplier folder under ``parent``; a refused folder is reported, the others go on."""
    from backoffice.jobs import heartbeat

    folders = sorted(d for d in parent.iterdir() if d.is_dir() and not d.name.startswith("."))
    counts = {"total": len(folders), "done": 0, "imported": [], "refused": []}
    run_id = _begin(BATCH_JOB.format(token=token), counts, "catalog_batch", [token, str(parent), store])
    done = {entry["folder"] for entry in counts["imported"] + counts["refused"]}
    with heartbeat(run_id):
        _import_each([f for f in folders if f.name not in done], counts, run_id, store, media)
    with unit_of_work():
        run = session.get(JobRun, run_id)
        run.status, run.error = batch_outcome(counts)
        run.finished_at = utcnow()


def _import_each(folders: list[Path], counts: dict, run_id: int, store: str | None, media: Path) -> None:
    from backoffice.catalog.operations import ImportRefused, import_folder
    from backoffice.errors import OperationError

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
    return _latest_run(REGENERATE_JOB.format(token=token))


def run_regenerate(token: str, product_ids: list[int], overwrite_edited: bool, media: Path) -> None:
    """Regenerate each product's drafts; edited drafts are kept unless ``overwrite_edited``."""
    from backoffice.jobs import heartbeat

    counts = {"total": len(product_ids), "done": 0, "overwrite_edited": overwrite_edited,
              "regenerated": [], "kept": [], "refused": []}
    run_id = _begin(REGENERATE_JOB.format(token=token), counts, "catalog_regenerate",
                    [token, list(product_ids), overwrite_edited])
    done = {e["product_id"] for e in counts["regenerated"] + counts["kept"] + counts["refused"]}
    with heartbeat(run_id):
        _regenerate_each([p for p in product_ids if p not in done], counts, run_id, overwrite_edited, media)
    with unit_of_work():
        run = session.get(JobRun, run_id)
        run.status, run.finished_at = "succeeded", utcnow()


def _regenerate_each(product_ids: list[int], counts: dict, run_id: int, overwrite_edited: bool, media: Path) -> None:
    from backoffice.catalog.generation import regenerate
    from backoffice.catalog.models import Product

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
