"""Search tokens: syllables in exact and folded form, and adjacent pairs.

Vietnamese words are mostly two spaced syllables ("tổ chức"), so the index
holds every folded syllable AND every folded pair of neighbouring syllables
("to chuc"). A pair is a term of its own with a short posting list: a
two-syllable query reads that list instead of two huge ones, and a phrase
scores above the same syllables far apart. Pairs never cross punctuation.

The client (toasoan/mkdocs/theme/javascripts/search.js) splits queries the same way; keep
``BREAKS`` and the word pattern in step with it.
"""

from __future__ import annotations

import re
import zlib

from ..core.text import unify_tones

# Punctuation that ends a phrase: no pair is made across it.
BREAKS = re.compile(r"[.,;:!?…()\[\]{}\"“”«»–—|/\\]+")
_WORD = re.compile(r"[^\W_]+")
_CHECK_SEED = 0x2545F491  # a second, independent hash for the term check

def segments(text: str) -> list[list[str]]:
    """Exact lower-case syllables (NFC, one tone placement), per phrase."""
    text = unify_tones(text).lower()
    return [words for part in BREAKS.split(text) if (words := _WORD.findall(part))]


def exact_terms(text: str) -> tuple[list[str], int]:
    """Exact syllables and neighbouring pairs of ``text`` (pairs hold one space),
    and the number of syllables."""
    out: list[str] = []
    count = 0
    for words in segments(text):
        count += len(words)
        out.extend(words)
        out.extend(map(" ".join, zip(words, words[1:])))
    return out, count


def term_hash(term: str) -> int:
    """Which shard a folded term lives in (low bits of its CRC-32)."""
    return zlib.crc32(term.encode("utf-8"))


def term_check(term: str) -> int:
    """24 bits that tell a term from the others in its shard (no strings stored)."""
    return zlib.crc32(term.encode("utf-8"), _CHECK_SEED) & 0xFFFFFF


def variant_hash(exact: str) -> int:
    """16 bits naming an exact (with diacritics) spelling of a term."""
    return zlib.crc32(exact.encode("utf-8")) & 0xFFFF
