"""Vietnamese text helpers: NFC normalisation, diacritic folding, slugs."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

# đ/Đ are letters of their own and do not decompose under NFD.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})

# "hoà"/"hòa", "uỷ"/"ủy": the old and the new tone placement are both in use.
# Map the old placement (tone on the first vowel of oa/oe/uy) to the new one.
_TONE_PAIRS = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}


def _tone_end() -> re.Pattern:
    """A syllable-final pair of ``_TONE_PAIRS``, as one class of first letters per second letter
    ("[òóỏõọ]a|…"): the same matches as the pairs spelled out, found four times faster."""
    firsts: dict[str, str] = {}
    for pair in _TONE_PAIRS:
        firsts[pair[1]] = firsts.get(pair[1], "") + pair[0]
    return re.compile("(?:" + "|".join(f"[{f}]{second}" for second, f in firsts.items()) + r")(?!\w)",
                      re.IGNORECASE)


_TONE_END = _tone_end()
_NON_WORD = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"\w+", re.UNICODE)


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form every stored string takes."""
    return unicodedata.normalize("NFC", text)


def fold_case(text: str) -> str:
    """Drop every diacritic, mapping đ to d, and keep upper and lower case.

    The one folding of the project: every other fold is built on it.

    >>> fold_case("Đảng ủy tỉnh Bắc Kạn")
    'Dang uy tinh Bac Kan'
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_D_MAP)


def fold(text: str) -> str:
    """Lower-case ``text`` and drop every diacritic, mapping đ to d.

    >>> fold("Đảng ủy tỉnh Bắc Kạn")
    'dang uy tinh bac kan'
    """
    return fold_case(text).lower()


# Unbounded on purpose: an archive has only a few thousand distinct syllables.
@lru_cache(maxsize=None)
def fold_syllable(syllable: str) -> str:
    """The search's fold of one syllable: ``fold``, cached.

    Both tone placements ("hòa", "hoà") fold alike, since the tone is dropped;
    tests/vectors/fold.json pins these outputs for the search's JavaScript too.
    """
    return fold(syllable)


def _fold_table() -> dict[int, str | None]:
    """A str.translate table doing what ``fold`` does to NFC text, built from ``fold``."""
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


def fold_fast(text: str) -> str:
    """``fold`` for long bodies, without per-character Python work: the same on
    Vietnamese and other Latin text; marks of other scripts are kept."""
    return unicodedata.normalize("NFC", text).lower().translate(_FOLD)


def _unify_match(m: re.Match) -> str:
    found = m.group(0)
    target = _TONE_PAIRS[found.lower()]
    return target.upper() if found.isupper() else target if found.islower() else target[0].upper() + target[1:]


def unify_tones(text: str) -> str:
    """Write "hòa"-style syllables the one way ("hoà"), so both spellings match.

    Only syllable-final ``oa``/``oe``/``uy`` move their tone: "hòa" becomes
    "hoà", while "hoàng" and "khuya" stay as they are.
    """
    return _TONE_END.sub(_unify_match, nfc(text))


def words(text: str) -> list[str]:
    """Split NFC text into lower-case syllables (Vietnamese words are spaced syllables)."""
    return _WORD.findall(nfc(text).lower())


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII slug: diacritics folded, đ→d, words joined by hyphens.

    >>> slugify("Ban Tổ chức Trung ương triển khai nhiệm vụ")
    'ban-to-chuc-trung-uong-trien-khai-nhiem-vu'
    """
    slug = _NON_WORD.sub("-", fold(nfc(text))).strip("-")
    if len(slug) > max_length:
        # Cut at a word boundary so a long title keeps whole words.
        cut = slug[:max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut[:max_length]
    return slug.strip("-")


# Cached: a few hundred authors, places and tags repeat over every article.
@lru_cache(maxsize=8192)
def listing_slug(name: str) -> str:
    """Slug of an author, place or tag page; never empty for a name with a letter or digit.

    A name written only in another script (a tag such as "中国" or "ລາວ") folds
    to nothing: it gets ``the-`` and a short hash of its folded form, stable
    across builds. A name with no letter or digit at all ("!!!", an emoji)
    still gives "", and the reader refuses it.
    """
    slug = slugify(name)
    if slug or not any(c.isalnum() for c in name):
        return slug
    folded = " ".join(fold(nfc(name)).split())
    return "the-" + hashlib.sha1(folded.encode("utf-8")).hexdigest()[:8]
