"""Supplier folder names, image recognition, selection (SPEC §1.4) and rendering with Pillow."""
from __future__ import annotations

import random

import pytest
from PIL import Image, ImageCms

from backoffice.catalog import folders, images, selection
from backoffice.catalog.selection import Photo
from tests.supplier_folders import photo

PREFIXES = {"RST": "睿思特", "XLX": "夏洛昔"}


@pytest.mark.parametrize("name, kind, supplier, model, streamer, number", [
    ("大明&D-998-20", "normal", "大明", "D-998-20", None, None),
    ("包之恋&955", "normal", "包之恋", "955", None, None),
    ("大明&D-998-20&宝娜主播", "streamer", "大明", "D-998-20", "宝娜主播", None),
    ("RST182 小方包", "flash", "睿思特", "RST182", None, 182),
    ("xlx88 链条包", "flash", "夏洛昔", "XLX88", None, 88),
    ("孤品&大明&D-GP-01", "unique", "大明", "D-GP-01", None, None),
])
def test_folder_names(name, kind, supplier, model, streamer, number):
    parsed = folders.parse_folder_name(name, PREFIXES)
    assert (parsed.kind, parsed.supplier, parsed.model, parsed.streamer, parsed.number) == \
        (kind, supplier, model, streamer, number)


@pytest.mark.parametrize("name", ["新款小方包", "大明&", "大明&D-1&宝娜&多余", "ABC12 小方包", "&D-1"])
def test_folder_names_that_do_not_parse(name):
    with pytest.raises(folders.FolderError):
        folders.parse_folder_name(name, PREFIXES)


@pytest.mark.parametrize("path, role, colour, qty", [
    ("主图/1.jpg", "main", None, None),
    ("淘宝/主图3.jpg", "main", None, None),
    ("主图/白底.jpg", "white", None, None),
    ("蘑菇街/模特-白色-2.jpg", "mogujie", "白色", None),
    ("模特图/黑色-1.jpg", "model", "黑色", None),
    ("静物/米白色 侧面.jpg", "still", "米白色", None),
    ("细节/拉链.jpg", "detail", None, None),
    ("尺寸图.png", "size", None, None),
    ("颜色-黑色.jpg", "color", "黑色", None),
    ("颜色图/颜色-藏青色(8).jpg", "color", "藏青色", 8),
    ("黑色(12).jpg", "color", "黑色", 12),
    ("酒红色 5件.jpg", "color", "酒红色", 5),
    ("排版/1.jpg", "layout", None, None),
    ("IMG_2031.JPG", None, None, None),
    ("视频/主图视频.mp4", "video", None, None),
])
def test_images_are_recognised_by_folder_and_file_names(path, role, colour, qty):
    named = folders.classify_name(path)
    assert (named.role, named.color, named.quantity) == (role, colour, qty)


@pytest.mark.parametrize("w, h, white, role", [
    (800, 800, False, "main"), (1000, 1000, True, "white"), (640, 960, False, "mogujie"),
    (2000, 3000, False, "model"), (3000, 2000, False, "still"), (3000, 2000, True, "white"), (900, 1600, False, "model"),
])
def test_images_are_recognised_by_analysis_where_names_say_nothing(w, h, white, role):
    assert selection.role_by_analysis(w, h, white) == role


def test_info_file():
    info, problems = folders.parse_info("拿货价：38.5元\n尺寸: 20×8×14\n材质: PU\n元素: 链条、锁扣\n类型: 斜挎包 单肩包\n重量: 450g\n颜色 黑")
    assert info["cost"] == folders.Decimal("38.5") and info["dimensions"] == [20, 8, 14]
    assert info["elements"] == ["链条", "锁扣"] and info["bag_types"] == ["斜挎包", "单肩包"] and info["weight_g"] == 450
    assert len(problems) == 1 and "line 7" in problems[0]


# -- analysis and rendering -------------------------------------------------------
def test_analysis_applies_exif_orientation_and_sees_white_backgrounds(tmp_path):
    sideways = images.analyze(str(photo(tmp_path / "a.jpg", (1200, 800), "a", exif_rotate=True)))
    assert (sideways.width, sideways.height) == (1200, 800) and sideways.error is None
    white = images.analyze(str(photo(tmp_path / "w.jpg", (900, 900), "w", white=True)))
    busy = images.analyze(str(photo(tmp_path / "b.jpg", (900, 900), "b")))
    assert white.white_background and not busy.white_background
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8 this is not a jpeg")
    assert images.analyze(str(tmp_path / "bad.jpg")).error


def test_near_duplicates_hash_close_and_different_shots_far(tmp_path):
    a = photo(tmp_path / "a.jpg", (900, 1350), "shot-1")
    Image.open(a).point(lambda v: min(255, v + 4)).save(tmp_path / "a2.jpg", quality=75)
    b = photo(tmp_path / "b.jpg", (900, 1350), "shot-2")
    ha, ha2, hb = (images.analyze(str(p)).dhash for p in (a, tmp_path / "a2.jpg", b))
    assert images.distance(ha, ha2) <= selection.DUPLICATE_BITS < images.distance(ha, hb)


@pytest.mark.parametrize("size, target, fit", [
    ((3000, 4000), (800, 800), "pad"), ((3000, 4000), (800, 800), "crop"), ((1200, 1800), (640, 960), "crop"),
    ((4000, 3000), (640, 960), "pad"), ((1000, 700), (750, None), "crop"),
])
def test_rendered_images_have_exactly_the_platform_size(tmp_path, size, target, fit):
    src = photo(tmp_path / "src.jpg", size, "r")
    dest, n = images.render(images.RenderJob(str(src), str(tmp_path / "out.jpg"), target[0], target[1], fit, 500_000))
    with Image.open(dest) as out:
        expected = (target[0], target[1] or round(size[1] * target[0] / size[0]))
        assert out.size == expected and out.format == "JPEG" and out.mode == "RGB"
        if fit == "pad" and size[0] != size[1]:
            corner = out.getpixel((2, 2))
            assert min(corner) >= 250  # padded with white
    assert n <= 500_000


def test_rendering_applies_exif_orientation(tmp_path):
    src = photo(tmp_path / "s.jpg", (640, 960), "o", exif_rotate=True)  # stored 960×640, shown 640×960
    dest, _ = images.render(images.RenderJob(str(src), str(tmp_path / "o.jpg"), 640, 960, "crop", 900_000))
    with Image.open(dest) as out, Image.open(photo(tmp_path / "ref.jpg", (640, 960), "o")) as ref:
        assert out.size == (640, 960)
        diff = sum(abs(a - b) for a, b in zip(out.convert("L").resize((8, 12)).tobytes(),
                                              ref.convert("L").resize((8, 12)).tobytes()))
        assert diff / 96 < 12  # the same picture, the right way up


def test_jpeg_is_squeezed_under_the_size_limit_or_refused(tmp_path):
    noisy = Image.effect_noise((800, 800), 120).convert("RGB")
    noisy.save(tmp_path / "noise.png")
    job = images.RenderJob(str(tmp_path / "noise.png"), str(tmp_path / "n.jpg"), 800, 800, "pad", 350_000)
    _, n = images.render(job)  # about 470 KB at the first quality tried
    assert n <= 350_000
    with pytest.raises(ValueError):
        images.render(images.RenderJob(str(tmp_path / "noise.png"), str(tmp_path / "m.jpg"), 800, 800, "pad", 5_000))


def test_colour_profiles_cmyk_and_transparency_come_out_as_srgb(tmp_path):
    cmyk = Image.new("CMYK", (900, 900), (0, 80, 80, 0))
    cmyk.save(tmp_path / "cmyk.jpg")
    rgba = Image.new("RGBA", (900, 900), (200, 0, 0, 0))
    rgba.save(tmp_path / "alpha.png")
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (900, 900), (10, 120, 200)).save(tmp_path / "icc.jpg", icc_profile=lab)
    for name in ("cmyk.jpg", "alpha.png", "icc.jpg"):
        dest, _ = images.render(images.RenderJob(str(tmp_path / name), str(tmp_path / f"out-{name}.jpg"), 800, 800,
                                                 "pad", 500_000))
        with Image.open(dest) as out:
            assert out.mode == "RGB" and out.size == (800, 800)
    with Image.open(tmp_path / "out-alpha.png.jpg") as out:
        assert min(out.getpixel((400, 400))) >= 250  # transparent becomes white, not black


# -- selection ----------------------------------------------------------------------
def _hash(i: int) -> str:
    """Random 64-bit hashes are about 32 bits apart: different shots."""
    return f"{random.Random(i).getrandbits(64):016x}"


def _photos():
    photos, i = [], 0
    for colour in ("黑色", "白色", "藏青色"):
        photos.append(Photo(f"颜色-{colour}.jpg", "color", colour, 750, 750, _hash(i := i + 1)))
        for n in range(4):
            photos.append(Photo(f"模特-{colour}-{n}.jpg", "model", colour, 900, 1350, _hash(i := i + 1)))
        for n in range(3):
            photos.append(Photo(f"静物-{colour}-{n}.jpg", "still", colour, 1350, 900, _hash(i := i + 1)))
    for n in range(4):
        photos.append(Photo(f"主图/{n}.jpg", "main", None, 800, 800, _hash(i := i + 1)))
        photos.append(Photo(f"细节{n}.jpg", "detail", None, 750, 750, _hash(i := i + 1)))
    photos.append(Photo("主图/白底.jpg", "white", None, 800, 800, _hash(i := i + 1), True))
    photos.append(Photo("尺寸图.png", "size", None, 750, 500, _hash(i := i + 1)))
    # a near-duplicate of the first black model photo (one bit apart)
    first = next(p for p in photos if p.name == "模特-黑色-0.jpg")
    photos.append(Photo("模特-黑色-0-副本.jpg", "model", "黑色", 900, 1350, f"{int(first.dhash, 16) ^ 1:016x}"))
    return photos


def choose(photos, **kw):
    args = dict(taobao_count=5, mogujie_min=8, mogujie_max=10, detail_counts={"models": 10, "stills": 10, "details": 4})
    return selection.select(photos, ["黑色", "白色", "藏青色"], **{**args, **kw})


def test_taobao_gets_five_mains_with_the_white_one_last_and_one_sku_image_per_colour():
    s = choose(_photos())
    assert len(s.taobao_main) == 5 and s.taobao_main[-1] == "主图/白底.jpg"
    assert s.taobao_sku == {"黑色": "颜色-黑色.jpg", "白色": "颜色-白色.jpg", "藏青色": "颜色-藏青色.jpg"}


def test_mogujie_gets_8_to_10_varied_covers_over_every_colour_without_near_duplicates():
    s = choose(_photos())
    assert 8 <= len(s.mogujie_covers) <= 10
    colours = [n.split("-")[1] for n in s.mogujie_covers]
    assert set(colours) == {"黑色", "白色", "藏青色"}
    assert colours[:3] == ["黑色", "白色", "藏青色"]  # spread: round-robin over colours
    assert not {"模特-黑色-0.jpg", "模特-黑色-0-副本.jpg"} <= set(s.mogujie_covers)
    assert not s.warnings


def test_mogujie_fills_from_stills_and_warns_when_photos_run_short():
    few = [p for p in _photos() if not (p.role == "model" and p.name[-5] in "123")]  # one model photo per colour
    s = choose(few)
    assert len(s.mogujie_covers) == 8 and any(n.startswith("静物") for n in s.mogujie_covers)
    none = choose([p for p in _photos() if p.role not in ("model", "still")])
    assert none.mogujie_covers == [] and len(none.warnings) == 2


def test_the_detail_page_sequence():
    s = choose(_photos())
    d = s.detail
    assert d[0] == "尺寸图.png" and d[1:4] == ["颜色-黑色.jpg", "颜色-白色.jpg", "颜色-藏青色.jpg"]
    kinds = [("model" if "模特" in n else "still" if "静物" in n else "detail" if "细节" in n else "top") for n in d]
    assert kinds == sorted(kinds, key=["top", "model", "still", "detail"].index)
    assert kinds.count("model") == 10  # of 12 distinct model photos
    assert {n.split("-")[1] for n in d if "静物" in n} == {"黑色", "白色", "藏青色"}
    assert kinds.count("detail") == 4


def test_without_a_white_photo_taobao_warns_and_uses_other_photos():
    s = choose([p for p in _photos() if p.role not in ("white", "main")])
    assert len(s.taobao_main) == 5 and any("白底" in w for w in s.warnings)
