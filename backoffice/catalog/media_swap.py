"""Replacing a folder of generated images together with the database rows
that point at it: the new folder takes the old one's place at once, and the
old one is deleted when the transaction commits or put back if it rolls back,
so a failed regeneration leaves the previous images as they were."""
from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from sqlalchemy import event

from backoffice.db import session


def staging_dir(final: Path) -> Path:
    """A fresh folder beside `final` to render into."""
    return final.with_name(f"{final.name}.staging-{uuid.uuid4().hex[:12]}")


def swap_in(final: Path, staged: Path) -> None:
    """Put `staged` at `final`, settling the previous folder with the transaction."""
    previous = final.with_name(f"{final.name}.previous-{uuid.uuid4().hex[:12]}") if final.exists() else None
    if previous is not None:
        final.rename(previous)
    if staged.exists():
        staged.rename(final)
    else:  # nothing rendered (no photos chosen): an empty folder, like a fresh product's
        final.mkdir(parents=True, exist_ok=True)
    settled = False

    def committed(_session) -> None:
        nonlocal settled
        if not settled:
            settled = True
            if previous is not None:
                shutil.rmtree(previous, ignore_errors=True)

    def rolled_back(_session) -> None:
        nonlocal settled
        if not settled:
            settled = True
            shutil.rmtree(final, ignore_errors=True)
            if previous is not None:
                previous.rename(final)

    current = session()
    event.listen(current, "after_commit", committed, once=True)
    event.listen(current, "after_rollback", rolled_back, once=True)


def discard(staged: Path) -> None:
    shutil.rmtree(staged, ignore_errors=True)
