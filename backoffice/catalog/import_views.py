"""The import wizard: a zip upload or a server folder in, a product and drafts (or the list of problems) out."""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from backoffice import queue
from backoffice.accounts.security import requires
from backoffice.catalog import media_swap, operations, tasks
from backoffice.catalog.blueprint import bp
from backoffice.catalog.forms import ImportForm
from backoffice.catalog.models import Product
from backoffice.catalog.operations import ImportRefused, Problem
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import yuan_to_fen
from backoffice.shops.models import Shop

# A supplier folder is a few hundred MB of photos, which barely compress: a zip
# that declares more, or members packed far tighter, is refused before extraction.
DEFAULT_MAX_UNZIPPED_MB = 2048
DEFAULT_MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 ** 2  # small text files compress well; only large members are held to the ratio
NAME_MAX_BYTES = 255  # what Linux file systems allow for one file or folder name


def _limit(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _check_declared(members: list[tuple[str, zipfile.ZipInfo]]) -> None:
    """Refuse a zip bomb from its directory alone: total size and compression ratio as declared."""
    limit_mb = _limit("BACKOFFICE_IMPORT_MAX_UNZIPPED_MB", DEFAULT_MAX_UNZIPPED_MB)
    ratio = _limit("BACKOFFICE_IMPORT_MAX_ZIP_RATIO", DEFAULT_MAX_RATIO)
    total = sum(info.file_size for _name, info in members)
    if total > limit_mb * 1024 ** 2:
        raise ImportRefused([Problem(None, _("The zip file unpacks to %(size)d MB; at most %(limit)d MB is accepted.",
                                             size=total // 1024 ** 2, limit=limit_mb))])
    for name, info in members:
        if info.file_size > RATIO_FROM_BYTES and info.file_size > ratio * max(info.compress_size, 1):
            raise ImportRefused([Problem(name, _("This file is compressed more than %(ratio)d times, as zip bombs "
                                                 "are; photos do not compress like that.", ratio=ratio))])


def import_root() -> Path:
    """Server folders may be imported only from here (BACKOFFICE_IMPORT_ROOT)."""
    root = os.environ.get("BACKOFFICE_IMPORT_ROOT") or Path(current_app.instance_path) / "imports"
    return Path(root).resolve()


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Chinese Windows store GBK names without saying so; Python reads them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    for codec in ("utf-8", "gbk"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def unpack(archive, dest: Path) -> Path:
    """Extract safely and return the one supplier folder inside."""
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise ImportRefused([Problem(None, _("The upload is not a valid zip file."))]) from exc
    with zf:
        members = []
        for info in zf.infolist():
            name = _member_name(info)
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                raise ImportRefused([Problem(name, _("Unsafe path in the zip file."))])
            if "__MACOSX" in parts:
                continue
            for part in parts:
                if len(part.encode()) > NAME_MAX_BYTES:
                    raise ImportRefused([Problem(part, _("This name is too long (%(n)d characters); shorten the "
                                                         "folder or file name.", n=len(part)))])
            members.append((name, info))
        _check_declared(members)
        for name, info in members:
            parts = PurePosixPath(name.replace("\\", "/")).parts
            target = dest.joinpath(*parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
            except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
                # bad CRC, truncated data, an unknown compression or an encrypted member
                raise ImportRefused([Problem(name, _("This file in the zip is damaged or cannot be unpacked "
                                                     "(%(error)s); make the zip again.", error=str(exc)))]) from None
    tops = [p for p in dest.iterdir() if not p.name.startswith(".")]
    if len(tops) != 1 or not tops[0].is_dir():
        raise ImportRefused([Problem(None, _("The zip file must hold exactly one supplier folder, e.g. 大明&D-998-20."))])
    return tops[0]


def _server_folder(text: str) -> Path:
    root = import_root()
    path = (root / text.strip()).resolve()
    if not path.is_relative_to(root):
        raise ImportRefused([Problem(text, _("Only folders under %(root)s can be imported.", root=str(root)))])
    if not path.is_dir():
        raise ImportRefused([Problem(text, _("There is no folder %(path)s on the server.", path=str(path)))])
    return path


@bp.route("/import", methods=["GET", "POST"])
@requires("catalog.edit")
def import_folder():
    form = ImportForm()
    form.store.choices = [(s.name, s.name) for s in session.scalars(
        select(Shop).where(Shop.platform == "taobao", Shop.active.is_(True)).order_by(Shop.id))]
    problems, status = [], 200
    if form.validate_on_submit():
        cost_fen = yuan_to_fen(form.cost.data) if form.cost.data else None
        try:
            if form.archive.data:
                work = Path(tempfile.mkdtemp(prefix=f"import-{media_swap.owner_tag()}-", dir=_tmp_dir()))
                try:
                    folder = unpack(form.archive.data.stream, work)
                    product_id = _import_one(folder, form.store.data, cost_fen)
                finally:
                    shutil.rmtree(work, ignore_errors=True)
            elif form.server_path.data:
                folder = _server_folder(form.server_path.data)
                if form.batch.data:
                    token = uuid.uuid4().hex
                    queue.enqueue("catalog_batch", token, str(folder), form.store.data or None)
                    return redirect(url_for("catalog.batch", token=token))
                product_id = _import_one(folder, form.store.data, cost_fen)
            else:
                raise ImportRefused([Problem(None, _("Upload a zip file or give a folder on the server."))])
        except ImportRefused as exc:
            problems, status = exc.problems, 422
        except OperationError as exc:
            problems, status = [Problem(None, exc.message)], 422
        else:
            flash(_("Imported. Review the drafts below."), "success")
            return redirect(url_for("catalog.product", product_id=product_id))
    recent = session.scalars(select(Product).where(Product.source_folder.is_not(None))
                             .order_by(Product.id.desc()).limit(10)).all()
    return render_template("catalog/import.html", form=form, problems=problems, recent=recent,
                           root=import_root()), status


def _tmp_dir() -> str:
    """Unpack beside the media folder, so the photos are hard-linked into it rather than copied."""
    path = operations.media_root().parent / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def _import_one(folder: Path, store: str | None, cost_fen: int | None) -> int:
    with session.begin_nested():
        result = operations.import_folder(folder, operations.media_root(), store=store, cost_fen=cost_fen)
    for warning in result["warnings"]:
        flash(warning, "error")
    return session.scalar(select(Product.id).where(Product.listing_code == result["listing_code"]))


@bp.route("/import/batches/<token>")
@requires("catalog.edit")
def batch(token: str):
    run = tasks.batch_run(token)
    template = "catalog/_batch_progress.html" if request.headers.get("HX-Request") else "catalog/batch.html"
    return render_template(template, run=run, token=token)
