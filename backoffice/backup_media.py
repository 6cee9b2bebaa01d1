"""The files a database snapshot refers to: listing images and case evidence.

They are archived beside the snapshot as ``<snapshot>.media.tar`` (the images
are JPEG/PNG already, so no compression) and put back with it.
"""
from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

MEDIA_FOLDERS = ("media", "case_evidence")  # under the instance folder


class MediaRefused(RuntimeError):
    pass


def archive_path(snapshot: Path) -> Path:
    return snapshot.with_name(snapshot.name + ".media.tar")


def write_archive(instance: Path, target: Path) -> Path:
    """Archive the instance's media folders into ``target`` (mode 600, complete or absent)."""
    partial = target.with_name(target.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
        for name in MEDIA_FOLDERS:
            if (instance / name).is_dir():
                tar.add(instance / name, arcname=name)
    os.replace(partial, target)
    return target


def check_archive(archive: Path) -> None:
    """Refuse an archive holding anything but plain files and folders under the media folders."""
    try:
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                parts = PurePosixPath(member.name).parts
                if (not parts or parts[0] not in MEDIA_FOLDERS or ".." in parts or member.name.startswith("/")
                        or not (member.isfile() or member.isdir() or member.islnk())):
                    raise MediaRefused(f"{archive} holds {member.name!r}, which is not a media file")
    except tarfile.TarError as exc:
        raise MediaRefused(f"{archive} is not a media archive: {exc}") from None


def restore_archive(archive: Path, instance: Path) -> None:
    """Replace the instance's media folders with the archive's (checked first with ``check_archive``)."""
    staging = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=instance))
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(staging, filter="data")
        for name in MEDIA_FOLDERS:
            current, restored = instance / name, staging / name
            old = staging / f"{name}.old"
            if current.exists():
                current.rename(old)
            if restored.exists():
                restored.rename(current)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
