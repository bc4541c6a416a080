"""Everything one build keeps between MkDocs events, on one object.

``Plugin`` makes a new :class:`SiteBuild` each time MkDocs loads a site's
configuration (``mkdocs serve`` reloads it before every rebuild) and hands it to
every stage's ``on_*`` function as the first argument. Nothing lives in module
globals, so two builds in one process (two sites, or two serve rebuilds) share
nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toasoan.photos.figures import FigureExtension

if TYPE_CHECKING:
    from toasoan.build import Build
    from toasoan.mkdocs.convert import Converter
    from toasoan.mkdocs.preview import Session
    from toasoan.core.config import SiteConfig
    from toasoan.core.model import Article
    from toasoan.core.workers import Background
    from toasoan.mkdocs.pagecache import Run as PageCacheRun
    from toasoan.mkdocs.parallel import Render
    from toasoan.photos.images import Publisher
    from toasoan.publishing.buildlock import BuildLock
    from toasoan.publishing.meta import Publication
    from toasoan.publishing.sanitize import Sanitizer
    from toasoan.reading.archive import ListingPage


@dataclass
class SiteBuild:
    """The state of one site's build, shared by the stages in ``toasoan.mkdocs``."""

    command: str = "build"        # "build", "serve" or "gh-deploy" (MkDocs' on_startup)
    dirty: bool = False           # ``--dirty``: MkDocs rebuilds only changed pages
    site: SiteConfig | None = None   # extra.bulletin, checked (articles.on_config)
    build: Build | None = None       # the articles read and related (articles.on_files)
    # src_uri -> the Article or ListingPage MkDocs renders at that path
    pages: dict[str, Article | ListingPage] = field(default_factory=dict)
    guard: Sanitizer | None = None   # the allowlist every article's HTML passes
    # The Markdown extension that turns photos into figures; one per build, told the page it renders.
    figures: FigureExtension = field(default_factory=FigureExtension)
    publisher: Publisher | None = None    # photo encodes running while pages render
    publication: Publication | None = None  # the site's identity for <head>, feeds and sitemaps
    other_urls: list[str] = field(default_factory=list)  # pages from docs/, for the sitemap
    lock: BuildLock | None = None         # one build at a time in the site's folder
    site_dir: Path | None = None          # the site_dir asked for, while building into…
    staging: Path | None = None           # …this folder beside it, until the swap
    kept: frozenset[str] = frozenset()    # dot-files of site/ the manifest leaves out
    stylesheet: tuple | None = None       # (bundle's path, extra_css it holds): masthead.on_files
    dropped: list = field(default_factory=list)  # Material's scripts no page loads (lean.on_files)
    dropped_needed: str = ""              # the first page that loads one after all: publish them
    # ``toasoan serve``'s memory across changes (toasoan.mkdocs.preview.Session); None in a build.
    session: Session | None = None
    pagecache: PageCacheRun | None = None  # pages kept from earlier builds (pagecache.on_files)
    parallel: Render | None = None  # the generated pages rendered by worker processes (parallel.on_nav)
    converter: Converter | None = None  # the Markdown instance the generated pages share (convert.use)
    search_job: Background | None = None  # the search index being made in a forked process (search.on_files)
    search_folder: Path | None = None  # where it makes it, moved to search/ once done (search.on_post_build)
    handlers: dict = field(default_factory=dict)   # (event, stages) -> their on_<event> functions (plugin._run)

    @property
    def preview(self) -> bool:
        """Drafts and scheduled articles are shown: ``mkdocs serve`` or TOASOAN_PREVIEW=1."""
        return self.command == "serve" or os.environ.get("TOASOAN_PREVIEW") == "1"
