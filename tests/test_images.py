"""Pillow work: probing source photos, making renditions, stripping metadata."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageOps

from toasoan.photos import images
from toasoan.photos.images import PhotoSettings, ProbeCache, encode, output_stem, photo_key, probe, target_widths

GPS_IFD = 0x8825


def camera_jpeg(width=1200, height=800, orientation=None, gps=True, quality=88, icc=False) -> bytes:
    """A JPEG like a phone's: top half red, bottom half blue, EXIF orientation and GPS position."""
    im = Image.new("RGB", (width, height), (220, 20, 20))
    im.paste((20, 20, 220), (0, height // 2, width, height))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (22.0, 8.0, 30.0), 3: "E", 4: (105.0, 50.0, 12.0)}
    extra = {"icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()} if icc else {}
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, exif=exif, **extra)
    return buf.getvalue()


def png_bomb(width=40000, height=40000) -> bytes:
    """A tiny PNG whose header claims a huge picture (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def assert_no_metadata(path: Path) -> None:
    """No EXIF, GPS or XMP anywhere in a published file."""
    data = path.read_bytes()
    assert b"Exif" not in data and b"PhoneMaker" not in data and b"xmpmeta" not in data, path
    with Image.open(path) as im:
        assert not im.getexif(), path
        assert "exif" not in im.info and "xmp" not in im.info, path


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_target_widths_never_upscale():
    assert target_widths(4000, (480, 960, 1600)) == [480, 960, 1600]
    assert target_widths(1000, (480, 960, 1600)) == [480, 960, 1000]
    assert target_widths(960, (480, 960, 1600)) == [480, 960]
    assert target_widths(300, (480, 960, 1600)) == [300]


def test_output_names_are_plain_ascii():
    assert output_stem("2022/01/Hội nghị tỉnh.JPG") == "2022/01/hoi-nghi-tinh"
    assert output_stem("sample/đường đèo.jpeg") == "sample/duong-deo"


def test_settings_from_mkdocs_yml():
    s = PhotoSettings.from_dict({"widths": [1600, 480], "max_mb": 5, "webp_quality": "70"})
    assert s.widths == (480, 1600) and s.max_mb == 5.0 and s.webp_quality == 70
    assert PhotoSettings.from_dict(None) == PhotoSettings()
    with pytest.raises(ValueError, match="khoá lạ"):
        PhotoSettings.from_dict({"width": [480]})
    with pytest.raises(ValueError, match="chất lượng"):
        PhotoSettings.from_dict({"jpeg_quality": 120})
    # The key of the renditions changes with the settings that change their bytes.
    assert photo_key("abc", s) != photo_key("abc", PhotoSettings())
    assert photo_key("abc", PhotoSettings(max_mb=1)) == photo_key("abc", PhotoSettings())


def test_probe_reads_size_after_orientation(tmp_path):
    info = probe(str(write(tmp_path, "a.jpg", camera_jpeg(1200, 800, orientation=6))), 10**8)
    assert not info.error and (info.width, info.height) == (800, 1200) and info.format == "JPEG"
    assert len(info.sha) == 64


@pytest.mark.parametrize("name, data, message", [
    ("text.jpg", b"khong phai anh", "không phải là ảnh"),
    ("cut.jpg", camera_jpeg()[:3000], "hỏng hoặc chưa chép hết"),
    ("bomb.png", png_bomb(), "quá nhiều điểm ảnh"),
])
def test_probe_names_bad_files(tmp_path, name, data, message):
    info = probe(str(write(tmp_path, name, data)), 100_000_000)
    assert message in info.error and info.fix


def test_probe_missing_file(tmp_path):
    assert "không tìm thấy" in probe(str(tmp_path / "nope.jpg"), 10**8).error


def test_probe_limit_is_configurable(tmp_path):
    path = write(tmp_path, "a.jpg", camera_jpeg(1200, 800))
    assert "quá nhiều điểm ảnh" in probe(str(path), 500_000).error
    assert not probe(str(path), 1_000_000).error


def test_encode_rotates_strips_and_sizes(tmp_path):
    source = write(tmp_path, "a.jpg", camera_jpeg(2000, 1000, orientation=6, icc=True))
    widths = target_widths(1000, (480, 960, 1600))
    targets = {(w, f): str(tmp_path / f"out-{w}.{f}") for w in widths for f in images.FORMATS}
    assert encode(str(source), widths, PhotoSettings(), targets) == len(targets)
    with Image.open(source) as im:
        upright = ImageOps.exif_transpose(im).convert("RGB")
    for (width, fmt), out in targets.items():
        assert_no_metadata(Path(out))
        with Image.open(out) as im:
            assert im.size == (width, width * 2), out
            assert im.format == ("WEBP" if fmt == "webp" else "JPEG")
            # The same colours where the upright original has them: the output is rotated.
            for fx, fy in ((0.1, 0.1), (0.9, 0.9), (0.1, 0.9), (0.9, 0.1)):
                got = im.convert("RGB").getpixel((int(fx * im.width), int(fy * im.height)))
                want = upright.getpixel((int(fx * upright.width), int(fy * upright.height)))
                assert all(abs(a - b) < 40 for a, b in zip(got, want)), (out, fx, fy, got, want)


def test_encode_keeps_transparency_in_webp_and_flattens_jpeg(tmp_path):
    im = Image.new("RGBA", (600, 300), (0, 0, 0, 0))
    im.paste((10, 200, 10, 255), (0, 0, 300, 300))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    source = write(tmp_path, "logo.png", buf.getvalue())
    targets = {(480, "webp"): str(tmp_path / "o.webp"), (480, "jpg"): str(tmp_path / "o.jpg")}
    encode(str(source), [480], PhotoSettings(), targets)
    with Image.open(tmp_path / "o.webp") as w:
        assert w.mode == "RGBA" and w.getpixel((470, 10))[3] == 0
    with Image.open(tmp_path / "o.jpg") as j:
        assert j.mode == "RGB" and min(j.getpixel((470, 10))) > 240


def test_probe_cache_is_keyed_by_size_and_mtime(tmp_path):
    path = write(tmp_path, "a.jpg", camera_jpeg())
    cache = ProbeCache(tmp_path / "cache", 10**8)
    info = probe(str(path), 10**8)
    cache.put("a.jpg", path.stat(), info)
    cache.save()
    again = ProbeCache(tmp_path / "cache", 10**8)
    assert again.get("a.jpg", path.stat()) == info
    assert ProbeCache(tmp_path / "cache", 10**6).get("a.jpg", path.stat()) is None  # other limit
    path.write_bytes(camera_jpeg(800, 600))
    assert again.get("a.jpg", path.stat()) is None


def test_icc_profile_is_converted_or_kept(tmp_path):
    """An sRGB profile needs nothing (browsers assume sRGB); one LittleCMS cannot convert is kept."""
    for kind, kept in (("sRGB", False), ("LAB", True)):
        profile = ImageCms.ImageCmsProfile(ImageCms.createProfile(kind)).tobytes()
        buf = io.BytesIO()
        Image.new("RGB", (600, 400), (200, 100, 50)).save(buf, "JPEG", icc_profile=profile)
        source = write(tmp_path, f"{kind}.jpg", buf.getvalue())
        targets = {(480, f): str(tmp_path / f"{kind}-480.{f}") for f in images.FORMATS}
        encode(str(source), [480], PhotoSettings(), targets)
        for out in targets.values():
            assert_no_metadata(Path(out))
            with Image.open(out) as im:
                assert (im.info.get("icc_profile") == profile) is kept, (kind, out)


def test_probe_unreadable_path(tmp_path):
    (tmp_path / "thu-muc.jpg").mkdir()
    info = probe(str(tmp_path / "thu-muc.jpg"), 10**8)
    assert "không đọc được tệp ảnh" in info.error and not info.sha


def png16(channels, color_type: int) -> bytes:
    """A 16-bit PNG written by hand (Pillow writes 16 bits only for grey): rows of big-endian samples."""
    import numpy as np
    data = np.stack(channels, axis=2) if len(channels) > 1 else channels[0]
    height, width = data.shape[:2]
    raw = b"".join(b"\x00" + data[y].astype(">u2").tobytes() for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 16, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def deep_photos() -> tuple[dict[str, bytes], dict[str, float]]:
    """Photos of more than 8 bits per sample, with the mean grey tone (0–255) each should keep."""
    import numpy as np
    width, height = 320, 200
    # A dark-to-mid ramp: clipping 16-bit values to 8 bits would make it almost white.
    ramp = np.linspace(0, 40000, width)[None, :].repeat(height, 0).astype(np.uint16)
    half = ramp // 2
    opaque = np.full_like(ramp, 65535)
    tone = ramp.mean() / 257

    def saved(image: Image.Image, fmt: str) -> bytes:
        buf = io.BytesIO()
        image.save(buf, fmt)
        return buf.getvalue()
    photos = {
        "grey16.png": saved(Image.fromarray(ramp), "PNG"),                            # I;16
        "grey16b.tif": saved(Image.frombytes("I;16B", (width, height), ramp.astype(">u2").tobytes()), "TIFF"),
        "grey32.tif": saved(Image.fromarray(ramp).convert("I"), "TIFF"),               # I
        "grey-alpha16.png": png16([ramp, opaque], 4),                                  # opens as RGBA
        "rgb16.png": png16([ramp, half, ramp], 2),                                     # opens as RGB
        "rgba16.png": png16([ramp, half, ramp, opaque], 6),                            # opens as RGBA
    }
    coloured = (0.299 + 0.114) * tone + 0.587 * (half.mean() / 257)
    tones = {name: (coloured if name.startswith("rgb") else tone) for name in photos}
    for name, data in photos.items():
        with Image.open(io.BytesIO(data)) as im:
            assert im.mode in ("I;16", "I;16B", "I", "RGB", "RGBA"), (name, im.mode)
    return photos, tones


def mean_tone(path: Path) -> float:
    with Image.open(path) as im:
        grey = im.convert("L")
        return sum(i * n for i, n in enumerate(grey.histogram())) / (grey.width * grey.height)


def test_deep_photos_keep_their_tones(tmp_path):
    photos, tones = deep_photos()
    settings = PhotoSettings(widths=(160,), workers=1)
    for name, data in photos.items():
        source = write(tmp_path, name, data)
        assert not probe(str(source), settings.max_pixels).error, name
        targets = {(160, f): str(tmp_path / f"{name}.{f}") for f in images.FORMATS}
        encode(str(source), [160], settings, targets)
        for out in targets.values():
            assert abs(mean_tone(Path(out)) - tones[name]) < 4, (name, out, mean_tone(Path(out)), tones[name])


def test_ci_carries_the_photo_cache_between_runs():
    """The hourly CI build restores the renditions cache, so it never re-encodes every photo."""
    import yaml
    workflow = yaml.safe_load((Path(__file__).resolve().parent.parent / ".github/workflows/site.yml")
                              .read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    names = [s.get("uses", "").split("@")[0] or s.get("run", "") for s in steps]
    # One step restores the renditions (another carries the page cache, tests/test_pagecache.py).
    [cache] = [s for s in steps if s.get("uses", "").startswith("actions/cache@")
               and s["with"]["path"] == PhotoSettings().cache_dir]
    assert cache["with"]["restore-keys"]     # a changed photo still starts from the last cache
    # Restored before the build that uses it.
    assert names.index("actions/cache") < next(i for i, n in enumerate(names) if "mkdocs build" in n)


@pytest.mark.parametrize("rest", [
    ["", 1200, 800, "JPEG", "", ""],                 # no hash
    ["abc", 0, 0, "JPEG", "", ""],                   # no size
    ["abc", "1200", 800, "JPEG", "", ""],            # a width that is text
    ["abc", 1200, 800, "JPEG", "", ""][:5],          # a field missing
])
def test_probe_cache_entry_damaged_is_probed_again(tmp_path, rest):
    path = write(tmp_path, "a.jpg", camera_jpeg())
    stat = path.stat()
    cache = ProbeCache(tmp_path / "cache", 10**8)
    cache.entries["a.jpg"] = [stat.st_size, stat.st_mtime_ns, *rest]
    assert cache.get("a.jpg", stat) is None
