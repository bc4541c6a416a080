"""Read every article, validate it, and collect all problems in one pass."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path

from .config import SiteConfig
from .frontmatter import FrontMatterError, decode, split
from .model import DRAFT, PUBLISHED, SCHEDULED, Article
from .problems import Problems
from .text import nfc, slugify

REQUIRED = ("title", "date", "author", "location")
OPTIONAL = ("category", "tags", "summary", "image", "related", "slug", "draft", "updated")
_TRUE = {"true", "yes", "on", "1", "có", "co"}
_FALSE = {"false", "no", "off", "0", "không", "khong", ""}
_DATE_FIX = "viết ngày giờ dạng '2022-01-13 08:30' (năm-tháng-ngày giờ:phút, giờ Việt Nam)"

# Raw HTML that can run code or restyle the page is refused: reporters write
# Markdown, and a pasted embed must be reviewed by a developer instead.
_UNSAFE = re.compile(
    r"<\s*(script|iframe|object|embed|style|form|base|meta|link)\b"
    r"|\son[a-z]+\s*=|javascript\s*:", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_NOISE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|[*_`#>]+|<[^>]+>")


def parse_date(value, tz) -> datetime | None:
    """A front-matter date: '2022-01-13 08:30', ISO 8601, or a bare day (00:00)."""
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
    return dt.replace(tzinfo=tz) if dt.tzinfo is None else dt.astimezone(tz)


def _text_list(value) -> list[str] | None:
    if isinstance(value, str):
        return [nfc(v.strip()) for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [nfc(v.strip()) for v in value if v.strip()]
    return None


def first_paragraph(body: str) -> str:
    """The first paragraph of plain text: the default summary (sapo)."""
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if not block or block.startswith(("#", "!", "<", "|", "```", ">", "---", "///")):
            continue
        text = " ".join(_MD_NOISE.sub(lambda m: m.group(1) or "", block).split())
        if text:
            return text
    return ""


def read_article(path: Path, rel: str, site: SiteConfig, now: datetime,
                 problems: Problems) -> Article | None:
    """Parse one file; report its problems and return None if it cannot be used."""
    try:
        parsed = split(decode(path.read_bytes()))
    except FrontMatterError as e:
        problems.error(path, e.line, e.message, e.fix)
        return None
    data, lines = parsed.data, parsed.lines
    errors_before = len(problems.errors)

    def bad(key: str, message: str, fix: str) -> None:
        problems.error(path, lines.get(key, 1), message, fix)

    for key in REQUIRED:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
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
    published = parse_date(data.get("date"), site.tz) if data.get("date") is not None else None
    if data.get("date") is not None and published is None:
        bad("date", f"ngày đăng '{data.get('date')}' không đọc được", _DATE_FIX)
    updated = None
    if data.get("updated") is not None:
        updated = parse_date(data["updated"], site.tz)
        if updated is None:
            bad("updated", f"ngày cập nhật '{data['updated']}' không đọc được", _DATE_FIX)
    authors = _text_list(data.get("author")) if data.get("author") is not None else []
    if authors is None:
        bad("author", "tác giả phải là một tên hoặc một danh sách tên",
            "viết 'author: Xuân Nghiệp' hoặc 'author: [Minh Đức, Hoàng Anh]'")
    location = data.get("location")
    if location is not None and not isinstance(location, str):
        bad("location", "địa phương phải là một tên", "viết 'location: Ba Bể'")

    section = None
    if data.get("category") is not None:
        found = site.find_section(str(data["category"])) if isinstance(data["category"], str) else None
        if found is None:
            names = ", ".join(s.name for s in site.sections) or "(chưa khai báo chuyên mục nào)"
            bad("category", f"chuyên mục '{data['category']}' không có trong mkdocs.yml",
                f"chọn một trong: {names}; hoặc thêm chuyên mục vào extra.bulletin.sections")
        else:
            section = found.slug
    tags = _text_list(data.get("tags", [])) if data.get("tags") is not None else []
    if tags is None:
        bad("tags", "thẻ phải là một danh sách", "viết 'tags: [nông nghiệp, Ba Bể]'")
    related = _text_list(data.get("related", [])) if data.get("related") is not None else []
    if related is None:
        bad("related", "bài liên quan phải là một danh sách", "viết 'related: [ten-bai-khac]'")
    draft_value = str(data.get("draft", "false")).strip().lower()
    if draft_value not in _TRUE | _FALSE:
        bad("draft", f"'draft: {data.get('draft')}' không rõ", "viết 'draft: true' hoặc 'draft: false'")
    for key in ("summary", "image", "slug"):
        if data.get(key) is not None and not isinstance(data[key], str):
            bad(key, f"trường '{key}' phải là một dòng chữ", f"viết '{key}: …' trên một dòng")

    _check_html(path, parsed.body, parsed.body_line, problems)
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
    status = DRAFT if draft_value in _TRUE else SCHEDULED if published > now else PUBLISHED
    summary = " ".join(nfc(data.get("summary") or "").split()) or first_paragraph(parsed.body)
    image = data.get("image")
    return Article(
        path=path, rel_path=rel, title=title, date=published, authors=authors,
        location=" ".join(nfc(location).split()), slug=slug, body=parsed.body,
        body_line=parsed.body_line, section=section, tags=tags, summary=summary,
        summary_given=bool(data.get("summary")),
        image=nfc(image.strip()) if image else None, related=related,
        draft=draft_value in _TRUE, updated=updated, status=status,
        lines={**lines, **{f"related.{i}": n for i, n in enumerate(parsed.item_lines.get("related", []))}},
    )


def _check_html(path: Path, body: str, first_line: int, problems: Problems) -> None:
    # Nearly every article is clean: each branch of _UNSAFE needs a '<', '=' or ':',
    # and one scan of the body is cheaper than one per line.
    if not ("<" in body or "=" in body or ":" in body) or not _UNSAFE.search(body):
        return
    in_code = False
    for number, line in enumerate(body.split("\n"), start=first_line):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if not in_code and (m := _UNSAFE.search(line)):
            problems.error(path, number, f"bài có mã HTML không an toàn ('{m.group(0).strip()}')",
                           "xoá đoạn mã này; muốn nhúng video hay bản đồ, nhờ kỹ thuật viên")


def find_sources(articles_dir: Path) -> list[Path]:
    """Every Markdown file below ``articles_dir``, in a stable order."""
    return sorted(p for p in articles_dir.rglob("*.md") if p.is_file())


def read_all(articles_dir: Path, site: SiteConfig, now: datetime) -> tuple[list[Article], Problems]:
    """Read and validate every article, then check what involves several of them."""
    problems = Problems()
    articles = []
    for path in find_sources(articles_dir):
        article = read_article(path, path.relative_to(articles_dir).as_posix(), site, now, problems)
        if article is not None:
            articles.append(article)
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

    Returns ``{id(article): [targets]}``; every unknown entry is an error.
    """
    index: dict[str, Article] = {}
    for a in articles:
        index[a.slug] = a
        index[a.rel_path] = a
        index[a.rel_path.removesuffix(".md")] = a
    chosen: dict[int, list[Article]] = {}
    for a in articles:
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
