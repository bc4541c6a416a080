"""Find the photos in every article, check them, and know each article's lead photo.

Runs inside ``build.prepare`` so that the build and the ``check`` command
report exactly the same problems. Checking decodes each new or changed photo
once (in parallel); unchanged ones come from ``probe.json``.
"""

from __future__ import annotations

import os
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..core.config import SiteConfig
from ..photos.images import Photo, PhotoInfo, PhotoSettings, ProbeCache, photo_key, probe, target_widths
from ..core.model import Article
from ..core.problems import Problems
from ..reading.photorefs import PhotoRef, find_refs, lead_source, name_problem, normalise, shown

_NAME_FIX = ("đặt lại tên ảnh ngắn gọn (dưới 100 ký tự, chỉ chữ, số, '-') rồi sửa đường dẫn trong bài, "
             "ví dụ '2022/01/hoi-nghi.jpg'")


@dataclass
class Catalog:
    """Every photo the articles use, and each article's photos and lead photo."""

    settings: PhotoSettings
    cache: Path
    photos: dict[str, Photo] = field(default_factory=dict)       # key -> Photo
    refs: dict[int, list[PhotoRef]] = field(default_factory=dict)  # id(article) -> refs
    leads: dict[int, str] = field(default_factory=dict)          # id(article) -> key

    def find(self, src: str) -> Photo | None:
        """The usable photo for a path as written in an article, or None."""
        photo = self.photos.get(normalise(src) or "")
        return photo if photo is not None and photo.ok else None

    def lead(self, article: Article) -> Photo | None:
        """The article's lead photo: front-matter ``image``, else its first photo."""
        key = self.leads.get(id(article))
        photo = self.photos.get(key) if key else None
        return photo if photo is not None and photo.ok else None

    def share_url(self, src: str) -> str | None:
        """Site-relative URL of the largest JPEG of a photo (for og:image, feeds)."""
        photo = self.find(src)
        return photo.url(photo.largest, "jpg") if photo is not None else None

    def share_size(self, src: str) -> tuple[int, int] | None:
        """(width, height) of the picture ``share_url`` names: Zalo and Facebook want both."""
        photo = self.find(src)
        return (photo.largest, photo.height_for(photo.largest)) if photo is not None and photo.widths else None

    def used_by(self, articles: list[Article]) -> list[Photo]:
        """The usable photos of these articles (each once): what the site publishes."""
        keys = {}
        for article in articles:
            for ref in self.refs.get(id(article), []):
                keys.setdefault(ref.key, None)
            keys.setdefault(self.leads.get(id(article)), None)
        return [p for k, p in ((k, self.photos.get(k)) for k in keys if k) if p is not None and p.ok]


def check_photos(articles: list[Article], root: Path, site: SiteConfig, problems: Problems,
                 known: dict[tuple[str, int], list[PhotoRef]] | None = None) -> Catalog:
    """Check every photo of every article; errors and warnings go to ``problems``.

    ``known`` (a preview's, kept between saves): each body's photo references, found
    once — finding them in 100,000 bodies was a quarter of a save. Replaced by this
    call's.
    """
    found_before = dict(known) if known is not None else {}
    if known is not None:
        known.clear()
    try:
        settings = PhotoSettings.from_dict((site.extra or {}).get("photos"))
    except ValueError as e:
        problems.error(root / "mkdocs.yml", 1, str(e), "sửa khối extra.bulletin.photos trong mkdocs.yml")
        settings = PhotoSettings()
    images = (root / site.images_dir).resolve()
    catalog = Catalog(settings, (root / settings.cache_dir).resolve())
    wanted: dict[str, list[tuple[Article, PhotoRef]]] = {}
    for article in articles:
        body = (article.body, article.body_line)
        refs = found_before.get(body)
        if refs is None:
            refs = find_refs(*body)
        if known is not None and refs:
            known[body] = refs
        catalog.refs[id(article)] = refs
        for ref in refs:
            ref.key = normalise(ref.src) or ""
            if not ref.key:
                problems.error(article.path, ref.line, f"ảnh '{shown(ref.src)}' nằm ngoài thư mục images/",
                               "chép ảnh vào images/ và ghi đường dẫn tính từ images/, "
                               "ví dụ '2022/01/hoi-nghi.jpg' (không dùng '../', '/' ở đầu hay địa chỉ web)")
                continue
            bad = name_problem(ref.key)
            if bad:
                problems.error(article.path, ref.line, f"ảnh '{shown(ref.src)}': {bad}", _NAME_FIX)
                ref.key = ""
                continue
            wanted.setdefault(ref.key, []).append((article, ref))
            if not ref.title or not ref.caption:
                problems.warning(article.path, ref.line, f"ảnh '{shown(ref.src)}' chưa có chú thích",
                                 'thêm chú thích trong ngoặc kép sau đường dẫn, ví dụ '
                                 '![](2022/01/hoi-nghi.jpg "Đại biểu dự hội nghị. Ảnh: Xuân Nghiệp")')
        lead = lead_source(article, refs)
        first = normalise(lead) if lead else None
        if article.image:
            key = normalise(article.image)
            bad = name_problem(key) if key is not None else None
            if key is None:
                problems.error(article.path, article.line_of("image"),
                               f"ảnh đại diện '{shown(article.image)}' nằm ngoài thư mục images/",
                               "ghi đường dẫn tính từ images/, ví dụ 'image: 2022/01/hoi-nghi.jpg'")
            elif bad:
                problems.error(article.path, article.line_of("image"),
                               f"ảnh đại diện '{shown(article.image)}': {bad}", _NAME_FIX)
                key = None
            else:
                wanted.setdefault(key, []).append((article, PhotoRef(article.image, article.line_of("image"), "", "", key)))
            first = key
        if first:
            catalog.leads[id(article)] = first

    _probe_all(catalog, images, wanted)
    limit = int(settings.max_mb * 1024 * 1024)
    for key, uses in wanted.items():
        photo = catalog.photos[key]
        for article, ref in uses:
            if not photo.ok:
                fix = photo.info.fix
                if not photo.info.sha and key.startswith(f"{site.images_dir}/"):
                    fix = f"bỏ '{site.images_dir}/' ở đầu: đường dẫn ảnh đã tính từ thư mục {site.images_dir}/"
                problems.error(article.path, ref.line, f"ảnh '{shown(ref.src)}': {photo.info.error}", fix)
            elif photo.bytes > limit:
                problems.warning(article.path, ref.line,
                                 f"ảnh '{shown(ref.src)}' nặng {photo.bytes / 1048576:.1f} MB "
                                 f"(quá {settings.max_mb:g} MB)",
                                 "thu nhỏ ảnh trước khi chép vào images/ (cạnh dài khoảng 2000–3000 điểm ảnh)")
    return catalog


def _probe_all(catalog: Catalog, images: Path, wanted: dict) -> None:
    """Fill ``catalog.photos`` for every wanted key: stat, then probe what is new."""
    settings = catalog.settings
    cache = ProbeCache(catalog.cache, settings.max_pixels)
    todo: list[tuple[Photo, os.stat_result]] = []
    for key in wanted:
        path = _locate(images, key)
        photo = Photo(key, path if path is not None else images / key, PhotoInfo())
        catalog.photos[key] = photo
        if path is None:
            photo.info = probe(str(images / key), settings.max_pixels)  # names the problem
            continue
        if not _inside(path, images):
            photo.info = PhotoInfo(error="ảnh là liên kết trỏ ra ngoài thư mục images/",
                                   fix="chép chính tệp ảnh vào images/ thay cho liên kết")
            continue
        try:
            stat = path.stat()
        except OSError:
            photo.info = probe(str(path), settings.max_pixels)
            continue
        photo.bytes = stat.st_size
        cached = cache.get(key, stat)
        if cached is not None:
            photo.info = cached
        else:
            todo.append((photo, stat))
    paths = [str(p.path) for p, _ in todo]
    if len(todo) >= 8 and _workers(settings) > 1:
        with ProcessPoolExecutor(_workers(settings)) as pool:
            infos = list(pool.map(probe, paths, [settings.max_pixels] * len(paths), chunksize=4))
    else:
        infos = [probe(p, settings.max_pixels) for p in paths]
    for (photo, stat), info in zip(todo, infos):
        photo.info = info
        if info.sha:  # a file that could not be read is tried again next time
            cache.put(photo.src, stat, info)
    if set(cache.entries) - set(wanted):  # forget photos no article uses any more
        cache.entries = {k: v for k, v in cache.entries.items() if k in wanted}
        cache.changed = True
    for photo in catalog.photos.values():
        if photo.ok:
            photo.key = photo_key(photo.info.sha, settings)
            photo.widths = target_widths(photo.info.width, settings.widths)
    try:
        cache.save()
    except OSError:
        pass  # a read-only checkout still builds, only slower


def _workers(settings: PhotoSettings) -> int:
    return settings.workers or os.cpu_count() or 1


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
        return True
    except (ValueError, OSError):
        return False


def _locate(images: Path, key: str) -> Path | None:
    """The file for ``key``; names stored in NFD (macOS) or with another case of the extension match too."""
    path = images / key
    try:
        if path.is_file():
            return path
    except (OSError, ValueError):  # a name the system refuses: reported by check_photos
        return None
    parent = images
    for part in key.split("/"):
        try:
            names = {unicodedata.normalize("NFC", n): n for n in os.listdir(parent)}
        except (OSError, ValueError):
            return None
        real = names.get(part) or next((n for c, n in names.items() if c.lower() == part.lower()), None)
        if real is None:
            return None
        parent = parent / real
    return parent if parent.is_file() else None
