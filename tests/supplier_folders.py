"""Synthetic supplier folders drawn with Pillow (no binary fixtures), shaped like the real ones:
Chinese folder and file names, colour images with quantities, a white-background photo."""
from __future__ import annotations

import random
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw

COLOURS_RGB = {"黑色": (30, 30, 30), "白色": (235, 232, 225), "藏青色": (20, 40, 90), "卡其色": (190, 160, 110),
               "酒红色": (120, 20, 40), "米白色": (240, 230, 210), "粉色": (240, 170, 190), "绿色": (60, 140, 70)}


def photo(path: Path, size: tuple[int, int], seed: str, *, colour=(120, 90, 60), white=False, exif_rotate=False,
          fmt: str = "JPEG") -> Path:
    """A picture whose layout depends on ``seed``, so different seeds give different hashes."""
    rng = random.Random(seed)
    w, h = size
    bg = (255, 255, 255) if white else tuple(rng.randint(60, 220) for _ in range(3))
    im = Image.new("RGB", size, bg)
    draw = ImageDraw.Draw(im)
    if white:  # a bag in the middle of a white sheet
        draw.rounded_rectangle((w * 0.25, h * 0.3, w * 0.75, h * 0.7), radius=w // 20, fill=colour)
    else:
        for _ in range(6):
            x0, y0 = rng.randint(0, w - 2), rng.randint(0, h - 2)
            x1, y1 = rng.randint(x0 + 1, w), rng.randint(y0 + 1, h)
            fill = tuple(rng.randint(0, 255) for _ in range(3))
            (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=fill)
        draw.rectangle((w * 0.3, h * 0.35, w * 0.7, h * 0.65), fill=colour)
    path.parent.mkdir(parents=True, exist_ok=True)
    if exif_rotate:  # stored sideways, with the EXIF tag saying "rotate 90° clockwise to show"
        im = im.transpose(Image.Transpose.ROTATE_90)
        exif = Image.Exif()
        exif[0x0112] = 6
        im.save(path, fmt, exif=exif.tobytes(), quality=88)
    else:
        im.save(path, fmt, **({"quality": 88} if fmt == "JPEG" else {}))
    return path


def supplier_folder(root: Path, name: str = "大明&D-998-20", colours=("黑色", "白色", "藏青色"), *,
                    photo_size=(640, 960), models_per_colour=4, stills_per_colour=3, details=4, squares=4,
                    mogujie_per_colour=2, quantities=None, info: str | None = "拿货价: 38\n尺寸: 20x8x14\n元素: 链条\n类型: 斜挎包",
                    duplicates=0) -> Path:
    folder = root / name
    rgb = {c: COLOURS_RGB.get(c, (100, 100, 100)) for c in colours}
    for c in colours:
        qty = f"({quantities[c]})" if quantities and c in quantities else ""
        photo(folder / "颜色图" / f"颜色-{c}{qty}.jpg", (750, 750), f"{name}-colour-{c}", colour=rgb[c])
        for i in range(1, models_per_colour + 1):
            photo(folder / "模特图" / f"模特-{c}-{i}.jpg", photo_size, f"{name}-model-{c}-{i}", colour=rgb[c])
        for i in range(1, stills_per_colour + 1):
            photo(folder / "静物图" / f"静物-{c}-{i}.jpg", (photo_size[1], photo_size[0]), f"{name}-still-{c}-{i}",
                  colour=rgb[c])
        for i in range(1, mogujie_per_colour + 1):
            photo(folder / "蘑菇街" / f"{c}-{i}.jpg", (640, 960), f"{name}-mgj-{c}-{i}", colour=rgb[c])
    for i in range(1, squares + 1):
        photo(folder / "主图" / f"{i}.jpg", (800, 800), f"{name}-square-{i}")
    photo(folder / "主图" / "白底.jpg", (800, 800), f"{name}-white", white=True)
    for i in range(1, details + 1):
        photo(folder / "细节图" / f"细节{i}.jpg", (750, 750), f"{name}-detail-{i}")
    photo(folder / "尺寸图.png", (750, 500), f"{name}-size", fmt="PNG")
    first = colours[0]
    for i in range(duplicates):  # the same shot saved again, a touch brighter
        src = Image.open(folder / "模特图" / f"模特-{first}-1.jpg")
        src.point(lambda v: min(255, v + 3 + i)).save(folder / "模特图" / f"模特-{first}-1-副本{i + 1}.jpg", quality=80)
    (folder / "视频").mkdir(exist_ok=True)
    (folder / "视频" / "主图视频.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")  # kept, not decoded
    if info is not None:
        (folder / "信息.txt").write_text(info, encoding="utf-8")
    return folder


def zipped(folder: Path, dest: Path) -> Path:
    """The folder as staff upload it: a zip whose top entry is the supplier folder."""
    with zipfile.ZipFile(dest, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return dest
