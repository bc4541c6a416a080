"""Readable text of an article's Markdown, for indexing (no HTML parser needed)."""

from __future__ import annotations

import html
import re

from ..reading.markup import DEST, SRC, TEXT

# Photos keep their alt text and caption ("Các đại biểu dự hội nghị. Ảnh: …").
# (Possessive spaces: "![a](" and a million spaces must not be tried a million ways.)
_IMAGE = re.compile(rf'!\[({TEXT})\]\(\s*+{SRC}(?:\s*+"([^"]*)")?\s*+\)')
_LINK = re.compile(rf"\[({TEXT})\]{DEST}")
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_FOOTNOTE = re.compile(r"\[\^[^\[\]]+\]:?")
_ATTRS = re.compile(r"\{\s*[:.#][^{}]*\}")
_TAG = re.compile(r"<[^<>]+>")
_BLOCK_MARK = re.compile(r"^\s{0,3}(?:#{1,6}\s|>\s?|[-*+]\s|\d+[.)]\s|///.*$|[-=*_]{3,}\s*$)", re.M)
_INLINE_MARK = re.compile(r"[*_~`|]+")


def plain_text(markdown: str) -> str:
    """The words a reader sees, with paragraph breaks kept as full stops.

    >>> plain_text('## Kết quả\\n\\n**Tỉnh** đạt [giải nhất](x/).\\n\\n![Ảnh](a.jpg "Lễ trao giải")')
    'Kết quả. Tỉnh đạt giải nhất.. Ảnh Lễ trao giải'
    """
    text = _IMAGE.sub(lambda m: f"{m.group(1)} {m.group(2) or ''}", markdown)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _FOOTNOTE.sub(" ", text)
    text = _ATTRS.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _BLOCK_MARK.sub("", text)
    text = _INLINE_MARK.sub(" ", text)
    text = html.unescape(text)
    # A blank line (paragraph, heading, list item) ends a phrase.
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return ". ".join(p for p in paragraphs if p).strip()


def excerpt(text: str, limit: int = 220) -> str:
    """At most ``limit`` characters of ``text``, cut at a word, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut[:limit]
    return cut.rstrip(" ,;:–-") + "…"
