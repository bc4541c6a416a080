"""Read every article, validate it, and collect all problems in one pass."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

from ..core.config import SiteConfig
from ..core.controls import clean_body, code
from ..core.files import read_plain
from ..reading.frontmatter import FrontMatterError, decode, split
from ..reading.plain import first_paragraph
from ..reading.markup import (BRACKET_LIMIT, ITEM_WEIGHT, MARKS_LIMIT, MARKUP_LIMIT, code_lines,
                     bracket_cost, markup_cost, marks, units)
from ..core.model import DRAFT, PUBLISHED, SCHEDULED, Article
from ..core.problems import Problems
from ..core.text import listing_slug, nfc, slugify

REQUIRED = ("title", "date", "author", "location")
OPTIONAL = ("category", "tags", "summary", "image", "related", "slug", "draft", "updated")
_TRUE = {"true", "yes", "on", "1", "có", "co"}
_FALSE = {"false", "no", "off", "0", "không", "khong", ""}
_DATE_FIX = "viết ngày giờ dạng '2022-01-13 08:30' (năm-tháng-ngày giờ:phút, giờ Việt Nam)"
# A bulletin's whole history fits; outside it a date is a typo ('0202', '2202'),
# and years near 1 or 9999 overflow when moved to Vietnam time.
YEARS = (1900, 2100)


class DateOutOfRange(ValueError):
    """A date that reads, but whose year is outside ``YEARS``."""

# Raw HTML that can run code or restyle the page is refused: reporters write
# Markdown, and a pasted embed must be reviewed by a developer instead.
_UNSAFE = re.compile(
    r"<\s*(script|iframe|object|embed|style|form|base|meta|link)\b"
    r"|\son[a-z]+\s*=|javascript\s*:", re.IGNORECASE)


def parse_date(value, tz) -> datetime | None:
    """A front-matter date: '2022-01-13 08:30', ISO 8601, or a bare day (00:00).

    None when it does not read; DateOutOfRange when its year, before or after
    moving to ``tz``, is outside ``YEARS``.
    """
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip().replace("/", "-")
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    if not YEARS[0] <= dt.year <= YEARS[1]:  # checked first: astimezone() overflows near year 1 or 9999
        raise DateOutOfRange(dt.year)
    dt = dt.replace(tzinfo=tz) if dt.tzinfo is None else dt.astimezone(tz)
    if not YEARS[0] <= dt.year <= YEARS[1]:
        raise DateOutOfRange(dt.year)
    return dt


def _text_list(value) -> list[str] | None:
    if isinstance(value, str):
        return [nfc(v.strip()) for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [nfc(v.strip()) for v in value if v.strip()]
    return None


def read_article(path: Path, rel: str, site: SiteConfig, now: datetime,
                 problems: Problems, raw: bytes | None = None) -> Article | None:
    """Parse one file (or ``raw``, its bytes read already); report its problems and
    return None if it cannot be used."""
    try:
        parsed = split(decode(raw if raw is not None else read_source(path, site.max_article_kb)))
    except FrontMatterError as e:
        problems.error(path, e.line, e.message, e.fix)
        return None
    data, lines = parsed.data, parsed.lines
    errors_before = len(problems.errors)
    body, removed, first = clean_body(parsed.body)
    if removed:  # never written into the page; warned so the reporter cleans the file
        problems.warning(path, parsed.body_line + parsed.body.count("\n", 0, first),
                         f"thân bài có {removed} ký tự điều khiển ẩn (đầu tiên: {code(parsed.body[first])}), "
                         "đã bỏ khi dựng trang", "gõ lại dòng này (ký tự ẩn thường lẫn vào khi chép từ "
                         "Word, PDF hay trang web cũ)")
        parsed.body = body

    def bad(key: str, message: str, fix: str) -> None:
        problems.error(path, lines.get(key, 1), message, fix)

    missing = set()
    for key in REQUIRED:
        value = data.get(key)
        if (value is None or (isinstance(value, str) and not value.strip())
                or (isinstance(value, list) and all(isinstance(v, str) and not v.strip() for v in value))):
            missing.add(key)
            problems.error(path, lines.get(key, 1), f"thiếu trường bắt buộc '{key}'",
                           f"thêm dòng '{key}: …' vào phần đầu bài (giữa hai dòng '---')")
    for key in data:
        if key not in REQUIRED and key not in OPTIONAL:
            problems.warning(path, lines[key], f"trường lạ '{key}' sẽ bị bỏ qua",
                             "kiểm tra lỗi chính tả; các trường hợp lệ: "
                             + ", ".join(REQUIRED + OPTIONAL))

    title = data.get("title")
    if title is not None and not isinstance(title, str):
        bad("title", "tiêu đề phải là một dòng chữ", "viết 'title: Tiêu đề bài viết'")
    published = _date(data, "date", "ngày đăng", site, bad)
    updated = _date(data, "updated", "ngày cập nhật", site, bad)
    authors = _text_list(data.get("author")) if data.get("author") is not None else []
    if authors is None:
        bad("author", "tác giả phải là một tên hoặc một danh sách tên",
            "viết 'author: Xuân Nghiệp' hoặc 'author: [Minh Đức, Hoàng Anh]'")
    elif not authors and "author" not in missing:  # e.g. 'author: " , "'
        bad("author", "thiếu tên tác giả", "viết 'author: Xuân Nghiệp' hoặc 'author: [Minh Đức, Hoàng Anh]'")
    for name in authors or []:
        if not _has_letter(name):  # its page would have no address
            bad("author", f"tên tác giả '{_shown(name)}' phải có chữ cái Latinh/tiếng Việt",
                "viết tên bằng chữ quốc ngữ, ví dụ 'author: Xuân Nghiệp'")
    location = data.get("location")
    if location is not None and not isinstance(location, str):
        bad("location", "địa phương phải là một tên", "viết 'location: Ba Bể'")
    elif isinstance(location, str) and location.strip() and not _has_letter(location):
        bad("location", f"địa phương '{_shown(location)}' phải có chữ cái Latinh/tiếng Việt",
            "viết tên xã, phường, huyện bằng chữ quốc ngữ, ví dụ 'location: Ba Bể'")

    section = None
    if data.get("category") is not None:
        found = site.find_section(str(data["category"])) if isinstance(data["category"], str) else None
        if found is None:
            names = ", ".join(s.name for s in site.sections) or "(chưa khai báo chuyên mục nào)"
            bad("category", f"chuyên mục '{_shown(data['category'])}' không có trong mkdocs.yml",
                f"chọn một trong: {names}; hoặc thêm chuyên mục vào extra.bulletin.sections")
        else:
            section = found.slug
    tags = _text_list(data.get("tags", [])) if data.get("tags") is not None else []
    if tags is None:
        bad("tags", "thẻ phải là một danh sách", "viết 'tags: [nông nghiệp, Ba Bể]'")
    for tag in tags or []:
        if not listing_slug(tag):  # a tag in another script gets a hashed address; one with no letter cannot
            bad("tags", f"thẻ '{_shown(tag)}' không có chữ cái hay chữ số nào",
                "viết chủ đề bằng chữ, ví dụ 'tags: [nông nghiệp, Ba Bể]', hoặc xoá thẻ này")
    related = _text_list(data.get("related", [])) if data.get("related") is not None else []
    if related is None:
        bad("related", "bài liên quan phải là một danh sách", "viết 'related: [ten-bai-khac]'")
    draft_value = str(data.get("draft", "false")).strip().lower()
    if draft_value not in _TRUE | _FALSE:
        bad("draft", f"'draft: {_shown(data.get('draft'))}' không rõ", "viết 'draft: true' hoặc 'draft: false'")
    for key in ("summary", "image", "slug"):
        if data.get(key) is not None and not isinstance(data[key], str):
            bad(key, f"trường '{key}' phải là một dòng chữ", f"viết '{key}: …' trên một dòng")

    _check_html(path, parsed.body, parsed.body_line, problems)
    _check_markup(path, parsed.body, parsed.body_line, problems)
    if len(problems.errors) > errors_before:
        return None

    title = " ".join(nfc(title).split())
    slug = slugify(data.get("slug") or title)
    if slug == "index":  # would replace the month's archive page
        slug = ""
    if re.fullmatch(r"\d\d", slug):  # would replace a day page, e.g. 2026/11/20/
        problems.error(path, lines.get("slug", lines.get("title", 1)),
                       f"đường dẫn (slug) '{slug}' chỉ gồm hai chữ số, trùng với trang tin theo ngày",
                       "thêm dòng 'slug: ten-bai-viet' có chữ, ví dụ 'slug: so-lieu-ngay-" + slug + "'")
        return None
    if not slug:
        problems.error(path, lines.get("slug", lines.get("title", 1)),
                       "không tạo được đường dẫn (slug) từ tiêu đề",
                       "thêm dòng 'slug: ten-bai-viet' bằng chữ không dấu")
        return None
    status = status_at(draft_value in _TRUE, published, now)
    summary = " ".join(nfc(data.get("summary") or "").split()) or first_paragraph(parsed.body)
    image = data.get("image")
    return Article(
        path=path, rel_path=rel, title=title, date=published, authors=authors,
        location=" ".join(nfc(location).split()), slug=slug, body=parsed.body,
        body_line=parsed.body_line, section=section, tags=tags, summary=summary,
        summary_given=bool(data.get("summary")),
        image=nfc(image.strip()) if image else None, related=related,
        draft=draft_value in _TRUE, updated=updated, status=status,
        # Each list item's own line, so a problem with one tag or author points at it.
        lines={**lines, **{f"{key}.{i}": n for key in ("related", "author", "tags")
                           for i, n in enumerate(parsed.item_lines.get(key, []))}},
    )


def status_at(draft: bool, published: datetime, now: datetime) -> str:
    """Draft, scheduled (its date is still to come at ``now``) or published."""
    return DRAFT if draft else SCHEDULED if published > now else PUBLISHED


class ReadCache:
    """Articles already read, by path, for a preview that re-reads only what changed.

    An entry holds while the file's (mtime_ns, size, inode) stay the same; a reuse
    gets a copy (the names stage rewrites authors, tags and places on the copy,
    against the whole archive of the moment) and its status anew for ``now``.
    The caller drops the cache when the site's settings change.
    """

    def __init__(self):
        self.entries: dict[Path, tuple[tuple, Article | None, list]] = {}
        self.paths: dict[str, Path] = {}   # find_sources' Path of each file, made once
        self.hits = self.misses = 0
        # The names stage's last result (toasoan.build.prepare) and whether any file's
        # authors, tags, place or date changed since: a body edit need not redo it.
        self.names = None
        self.names_changed = True
        self.photo_refs: dict = {}   # (body, first line) -> its photo references (check_photos)

    def read(self, path: Path, rel: str, site: SiteConfig, now: datetime,
             problems: Problems) -> Article | None:
        try:
            info = os.stat(path, follow_symlinks=False)
            key = (info.st_mtime_ns, info.st_size, info.st_ino)
        except OSError:
            key = None
        entry = self.entries.get(path)
        if entry is None or key is None or entry[0] != key:
            self.misses += 1
            found = Problems()
            article = read_article(path, rel, site, now, found)
            if article is not None:   # worked out once here, inherited by each save's copy
                _ = article.url, article.src_uri
            if entry is None or name_inputs(entry[1]) != name_inputs(article):
                self.names_changed = True
            entry = self.entries[path] = (key, article, found.items)
        else:
            self.hits += 1
        _, article, items = entry
        problems.items.extend(items)
        if article is None:
            return None
        fresh = object.__new__(Article)   # copy.copy, three times faster (10,000 a change)
        fresh.__dict__.update(article.__dict__)
        fresh.authors, fresh.tags = list(article.authors), list(article.tags)
        fresh.status = status_at(article.draft, article.date, now)
        return fresh

    def keep_only(self, paths) -> None:
        """Forget deleted files."""
        kept = set(paths)
        for gone in self.entries.keys() - kept:
            del self.entries[gone]
            self.names_changed = True
        if len(self.paths) > len(kept):
            self.paths = {str(p): p for p in kept}

    def clear(self) -> None:
        self.entries.clear()
        self.paths.clear()
        self.names, self.names_changed = None, True
        self.photo_refs.clear()


_NAME_FIELDS = frozenset({"author", "tags", "location"})


def name_inputs(article: Article | None) -> tuple | None:
    """What the names stage reads of an article (toasoan.core.names.canonicalise)."""
    if article is None:
        return None
    return (article.date, article.location, tuple(article.authors), tuple(article.tags),
            tuple((k, v) for k, v in article.lines.items() if k.split(".", 1)[0] in _NAME_FIELDS))


def _shown(value, limit: int = 60) -> str:
    """A reporter's value cut short enough to quote in a one-line message."""
    if not isinstance(value, str):
        return "[…]" if isinstance(value, list) else "{…}"
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=8192)  # names repeat over every article
def _has_letter(name: str) -> bool:
    """True when the name keeps a Latin letter once folded, so its page has an address."""
    return any(c.isalpha() for c in slugify(name))


def _date(data: dict, key: str, label: str, site: SiteConfig, bad) -> datetime | None:
    """The date in ``data[key]``, or None after reporting why it cannot be used."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        bad(key, f"{label} phải là một ngày giờ trên một dòng", _DATE_FIX)
        return None
    try:
        when = parse_date(value, site.tz)
    except DateOutOfRange:
        bad(key, f"{label} '{_shown(value)}' có năm ngoài khoảng {YEARS[0]}–{YEARS[1]}",
            "kiểm tra năm (đủ bốn chữ số), ví dụ '2022-01-13 08:30'")
        return None
    if when is None:
        bad(key, f"{label} '{_shown(value)}' không đọc được", _DATE_FIX)
    return when


def read_source(path: Path, limit_kb: int) -> bytes:
    """The bytes of one article, refusing what is not a plain file or is too big.

    Opened without following a final symlink and without blocking (a FIFO named
    ``*.md`` would hang a plain ``open``); at most ``limit_kb`` KB are read.
    """
    limit = limit_kb * 1024
    fix = ("bài viết phải là một tệp văn bản thường trong articles/ "
           "(không phải liên kết tượng trưng/symlink, thư mục hay tệp đặc biệt)")
    try:
        raw = read_plain(path, limit)
    except OSError as e:
        raise FrontMatterError(1, f"không mở được tệp bài ({e.strerror})", fix) from None
    if raw is None:
        raise FrontMatterError(1, "không phải một tệp bài thường", fix)
    if len(raw) > limit:
        raise FrontMatterError(
            1, f"tệp bài lớn quá {limit_kb} KB", "chia thành nhiều bài, hoặc bỏ phần dán thừa (ảnh để trong "
            "images/, không dán vào bài); kỹ thuật viên có thể nâng extra.bulletin.max_article_kb")
    return raw


def _check_html(path: Path, body: str, first_line: int, problems: Problems) -> None:
    # Nearly every article is clean: each branch of _UNSAFE needs a '<', '=' or ':',
    # and one scan of the body is cheaper than one per line.
    if not ("<" in body or "=" in body or ":" in body) or not _UNSAFE.search(body):
        return
    lines = body.split("\n")
    for number, (line, code) in enumerate(zip(lines, code_lines(lines)), start=first_line):
        if not code and (m := _UNSAFE.search(line)):
            problems.error(path, number, f"bài có mã HTML không an toàn ('{m.group(0).strip()}')",
                           "xoá đoạn mã này; muốn nhúng video hay bản đồ, nhờ kỹ thuật viên")


# Files that editors and other systems put beside articles, never written by a reporter:
# Emacs' lock (".#bai.md", a dangling symlink while the article is open) and macOS'
# AppleDouble metadata ("._bai.md", binary) on a USB stick or network share.
NOT_SOURCES = (".#", "._")


def find_sources(articles_dir: Path, problems: Problems | None = None,
                 paths: dict[str, Path] | None = None) -> list[Path]:
    """Every Markdown file below ``articles_dir``, in a stable order.

    Symlinks are never followed. One that is an article or a folder is an
    error: pointing outside it would publish any file of the machine, and
    pointing inside it only repeats an article. So is a ``*.md`` that is not a
    plain file (a FIFO would hang the build). ``NOT_SOURCES`` are passed over.
    ``paths`` (a preview's) gives back the same Path object for the same file each
    time: a new one works out its hash again, five lookups each (a quarter of a save).
    """
    found: list[Path] = []
    if not articles_dir.is_dir():
        return found
    home = articles_dir.resolve()
    folders = [articles_dir]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as e:
            if problems is not None:
                problems.error(folder, 1, f"không đọc được thư mục bài ({e.strerror})",
                               "kỹ thuật viên kiểm tra quyền đọc của thư mục này")
            continue
        for entry in entries:
            if entry.name.startswith(NOT_SOURCES):
                continue
            path = paths.get(entry.path) if paths is not None else None
            path = path or Path(entry.path)
            if entry.is_symlink():
                if problems is not None and (entry.name.endswith(".md") or entry.is_dir()):
                    _report_link(path, home, articles_dir, problems)
            elif entry.is_dir(follow_symlinks=False):
                folders.append(path)
            elif entry.name.endswith(".md"):
                if entry.is_file(follow_symlinks=False):
                    if paths is not None:
                        path = paths.setdefault(entry.path, path)
                    found.append(path)
                elif problems is not None:
                    problems.error(path, 1, "không phải một tệp bài thường (tệp đặc biệt)",
                                   "xoá nó; bài viết là tệp văn bản .md thường")
            elif entry.name.lower().endswith(".md") and problems is not None:
                # "Bai.MD" from a phone or Windows: the reporter meant an article.
                problems.error(path, 1, f"tệp bài '{entry.name}' có đuôi viết hoa, không được đọc",
                               f"đổi tên thành '{entry.name[:-3]}.md' (đuôi .md viết thường)")
    return sorted(found, key=lambda p: p.parts)   # Path's own order; comparing parts tuples is 3× faster


def _report_link(path: Path, home: Path, articles_dir: Path, problems: Problems) -> None:
    what = "thư mục" if path.is_dir() else "bài"
    target = path.resolve()
    if target.is_relative_to(home):
        where = f"tới {articles_dir.name}/{target.relative_to(home).as_posix()}"
        fix = f"xoá liên kết: mỗi bài chỉ có một tệp thật trong {articles_dir.name}/"
    else:
        where = f"ra ngoài thư mục {articles_dir.name}/"
        fix = f"chép {what} vào {articles_dir.name}/ thành {what} thật thay cho liên kết"
    problems.error(path, 1, f"{what} '{path.name}' là liên kết tượng trưng (symlink) trỏ {where}", fix)

_MARKUP_FIX = ("tách đoạn thành nhiều đoạn ngắn bằng dòng trống; chia bảng hay danh sách rất dài "
               "thành nhiều bảng, danh sách nhỏ; văn bản dán nhầm (ký tự lặp lại) thì xoá đi")
_BRACKET_FIX = ("đóng mỗi '[' bằng ']' và mỗi '](' bằng ')'; dấu ngoặc vuông thường thì viết '\\['; "
                "văn bản dán nhầm (ký tự lặp lại) thì xoá đi")


def _check_markup(path: Path, body: str, first_line: int, problems: Problems) -> None:
    """Refuse a body on which Python-Markdown would work for minutes.

    Its link and emphasis patterns are quadratic when markup does not pair up
    (150 KB of '[' took over 15 minutes); ``toasoan.markup`` measures that work
    per unit (paragraph, list item, table row…) in linear time. Each unit, then
    the whole body (twice the limit), must stay under the limits, and so must
    the body's markup as a whole; an error names the first line of the unit.
    """
    count_marks = len(body) * ITEM_WEIGHT > MARKS_LIMIT   # marks ≤ length × ITEM_WEIGHT
    costs, bad, total = [], [], 0
    for offset, text in units(body):
        brackets = bracket_cost(text) if "[" in text else 0
        # Short units cost at most 64² each: together they can never reach 2 × MARKUP_LIMIT.
        cost = markup_cost(text) if len(text) > 64 else 0
        costs.append((offset, brackets, cost))
        if brackets > BRACKET_LIMIT or cost > MARKUP_LIMIT:
            bad.append((offset, brackets, cost, ""))
        if count_marks:
            total += marks(text)
            if total > MARKS_LIMIT:  # refused anyway: the rest is not measured
                bad = bad or [(offset, 0, 0, "cả bài")]
                break
    if not bad and (sum(c[1] for c in costs) > 2 * BRACKET_LIMIT or sum(c[2] for c in costs) > 2 * MARKUP_LIMIT):
        # No unit alone, all of them together: name the costliest.
        o, b, m = max(costs, key=lambda c: c[1] / BRACKET_LIMIT + c[2] / MARKUP_LIMIT)
        bad = [(o, b, m, "cả bài (phần nặng nhất bắt đầu ở dòng này)")]
    line, counted = first_line, 0
    for i, (offset, brackets, cost, where) in enumerate(bad[:5]):
        line += body.count("\n", counted, offset)
        counted = offset
        more = f" (và {len(bad) - 5} đoạn khác như vậy)" if i == 4 and len(bad) > 5 else ""
        if where == "cả bài":
            limit = f"{MARKS_LIMIT:,}".replace(",", ".")
            problems.error(path, line, f"cả bài có quá nhiều ký hiệu Markdown (hơn {limit} tính đến "
                           "đoạn bắt đầu ở dòng này), dựng trang sẽ rất chậm", _MARKUP_FIX)
        elif brackets / BRACKET_LIMIT >= cost / MARKUP_LIMIT:
            problems.error(path, line, f"{where or 'đoạn này'} có quá nhiều dấu '[' hoặc '](' không đóng, "
                           f"dựng trang sẽ rất chậm{more}", _BRACKET_FIX)
        else:
            problems.error(path, line, f"{where or 'đoạn này'} quá dài và dày ký hiệu Markdown "
                           f"(*, _, <, `, & …), dựng trang sẽ rất chậm{more}", _MARKUP_FIX)


def read_all(articles_dir: Path, site: SiteConfig, now: datetime,
             cache=None) -> tuple[list[Article], Problems]:
    """Read and validate every article, then check what involves several of them.

    With a ``cache`` (the preview's ReadCache, or the hourly build's ArticleStore),
    unchanged files are not parsed again.
    """
    problems = Problems()
    articles = []
    read = cache.read if cache is not None else read_article
    sources = find_sources(articles_dir, problems, cache.paths if isinstance(cache, ReadCache) else None)
    # Each source is below articles_dir: its relative name by slicing (Path.relative_to
    # parsed 10,000 paths again on every save of a preview).
    cut = len(str(articles_dir).rstrip(os.sep)) + 1
    for path in sources:
        article = read(path, str(path)[cut:].replace(os.sep, "/"), site, now, problems)
        if article is not None:
            articles.append(article)
    if cache is not None:
        cache.keep_only(sources)
    check_unique(articles, problems)
    resolve_related(articles, problems)
    return articles, problems


def check_unique(articles: list[Article], problems: Problems) -> None:
    """Two articles may never share a slug: one would silently replace the other."""
    seen: dict[str, Article] = {}
    for article in articles:
        other = seen.setdefault(article.slug, article)
        if other is not article:
            problems.error(
                article.path, article.line_of("slug") if "slug" in article.lines else article.line_of("title"),
                f"trùng đường dẫn '{article.slug}' với bài {other.rel_path}",
                "đổi tiêu đề, hoặc thêm dòng 'slug: …' với một đường dẫn khác")


def resolve_related(articles: list[Article], problems: Problems) -> dict[int, list[Article]]:
    """Turn each editor's ``related:`` entries (slug or path) into articles.

    Returns ``{id(article): [targets]}`` for the articles that name some (most name
    none: then no index of the archive is made); every unknown entry is an error.
    """
    linking = [a for a in articles if a.related]
    chosen: dict[int, list[Article]] = {}
    if not linking:
        return chosen
    index: dict[str, Article] = {}
    for a in articles:
        index[a.slug] = a
        index[a.rel_path] = a
        index[a.rel_path.removesuffix(".md")] = a
    for a in linking:
        targets = []
        for i, entry in enumerate(a.related):
            key = entry.strip().strip("/").removeprefix("articles/")
            target = index.get(key) or index.get(slugify(key.rsplit("/", 1)[-1].removesuffix(".md")))
            if target is None:
                problems.error(a.path, a.line_of(f"related.{i}") if f"related.{i}" in a.lines else a.line_of("related"),
                               f"bài liên quan '{entry}' không tồn tại",
                               "ghi đường dẫn (slug) của bài, ví dụ 'ban-to-chuc-trien-khai-nhiem-vu', "
                               "hoặc đường dẫn tệp dưới articles/")
            elif target is not a and target not in targets:
                targets.append(target)
        chosen[id(a)] = targets
    return chosen
