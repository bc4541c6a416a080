"""Read one article saved as plain text by the old website.

The format (one article per file): the title on the first line; a lead that
usually starts with a dateline ("Sáng 13/01, …", "(BBK) - Tối 20/6, …");
paragraphs; each photo caption written twice on consecutive lines; the
author's name(s) alone on a line near the end; a leftover "Xem thêm" link label.
Nothing here touches files: :mod:`toasoan.importer` does that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from ..core.config import SiteConfig
from ..core.controls import CONTROL, clean_body
from ..tools.newarticle import split_names
from ..core.text import fold, fold_case, nfc

# Part of the day in a dateline → the time written in the article (documented
# in README). "Ngày 13/01" or a bare "13/01" says no time: 08:00, reported.
PART_TIMES = {
    "rang sang": (6, 0), "sang": (8, 0), "trua": (11, 30), "chieu": (15, 0),
    "toi": (19, 30), "dem": (21, 0), "khuya": (23, 0),
}
NO_PART_TIME = (8, 0)

# Matched on the folded lead (lower case, no diacritics, đ→d).
_DATELINE = re.compile(
    r"^(?:\([^)]{1,30}\)\s*[-–—:]?\s*)?"              # "(BBK) - "
    r"(?:[a-z]{2,12}(?: [a-z]+){0,3}\s*[-–—]\s*)?"     # "BBK - ", "Bắc Kạn - "
    r"(?:(?:vao|luc)\s+)?"
    r"(?:(?P<hour>\d{1,2})\s*(?:h|gio)\s*(?P<minute>\d{1,2})?(?:\s*phut)?\s*,?\s*)?"
    r"(?P<part>rang sang|sang|trua|chieu|toi|dem|khuya)?\s*"
    r"(?:(?:hom\s+)?nay\s*|qua\s*)?(?:ngay\s*)?\(?\s*"
    r"(?P<day>\d{1,2})\s*(?:[/.-]|thang)\s*(?P<month>\d{1,2})"
    r"(?:\s*(?:[/.-]|nam)\s*(?P<year>\d{4}))?\s*\)?"
    r"(?!\s*[/.-]?\d)")
_XEM_THEM = re.compile(r"^xem them(?!\w)")
_SENTENCE_END = re.compile(r"[.!?:;…,\"”]$|/\.$")
_PARENS = re.compile(r"\s*\([^)]*\)")
# "Theo TTXVN", "Bài, ảnh: Minh Đức": the words before the names.
_BYLINE_HEAD = re.compile(r"^(?:(?:theo|nguồn)\s*:?\s+|(?:bài|tin|ảnh)(?:\s*(?:,|và)\s*ảnh)?\s*:\s*)",
                          re.IGNORECASE)
@dataclass
class Note:
    line: int
    message: str
    fix: str = ""


@dataclass
class Legacy:
    """What one legacy file says, and what could not be determined."""

    title: str
    date: datetime
    authors: list[str]
    location: str
    blocks: list[tuple[str, str]]      # ("p", text) or ("photo", caption)
    notes: list[Note] = field(default_factory=list)
    undated: bool = False               # no usable dateline: imported as a draft
    anonymous: bool = False             # no author line found

    @property
    def captions(self) -> list[str]:
        return [text for kind, text in self.blocks if kind == "photo"]

    @property
    def uncertain(self) -> bool:
        return self.undated or self.anonymous


def clean_lines(text: str) -> list[tuple[int, str]]:
    """Numbered non-empty lines, NFC, with every run of spaces (NBSP too) made one space."""
    out = []
    # str.split() knows NBSP and the other Unicode spaces; zero-width ones it does not.
    # Control characters an old database or a DOS editor left (NUL, ^Z): invisible, and YAML refuses them.
    text = clean_body(nfc(text).replace("\u200b", " ").replace("\ufeff", " "))[0]
    for number, line in enumerate(text.split("\n"), start=1):
        line = " ".join(line.split())
        if line:
            out.append((number, line))
    return out


def place_finder(site: SiteConfig) -> tuple[re.Pattern, list]:
    """One regex for every configured place (name and aliases, see toasoan.places):
    one scan of a lead finds the first one named. The province is not looked for:
    it is the fallback anyway, and "tỉnh Bắc Kạn" in a lead says nothing about where."""
    parts, owners = [], []
    for place, head, proper in site.places.forms(skip=str(site.extra.get("province") or "")):
        words = r"\s+".join(re.escape(w) for w in fold_case(proper).split())
        parts.append(head + f"(?P<p{len(owners)}>" + words + ")")
        owners.append(place)
    if not parts:
        return re.compile(r"(?!x)x"), owners
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE), owners


def find_place(text: str, finder: tuple[re.Pattern, list], site: SiteConfig) -> str | None:
    """The configured name of the place named first in ``text``, ignoring diacritics.

    The name must be capitalised as a name ("Chợ Mới", not "chợ mới" — a new market).
    """
    regex, owners = finder
    for m in regex.finditer(fold_case(text)):
        group = m.lastgroup
        if group and all(w[0].isupper() for w in m.group(group).split()):
            return owners[int(group[1:])].name
    return None


def parse_dateline(lead: str, year: int) -> tuple[datetime | None, str]:
    """The date in a lead's dateline, and a note when the time of day was not given."""
    m = _DATELINE.match(fold_case(lead[:120]).lower())
    if not m:
        return None, "không thấy ngày tháng ở đầu đoạn mở đầu"
    note = ""
    if m.group("hour"):
        hour, minute = int(m.group("hour")), int(m.group("minute") or 0)
        if m.group("part") in ("chieu", "toi", "dem") and hour < 12:
            hour += 12
    elif m.group("part"):
        hour, minute = PART_TIMES[m.group("part")]
    else:
        hour, minute = NO_PART_TIME
        note = f"dòng ngày tháng không ghi buổi; đặt giờ {hour:02d}:{minute:02d}"
    try:
        when = datetime(int(m.group("year") or year), int(m.group("month")), int(m.group("day")),
                        hour, minute)
    except ValueError:
        return None, f"ngày '{m.group('day')}/{m.group('month')}' không có thật"
    return when, note


def _author_names(line: str) -> list[str] | None:
    """The names on an author line, or None when the line is not one."""
    if len(line) > 80 or _SENTENCE_END.search(line) or re.search(r"\d", line):
        return None
    line = _BYLINE_HEAD.sub("", _PARENS.sub("", line))
    names = split_names(line)
    if not names or any(not 1 <= len(n.split()) <= 6 for n in names):
        return None
    if any(not w[0].isupper() for n in names for w in n.split()):
        return None
    return names


def parse(text: str, year: int, site: SiteConfig, finder: tuple | None = None,
          authors: list[str] | None = None, place: str | None = None) -> Legacy:
    """Turn the decoded text of one legacy file into a :class:`Legacy` article.

    ``authors`` and ``place`` are the importer's fallbacks (--author, --location)
    for a file whose byline or place cannot be found.
    """
    fallback_authors = authors
    lines = clean_lines(text)
    notes: list[Note] = []
    control = CONTROL.search(text)
    if control:
        notes.append(Note(text.count("\n", 0, control.start()) + 1,
                          f"tệp có ký tự điều khiển (mã {ord(control.group(0)):#04x}), đã bỏ khi nhập",
                          "không cần sửa; xem lại câu chữ quanh dòng này trong bài đã nhập"))
    if not lines:
        raise ValueError("tệp trống")
    title_line, title = lines[0]
    rest = lines[1:]
    # "Xem thêm" (and any related-link lines the old site printed after it) ends the text.
    for k in range(len(rest) - 1, max(len(rest) - 9, -1), -1):
        if len(rest[k][1]) < 120 and _XEM_THEM.match(fold(rest[k][1][:9])):
            del rest[k:]
            break

    # The last line is the byline, unless it is the second copy of a caption.
    authors = (_author_names(rest[-1][1])
               if rest and not (len(rest) > 1 and rest[-2][1] == rest[-1][1]) else None)
    if authors:
        rest.pop()
    elif fallback_authors:
        authors = fallback_authors
    else:
        where = rest[-1][0] if rest else title_line
        notes.append(Note(where, "không thấy dòng tên tác giả ở cuối bài",
                          "sửa trường 'author' trong bài đã nhập, rồi xoá dòng 'draft: true'"))

    blocks: list[tuple[str, str]] = []
    lead_line, lead = None, ""
    i = 0
    while i < len(rest):
        number, line = rest[i]
        if i + 1 < len(rest) and rest[i + 1][1] == line:
            blocks.append(("photo", line))  # the old site printed each caption twice
            i += 2
            continue
        if lead_line is None:
            lead_line, lead = number, line
        blocks.append(("p", line))
        i += 1
    if lead_line is None:
        notes.append(Note(title_line, "bài không có đoạn văn nào sau tiêu đề",
                          "kiểm tra tệp gốc; có thể tệp bị cắt"))

    when, date_note = parse_dateline(lead, year) if lead else (None, "")
    undated = when is None
    if undated:
        when = datetime(year, 1, 1)
        notes.append(Note(lead_line or title_line,
                          f"{date_note or 'không thấy ngày tháng'}; đặt tạm {when:%Y-%m-%d %H:%M} "
                          "và nhập thành bài nháp",
                          "sửa trường 'date' trong bài đã nhập, rồi xoá dòng 'draft: true'"))
    elif date_note:
        notes.append(Note(lead_line, date_note, "sửa giờ trong trường 'date' nếu biết giờ đăng"))

    finder = finder if finder is not None else place_finder(site)
    location = find_place(lead, finder, site) or find_place(title, finder, site) or place
    if location is None:
        province = str(site.extra.get("province") or "").strip()
        found = site.places.match(province).place if province else None
        location = found.name if found else province or "Chưa rõ"
        if found is None:
            notes.append(Note(lead_line or title_line, "không xác định được địa phương",
                              "sửa 'location' trong bài đã nhập; muốn dùng tên tỉnh khi bài không nêu "
                              "địa phương, khai báo extra.bulletin.province và thêm tỉnh vào "
                              "extra.bulletin.places trong mkdocs.yml"))
    return Legacy(title=title, date=when, authors=authors or [], location=nfc(location),
                  blocks=blocks, notes=notes, undated=undated, anonymous=not authors)


# Characters that would turn plain text into Markdown syntax.
_ESCAPE = re.compile(r"([\\`*_\[\]{}~])")
_LINE_START = re.compile(r"^(#|>|[-+] |-+$|\d+(?=[.)]\s))")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_TITLE_ESCAPE = re.compile(r"([\\`\[\]])")
_ENTITY_START = re.compile(r"&(?=#|[A-Za-z]+;)")   # "&#2", "&nbsp;" are text here


def markdown_text(line: str) -> str:
    """A plain-text paragraph as Markdown that renders to exactly that text."""
    line = _TAG_START.sub("&lt;", _ESCAPE.sub(r"\\\1", _ENTITY_START.sub("&amp;", line)))
    m = _LINE_START.match(line)
    if m:
        token = m.group(1)
        if token[0].isdigit():
            # "2022. Năm …" would start a numbered list.
            line = token + "\\" + line[len(token):]
        else:
            line = "\\" + line
    return line


def caption_title(caption: str) -> str:
    """A caption as a Markdown image title that Python-Markdown reads back unchanged.

    Straight quotes would end or confuse the title: they become curly ones
    (“…”, ’); backslashes, backticks and brackets are escaped.
    """
    out, opening = [], True
    for ch in caption:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return _TITLE_ESCAPE.sub(r"\\\1", "".join(out).replace("'", "’"))


def body_markdown(legacy: Legacy, photos: list[str]) -> str:
    """The body: one paragraph per line, each caption as a photo (paths below images/)."""
    parts = []
    n = 0
    for kind, text in legacy.blocks:
        if kind == "photo":
            parts.append(f'![]({photos[n]} "{caption_title(text)}")')
            n += 1
        else:
            parts.append(markdown_text(text))
    return "\n\n".join(parts) + "\n"
