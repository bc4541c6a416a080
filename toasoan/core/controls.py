"""Invisible control characters: refused in front-matter, removed from bodies.

They come from copy-pasting out of Word, PDF or old CMS exports. None of them
prints anything, and several break what reads the page after us (a NUL in
HTML, U+2028 in older JavaScript, U+FFFE in XML feeds).
"""

from __future__ import annotations

import re

# C0 controls except tab and newline (``\r`` is already gone: decode() turns it
# into ``\n``), DEL, C1 controls, the line and paragraph separators (YAML and
# JavaScript see them as line ends, so line numbers would drift), lone
# surrogates (only a YAML escape such as "\ud800" can make one), the
# non-characters U+FFFE/U+FFFF, and the bidi embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069): one in an author's name turned the rest of the
# byline backwards ("20/11/2026" read "6202/11/02"); the marks U+200E/U+200F stay.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufffe\uffff]")

# These separate words: dropping them would glue two words together.
_SPACES = {"\x0b", "\x0c", "\x85", "\u2028", "\u2029"}


def code(char: str) -> str:
    """``U+0000`` form of one character, for messages."""
    return f"U+{ord(char):04X}"


def clean_body(body: str) -> tuple[str, int, int]:
    """``body`` without control characters: ``(text, how many, offset of the first)``.

    Separators become a space, everything else is dropped. ``(body, 0, -1)``
    when there is nothing to remove (the usual case, one scan).
    """
    first = CONTROL.search(body)
    if first is None:
        return body, 0, -1
    count = 0

    def swap(m: re.Match) -> str:
        nonlocal count
        count += 1
        return " " if m.group() in _SPACES else ""

    return CONTROL.sub(swap, body), count, first.start()
