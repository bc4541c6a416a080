"""The province's places (``extra.bulletin.places``) and the one matcher for them.

Every ``location`` is one of these places. Matching ignores case, spaces,
punctuation and diacritics, and turns what was written into the configured
name: ``huyện ba bể`` → ``Ba Bể``. A written "Huyện X", "Xã X", "Phường X",
"TP. X", "Thành phố X" (…) is X when X is configured and its ``kind`` does
not say otherwise; anything else must be an alias, written in the setting.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..core.text import fold, nfc, unify_tones, words


def spelling(text: str) -> str:
    """How a name is spelled, without case, punctuation, extra spaces or old tone placement.

    Two writings with the same spelling are the same name ("Hòa"/"hoà", "TP. X"/"tp x").
    """
    return " ".join(words(unify_tones(text)))


# Generic prefixes (folded words) and the class each belongs to. A place whose
# ``kind`` names a class ("huyện cũ" → huyen) takes only that class's prefix.
PREFIXES = {
    "thanh pho": "thanh pho", "tp": "thanh pho", "thi xa": "thi xa", "tx": "thi xa",
    "thi tran": "thi tran", "tt": "thi tran", "huyen": "huyen", "quan": "quan",
    "xa": "xa", "phuong": "phuong",
}
_HEADS = {  # the same prefixes as written in running text (legacy leads), folded with case kept
    "thanh pho": r"thanh pho|tp\.?", "thi xa": r"thi xa|tx\.?", "thi tran": r"thi tran|tt\.?",
    "huyen": "huyen", "quan": "quan", "xa": "xa", "phuong": "phuong",
}


def split_prefix(text: str) -> tuple[str | None, str]:
    """(prefix class, the rest) of a spelling: "huyện ba bể" → ("huyen", "ba bể")."""
    parts = text.split()
    for n in (2, 1):
        if len(parts) > n and fold(" ".join(parts[:n])) in PREFIXES:
            return PREFIXES[fold(" ".join(parts[:n]))], " ".join(parts[n:])
    return None, text


@dataclass(frozen=True)
class Place:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""

    def takes(self, prefix: str) -> bool:
        """Whether "<prefix> <name>" may mean this place (a kind narrows it to its own prefix)."""
        if not self.kind:
            return True
        return f" {prefix} " in f" {fold(spelling(self.kind))} "


@dataclass
class Match:
    place: Place | None
    candidates: list[Place]   # ambiguous: the places it may be; unknown: the closest names
    ambiguous: bool = False


class Places:
    """The configured places, indexed once; ``match`` costs a few dict look-ups."""

    def __init__(self, places: list[Place] | tuple = ()):
        self.places = list(places)
        self.exact: dict[str, Place] = {}
        self.folded: dict[str, list[Place]] = {}
        self.clashes: list[tuple[str, Place, Place]] = []  # one spelling given to two places
        for place in self.places:
            for written in (place.name, *place.aliases):
                key = spelling(written)
                other = self.exact.setdefault(key, place)
                if other is not place:
                    self.clashes.append((written, other, place))
                bucket = self.folded.setdefault(fold(key), [])
                if place not in bucket:
                    bucket.append(place)
        self._cache: dict[str, Match] = {}

    def __bool__(self) -> bool:
        return bool(self.places)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.places]

    def _lookup(self, key: str, prefix: str | None = None) -> list[Place]:
        found = self.exact.get(key)
        found = [found] if found else self.folded.get(fold(key), [])
        return [p for p in found if prefix is None or p.takes(prefix)]

    def match(self, value: str) -> Match:
        """The configured place ``value`` names, or why there is none."""
        hit = self._cache.get(value)
        if hit is None:
            key = spelling(value)
            found = self._lookup(key)
            prefix, rest = split_prefix(key)
            if not found and prefix and rest:
                found = self._lookup(rest, prefix)
            if len(found) == 1:
                hit = Match(found[0], [])
            elif found:
                hit = Match(None, found, True)
            else:
                # "Phường Ba Bể" when Ba Bể is a former district: suggest Ba Bể first.
                near = (self._lookup(rest) if prefix and rest else []) + self.closest(key)
                hit = Match(None, list(dict.fromkeys(near))[:3])
            self._cache[value] = hit
        return hit

    def closest(self, value: str, count: int = 3) -> list[Place]:
        """The configured places whose (folded) names or aliases look most like ``value``."""
        keys = {}
        for place in self.places:
            for written in (place.name, *place.aliases):
                keys.setdefault(fold(spelling(written)), place)
        out: list[Place] = []
        for key in difflib.get_close_matches(fold(spelling(value)), list(keys), n=count * 3):
            if keys[key] not in out:
                out.append(keys[key])
        return out[:count]

    def forms(self, skip: str = ""):
        """(place, head regex, proper part as written) of every name and alias, for
        finding places in running text (the importer's leads).

        A place written with a prefix ("Thành phố Bắc Kạn") needs one in the text
        ("TP. Bắc Kạn" is the city, "Bắc Kạn" alone the province); others may carry
        one their kind allows ("huyện Ba Bể"). The head regex is for folded text.
        ``skip``: a place not to look for (the province: the importer's fallback anyway).
        """
        for place in self.places:
            if skip and spelling(place.name) == spelling(skip):
                continue
            for written in dict.fromkeys((place.name, *place.aliases)):
                prefix, rest = split_prefix(spelling(written))
                all_words = re.findall(r"\w+", written)
                proper = " ".join(all_words[len(all_words) - len(rest.split()):])
                if prefix:
                    head = f"(?:{_HEADS[prefix]})\\s+"
                else:
                    allowed = [h for c, h in _HEADS.items() if place.takes(c)]
                    head = f"(?:(?:{'|'.join(allowed)})\\s+)?" if allowed else ""
                yield place, head, proper


def read_places(items, problems: list[tuple[str, str, str]], key: str = "places") -> list[Place]:
    """Places from the setting: a name, or {name, aliases, kind}. Mistakes go to ``problems``."""
    out: list[Place] = []
    if items is None:
        return out
    if not isinstance(items, list):
        problems.append(("lỗi", f"'{key}' phải là một danh sách địa phương",
                         f"viết mỗi địa phương trên một dòng '- Tên' dưới '{key}:'"))
        return out
    for item in items:
        if isinstance(item, str) and item.strip():
            out.append(Place(" ".join(nfc(item).split())))
            continue
        name = item.get("name") if isinstance(item, dict) else None
        aliases = item.get("aliases", []) if isinstance(item, dict) else None
        aliases = [aliases] if isinstance(aliases, str) else aliases
        kind = item.get("kind", "") if isinstance(item, dict) else ""
        if (not isinstance(name, str) or not name.strip() or not isinstance(aliases, list)
                or not all(isinstance(a, str) for a in aliases) or not isinstance(kind, str)):
            problems.append(("lỗi", f"địa phương '{item}' trong '{key}' viết sai",
                             "viết '- Tên' hoặc '- {name: Tên, aliases: [Tên khác], kind: xã}'"))
            continue
        out.append(Place(" ".join(nfc(name).split()),
                         tuple(" ".join(nfc(a).split()) for a in aliases if a.strip()),
                         " ".join(nfc(kind).split())))
    return out
