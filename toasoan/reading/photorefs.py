"""Photos as an article's Markdown writes them, and its lead photo.

Reading only: no file is opened and no picture decoded (that is the photos
stage), so that the page head and feeds (og:image) and the photo catalog
(listing thumbnails) take the lead photo from this one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.model import Article
from ..core.text import nfc
from .markup import BEFORE_IMAGE, blank_code

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
    text = blank_code(body)
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


def _unescape(text: str) -> str:
    return " ".join(nfc(_ESCAPE.sub(r"\1", text)).split())


def usable(src: str) -> str | None:
    """The key below images/ of a path written in an article, or None when it is refused."""
    key = normalise(src)
    return key if key and not name_problem(key) else None


def lead_source(article: Article, refs: list[PhotoRef] | None = None) -> str | None:
    """The lead photo as written: front-matter ``image``, else the first photo of the
    body (code skipped) whose path is usable; ``refs``: the body's photos, when known."""
    if article.image:
        return article.image
    for ref in refs if refs is not None else find_refs(article.body, article.body_line):
        if usable(ref.src):
            return ref.src
    return None
