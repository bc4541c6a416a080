"""`import`: turn the old website's plain-text articles into Markdown articles.

Reading one file is :mod:`toasoan.legacy`; this module finds the files, matches
photos, writes the articles (never over an existing one) and reports.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.config import SiteConfig
from ..reading.frontmatter import FrontMatterError, decode
from ..photos.images import write_atomic
from ..tools.legacy import Legacy, body_markdown, parse, place_finder
from ..tools.newarticle import canonical_place, front_matter, split_names
from ..core.problems import Problems
from ..core.text import slugify

IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
PLACEHOLDER_DIR = "chua-co-anh"   # "chưa có ảnh": a path that `check` reports as missing
_NUMBER_TAIL = re.compile(r"[-_ .]*\d+$")
_DIGITS = re.compile(r"(\d+)")


def natural_key(path: Path) -> list:
    """'anh-2.jpg' before 'anh-10.jpg'."""
    return [int(p) if p.isdigit() else p.lower() for p in _DIGITS.split(path.name)]


@dataclass
class Imported:
    source: Path
    path: Path | None          # the article written (None: skipped)
    draft: bool = False
    photos: int = 0
    missing_photos: int = 0


@dataclass
class ImportReport:
    done: list[Imported] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    @property
    def written(self) -> list[Imported]:
        return [i for i in self.done if i.path is not None]

    def summary(self) -> str:
        written = self.written
        drafts = sum(1 for i in written if i.draft)
        missing = sum(i.missing_photos for i in written)
        return (f"Đã nhập {len(written)} bài ({drafts} bài nháp cần xem lại), "
                f"bỏ qua {len(self.done) - len(written)} tệp; "
                f"ảnh: {sum(i.photos for i in written)} đã chép, {missing} còn thiếu.")


def legacy_files(sources: list[Path], problems: Problems | None = None) -> list[Path]:
    """The files to import: each file given, and every .txt below each folder given.

    Below a folder, a link that leads out of it is refused (reported to ``problems``):
    an import never publishes a file from elsewhere on the machine.
    """
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            top = source.resolve()
            for p in sorted(source.rglob("*"), key=lambda p: p.as_posix()):
                if p.suffix.lower() != ".txt":
                    continue
                # rglob does not enter linked folders: only the file itself can be a link.
                why = _refusal(p, top, "thư mục đang nhập") if p.is_symlink() else None
                if why is not None and problems is not None:
                    problems.error(p, 1, f"tệp {why}; không nhập",
                                   "chép chính tệp vào thư mục đang nhập thay cho liên kết")
                elif why is None and p.is_file():
                    found.append(p)
        else:
            found.append(source)
    return found


def _refusal(entry: Path, top: Path, where: str) -> str | None:
    """Why ``entry`` is no regular file inside ``top`` (after links), or None when it is one."""
    try:
        real = entry.resolve(strict=True)
    except (OSError, RuntimeError):   # a broken or looping link
        return "là liên kết hỏng"
    if not real.is_relative_to(top):
        return f"là liên kết trỏ ra ngoài {where}"
    if real.is_dir():
        return "là một thư mục, không phải tệp"
    if not real.is_file():
        return "không phải tệp thường"
    return None


class PhotoFolder:
    """The --images folder, listed once: photos of file ``x.txt`` are ``x/…`` or ``x-1.jpg`` …

    Every name that looks like a photo is matched, usable or not; ``refused``
    says why one cannot be copied (a link out of the folder, a folder named
    ``x.jpg``), so that its article is skipped rather than given the wrong photos.
    """

    WHERE = "thư mục ảnh (--images)"

    def __init__(self, folder: Path | None, single: bool):
        self.by_stem: dict[str, list[Path]] = {}
        self.loose: list[Path] = []
        self.refused: dict[Path, str] = {}
        self.single = single
        if folder is None:
            return
        self.top = folder.resolve()
        for entry in self._list(folder) or []:
            if entry.suffix.lower() in IMAGE_TYPES:
                self._check(entry)
                self.loose.append(entry)
                base = _NUMBER_TAIL.sub("", entry.stem).lower()
                self.by_stem.setdefault(base, []).append(entry)  # in name order already
            elif entry.is_dir():
                photos = self.by_stem.setdefault(entry.name.lower(), [])
                inside = self._list(entry) if self._check_folder(entry) else None
                if inside is None:
                    photos.append(entry)   # the article gets the refusal
                    continue
                for p in inside:
                    if p.suffix.lower() in IMAGE_TYPES:
                        self._check(p)
                        photos.append(p)

    def _list(self, folder: Path) -> list[Path] | None:
        try:
            return sorted(folder.iterdir(), key=natural_key)
        except OSError as e:
            self.refused[folder] = f"là thư mục không đọc được ({e.strerror})"
            return None

    def _check(self, entry: Path) -> None:
        why = _refusal(entry, self.top, self.WHERE)
        if why is not None:
            self.refused[entry] = why

    def _check_folder(self, entry: Path) -> bool:
        try:
            real = entry.resolve(strict=True)
        except (OSError, RuntimeError):
            self.refused[entry] = "là liên kết hỏng"
            return False
        if not real.is_relative_to(self.top):
            self.refused[entry] = f"là liên kết trỏ ra ngoài {self.WHERE}"
            return False
        return True

    def photos_for(self, source: Path) -> list[Path]:
        photos = self.by_stem.get(source.stem.lower())
        if photos:
            return photos
        # One article imported with a folder of its photos: take them all, in name order.
        return self.loose if self.single else []


def _existing_slugs(articles: Path) -> set[str]:
    return {p.stem for p in articles.rglob("*.md")} if articles.is_dir() else set()


def import_files(sources: list[Path], year: int, root: Path, site: SiteConfig, *,
                 out: Path | None = None, images: Path | None = None, section: str | None = None,
                 author: str | None = None, location: str | None = None,
                 dry_run: bool = False) -> ImportReport:
    """Import every legacy file; problems are reported against the legacy file's lines."""
    report = ImportReport()
    problems = report.problems
    articles = out if out is not None else root / site.articles_dir
    images_root = root / site.images_dir
    files = legacy_files(sources, problems)
    folder = PhotoFolder(images, single=len(files) == 1)
    used: set[Path] = set()
    taken = _existing_slugs(articles)
    finder = place_finder(site)
    category = None
    if section:
        found = site.find_section(section)
        if found is None:
            raise ValueError(f"chuyên mục '{section}' không có trong mkdocs.yml")
        category = found.name
    fallback_authors = split_names(author) if author else None
    fallback_place = canonical_place(location, site) if location else None

    for source in files:
        try:
            legacy = parse(decode(source.read_bytes()), year, site, finder,
                           fallback_authors, fallback_place)
        except FrontMatterError as e:  # not UTF-8
            problems.error(source, e.line, e.message, e.fix)
            report.done.append(Imported(source, None))
            continue
        except (OSError, ValueError) as e:
            problems.error(source, 1, f"không đọc được tệp ({e})", "kiểm tra tệp gốc")
            report.done.append(Imported(source, None))
            continue
        slug = slugify(legacy.title)
        target = articles / f"{legacy.date:%Y}" / f"{legacy.date:%m}" / f"{slug}.md"
        if not slug or slug == "index":
            problems.error(source, 1, "không tạo được đường dẫn (slug) từ tiêu đề",
                           "kiểm tra dòng tiêu đề của tệp gốc")
            report.done.append(Imported(source, None))
            continue
        if slug in taken:  # by file name; a clash with a hand-set `slug:` is left to `check`
            problems.warning(source, 1, f"đã có bài cùng đường dẫn '{slug}'; bỏ qua, không ghi đè",
                             "nếu đây là bài khác, sửa tiêu đề trong tệp gốc rồi nhập lại")
            report.done.append(Imported(source, None))
            continue
        for note in legacy.notes:
            problems.warning(source, note.line, note.message, note.fix)
        found = folder.photos_for(source)
        used.update(found[:len(legacy.captions)])   # the others are reported as unused below
        bad = [p for p in found[:len(legacy.captions)] if p in folder.refused]
        for photo in bad:
            problems.error(source, 1, f"ảnh '{photo.as_posix()}' {folder.refused[photo]}; không nhập bài này",
                           _REFUSED_FIX)
        if bad:
            report.done.append(Imported(source, None))
            continue
        photos, copies, missing = _photo_paths(legacy, slug, found, source, problems)
        text = article_text(legacy, photos, source.name, category)
        item = Imported(source, target, legacy.uncertain, len(copies), missing)
        if not dry_run:
            try:
                _write(target, text, copies, images_root)
            except FileExistsError as e:
                problems.warning(source, 1, f"đã có tệp {e.filename}; bỏ qua, không ghi đè",
                                 "xoá hoặc đổi tên tệp đó nếu muốn nhập lại")
                item.path = None
            except OSError as e:   # a full disk, a photo that vanished: this file only
                problems.error(source, 1, f"không ghi được bài hoặc ảnh ({e.strerror or e}: "
                               f"{e.filename or target}); không nhập bài này",
                               "kiểm tra chỗ trống và quyền ghi của thư mục, rồi nhập lại tệp này")
                item.path = None
        if item.path is not None:
            taken.add(slug)
        report.done.append(item)
    for photo, why in folder.refused.items():
        if photo not in used:
            problems.warning(photo, 1, f"ảnh {why}; bỏ qua", _REFUSED_FIX)
    return report


_REFUSED_FIX = ("chép chính tệp ảnh (JPEG, PNG) vào thư mục ảnh thay cho liên kết hay thư mục "
                "cùng tên, rồi nhập lại")


def _photo_paths(legacy: Legacy, slug: str, found: list[Path], source: Path,
                 problems: Problems) -> tuple[list[str], list[tuple[Path, str]], int]:
    """Match captions to photos in order; the rest get a placeholder path."""
    when = legacy.date
    paths, copies = [], []
    for n, caption in enumerate(legacy.captions, start=1):
        if n <= len(found):
            rel = f"imported/{when:%Y}/{when:%m}/{slug}-{n}{found[n - 1].suffix.lower()}"
            copies.append((found[n - 1], rel))
        else:
            rel = f"{PLACEHOLDER_DIR}/{when:%Y}/{when:%m}/{slug}-{n}.jpg"
        paths.append(rel)
    missing = len(legacy.captions) - len(copies)
    if missing:
        problems.warning(source, 1, f"{missing} ảnh chưa có tệp ảnh (đường dẫn tạm '{PLACEHOLDER_DIR}/…')",
                         f"chép ảnh vào images/ rồi sửa đường dẫn trong bài; hoặc nhập lại với --images")
    if len(found) > len(legacy.captions):
        problems.warning(source, 1, f"thừa {len(found) - len(legacy.captions)} ảnh không có chú thích: "
                         + ", ".join(p.name for p in found[len(legacy.captions):]),
                         "thêm ảnh vào bài bằng tay nếu cần")
    return paths, copies, missing


def article_text(legacy: Legacy, photos: list[str], source_name: str,
                 category: str | None = None) -> str:
    """The Markdown article: front-matter, then the body."""
    fields: list[tuple[str, object]] = [
        ("title", legacy.title), ("date", legacy.date),
        ("author", legacy.authors[0] if len(legacy.authors) == 1 else legacy.authors or "Chưa rõ"),
        ("location", legacy.location)]
    if category:
        fields.append(("category", category))
    comments = {}
    if legacy.uncertain:
        fields.append(("draft", True))
        comments["draft"] = "nhập từ trang cũ, cần xem lại (xem báo cáo nhập)"
    head = front_matter(fields, comments)
    head = head.replace("---\n", f"---\n# Nhập từ trang cũ: {_comment(source_name)}\n", 1)
    return head + "\n" + body_markdown(legacy, photos)


def _comment(text: str) -> str:
    return " ".join(text.split())


def _write(target: Path, text: str, copies: list[tuple[Path, str]], images_root: Path) -> None:
    """Copy the photos, then write the article; never replace a file that differs.

    Each file appears whole or not at all (temporary file, then rename), and
    the article only once its photos are in place: an import that stops
    midway leaves no article pointing at missing or half-copied photos.
    """
    if target.exists():
        raise FileExistsError(errno.EEXIST, "file exists", str(target))
    for src, rel in copies:
        dest = images_root / rel
        if dest.exists() and dest.read_bytes() != src.read_bytes():
            raise FileExistsError(errno.EEXIST, "file exists", str(dest))
    added: list[Path] = []
    try:
        for src, rel in copies:
            dest = images_root / rel
            if not dest.exists():
                write_atomic(dest, src.read_bytes())
                added.append(dest)
        _create(target, text.encode("utf-8"))
    except BaseException:
        for dest in added:   # photos of an article that was not written
            dest.unlink(missing_ok=True)
        raise


def _create(target: Path, data: bytes) -> None:
    """Write a new file atomically; FileExistsError when one appeared meanwhile."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        try:
            os.link(tmp, target)   # unlike a rename, never replaces an existing file
        except FileExistsError:
            raise
        except OSError:
            # A file system without hard links: rename (checked just before, so a clash is unlikely).
            if target.exists():
                raise FileExistsError(errno.EEXIST, "file exists", str(target)) from None
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
