"""How job runs read on the sync page: the job's name in words (with its
shop), and its counts with labels and plain values, never raw keys or dicts."""
from __future__ import annotations

from flask_babel import gettext as _

from backoffice.labels import label

NAMES_SHOWN = 5  # a long list of imported folders shows its first few names


def job_name(run, shops: dict[int, str]) -> str:
    # "catalog_regenerate:f4026…": the part after the colon is the run's
    # handle for its progress page, not part of its name.
    name = label("job", run.job.partition(":")[0])
    return f"{name} · {shops[run.shop_id]}" if run.shop_id in shops else name


def _names(items: list) -> str:
    names = [str(i.get("listing_code") or i.get("folder") or "") if isinstance(i, dict) else str(i) for i in items]
    names = [n for n in names if n]
    shown = "、".join(names[:NAMES_SHOWN]) + ("…" if len(names) > NAMES_SHOWN else "")
    return f"{len(items)}（{shown}）" if shown else str(len(items))


def counts(run) -> list[tuple[str, str]]:
    shown = []
    for key, value in (run.counts or {}).items():
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif isinstance(value, list):
            value = _names(value)
        elif isinstance(value, dict):
            value = str(len(value))
        shown.append((label("job_count", key), str(value)))
    return shown
