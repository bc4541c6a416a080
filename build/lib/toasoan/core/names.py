"""Names of authors, tags and places: one name, one page; two names, two pages.

The rules (README, "Tên tác giả, chủ đề, địa phương"), the same for the three kinds:

- Case, spaces, punctuation and the old/new tone placement ("Hòa"/"Hoà") do not
  make a new name (``places.spelling``). The page title and every byline show one
  spelling: the most used one (a person's name: a capitalised one first).
- A spelling without any diacritic ("xuan nghiep") that folds to exactly one
  accented name is that name, with a warning; to two or more, an error.
- Two different accented spellings ("Minh Đức", "Minh Dục") are two names with two
  pages. Their folded slugs are equal, so the one named in the oldest article keeps
  the plain slug (``minh-duc``) and each other one gets its spelling written in
  Telex (``minh-ducj``): stable as the archive grows, whatever order files are read
  in. A warning says they look alike, unless ``extra.bulletin.distinct_names``
  lists the newer spelling.
- ``location`` must be a configured place (``toasoan.places``); it becomes the
  configured name before these rules run.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ..core.config import SiteConfig
from ..core.model import Article
from ..core.places import spelling
from ..core.problems import Problems
from ..core.text import fold, listing_slug, slugify

AUTHOR, TAG, LOCATION = "author", "tag", "location"
FIELD = {AUTHOR: "author", TAG: "tags", LOCATION: "location"}
PREFIXES = {AUTHOR: "tac-gia", LOCATION: "dia-phuong", TAG: "chu-de"}   # where their pages live
LABEL = {AUTHOR: "tác giả", TAG: "chủ đề", LOCATION: "địa phương"}

# Telex, the way most Vietnamese type: a mark becomes letters, the tone a final letter.
_LETTERS = {"â": "aa", "ă": "aw", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw", "đ": "dd"}
_TONES = {"\u0300": "f", "\u0301": "s", "\u0309": "r", "\u0303": "x", "\u0323": "j"}


def telex(text: str) -> str:
    """A spelling in Telex letters: "mình đúc" → "minhf dducs" (a different spelling, a different result)."""
    out = []
    for word in text.split():
        letters, tones = [], []
        for ch in unicodedata.normalize("NFD", word):
            if ch in _TONES:
                tones.append(_TONES[ch])
            elif unicodedata.combining(ch) and letters:
                base = unicodedata.normalize("NFC", letters[-1] + ch)
                letters[-1] = _LETTERS.get(base, letters[-1] + "-" + f"{ord(ch):x}")
            else:
                letters.append(_LETTERS.get(ch, ch))
        out.append("".join(letters) + "".join(tones))
    return " ".join(out)


def plain(key: str) -> bool:
    """True when a spelling carries no diacritic at all."""
    return fold(key) == key


@dataclass
class _Spelling:
    """Everything the archive says about one spelling of one kind."""

    key: str
    forms: dict[str, int] = field(default_factory=dict)   # as written -> how often
    first: tuple = ()            # (date, file, line) of its oldest use
    where: tuple[Article, int] | None = None              # its oldest use
    uses: list[tuple[Article, int, str]] = field(default_factory=list)  # plain spellings only
    order: int | None = None     # configured places: their position in the setting


@dataclass
class Name:
    title: str     # the spelling shown everywhere
    slug: str


class NameIndex:
    """The names of one kind: any spelling of a name → its title and slug."""

    def __init__(self, kind: str):
        self.kind = kind
        self.by_key: dict[str, Name | None] = {}   # None: ambiguous (a plain spelling of two names)
        self._keys: dict[str, str] = {}             # as written -> spelling (names repeat a lot)

    def key(self, written: str) -> str:
        k = self._keys.get(written)
        if k is None:
            k = self._keys[written] = spelling(written)
        return k

    def find(self, written: str) -> Name | None:
        return self.by_key.get(self.key(written))

    def slug(self, written: str) -> str | None:
        name = self.find(written)
        return name.slug if name else None

    def title(self, written: str) -> str:
        name = self.find(written)
        return name.title if name else written


def _title(forms: dict[str, int], proper: bool) -> str:
    """The spelling to show: capitalised (names of people), then most used, then a fixed order."""
    def rank(form: str):
        capitalised = all(w[:1].isupper() for w in form.split())
        return (proper and not capitalised, -forms[form], form)
    return min(forms, key=rank)


def index_names(kind: str, uses, problems: Problems | None = None,
                distinct: frozenset[str] = frozenset(), order: dict[str, int] | None = None) -> NameIndex:
    """Decide title and slug of every name of ``kind``.

    ``uses``: (article, written name, line) for every occurrence. ``order``: the
    position of configured names (places), which then decide who keeps the plain
    slug instead of the oldest article, and are never warned about as look-alikes.
    """
    index = NameIndex(kind)
    groups: dict[str, dict[str, _Spelling]] = {}
    label = LABEL[kind]
    slugs: dict[str, str] = {}   # a few hundred names repeat over every article
    plains: dict[str, bool] = {}
    for article, written, line in uses:
        key = index.key(written)
        group = slugs.get(key)
        if group is None:
            group = slugs[key] = listing_slug(key)  # a tag in another script gets a stable hash slug
            plains[key] = plain(key)
        if not group:
            if problems is not None:
                problems.error(article.path, line, f"{label} '{written}' không có chữ cái hay chữ số nào",
                               f"viết tên {label} bằng chữ")
            continue
        entry = groups.setdefault(group, {}).get(key)
        if entry is None:
            entry = groups[group][key] = _Spelling(key, order=(order or {}).get(key))
        entry.forms[written] = entry.forms.get(written, 0) + 1
        when = (article.date, article.rel_path, line)
        if not entry.first or when < entry.first:
            entry.first, entry.where = when, (article, line)
        if plains[key]:
            entry.uses.append((article, line, written))
    taken = set(groups)
    for group, spellings in sorted(groups.items()):
        accented = sorted((s for s in spellings.values() if not plain(s.key)),
                          key=lambda s: (s.order if s.order is not None else float("inf"), s.first, s.key))
        names = {}
        for n, s in enumerate(accented):
            slug = group if n == 0 else _free(slugify(telex(s.key)), taken)
            names[s.key] = index.by_key[s.key] = Name(_title(s.forms, kind == AUTHOR), slug)
        if len(accented) > 1 and problems is not None:
            first = names[accented[0].key].title
            for s in accented[1:]:
                if s.order is None and s.key not in distinct:
                    article, line = s.where
                    problems.warning(
                        article.path, line,
                        f"{label} '{names[s.key].title}' viết gần giống '{first}': hai tên khác nhau, "
                        f"hai trang riêng ({PREFIXES[kind]}/{names[s.key].slug}/ và {PREFIXES[kind]}/{group}/)",
                        f"nếu là một, sửa cho cùng một cách viết '{first}'; nếu đúng là hai, thêm "
                        f"'{names[s.key].title}' vào extra.bulletin.distinct_names trong mkdocs.yml")
        for s in spellings.values():
            if not plain(s.key):
                continue
            if not accented:
                index.by_key[s.key] = Name(_title(s.forms, kind == AUTHOR), group)
                continue
            if len(accented) == 1:
                target = names[accented[0].key]
                index.by_key[s.key] = target
            else:
                index.by_key[s.key] = None
            if problems is None:
                continue
            choices = " hay ".join(f"'{names[a.key].title}'" for a in accented)
            for article, line, written in s.uses:
                if len(accented) == 1:
                    problems.warning(article.path, line,
                                     f"{label} '{written}' viết không dấu, được hiểu là {choices}",
                                     f"có phải {choices}? Viết đủ dấu: {choices}")
                else:
                    problems.error(article.path, line,
                                   f"{label} '{written}' viết không dấu, không rõ là {choices}",
                                   f"viết đủ dấu tên đúng: {choices}")
    return index


def _free(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``… if another name has it (a fixed order decides)."""
    out, n = slug, 2
    while out in taken:
        out, n = f"{slug}-{n}", n + 1
    taken.add(out)
    return out


@dataclass
class Names:
    """The three indexes of a build; the Archive and every template ask them."""

    indexes: dict[str, NameIndex]

    def slug(self, kind: str, written: str) -> str | None:
        index = self.indexes.get(kind)
        return index.slug(written) if index else None

    @classmethod
    def of(cls, articles: list[Article]) -> "Names":
        """The indexes of articles already canonical (no problems reported)."""
        return cls({kind: index_names(kind, _uses(articles, kind)) for kind in (AUTHOR, TAG, LOCATION)})


def _uses(articles: list[Article], kind: str):
    for a in articles:
        if kind == LOCATION:
            if a.location:
                yield a, a.location, a.line_of("location")
            continue
        values = a.authors if kind == AUTHOR else a.tags
        key = FIELD[kind]
        for i, value in enumerate(values):
            yield a, value, a.lines.get(f"{key}.{i}", a.line_of(key))


def canonicalise(articles: list[Article], site: SiteConfig, problems: Problems) -> Names:
    """Check every author, tag and location and rewrite each to its one spelling.

    After this, every stage (listings, bylines, feeds, search, related) sees the
    same spelling of a name; the returned Names gives each name's page.
    """
    places = site.places
    for a in articles:
        if not a.location:
            continue
        found = places.match(a.location)
        if found.place is not None:
            a.location = found.place.name
            continue
        line = a.line_of("location")
        if found.ambiguous:
            choices = " hay ".join(f"'{p.name}'" for p in found.candidates)
            problems.error(a.path, line, f"địa phương '{a.location}' không rõ là {choices}",
                           f"viết đủ dấu tên đúng: {choices}")
            continue
        near = ", ".join(p.name for p in found.candidates)
        problems.error(a.path, line, f"địa phương '{a.location}' không có trong danh sách places của mkdocs.yml",
                       (f"sửa chính tả (gần giống: {near}), hoặc " if near else "sửa chính tả, hoặc ")
                       + f"thêm '{a.location}' vào extra.bulletin.places trong mkdocs.yml")
    order = {}
    for n, place in enumerate(places.places):
        order.setdefault(spelling(place.name), n)
    distinct = frozenset(spelling(n) for n in site.distinct_names)
    indexes = {kind: index_names(kind, _uses(articles, kind), problems, distinct,
                                 order if kind == LOCATION else None)
               for kind in (AUTHOR, TAG, LOCATION)}
    for a in articles:
        a.authors = _rewrite(a, AUTHOR, a.authors, indexes[AUTHOR], problems)
        a.tags = _rewrite(a, TAG, a.tags, indexes[TAG], problems)
        if a.location:
            a.location = indexes[LOCATION].title(a.location)
    return Names(indexes)


def _rewrite(article: Article, kind: str, values: list[str], index: NameIndex, problems: Problems) -> list[str]:
    """Each name in its one spelling, each once (a repeat is reported)."""
    out: list[str] = []
    for i, value in enumerate(values):
        title = index.title(value)
        if title in out:
            key = FIELD[kind]
            problems.warning(article.path, article.lines.get(f"{key}.{i}", article.line_of(key)),
                             f"{LABEL[kind]} '{value}' ghi hai lần trong bài (là '{title}')",
                             f"xoá '{value}' khỏi dòng '{key}'")
            continue
        out.append(title)
    return out
