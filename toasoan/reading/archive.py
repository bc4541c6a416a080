"""The Archive: every cross-article list, computed once after reading."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.config import SiteConfig
from ..core.model import Article
from ..core.names import AUTHOR, LOCATION, PREFIXES as PREFIX, TAG, Names

# Listing kinds and where their pages live. Each label is shown to readers.
SECTION, YEAR, MONTH, DAY = "section", "year", "month", "day"
KIND_LABEL = {SECTION: "Chuyên mục", AUTHOR: "Tác giả", LOCATION: "Địa phương",
              TAG: "Chủ đề", YEAR: "Lưu trữ năm", MONTH: "Lưu trữ tháng", DAY: "Tin theo ngày"}
# Lists shown as a calendar page (their months or days), not as pages of cards.
CALENDAR_KINDS = (YEAR, MONTH)
# The page listing every year and month ("Lưu trữ"), linked from every page's footer.
CALENDAR_URL = "luu-tru/"


def day_url(when) -> str:
    """The day page of a date: '2026/11/20/' (an article's slug is never two digits)."""
    return f"{when:%Y}/{when:%m}/{when:%d}/"


@dataclass
class Listing:
    """One paginated list of articles (a section, an author, a month…)."""

    kind: str
    key: str           # slug or "2022" / "2022/01"
    title: str
    base_url: str      # e.g. "chinh-tri/" or "tac-gia/xuan-nghiep/"
    articles: list[Article] = field(default_factory=list)   # newest first


# The pager's label of a listing's newest page (at the listing's own address).
NEWEST_LABEL = "Mới nhất"


@dataclass
class ListingPage:
    """Page ``number`` of ``listing``: only the articles it shows.

    Pages are numbered from the oldest: page 1 holds the listing's oldest
    ``page_size`` articles, page 2 the next ones, and the newest page, at the
    listing's own address, holds the rest (``page_size`` to ``2 × page_size - 1``
    articles). So a new article changes the newest page only, and every
    ``page_size`` new articles one page more: an older page keeps its address
    and its bytes, the hourly build does not render it again and the deploy
    does not upload it. (Numbered from the newest, as before, each new article
    shifted every page of each listing it is in: ~500 pages re-rendered per
    article at 10,000 articles, ~2,000 at 100,000.)
    """

    listing: Listing
    number: int   # 1: the oldest page; ``count``: the newest
    count: int
    items: list[Article]   # newest first

    @property
    def newest(self) -> bool:
        return self.number == self.count

    def link(self, number: int) -> str:
        """The address of page ``number`` of this listing."""
        base = self.listing.base_url
        return base if number == self.count else f"{base}trang/{number}/"

    @property
    def url(self) -> str:
        return self.link(self.number)

    @property
    def src_uri(self) -> str:
        return self.url + "index.md"

    @property
    def title(self) -> str:
        t = self.listing.title
        return t if self.newest else f"{t} – trang {self.number}"

    @property
    def previous_url(self) -> str | None:
        """The newer page (the pager's "previous": readers start at the newest)."""
        return self.link(self.number + 1) if self.number < self.count else None

    @property
    def next_url(self) -> str | None:
        """The older page."""
        return self.link(self.number - 1) if self.number > 1 else None

    def page_links(self, around: int = 2) -> list[tuple[str | None, str | None]]:
        """The pager's links, newest first: ``(label, href)``; ``(None, None)`` marks a gap.

        The newest page, the oldest (1) and a few around this one. The newest is
        labelled "Mới nhất", not with its number, which grows with the archive:
        an older page's pager then changes only when the newest is near it, and
        the listing stays short with thousands of pages.
        """
        keep = {1, self.count, *range(self.number - around, self.number + around + 1)}
        links, last = [], None
        for n in sorted((k for k in keep if 1 <= k <= self.count), reverse=True):
            if last is not None and n < last - 1:
                links.append((None, None))
            links.append((NEWEST_LABEL if n == self.count else str(n), self.link(n)))
            last = n
        return links


def paginate(listing: Listing, size: int) -> list[ListingPage]:
    """The pages of ``listing``, newest first, numbered from the oldest (see ListingPage)."""
    size = max(1, size)
    articles = listing.articles
    total = len(articles)
    count = max(1, total // size)
    newest = total - (count - 1) * size   # the newest page's share: size to 2 × size - 1
    pages = [ListingPage(listing, count, count, articles[:newest])]
    for n in range(count - 1, 0, -1):
        end = total - (n - 1) * size
        pages.append(ListingPage(listing, n, count, articles[end - size:end]))
    return pages


_UNSEEN = object()


class Archive:
    """Articles grouped every way the site lists them, newest first."""

    def __init__(self, articles: list[Article], site: SiteConfig, names: Names | None = None):
        """``names``: each name's page (toasoan.names); by default, of ``articles`` as they are."""
        self.site = site
        self.articles = sorted(articles, key=lambda a: (a.date, a.slug), reverse=True)
        self.by_slug = {a.slug: a for a in self.articles}
        self.by_url = {a.url: a for a in self.articles}
        self.sections: dict[str, Listing] = {
            s.slug: Listing(SECTION, s.slug, s.name, f"{s.slug}/") for s in site.sections}
        self.names = names = names or Names.of(self.articles)
        groups: dict[tuple[str, str], Listing] = {}

        def listing_of(kind: str, name: str, key: str | None = None, url: str | None = None) -> Listing | None:
            if not key:
                key = names.slug(kind, name)
            if not key:
                return None
            listing = groups.get((kind, key))
            if listing is None:
                index = names.indexes.get(kind)
                title = index.title(name) if index else name
                listing = groups[(kind, key)] = Listing(kind, key, title, url or f"{PREFIX[kind]}/{key}/")
            return listing

        # Each name as written and each day, looked up once: a few thousand of them stand
        # for 800,000 uses at 100,000 articles (a preview does this on every save).
        named: dict[tuple[str, str], Listing | None] = {}
        dated: dict[tuple[int, int, int], tuple[Listing, Listing, Listing]] = {}
        for a in self.articles:  # already newest first, so every list is too
            if a.section:
                self.sections[a.section].articles.append(a)
            for kind, values in ((AUTHOR, a.authors), (LOCATION, (a.location,) if a.location else ()),
                                 (TAG, a.tags)):
                for value in values:
                    listing = named.get((kind, value), _UNSEEN)
                    if listing is _UNSEEN:
                        listing = named[(kind, value)] = listing_of(kind, value)
                    if listing is not None:
                        listing.articles.append(a)
            day = (a.date.year, a.date.month, a.date.day)
            calendar = dated.get(day)
            if calendar is None:
                y, m, d = f"{day[0]:04d}", f"{day[1]:02d}", f"{day[2]:02d}"
                calendar = dated[day] = (
                    listing_of(YEAR, f"Năm {y}", y, f"{y}/"),
                    listing_of(MONTH, f"Tháng {day[1]}/{y}", f"{y}/{m}", f"{y}/{m}/"),
                    listing_of(DAY, f"Ngày {d}/{m}/{y}", f"{y}/{m}/{d}", day_url(a.date)))
            for listing in calendar:
                listing.articles.append(a)
        self.groups = groups
        # Calendar indexes, built once: a year page lists its months and a month
        # page its days without scanning every listing of the archive.
        self._children: dict[str, list[Listing]] = {}
        days = []
        for listing in groups.values():
            if listing.kind in (MONTH, DAY):
                self._children.setdefault(listing.key.rsplit("/", 1)[0], []).append(listing)
            if listing.kind == DAY:
                days.append(listing)
        for children in self._children.values():
            children.sort(key=lambda l: l.key, reverse=True)
        days.sort(key=lambda l: l.key)
        self._day_neighbours = {d.key: (days[i - 1] if i else None, days[i + 1] if i + 1 < len(days) else None)
                                for i, d in enumerate(days)}

    def listings(self) -> list[Listing]:
        return [*self.sections.values(), *self.groups.values()]

    def listing(self, kind: str, name: str) -> Listing | None:
        """The listing of an author, location or tag by its name (for links)."""
        if kind == SECTION:
            return self.sections.get(name)
        slug = self.names.slug(kind, name)
        return self.groups.get((kind, slug)) if slug else None

    def pages(self) -> list[ListingPage]:
        """Every page of every listing (see ListingPage for how they are cut).

        A year or a month is one page, a calendar: its months or days with their counts,
        no cards. Its articles are on its day pages already; paginated, the year and month
        lists held two more cards of every article, about 10,000 pages and 126 MB of HTML
        at 100,000 articles, lists nobody pages through.
        """
        out = []
        for listing in self.listings():
            if listing.kind in CALENDAR_KINDS:
                out.append(ListingPage(listing, 1, 1, []))
            else:
                out.extend(paginate(listing, self.site.page_size))
        return out

    def latest(self, count: int, section: str | None = None) -> list[Article]:
        source = self.sections[section].articles if section else self.articles
        return source[:count]

    def years(self) -> list[Listing]:
        return sorted((l for l in self.groups.values() if l.kind == YEAR), key=lambda l: l.key, reverse=True)

    def months(self, year: str) -> list[Listing]:
        """The months of ``year`` ("2026") that have articles, newest first."""
        return self._children.get(year, [])

    def days(self, month: str) -> list[Listing]:
        """The days of ``month`` ("2026/11") that have articles, newest first."""
        return self._children.get(month, [])

    def day_neighbours(self, day: str) -> tuple[Listing | None, Listing | None]:
        """The previous and next days with articles, around ``day`` ("2026/11/20")."""
        return self._day_neighbours.get(day, (None, None))

    def calendar(self) -> list[tuple[Listing, list[Listing]]]:
        """Every year with its months, newest first: the "Lưu trữ" page."""
        return [(year, self.months(year.key)) for year in self.years()]


def front_page(archive: Archive, secondary: int = 4, per_section: int = 5) -> dict:
    """What the home page shows: a lead story, a few more, then a block per section."""
    latest = archive.latest(1 + secondary)
    shown = {id(a) for a in latest}
    blocks = []
    for listing in archive.sections.values():
        # A story already among the latest is not repeated in its section's block.
        items = []
        for a in listing.articles:
            if len(items) == per_section:
                break
            if id(a) not in shown:
                items.append(a)
        if items:
            blocks.append((listing, items))
    return {
        "lead": latest[0] if latest else None,
        "secondary": latest[1:],
        "sections": blocks,
    }
