"""Markdown → plain text: the one place that knows which markup hides which words.

Three readers want the words of an article, and differ only in what they keep:
the search (every word, photos' alt text and captions, paragraph breaks as full
stops), related articles (words only: no tags, addresses or attribute lists)
and the default summary (the first paragraph, photos left out). All three use
the patterns below, so a photo or a link is read the same way everywhere.
"""

from __future__ import annotations

import html
import re

from .markup import ATTRS, DEST, SRC, TAG, TEXT

# A photo; groups: alt text, caption ("Các đại biểu dự hội nghị. Ảnh: …").
# (Possessive spaces: "![a](" and a million spaces must not be tried a million ways.)
IMAGE = rf'!\[({TEXT})\]\(\s*+{SRC}(?:\s*+"([^"]*)")?\s*+\)'
# A link; group: its text.
LINK = rf"\[({TEXT})\]{DEST}"
# Any photo, whatever its path holds: left out of a summary.
ANY_IMAGE = rf"!\[{TEXT}\]{DEST}"

_IMAGE = re.compile(IMAGE)
_LINK = re.compile(LINK)
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_FOOTNOTE = re.compile(r"\[\^[^\[\]]+\]:?")
_ATTR_LIST = re.compile(r"\{\s*[:.#][^{}]*\}")
_HTML_TAG = re.compile(r"<[^<>]+>")
_BLOCK_MARK = re.compile(r"^\s{0,3}(?:#{1,6}\s|>\s?|[-*+]\s|\d+[.)]\s|///.*$|[-=*_]{3,}\s*$)", re.M)
_INLINE_MARK = re.compile(r"[*_~`|]+")
_WORDS_NOISE = re.compile(rf"{IMAGE}|{LINK}|{TAG}|https?://\S+|{ATTRS}")
_PARAGRAPH = re.compile(r"\n\s*\n")


def plain_text(markdown: str) -> str:
    """The words a reader sees, with paragraph breaks kept as full stops (for the search).

    >>> plain_text('## Kết quả\\n\\n**Tỉnh** đạt [giải nhất](x/).\\n\\n![Ảnh](a.jpg "Lễ trao giải")')
    'Kết quả. Tỉnh đạt giải nhất.. Ảnh Lễ trao giải'
    """
    text = _IMAGE.sub(lambda m: f"{m.group(1)} {m.group(2) or ''}", markdown)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _FOOTNOTE.sub(" ", text)
    text = _ATTR_LIST.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    text = _BLOCK_MARK.sub("", text)
    text = _INLINE_MARK.sub(" ", text)
    text = html.unescape(text)
    # A blank line (paragraph, heading, list item) ends a phrase.
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH.split(text))
    return ". ".join(p for p in paragraphs if p).strip()


def words_text(markdown: str) -> str:
    """The words of a body, lines kept: photos' alt text and captions, links' text;
    tags, addresses and attribute lists dropped (for related articles)."""
    return _WORDS_NOISE.sub(lambda m: " ".join(g for g in m.groups() if g) or " ", markdown)


def first_paragraph(body: str) -> str:
    """The first paragraph of plain text: the default summary (sapo)."""
    for block in _PARAGRAPH.split(body):
        block = block.strip()
        if not block or block.startswith(("#", "!", "<", "|", "```", ">", "---", "///")):
            continue
        # The one plain_text: entities, footnote marks and tags never reach the places that
        # print the summary as text (feeds, meta tags, search).
        text = " ".join(plain_text(block).split())
        if text:
            return text
    return ""


def excerpt(text: str, limit: int = 220) -> str:
    """At most ``limit`` characters of ``text``, cut at a word, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut[:limit]
    return cut.rstrip(" ,;:–-") + "…"
