"""`import`: turn the old website's plain-text articles into Markdown articles.

Reading one file is :mod:`toasoan.legacy`; this module finds the files, matches
photos, writes the articles (never over an existing one) and reports.
"""

from __future__ import annotations

import errno
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..core.config import SiteConfig
from ..reading.frontmatter import FrontMatterError, decode
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


def legacy_files(sources: list[Path]) -> list[Path]:
    """The files to import: each file given, and every .txt below each folder given."""
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            found.extend(sorted((p for p in source.rglob("*") if p.is_file()
                                 and p.suffix.lower() == ".txt"), key=lambda p: p.as_posix()))
        else:
            found.append(source)
    return found


class PhotoFolder:
    """The --images folder, listed once: photos of file ``x.txt`` are ``x/…`` or ``x-1.jpg`` …"""

    def __init__(self, folder: Path | None, single: bool):
        self.by_stem: dict[str, list[Path]] = {}
        self.loose: list[Path] = []
        self.single = single
        if folder is None:
            return
        for entry in sorted(folder.iterdir(), key=natural_key):
            if entry.is_dir():
                self.by_stem.setdefault(entry.name.lower(), []).extend(
                    sorted((p for p in entry.iterdir() if p.suffix.lower() in IMAGE_TYPES),
                           key=natural_key))
            elif entry.suffix.lower() in IMAGE_TYPES:
                self.loose.append(entry)
                base = _NUMBER_TAIL.sub("", entry.stem).lower()
                self.by_stem.setdefault(base, []).append(entry)  # in name order already

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
    files = legacy_files(sources)
    folder = PhotoFolder(images, single=len(files) == 1)
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
        photos, copies, missing = _photo_paths(legacy, slug, folder.photos_for(source), source, problems)
        text = article_text(legacy, photos, source.name, category)
        item = Imported(source, target, legacy.uncertain, len(copies), missing)
        if not dry_run:
            try:
                _write(target, text, copies, images_root)
            except FileExistsError as e:
                problems.warning(source, 1, f"đã có tệp {e.filename}; bỏ qua, không ghi đè",
                                 "xoá hoặc đổi tên tệp đó nếu muốn nhập lại")
                item.path = None
        if item.path is not None:
            taken.add(slug)
        report.done.append(item)
    return report


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
    """Copy the photos, then write the article; never replace a file that differs."""
    for src, rel in copies:
        dest = images_root / rel
        if dest.exists() and dest.read_bytes() != src.read_bytes():
            raise FileExistsError(errno.EEXIST, "file exists", str(dest))
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as f:  # "x": fails if it exists
        for src, rel in copies:
            dest = images_root / rel
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
        f.write(text)
