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
        return (f"Bài viết: đọc {len(self.articles) + self.unreadable}, "
                f"xuất bản {self.count(PUBLISHED)}, nháp {self.count(DRAFT)}, "
                f"hẹn giờ {self.count(SCHEDULED)}, lỗi {self.unreadable}"
                + (" (xem trước: hiện cả bài nháp và bài hẹn giờ)" if self.preview else ""))

    @property
    def unreadable(self) -> int:
        errors = {p.path for p in self.problems.errors}
        if not errors:  # the usual case: skip resolving every article's path (slow at 10,000)
            return 0
        return len(errors - {shown_path(a.path) for a in self.articles})


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
    names = canonicalise(articles, site, problems)
    shown = articles if preview else [a for a in articles if a.published]
    chosen = resolve_related(shown, Problems())  # links to hidden articles drop out here
    photos = check_photos(articles, root, site, problems)
    return Build(site, root, articles, shown, Archive(shown, site, names), problems, preview, photos, chosen,
                 now=now)
