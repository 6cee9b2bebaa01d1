"""Replacing a folder of generated images together with the database rows
that point at it: the new folder takes the old one's place at once, and the
old one is deleted when the transaction commits or put back if it rolls back,
so a failed regeneration leaves the previous images as they were."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import time
import uuid
from pathlib import Path

from sqlalchemy import event

from backoffice.db import session

# A folder of work in progress whose process is gone on this machine is removed
# at once; one made on another machine (a shared media folder), or whose
# process cannot be told, once it is this old.
ORPHAN_AFTER_SECONDS = 6 * 3600
_OWNER = re.compile(r"-p(\d+)h([0-9a-f]{8})-")


def owner_tag() -> str:
    """Who makes a work folder: this process on this machine (kept in its name)."""
    return f"p{os.getpid()}h{_host()}"


def _host() -> str:
    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]


def staging_dir(final: Path) -> Path:
    """A fresh folder beside `final` to render into."""
    return final.with_name(f"{final.name}.staging-{owner_tag()}-{uuid.uuid4().hex[:12]}")


def work_folders(media_root: Path) -> list[Path]:
    """The folders of work in progress: renders being staged, uploads being unpacked."""
    found = list((media_root / "listings").glob("*.staging-*")) if (media_root / "listings").is_dir() else []
    tmp = media_root.parent / "tmp"
    if tmp.is_dir():
        found += tmp.glob("import-*")
    return [p for p in found if p.is_dir()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def orphaned(folder: Path, now: float | None = None) -> bool:
    match = _OWNER.search(folder.name)
    if match and match[2] == _host():
        return not _alive(int(match[1]))
    return (now or time.time()) - folder.stat().st_mtime > ORPHAN_AFTER_SECONDS


def remove_orphans(media_root: Path) -> list[str]:
    """Remove the work folders a killed process left behind; returns their names."""
    removed = []
    for folder in work_folders(media_root):
        if orphaned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


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
