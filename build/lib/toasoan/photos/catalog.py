"""Find the photos in every article, check them, and know each article's lead photo.

Runs inside ``build.prepare`` so that the build and the ``check`` command
report exactly the same problems. Checking decodes each new or changed photo
once (in parallel); unchanged ones come from ``probe.json``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..core.config import SiteConfig
from ..reading.markup import BEFORE_IMAGE, code_spans
from ..photos.images import Photo, PhotoInfo, PhotoSettings, ProbeCache, photo_key, probe, target_widths
from ..core.model import Article
from ..core.problems import Problems
from ..core.text import nfc

_ALT = r"(?P<alt>(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)"
# Like Python-Markdown, a title may hold quotes: it ends at the quote before ")".
# Neither a title nor a loose path runs into the next "![": else each "![" of
# a long line without ")" would scan to the end of the line (quadratic).
_TITLE = rf"""(?P<title>"{BEFORE_IMAGE}*?"(?=\s*\))|'{BEFORE_IMAGE}*?'(?=\s*\)))"""
# A path may hold spaces and balanced brackets ("IMG 0001 (1).jpg"), or be written <like this>.
_SRC = r"""(?P<src><[^<>\n]*>|[^\s()<>"'](?:(?:[^()<>"'\n]|\([^()<>"'\n]*\))*?[^\s()<>"'])?)"""
_INLINE = re.compile(r"!\[" + _ALT + r"\]\(\s*" + _SRC + r"(?:\s*" + _TITLE + r")?\s*\)")
# Anything else that Markdown would still take for an image: reported as written.
# (Possessive: a run of spaces is never scanned twice.) The path is right-stripped when used.
_LOOSE = re.compile(r"!\[" + _ALT + r"\]\(\s*+(?P<src>(?:[^\n)!]|!(?!\[))*+)\s*+\)")
_REFERENCE = re.compile(r"!\[" + _ALT + r"\]\s?\[(?P<ref>[^\[\]]*)\]")
_DEFINITION = re.compile(r"^ {0,3}\[(?P<ref>[^\[\]]+)\]:\s*(?P<src><[^<>\n]*>|\S+)"
                         r"""(?:\s+(?P<title>"[^\n]*"|'[^\n]*'|\([^\n]*\)))?\s*$""",
                         re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(```|~~~)[^\n]*\n.*?(?:^ {0,3}\1[^\n]*$|\Z)", re.MULTILINE | re.DOTALL)
# The credit ends the caption: "… hội nghị. Ảnh: Xuân Nghiệp" (also "(Ảnh: …)" or "- Ảnh: …").
# "Ảnh minh họa" (a stock or illustrative photo) is a credit too.
_CREDIT = re.compile(r"(?:^|[\s(\[–—-])\s*ảnh(?:\s*:\s*(?P<credit>[^()\[\]]+?)|\s+(?P<stock>minh\s+h(?:ọa|oạ)))"
                     r"\s*[)\]]?\s*$", re.IGNORECASE)
ILLUSTRATIVE = "minh họa"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# NUL and the other control characters: no file system takes them in a name
# (NUL ends a C string), and they would break the one-line problem report.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NAME_BYTES = 255      # one file or folder name (ext4, NTFS, APFS)
PATH_BYTES = 1024     # the whole path below images/: far below PATH_MAX with the checkout around it
_NAME_FIX = ("đặt lại tên ảnh ngắn gọn (dưới 100 ký tự, chỉ chữ, số, '-') rồi sửa đường dẫn trong bài, "
             "ví dụ '2022/01/hoi-nghi.jpg'")
_ESCAPE = re.compile(r"\\(.)")


@dataclass
class PhotoRef:
    """One photo as written in an article body."""

    src: str           # as written
    line: int
    alt: str           # the reporter's alt text (may be empty)
    title: str         # caption + credit, as written
    key: str = ""      # normalised path below images/, "" when refused

    @property
    def caption(self) -> str:
        return split_caption(self.title)[0]

    @property
    def credit(self) -> str:
        return split_caption(self.title)[1]


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


def split_caption(title: str) -> tuple[str, str]:
    """'Đại biểu dự hội nghị. Ảnh: Xuân Nghiệp' -> ('Đại biểu dự hội nghị.', 'Xuân Nghiệp')."""
    title = " ".join(nfc(title or "").split())
    m = _CREDIT.search(title)
    if not m:
        return title, ""
    caption = title[: m.start()].rstrip(" -–—([")
    return caption.strip(), (m.group("credit") or ILLUSTRATIVE).strip()


def normalise(src: str) -> str | None:
    """The path below images/ for ``src``, or None when it leaves images/ or is a URL."""
    src = nfc(src.strip().strip("<>").strip()).replace("\\", "/")
    if not src or src.startswith("/") or _SCHEME.match(src) or "?" in src or "#" in src:
        return None
    parts = [p for p in src.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def name_problem(src: str) -> str | None:
    """Why a photo path can be no file name on disk (NUL, too long), or None."""
    if _CONTROL.search(src):
        return "đường dẫn ảnh có ký tự điều khiển (như NUL), không thể là tên tệp"
    if len(src.encode("utf-8", "surrogatepass")) > PATH_BYTES:
        return f"đường dẫn ảnh dài quá {PATH_BYTES} byte"
    if any(len(part.encode("utf-8", "surrogatepass")) > NAME_BYTES for part in src.replace("\\", "/").split("/")):
        return f"tên tệp hoặc thư mục trong đường dẫn ảnh dài quá {NAME_BYTES} byte"
    return None


def shown(src: str, limit: int = 160) -> str:
    """A path as a problem report shows it: control characters escaped, cut when long."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", src)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def find_refs(body: str, first_line: int) -> list[PhotoRef]:
    """Every Markdown image in ``body`` with its line in the file; code is skipped."""
    if "![" not in body:
        return []  # most bodies: skip the regular expressions (10,000s of articles)
    text = _blank_code_spans(_FENCE.sub(_blank, body)) if "`" in body or "~~~" in body else body
    found = []
    for m in _INLINE.finditer(text):
        found.append((m.start(), m.group("alt"), m.group("src"), m.group("title")))
    if len(found) < text.count("]("):
        starts = {f[0] for f in found}
        found += [(m.start(), m.group("alt"), m.group("src").rstrip(), None)
                  for m in _LOOSE.finditer(text) if m.start() not in starts and m.group("src").strip()]
    definitions = {}
    for m in _DEFINITION.finditer(text) if "]:" in text else ():
        definitions.setdefault(m.group("ref").strip().lower(), m)
    for m in _REFERENCE.finditer(text) if definitions else ():
        d = definitions.get((m.group("ref") or m.group("alt")).strip().lower())
        if d is not None:
            found.append((m.start(), m.group("alt"), d.group("src"), d.group("title")))
    found.sort()
    refs, line, counted = [], first_line, 0
    for start, alt, src, title in found:
        line += text.count("\n", counted, start)  # counted once, in order: not once per photo
        counted = start
        refs.append(PhotoRef(src.strip("<>"), line, _unescape(alt),
                             " ".join(nfc(title[1:-1]).split()) if title else ""))
    return refs


def _blank(m: re.Match) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def _blank_code_spans(text: str) -> str:
    """``text`` with every inline code span blanked out (line breaks kept)."""
    spans = code_spans(text)
    if not spans:
        return text
    parts, done = [], 0
    for start, end in spans:
        parts += [text[done:start], re.sub(r"[^\n]", " ", text[start:end])]
        done = end
    parts.append(text[done:])
    return "".join(parts)


def _unescape(text: str) -> str:
    return " ".join(nfc(_ESCAPE.sub(r"\1", text)).split())


def check_photos(articles: list[Article], root: Path, site: SiteConfig, problems: Problems) -> Catalog:
    """Check every photo of every article; errors and warnings go to ``problems``."""
    try:
        settings = PhotoSettings.from_dict((site.extra or {}).get("photos"))
    except ValueError as e:
        problems.error(root / "mkdocs.yml", 1, str(e), "sửa khối extra.bulletin.photos trong mkdocs.yml")
        settings = PhotoSettings()
    images = (root / site.images_dir).resolve()
    catalog = Catalog(settings, (root / settings.cache_dir).resolve())
    wanted: dict[str, list[tuple[Article, PhotoRef]]] = {}
    for article in articles:
        refs = find_refs(article.body, article.body_line)
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
        first = next((r.key for r in refs if r.key), None)
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
