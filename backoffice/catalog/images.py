"""Image work with Pillow: analysis of source photos and rendering of platform images.

Both functions take and return plain data so a process pool can run them.
JPEGs are decoded with ``draft`` at the smallest scale that still covers what
is needed (1/8 for analysis), which is most of the speed.
"""
from __future__ import annotations

import ctypes
import io
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from backoffice.input_limits import image_too_large

_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_SRGB = ImageCms.createProfile("sRGB")
WHITE_LEVEL = 235
WHITE_SHARE = 0.92


@dataclass(frozen=True)
class Analysis:
    path: str
    width: int = 0
    height: int = 0
    dhash: str = ""
    white_background: bool = False
    error: str | None = None


def analyze(path: str) -> Analysis:
    """Size as shown (EXIF applied), a 64-bit difference hash and whether the border is near-white."""
    try:
        with Image.open(path) as im:
            orientation = im.getexif().get(0x0112, 1)
            w, h = im.size
            if image_too_large(w, h):  # from the header, before decoding
                raise Image.DecompressionBombError(f"{w}x{h}")
            if orientation in _ROTATED:
                w, h = h, w
            if im.format == "JPEG":
                im.draft("RGB", (max(64, w // 8), max(64, h // 8)))
            im.load()
            small = ImageOps.exif_transpose(im)
            small.thumbnail((96, 96), Image.Resampling.BILINEAR, reducing_gap=2.0)
            rgb = small.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        return Analysis(path, error=_describe(exc))
    return Analysis(path, w, h, dhash(rgb), white_border(rgb))


def _describe(exc: Exception) -> str:
    """An error kind the importer turns into words for staff: unreadable / bomb / damaged."""
    if isinstance(exc, UnidentifiedImageError):
        return "unreadable"
    if isinstance(exc, Image.DecompressionBombError):
        return "bomb"
    return "damaged"


def dhash(im: Image.Image) -> str:
    gray = im.convert("L").resize((9, 8), Image.Resampling.BILINEAR)
    px = gray.tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (px[row * 9 + col] > px[row * 9 + col + 1])
    return f"{bits:016x}"


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def white_border(rgb: Image.Image) -> bool:
    w, h = rgb.size
    band = max(1, min(w, h) // 12)
    px = rgb.load()
    border = [px[x, y] for y in range(h) for x in range(w) if x < band or y < band or x >= w - band or y >= h - band]
    white = sum(1 for p in border if min(p) >= WHITE_LEVEL)
    return white >= WHITE_SHARE * len(border)


@dataclass(frozen=True)
class RenderJob:
    source: str
    dest: str
    width: int
    height: int | None  # None: keep the aspect ratio (detail page images)
    fit: str  # crop / pad
    max_bytes: int


def render(job: RenderJob) -> tuple[str, int]:
    """Write ``job.dest`` as an sRGB JPEG of exactly the size asked, under ``max_bytes``."""
    with Image.open(job.source) as im:
        orientation = im.getexif().get(0x0112, 1)
        w, h = im.size
        shown = (h, w) if orientation in _ROTATED else (w, h)
        target = (job.width, job.height or max(1, round(shown[1] * job.width / shown[0])))
        scale = (max if job.fit == "crop" else min)(target[0] / shown[0], target[1] / shown[1])
        need = (math.ceil(shown[0] * scale), math.ceil(shown[1] * scale))
        if im.format == "JPEG":
            im.draft(im.mode if im.mode in ("RGB", "L", "CMYK") else "RGB",
                     (need[1], need[0]) if orientation in _ROTATED else need)
        im.load()
        out = _to_srgb(ImageOps.exif_transpose(im))
    if job.fit == "crop" or job.height is None:
        out = ImageOps.fit(out, target, Image.Resampling.BICUBIC)
    else:
        out = ImageOps.pad(out, target, Image.Resampling.BICUBIC, color=(255, 255, 255))
    data = _jpeg_under(out, job.max_bytes)
    Path(job.dest).parent.mkdir(parents=True, exist_ok=True)
    Path(job.dest).write_bytes(data)
    return job.dest, len(data)


def _to_srgb(im: Image.Image) -> Image.Image:
    icc = im.info.get("icc_profile")
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGB" if im.mode in ("RGB", "CMYK", "RGBA", "P", "L") else "RGB"
            im = ImageCms.profileToProfile(im.convert("RGB") if im.mode not in ("RGB", "CMYK") else im,
                                           src, _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: treat the pixels as sRGB, as browsers do
    if im.mode in ("RGBA", "LA", "P"):
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return im.convert("RGB")


def _jpeg_under(im: Image.Image, max_bytes: int) -> bytes:
    for quality in (90, 85, 80, 72, 64, 55, 45, 35):
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=quality, optimize=True)
        if buf.tell() <= max_bytes:
            return buf.getvalue()
    raise ValueError(f"cannot get a {im.size[0]}×{im.size[1]} JPEG under {max_bytes // 1024} KB")


_pools: dict[int, ProcessPoolExecutor] = {}
PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_CHECK_SECONDS = 1.0


def _die_with(owner_pid: int) -> None:
    """Pool process initializer: end when the process that made the pool ends,
    even by kill -9 (which gives the pool no chance to stop its processes).
    On Linux the kernel kills it when its parent (the fork server) dies; and
    everywhere a thread polls the owner, the fork server's own parent."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            try:
                os.kill(owner_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()


def run_all(fn: Callable, items: Sequence, workers: int) -> list:
    """Map ``fn`` over ``items``, in a process pool when there is more than one worker.

    The pool is kept for the life of the process (starting one costs more than a small
    folder's work) and its processes come from a fork server, which is safe in the
    threaded web server."""
    if workers <= 1 or len(items) < 4:
        return [fn(item) for item in items]
    pool = _pools.get(workers)
    if pool is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["backoffice.catalog.images"])
        pool = _pools[workers] = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                     initializer=_die_with, initargs=(os.getpid(),))
    return list(pool.map(fn, items, chunksize=max(1, len(items) // (workers * 4))))


def default_workers() -> int:
    import os

    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def iter_files(root: Path) -> Iterable[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path
