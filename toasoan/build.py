"""One build: read every article, then relate them. No MkDocs types here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .reading.archive import Archive
from .core.config import SiteConfig
from .core.dates import now_in
from .core.model import DRAFT, PUBLISHED, SCHEDULED, Article
from .core.names import canonicalise
from .photos.catalog import Catalog, check_photos
from .core.problems import Problems, shown_path
from .reading.reader import ReadCache, read_all, resolve_related
from .reading.stored import ArticleStore


@dataclass
class Build:
    """What the read and relate stages found; the render stage only looks things up."""

    site: SiteConfig
    root: Path
    articles: list[Article]   # every article that parsed
    shown: list[Article]      # the ones that get a page in this build
    archive: Archive
    problems: Problems
    preview: bool
    photos: Catalog                   # every photo the articles use, checked once
    chosen: dict[int, list[Article]] = field(default_factory=dict)  # editor's related links
    # "Xem thêm" of each shown article; filled by the related stage once the build is read.
    related: dict[Article, list[Article]] = field(default_factory=dict)
    # The clock the statuses were decided by; the masthead prints its date, the page cache keys on it.
    now: datetime | None = None

    def photo_url(self, src: str) -> str | None:
        """Site-relative URL of a photo below images/ for sharing (None: not published)."""
        return self.photos.share_url(src)

    def photo_size(self, src: str) -> tuple[int, int] | None:
        """(width, height) of the image :meth:`photo_url` points to."""
        return self.photos.share_size(src)

    def count(self, status: str) -> int:
        return sum(1 for a in self.articles if a.status == status)

    def summary(self) -> str:
        unreadable = self.unreadable
        return (f"Bài viết: đọc {len(self.articles) + unreadable}, "
                f"xuất bản {self.count(PUBLISHED)}, nháp {self.count(DRAFT)}, "
                f"hẹn giờ {self.count(SCHEDULED)}, lỗi {unreadable}"
                + (" (xem trước: hiện cả bài nháp và bài hẹn giờ)" if self.preview else ""))

    @property
    def unreadable(self) -> int:
        """Files with errors that gave no article."""
        errors = {p.path for p in self.problems.errors}
        if not errors:  # the usual case
            return 0
        # Only the articles named like a file with errors: shown_path resolves a path
        # (0.1 ms each), 10 s for all of 100,000 articles on every save of a preview.
        names = {e.rsplit("/", 1)[-1] for e in errors}
        return len(errors - {shown_path(a.path) for a in self.articles if a.path.name in names})


def prepare(root: Path, site: SiteConfig, preview: bool = False,
            now: datetime | None = None, cache: ReadCache | ArticleStore | None = None) -> Build:
    """Read all articles below ``root/articles`` and build the Archive.

    ``preview`` (``mkdocs serve``) also shows drafts and scheduled articles;
    ``cache`` (``toasoan serve``) keeps the files read by an earlier call, or (the
    hourly build) the articles read by an earlier build.
    """
    now = now or now_in(site)
    articles, problems = read_all(root / site.articles_dir, site, now, cache)
    site.report(root, problems)
    # Before anything lists them: every later stage sees each name's one spelling.
    kept = cache if isinstance(cache, ReadCache) else None   # a preview's memory between saves
    names = _canonical_names(articles, site, problems, kept)
    shown = articles if preview else [a for a in articles if a.published]
    chosen = resolve_related(shown, Problems())  # links to hidden articles drop out here
    photos = check_photos(articles, root, site, problems, kept.photo_refs if kept is not None else None)
    return Build(site, root, articles, shown, Archive(shown, site, names), problems, preview, photos, chosen,
                 now=now)


def _canonical_names(articles, site, problems, cache: ReadCache | None):
    """canonicalise(), or in a preview its last result when no article's names changed.

    At 100,000 articles the names stage was a third of a save; a save that changes a
    body, title or section gives it the same input, so the same rewritten names and
    the same problems (ReadCache.names_changed tracks the inputs file by file).
    """
    if cache is not None and cache.names is not None and not cache.names_changed:
        names, spelt, found = cache.names
        if len(spelt) == len(articles):
            for a, (location, authors, tags) in zip(articles, spelt):
                a.location, a.authors, a.tags = location, list(authors), list(tags)
            problems.items.extend(found)
            return names
    found = Problems()
    names = canonicalise(articles, site, found)
    problems.items.extend(found.items)
    if cache is not None:
        cache.names = (names, [(a.location, tuple(a.authors), tuple(a.tags)) for a in articles], found.items)
        cache.names_changed = False
    return names
