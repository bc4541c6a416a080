"""The terms an article is compared by: folded syllables, syllable pairs, tags.

Vietnamese writes words as spaced syllables and most words have two of them
("tổ chức", "nông thôn"), so a pair of neighbouring syllables often is a word,
and carries a meaning that its syllables alone do not.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .model import Article
from .text import fold

TITLE_WEIGHT = 3     # a title word counts like this many body words
TAG_WEIGHT = 3       # weight of a whole tag as a term of its own


def _fold_table() -> dict[int, str | None]:
    """A str.translate table doing what text.fold does, at C speed for long bodies."""
    table: dict[int, str | None] = {}
    for code in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        c = chr(code)
        folded = fold(c)
        if folded != c.lower() and folded.isascii():
            table[code] = folded
    for code in range(0x300, 0x370):   # stray combining marks (NFD input)
        table[code] = None
    return table


_FOLD = _fold_table()
_MARKUP = re.compile(
    r"!\[([^\]]*)\]\(\s*[^\s)]*(?:\s+\"([^\"]*)\")?\s*\)"   # photo: keep alt text and caption
    r"|\[([^\]]*)\]\([^)]*\)"                               # link: keep its text
    r"|<[^>]*>|https?://\S+|\{[^}]*\}")                    # tags, addresses, attribute lists
# Punctuation and numbers (dates, amounts: noise here) end a run of syllable pairs.
_BREAK = re.compile(r"[^a-z\s]+")

# Function syllables that link everything to everything (folded). Pairs made
# only of them are dropped too; a pair with one content syllable is kept
# ("không khí", "có thể" weigh little anyway through their frequency).
STOP = frozenset("""
va la cua cac nhung mot duoc co trong cho voi da de khi thi tai tu ve nay nhu cung se theo
den ra vao lai con nhieu rat hon khong o tren duoi sau truoc nen ma neu vi bi boi hay hoac
do day kia ay nao gi the nhat moi cu deu van luc viec chi nua ca hien tung qua bang
""".split())


def fold_fast(text: str) -> str:
    """``text.fold`` for NFC text, without per-character Python work."""
    return unicodedata.normalize("NFC", text).lower().translate(_FOLD)


def plain(markdown: str) -> str:
    """The words of a Markdown body: photos' alt text and captions, links' text."""
    return _MARKUP.sub(lambda m: " ".join(g for g in m.groups() if g) or " ", markdown)


def add_terms(counts: dict[str, float], text: str, weight: float = 1.0) -> None:
    """Count the syllables and syllable pairs of ``text`` into ``counts``."""
    stop = STOP
    tokens: list[str] = []
    for run in _BREAK.split(fold_fast(text)):
        syls = run.split()
        tokens += [s for s in syls if s not in stop]
        tokens += [a + " " + b for a, b in zip(syls, syls[1:]) if a not in stop or b not in stop]
    get = counts.get
    for term, n in Counter(tokens).items():   # counted in C, merged once per term
        counts[term] = get(term, 0) + n * weight


def features(article: Article) -> dict[str, float]:
    """Term counts of an article: title (weighted), summary if written, body, tags."""
    counts: dict[str, float] = {}
    add_terms(counts, article.title, TITLE_WEIGHT)
    if article.summary_given:
        add_terms(counts, article.summary)
    add_terms(counts, plain(article.body))
    for tag in article.tags:
        add_terms(counts, tag)
        key = "#" + fold_fast(tag).strip()
        counts[key] = counts.get(key, 0) + TAG_WEIGHT
    return counts
