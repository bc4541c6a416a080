"""`new`: create an article file with its front-matter filled in.

Also the small YAML writer that `import` shares: front-matter is written by
hand (not ``yaml.dump``) so the file looks like the README's example.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..core.dates import now_in
from ..core.config import SiteConfig
from ..core.controls import CONTROL
from ..reading.reader import YEARS, DateOutOfRange, parse_date
from ..core.text import nfc, slugify

# A value YAML reads back unchanged only if it starts with none of these and
# holds no ": " or " #"; anything else is written in double quotes (JSON
# strings are valid YAML).
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^:#]|:(?!\s|$)|(?<!\s)#)*(?<!\s)$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}
_FLOW_SPECIAL = re.compile(r"[,\[\]{}:?]")  # PyYAML refuses ":" in a flow list


class NewArticleError(ValueError):
    """A reporter's mistake, with how to fix it."""

    def __init__(self, message: str, fix: str = ""):
        super().__init__(message)
        self.message, self.fix = message, fix


def yaml_text(value: str, in_list: bool = False) -> str:
    """``value`` as a YAML scalar: plain when that is safe, else double-quoted."""
    value = nfc(value)
    if (_PLAIN.match(value) and value.lower() not in _RESERVED
            and not (in_list and _FLOW_SPECIAL.search(value))):
        return value
    return json.dumps(value, ensure_ascii=False)


def yaml_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_text(v, in_list=True) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return yaml_text(str(value))


def front_matter(fields: list[tuple[str, object]], comments: dict[str, str] | None = None) -> str:
    """``---``-fenced front-matter; ``comments`` adds ``# …`` after a field."""
    lines = ["---"]
    for key, value in fields:
        line = f"{key}: {yaml_value(value)}"
        if comments and key in comments:
            line += f"  # {comments[key]}"
        lines.append(line)
    lines.append("---")
    return "\n".join(lines) + "\n"


def split_names(text: str) -> list[str]:
    """'Minh Đức - Hoàng Anh', 'A, B' or 'A và B' → one name each."""
    parts = re.split(r"\s*[-–—]\s*|\s*[,;]\s*|\s+và\s+", nfc(text))
    return [" ".join(p.split()) for p in parts if p.strip()]


def canonical_place(value: str, site: SiteConfig) -> str:
    """The configured name of the place ``value`` names (toasoan.places); a mistake raises."""
    found = site.places.match(value)
    if found.place is not None:
        return found.place.name
    value = " ".join(nfc(value).split())
    if found.ambiguous:
        choices = " hay ".join(f"'{p.name}'" for p in found.candidates)
        raise NewArticleError(f"địa phương '{value}' không rõ là {choices}", f"viết đủ dấu tên đúng: {choices}")
    near = ", ".join(p.name for p in found.candidates)
    raise NewArticleError(f"địa phương '{value}' không có trong danh sách places của mkdocs.yml",
                          (f"sửa chính tả (gần giống: {near}), hoặc " if near else "sửa chính tả, hoặc ")
                          + f"thêm '{value}' vào extra.bulletin.places trong mkdocs.yml")


def default_authors(option: str | None, site: SiteConfig) -> list[str]:
    """--author, else $TOASOAN_AUTHOR (the reporter's own machine), else the site's default."""
    for source in (option, os.environ.get("TOASOAN_AUTHOR"), site.extra.get("default_author")):
        if source and str(source).strip():
            return split_names(str(source))
    return []


@dataclass
class NewArticle:
    path: Path
    text: str
    notes: list[str]


def plan(root: Path, site: SiteConfig, title: str, section: str | None, location: str | None,
         author: str | None = None, date: str | None = None, slug: str | None = None,
         draft: bool = True, now: datetime | None = None) -> NewArticle:
    """Decide the file and its text; raise NewArticleError on the first mistake."""
    for label, value in (("tiêu đề", title), ("--section", section), ("--location", location),
                         ("--author", author), ("--date", date), ("--slug", slug)):
        if value and CONTROL.search(value):
            raise NewArticleError(f"{label} có ký tự điều khiển ẩn", "gõ lại giá trị này, đừng dán từ Word hay PDF")
    title = " ".join(nfc(title or "").split())
    if not title:
        raise NewArticleError("thiếu tiêu đề bài", 'viết tiêu đề trong ngoặc kép: new "Tiêu đề bài viết" …')
    names = ", ".join(s.name for s in site.sections)
    if not section:
        raise NewArticleError("thiếu chuyên mục (--section)", f"thêm --section với một trong: {names}")
    found = site.find_section(section)
    if found is None:
        raise NewArticleError(f"chuyên mục '{section}' không có trong mkdocs.yml",
                              f"chọn một trong: {names}")
    if not location or not location.strip():
        raise NewArticleError("thiếu địa phương (--location)",
                              "thêm --location với một trong: " + ", ".join(site.places.names))
    place = canonical_place(location, site)
    notes: list[str] = []
    authors = default_authors(author, site)
    if not authors:
        raise NewArticleError(
            "chưa biết tên tác giả",
            "thêm --author \"Tên\", hoặc đặt biến môi trường TOASOAN_AUTHOR, hoặc "
            "extra.bulletin.default_author trong mkdocs.yml")
    when = (now or now_in(site)).replace(second=0, microsecond=0)
    if date:
        try:
            when = parse_date(date, site.tz)
        except DateOutOfRange:
            raise NewArticleError(f"ngày '{date}' có năm ngoài khoảng {YEARS[0]}–{YEARS[1]}",
                                  "kiểm tra năm (đủ bốn chữ số): --date \"2022-01-13 08:30\"") from None
        if when is None:
            raise NewArticleError(f"ngày '{date}' không đọc được",
                                  "viết --date \"2022-01-13 08:30\" (năm-tháng-ngày giờ:phút)")
    slug = slugify(slug or title)
    if not slug or slug == "index":
        raise NewArticleError("không tạo được đường dẫn (slug) từ tiêu đề",
                              "thêm --slug ten-bai-viet bằng chữ không dấu")
    articles = root / site.articles_dir
    path = articles / f"{when:%Y}" / f"{when:%m}" / f"{slug}.md"
    if path.exists():
        raise NewArticleError(f"đã có bài {path}; không ghi đè",
                              "mở tệp đó để sửa, hoặc đặt tiêu đề khác / --slug khác")
    same = next((p for p in articles.rglob(f"{slug}.md") if p.is_file()), None) if articles.is_dir() else None
    if same is not None:
        raise NewArticleError(f"đã có bài cùng đường dẫn '{slug}': {same}",
                              "đặt tiêu đề khác, hoặc thêm --slug với một đường dẫn khác")
    fields: list[tuple[str, object]] = [
        ("title", title), ("date", when), ("author", authors if len(authors) > 1 else authors[0]),
        ("location", place), ("category", found.name), ("tags", [])]
    comments = {}
    if draft:
        fields.append(("draft", True))
        comments["draft"] = "bài nháp: xoá dòng này khi bài sẵn sàng đăng"
    body = ("\nViết sa-pô (đoạn mở đầu) ở đây.\n\n"
            "Đoạn tiếp theo, cách đoạn trước một dòng trống.\n")
    return NewArticle(path, front_matter(fields, comments) + body, notes)


def create(root: Path, site: SiteConfig, title: str, section: str | None, location: str | None,
           **options) -> NewArticle:
    """Write the new article; never replaces a file (exclusive create)."""
    new = plan(root, site, title, section, location, **options)
    new.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(new.path, "x", encoding="utf-8", newline="\n") as f:
            f.write(new.text)
    except FileExistsError:
        raise NewArticleError(f"đã có bài {new.path}; không ghi đè", "đặt tiêu đề khác") from None
    return new
