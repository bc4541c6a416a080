"""Photo work with Pillow: check a photo, make its web renditions, cache them.

Nothing here knows MkDocs. Two caches live in one folder (``.cache/photos``):
``probe.json`` remembers what each source file is (keyed by size and mtime),
and ``r/`` holds the encoded renditions, named by a hash of the photo's bytes
and the encoding settings — so a rebuild, a fresh clone or a renamed file
never encodes the same photo twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from ..core.text import slugify

# Bump when the encoding code changes: every cached rendition is then redone.
VERSION = 3
FORMATS = ("webp", "jpg")
# What a camera, a phone or an editor's export produces; HEIC needs converting first.
ACCEPTED = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "TIFF", "BMP", "AVIF"}
ORIENTATION = 0x0112


@dataclass(frozen=True)
class PhotoSettings:
    """``extra.bulletin.photos`` in mkdocs.yml, with the defaults below."""

    widths: tuple[int, ...] = (480, 960, 1600)
    webp_quality: int = 78
    jpeg_quality: int = 82
    max_mb: float = 10.0          # a bigger source file gets a warning
    max_megapixels: float = 100.0  # more pixels is refused as a decompression bomb
    cache_dir: str = ".cache/photos"
    workers: int = 0              # 0: one per core

    @classmethod
    def from_dict(cls, data: dict | None) -> "PhotoSettings":
        """Read the settings; raises ValueError (in Vietnamese) for a bad value."""
        data = dict(data or {})
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"extra.bulletin.photos: khoá lạ {', '.join(sorted(unknown))}")
        try:
            if "widths" in data:
                data["widths"] = tuple(sorted({int(w) for w in data["widths"]}))
                if not data["widths"] or min(data["widths"]) < 16:
                    raise ValueError
            for key in ("webp_quality", "jpeg_quality", "workers"):
                if key in data:
                    data[key] = int(data[key])
            for key in ("max_mb", "max_megapixels"):
                if key in data:
                    data[key] = float(data[key])
        except (TypeError, ValueError):
            raise ValueError("extra.bulletin.photos: giá trị không hợp lệ "
                             "(widths là danh sách số, chất lượng là số 1–100)") from None
        settings = cls(**data)
        if not all(1 <= q <= 100 for q in (settings.webp_quality, settings.jpeg_quality)):
            raise ValueError("extra.bulletin.photos: chất lượng ảnh phải từ 1 đến 100")
        return settings

    @property
    def max_pixels(self) -> int:
        return int(self.max_megapixels * 1_000_000)

    def fingerprint(self) -> str:
        """Everything that changes the encoded bytes."""
        return json.dumps([VERSION, list(self.widths), self.webp_quality, self.jpeg_quality])


@dataclass
class PhotoInfo:
    """What a source file is; ``error`` (Vietnamese) when it cannot be published."""

    sha: str = ""
    width: int = 0     # after EXIF orientation
    height: int = 0
    format: str = ""
    error: str = ""
    fix: str = ""


@dataclass
class Photo:
    """One source photo below images/, as the site publishes it."""

    src: str           # path below images/, "/" separators
    path: Path
    info: PhotoInfo
    bytes: int = 0
    key: str = ""      # hash of content + settings: names the renditions
    widths: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.info.error

    def height_for(self, width: int) -> int:
        return max(1, round(self.info.height * width / self.info.width))

    @property
    def largest(self) -> int:
        return self.widths[-1]

    def url(self, width: int, fmt: str) -> str:
        """Site-relative URL of one rendition, e.g. ``images/2022/01/hoi-nghi.960.ab12cd34ef.webp``."""
        return f"images/{output_stem(self.src)}.{width}.{self.key[:10]}.{fmt}"

    def cached(self, cache: Path, width: int, fmt: str) -> Path:
        return cache / "r" / self.key[:2] / f"{self.key}-{width}.{fmt}"

    def manifest(self, cache: Path) -> Path:
        """The cache entry's manifest: its renditions count only when it lists them."""
        return cache / "r" / self.key[:2] / f"{self.key}.json"


def output_stem(src: str) -> str:
    """Published name of a photo: each part slugified, so URLs are plain ASCII."""
    parts = src.rsplit(".", 1)[0].split("/")
    return "/".join(slugify(p) or "anh" for p in parts)


def target_widths(width: int, wanted: tuple[int, ...]) -> list[int]:
    """The widths to publish: never wider than the original (no upscaling)."""
    return sorted({min(w, width) for w in wanted})


def photo_key(sha: str, settings: PhotoSettings) -> str:
    return hashlib.sha256(f"{sha}|{settings.fingerprint()}".encode()).hexdigest()


# --- checking a source file -------------------------------------------------

def probe(path: str, max_pixels: int) -> PhotoInfo:
    """Read, hash and decode one file (JPEG at 1/8 scale: it still reads every byte).

    Never raises: a problem is returned as ``PhotoInfo.error`` with a fix.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return PhotoInfo(error="không tìm thấy tệp ảnh",
                         fix="kiểm tra tên tệp và thư mục (đường dẫn tính từ thư mục images/)")
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return PhotoInfo(error="không đọc được tệp ảnh (thiếu quyền đọc hoặc lỗi ổ đĩa)",
                         fix="kiểm tra quyền của tệp, hoặc chép lại ảnh vào images/")
    info = PhotoInfo(sha=hashlib.sha256(data).hexdigest())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                info.format = im.format or ""
                if info.format not in ACCEPTED:
                    info.error = f"định dạng ảnh {info.format} không dùng được trên trang tin"
                    info.fix = "lưu lại ảnh dạng JPEG (.jpg)"
                    return info
                width, height = im.size
                if width * height > max_pixels:
                    return _bomb(info, width, height)
                if im.getexif().get(ORIENTATION) in (5, 6, 7, 8):
                    width, height = height, width
                info.width, info.height = width, height
                if info.format in ("JPEG", "MPO"):
                    im.draft("RGB", (max(1, im.width // 8), max(1, im.height // 8)))
                im.load()
    except Image.DecompressionBombError:
        return _bomb(info, 0, 0)
    except UnidentifiedImageError:
        info.error = "tệp không phải là ảnh (hoặc là dạng ảnh không đọc được, như HEIC)"
        info.fix = "lưu lại ảnh dạng JPEG (.jpg) rồi chép vào images/"
    except (OSError, ValueError, SyntaxError, EOFError) as e:
        info.error = f"ảnh bị hỏng hoặc chưa chép hết ({e.__class__.__name__})"
        info.fix = "chép lại tệp ảnh gốc từ máy ảnh hoặc điện thoại"
    return info


def _bomb(info: PhotoInfo, width: int, height: int) -> PhotoInfo:
    size = f" ({width}×{height} điểm ảnh)" if width else ""
    info.error = f"ảnh quá nhiều điểm ảnh{size}, có thể là tệp độc hại"
    info.fix = "thu nhỏ ảnh (cạnh dài dưới 8000 điểm ảnh) rồi lưu lại"
    return info


class ProbeCache:
    """``probe.json``: source path -> probe result, valid while size and mtime stay."""

    def __init__(self, cache: Path, max_pixels: int):
        self.file = cache / "probe.json"
        self.max_pixels = max_pixels
        self.entries: dict[str, list] = {}
        self.changed = False
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if (data.get("v") == VERSION and data.get("max_pixels") == max_pixels
                    and isinstance(data["entries"], dict)):
                self.entries = data["entries"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass

    def get(self, src: str, stat: os.stat_result) -> PhotoInfo | None:
        entry = self.entries.get(src)
        if (isinstance(entry, list) and len(entry) == 8 and entry[0] == stat.st_size
                and entry[1] == stat.st_mtime_ns):
            info = PhotoInfo(*entry[2:])
            # An entry damaged by hand or by a disk is probed again, never trusted.
            if all(isinstance(getattr(info, f), t) for f, t in
                   (("sha", str), ("width", int), ("height", int), ("format", str), ("error", str), ("fix", str))):
                if info.error or (info.sha and info.width > 0 and info.height > 0):
                    return info
        return None

    def put(self, src: str, stat: os.stat_result, info: PhotoInfo) -> None:
        self.entries[src] = [stat.st_size, stat.st_mtime_ns, info.sha, info.width,
                             info.height, info.format, info.error, info.fix]
        self.changed = True

    def save(self) -> None:
        if self.changed:
            write_atomic(self.file, json.dumps(
                {"v": VERSION, "max_pixels": self.max_pixels, "entries": self.entries},
                ensure_ascii=False).encode("utf-8"))
            self.changed = False


# --- making the renditions --------------------------------------------------

def encode(path: str, widths: list[int], settings: PhotoSettings, targets: dict) -> int:
    """Write every rendition of one photo; ``targets`` maps (width, fmt) -> cache path.

    Returns the number of files written. Runs in a worker process.
    """
    return len(_encode_all(path, widths, settings, targets))


def _encode_all(path: str, widths: list[int], settings: PhotoSettings, targets: dict) -> dict:
    """``encode``: returns ``{(width, fmt): [size, sha256]}`` of what it wrote."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        Image.MAX_IMAGE_PIXELS = max(settings.max_pixels, Image.MAX_IMAGE_PIXELS or 0)
        with Image.open(path) as im:
            top = widths[-1]
            if im.format in ("JPEG", "MPO"):
                # Decode at a reduced scale that is still at least as big as needed.
                turned = im.getexif().get(ORIENTATION) in (5, 6, 7, 8)
                full_w = im.height if turned else im.width
                scale = top / full_w
                im.draft("RGB", (max(1, int(im.width * scale)), max(1, int(im.height * scale))))
            image, icc = _to_srgb(_eight_bit(ImageOps.exif_transpose(im)))
    image.info.clear()  # never carry EXIF, XMP or comments over
    written = {}
    for width in reversed(widths):
        height = max(1, round(image.height * width / image.width))
        if image.size != (width, height):
            image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for fmt in FORMATS:
            out = targets.get((width, fmt))
            if out is None:
                continue
            data = _encoded(image, fmt, settings, icc)
            write_atomic(Path(out), data)
            written[(width, fmt)] = [len(data), hashlib.sha256(data).hexdigest()]
    return written


def _eight_bit(image: Image.Image) -> Image.Image:
    """Grey images of more than 8 bits (16-bit PNG, TIFF) scaled down to 0–255.

    Pillow's convert() clips them instead, which published a 16-bit scan
    almost white. 16-bit colour PNGs already open as 8-bit RGB(A).
    """
    if image.mode.startswith("I;16"):
        image, top = image.convert("I"), 65535.0
    elif image.mode in ("I", "F"):
        high = image.getextrema()[1]
        if image.mode == "F" and high <= 1.0:
            top = 1.0          # floating point from 0 to 1
        elif high <= 255:
            top = 255.0        # 8-bit values kept in a wider mode
        else:
            top = 65535.0 if high <= 65535 else float(high)
    else:
        return image
    scale = 255.0 / top
    return image.point(lambda v: v * scale).convert("L")


def _to_srgb(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    """RGB or RGBA converted to sRGB (browsers assume sRGB without a profile).

    Returns the image and the profile to embed: None once converted, the
    original one when LittleCMS cannot convert it (then it is kept as is).
    """
    icc = image.info.get("icc_profile")
    keep = None
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if alpha else "RGB"
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in (ImageCms.getProfileDescription(source) or "").lower().replace(" ", ""):
                if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
                    image = image.convert(mode)
                converted = ImageCms.profileToProfile(
                    image, source, ImageCms.createProfile("sRGB"),
                    outputMode="RGBA" if image.mode == "RGBA" else "RGB")
                if converted is not None:
                    image = converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            keep = icc
    return (image if image.mode == mode else image.convert(mode)), keep


def _encoded(image: Image.Image, fmt: str, settings: PhotoSettings, icc: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if fmt == "webp":
        image.save(buf, "WEBP", quality=settings.webp_quality, method=4, **extra)
    else:
        if image.mode == "RGBA":  # JPEG has no transparency: lay the photo on white
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image.save(buf, "JPEG", quality=settings.jpeg_quality, optimize=True, progressive=True, **extra)
    return buf.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, then a rename.

    A killed process leaves at most a hidden ``.name.PID.tmp``, never a half file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --- the rendition cache ----------------------------------------------------
#
# A photo's renditions count as cached only through their manifest, written
# last (atomically) by the worker that encoded them: for each file its size,
# SHA-256 and mtime. A build reuses an entry when every file's size and mtime
# still match (a stat, no reading); when a file changed (truncated, written
# over, or restored with new times) a worker hashes it, and anything that does
# not match is encoded again. A killed build leaves no manifest, so no entry.

def _name(width: int, fmt: str) -> str:
    return f"{width}.{fmt}"


def _read_manifest(manifest: Path) -> dict | None:
    """name -> [size, sha256, mtime_ns], or None when the manifest is missing or not one."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        files = data["files"]
        if data.get("v") != VERSION or not isinstance(files, dict):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    for entry in files.values():
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], int)
                and isinstance(entry[1], str) and isinstance(entry[2], int)):
            return None
    return files


def _write_manifest(manifest: Path, renditions: dict, hashes: dict) -> None:
    """``hashes``: (width, fmt) -> [size, sha256] of files already in place."""
    files = {}
    for (width, fmt), (size, sha) in hashes.items():
        files[_name(width, fmt)] = [size, sha, os.stat(renditions[(width, fmt)]).st_mtime_ns]
    write_atomic(manifest, json.dumps({"v": VERSION, "files": files}).encode("utf-8"))


def cache_state(manifest: Path, renditions: dict) -> str:
    """'ok' (reuse as is), 'verify' (a file changed: hash it) or 'encode' (no whole entry)."""
    files = _read_manifest(manifest)
    if files is None or any(_name(w, f) not in files for w, f in renditions):
        return "encode"
    for (width, fmt), path in renditions.items():
        try:
            stat = os.stat(path)
        except OSError:
            return "verify"
        entry = files[_name(width, fmt)]
        if [stat.st_size, stat.st_mtime_ns] != [entry[0], entry[2]]:
            return "verify"
    return "ok"


def ensure(path: str, widths: list[int], settings: PhotoSettings, renditions: dict,
           manifest: str, verify: bool) -> tuple[bool, list[str]]:
    """Make one photo's cache entry whole; returns (encoded?, names of damaged renditions).

    Runs in a worker process. With ``verify``, the files are hashed against
    the manifest first and kept when they all match.
    """
    damaged: list[str] = []
    if verify:
        files = _read_manifest(Path(manifest)) or {}
        hashes = {}
        for (width, fmt), out in renditions.items():
            entry = files.get(_name(width, fmt))
            size_sha = _hash_file(out)
            if entry is None or size_sha != entry[:2]:
                damaged.append(_name(width, fmt))
            hashes[(width, fmt)] = size_sha
        if not damaged:
            _write_manifest(Path(manifest), renditions, hashes)  # new mtimes: a stat suffices next time
            return False, []
    hashes = _encode_all(path, widths, settings, renditions)
    _write_manifest(Path(manifest), renditions, hashes)
    return True, damaged


def _hash_file(path: str) -> list | None:
    try:
        with open(path, "rb") as f:
            sha = hashlib.file_digest(f, "sha256").hexdigest()
            return [os.fstat(f.fileno()).st_size, sha]
    except OSError:
        return None


# --- publishing -------------------------------------------------------------

class Publisher:
    """Encode what the cache lacks, in worker processes, then copy renditions to the site.

    ``start()`` returns at once so the encodes overlap the page rendering;
    ``finish()`` waits for them and puts every rendition into the site. Its
    ``seconds`` is the wall time from start to finish (pages render meanwhile);
    ``waited`` is what the photos added to the build: the time ``finish()`` took.
    """

    def __init__(self, photos: list[Photo], settings: PhotoSettings, cache: Path):
        self.photos, self.settings, self.cache = photos, settings, cache
        self.jobs: list[tuple[Photo, tuple]] = []   # (photo, arguments of ensure)
        self.futures: list = []
        self.pool = None
        self.started = 0.0

    def start(self) -> None:
        import multiprocessing
        import threading
        import time
        from concurrent.futures import ProcessPoolExecutor

        self.started = time.perf_counter()
        keys = set()
        for photo in self.photos:
            if photo.key in keys:
                continue   # the same picture under two names: one cache entry, made once
            keys.add(photo.key)
            renditions = {(w, f): str(photo.cached(self.cache, w, f)) for w in photo.widths for f in FORMATS}
            state = cache_state(photo.manifest(self.cache), renditions)
            if state != "ok":
                self.jobs.append((photo, (str(photo.path), photo.widths, self.settings, renditions,
                                          str(photo.manifest(self.cache)), state == "verify")))
        workers = min(len(self.jobs), self.settings.workers or os.cpu_count() or 1)
        if workers > 1:
            # fork is quick; a threaded process (mkdocs serve) must spawn instead.
            method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
            try:
                self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))
                self.futures = [self.pool.submit(ensure, *job) for _, job in self.jobs]
            except (OSError, RuntimeError):  # no process pool here (sandbox): encode in finish()
                self.cancel()

    def finish(self, site_dir: Path) -> dict:
        """Wait, copy into ``site_dir``; raises RuntimeError naming a photo that failed."""
        import time

        encoded, repaired = 0, []
        entered = time.perf_counter()
        try:
            for i, (photo, job) in enumerate(self.jobs):
                try:
                    done, damaged = self.futures[i].result() if self.pool is not None else ensure(*job)
                except Exception as e:  # a worker's error, named with its photo
                    raise RuntimeError(f"không mã hoá được ảnh images/{photo.src}: {e}") from e
                encoded += done
                if damaged:
                    repaired.append((photo.src, damaged))
        finally:
            self.cancel()
        published = original = 0
        for photo in self.photos:
            original += photo.bytes
            for width in photo.widths:
                for fmt in FORMATS:
                    source = photo.cached(self.cache, width, fmt)
                    target = site_dir / photo.url(width, fmt)
                    size = source.stat().st_size
                    published += size
                    if not (target.exists() and target.stat().st_size == size):
                        target.parent.mkdir(parents=True, exist_ok=True)
                        _place(source, target)
        return {"photos": len(self.photos), "encoded": encoded,
                "reused": len(self.photos) - encoded, "repaired": repaired,
                "seconds": round(time.perf_counter() - self.started, 3),
                "waited": round(time.perf_counter() - entered, 3),
                "original_bytes": original, "published_bytes": published}

    def cancel(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _place(source: Path, target: Path) -> None:
    """A hard link when site/ and the cache share a disk (no copying 100,000s of files), else a copy.

    Safe: a cached rendition is never rewritten in place (os.replace makes a new file).
    """
    import shutil

    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
