"""MkDocs stage: pages whose content did not change come from the page cache.

The hourly build (``mkdocs build`` in CI, the cache folder carried between runs)
renders again only the article and listing pages whose key changed; the others
skip Markdown, the guard and their templates: MkDocs reads an empty source
for them, does not convert it (``lookup`` replaces the page's ``render``) and renders
``pagecache.html``, which prints the cached final HTML.
The home page, the calendar and the pages in docs/ are always rendered (a few
pages). Keys are made after the related stage (``on_files``), from what each
page shows; the logic and the storage are in ``toasoan.publishing.pagecache``.

A page that logged a warning (the guard removed something, a photo is missing…)
is never cached, so every build says it again and ``--strict`` still stops on it.
``mkdocs serve``, ``--dirty`` builds and ``TOASOAN_PAGE_CACHE=0`` use no cache.
"""

from __future__ import annotations

import datetime
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.utils import write_file

from toasoan.mkdocs import lean, related
from toasoan.publishing.pagecache import PACKAGE, PageCache, digest, files_digest, generator_key, tree_files

log = logging.getLogger("mkdocs.hooks.pagecache")

CACHE_DIR = ".cache/pages"   # beside the photo cache (.cache/photos): CI keeps .cache/
TEMPLATE = "pagecache.html"
SOURCE = ""   # no front matter to parse (YAML, per page): ``lookup`` sets the template
CONTEXT = "ts_cached_page"


class _Watch(logging.Handler):
    """Notes the page being read or rendered whenever anything logs a warning."""

    def __init__(self, config, tainted: set):
        super().__init__(logging.WARNING)
        self.config, self.tainted = config, tainted

    def emit(self, record):
        page = getattr(self.config, "_current_page", None)
        if page is not None:
            self.tainted.add(page.file.src_uri)


@dataclass
class Run:
    """The cache's part of one build."""

    cache: PageCache
    keys: dict[str, str] = field(default_factory=dict)      # src_uri -> key, pages to store
    served: dict[str, str] = field(default_factory=dict)    # src_uri -> cached HTML
    tainted: set[str] = field(default_factory=set)          # pages that logged a warning
    cards: dict = field(default_factory=dict)               # Article -> its card's digest, made once
    watch: _Watch | None = None
    seconds: float = 0.0


def wanted(state) -> bool:
    """Whether this build keeps anything between builds (pages, articles read, terms)."""
    return (state.command == "build" and not state.dirty
            and os.environ.get("TOASOAN_PAGE_CACHE", "1").lower() not in ("0", "off", "no", "false"))


def enabled(state) -> bool:
    return wanted(state) and state.build is not None


def reading_key(config) -> str:
    """What reading an article depends on besides its file: the generator and ``extra.bulletin``."""
    return digest(generator_key(), _plain(config.extra.get("bulletin")))


def on_files(state, files, config):
    # After the related stage: every page's lists are known.
    _stop(state)
    if not enabled(state):
        return files
    started = time.process_time()
    root = Path(config.config_file_path).resolve().parent
    run = state.pagecache = Run(PageCache(root / CACHE_DIR, site_key(state, config, root)))
    run.watch = _Watch(config, run.tainted)
    logging.getLogger("mkdocs").addHandler(run.watch)
    run.seconds += time.process_time() - started
    return files


def cache_folder(state, config) -> Path:
    """This build's folder of the cache (its site key's), for a stage that runs before on_files here."""
    root = Path(config.config_file_path).resolve().parent
    return root / CACHE_DIR / site_key(state, config, root)


def site_key(state, config, root: Path) -> str:
    """Everything every page depends on: generator, templates, settings, hooks, navigation, the date."""
    # The package's, Material's and MkDocs' templates are in generator_key; a site's own are hashed here.
    theme_files = [p for d in config.theme.dirs if not _in_library(Path(d)) for p in tree_files(Path(d))]
    # A hook by its loaded file (MkDocs keeps the name as written, relative to the config file,
    # not to the folder a build runs in), with the modules beside it that it may import.
    hook_dirs = {Path(m.__file__).resolve().parent for m in (config.hooks or {}).values() if m.__file__}
    site_files = [Path(config.config_file_path), *(p for d in hook_dirs for p in tree_files(d)),
                  *tree_files(Path(config.docs_dir))]
    build = state.build
    return digest(
        generator_key(), files_digest(theme_files), files_digest(site_files), _settings(config),
        build.preview, build.now.date().isoformat() if build.now else None,
    )


# Settings that cannot change a page's HTML, or whose value is no plain data.
_NOT_SHOWN = frozenset({"config_file_path", "site_dir", "plugins", "hooks", "watch", "dev_addr", "strict",
                        "remote_branch", "remote_name", "validation"})


def settings_key(config) -> str:
    """A digest of every setting as MkDocs resolved it (the preview reads all again when it changes)."""
    return digest(_settings(config))


def _settings(config):
    """Every setting as MkDocs resolved it: mkdocs.yml's bytes alone miss ``INHERIT:`` and ``!ENV``."""
    return _plain({k: v for k, v in config.items() if k not in _NOT_SHOWN})


def _plain(value):
    """A value in an order-stable form (a set's repr changes with each process's hash seed)."""
    if isinstance(value, Mapping):
        extra = (tuple(value.dirs), _plain(set(value.static_templates))) if hasattr(value, "dirs") else ()
        return (*extra, tuple(sorted((str(k), _plain(v)) for k, v in value.items())))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(_plain(v)) for v in value))
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if value is None or isinstance(value, (str, int, float, datetime.date)):
        return repr(value)
    if hasattr(value, "patterns"):   # exclude_docs, not_in_nav, draft_docs: gitignore-like patterns
        return tuple(str(getattr(p, "pattern", p)) for p in value.patterns)
    # An object a stage put there (our Markdown extension, the parsed bulletin settings): made
    # from the settings above and the generator, both in the key; its repr may hold an address.
    return type(value).__qualname__


def _in_library(folder: Path) -> bool:
    import material
    import mkdocs
    folder = folder.resolve()
    return any(folder.is_relative_to(Path(m.__file__).resolve().parent) for m in (material, mkdocs)) \
        or folder.is_relative_to(PACKAGE)


def page_key(state, page) -> str | None:
    """The key of an article or listing page; None for a page that is always rendered."""
    build = state.build
    item = state.pages.get(page.file.src_uri)
    if item is None or build is None:
        return None
    run = state.pagecache
    if hasattr(item, "body"):
        if ".md" in item.body:   # a link to another page: MkDocs resolves it against every file
            return None
        return digest(run.cache.site_key, "article", page.file.src_uri, page.url, *_article(run, build, item))
    return digest(run.cache.site_key, "listing", page.file.src_uri, page.url, *_listing(run, build, item))


def _photo(photo):
    if photo is None:
        return None
    return (photo.src, photo.key, tuple(photo.widths), photo.info.width, photo.info.height, photo.info.error)


def _card(run, build, a) -> str:
    """What a list shows of an article (title, link, date, status, summary, thumbnail), as a
    digest made once per build: an article's card is in the keys of dozens of pages."""
    card = run.cards.get(a)
    if card is None:
        card = run.cards[a] = digest(a.url, a.title, a.date, a.status, a.summary, a.section,
                                     _photo(build.photos.lead(a)))
    return card


def _article(run, build, a):
    catalog, archive = build.photos, build.archive

    def link(kind, name):
        listing = archive.listing(kind, name)
        return listing.base_url if listing else None
    refs = tuple((r.src, r.key, _photo(catalog.find(r.src))) for r in catalog.refs.get(id(a), []))
    links = (link("section", a.section) if a.section else None, tuple(link("author", n) for n in a.authors),
             link("location", a.location) if a.location else None, tuple(link("tag", t) for t in a.tags))
    shown, same = related.lists(build, a)
    return (a.title, a.date, a.updated, tuple(a.authors), a.location, a.slug, a.body, a.section, tuple(a.tags),
            a.summary, a.summary_given, a.image, a.status, refs, _photo(catalog.lead(a)), links,
            tuple(_card(run, build, o) for o in shown), tuple(_card(run, build, o) for o in same))


def _listing(run, build, lp):
    listing, archive = lp.listing, build.archive
    counted = lp.newest   # the calendar's counts are on the newest page only (listing.html)
    around = None
    if listing.kind == "year":
        around = tuple((m.base_url, m.title, len(m.articles) if counted else None)
                       for m in archive.months(listing.key))
    elif listing.kind == "month":
        around = tuple((d.base_url, d.key, len(d.articles) if counted else None) for d in archive.days(listing.key))
    elif listing.kind == "day":
        around = tuple((d.base_url, d.title) if d else None for d in archive.day_neighbours(listing.key))
    # What the pager shows, not the page count: an older page keeps its key while the
    # listing grows (see ListingPage).
    pager = (lp.count > 1, lp.previous_url, lp.next_url, tuple(lp.page_links()))
    return (listing.kind, listing.key, listing.title, listing.base_url, lp.number, lp.newest, pager, around,
            tuple(_card(run, build, a) for a in lp.items))


def lookup(state, page) -> bool:
    """True when the page's final HTML is cached: MkDocs then only copies it out."""
    run = state.pagecache
    if run is None:
        return False
    started = time.process_time()
    src = page.file.src_uri
    key = page_key(state, page)
    if key is not None:
        html = run.cache.get(key)
        if html is not None:
            run.served[src] = html
        else:
            run.keys[src] = key
    run.seconds += time.process_time() - started
    if src not in run.served:
        return False

    def render(config, files):   # its HTML is whole already: no Markdown instance to build
        page.content = ""
        page.meta = {"template": TEMPLATE}
    page.render = render
    return True


def copy_out(state, page) -> bool:
    """Write a cached page straight to its place, past MkDocs' page loop; False if not cached.

    For the parallel render when no other hook or plugin has page events: every
    page event of a cached page is then ours, and each one passes it through
    unchanged (see plugin.py), so the file is the same bytes. At 17,000 pages
    MkDocs' context, template and events for them cost several seconds of CPU.
    """
    if not lookup(state, page):
        return False
    src = page.file.src_uri
    html = state.pagecache.served.pop(src)   # written: not kept in memory
    lean.notice(state, html, src)
    write_file(html.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
    return True


def served(state, page) -> str | None:
    """The cached HTML this build serves for the page, if any."""
    run = state.pagecache
    return run.served.get(page.file.src_uri) if run is not None else None


def serve_context(state, context, page):
    html = served(state, page)
    if html is not None:
        context[CONTEXT] = html
    return context


def store(state, page, output: str) -> None:
    """Keep a rendered page's final HTML (after every other post_page handler)."""
    run = state.pagecache
    if run is None:
        return
    src = page.file.src_uri
    key = run.keys.pop(src, None)
    if key is not None and src not in run.tainted and output.strip():
        started = time.process_time()
        run.cache.put(key, output)
        run.seconds += time.process_time() - started


def on_post_build(state, config):
    run = state.pagecache
    if run is None:
        return
    _stop(state)
    started = time.process_time()
    removed = run.cache.prune()
    run.seconds += time.process_time() - started
    log.info(f"Bộ nhớ đệm trang: dùng lại {run.cache.hits} trang, dựng mới và lưu {run.cache.stored}, "
             f"bỏ {removed} bản cũ, {run.cache.damaged} bản hỏng; CPU {run.seconds:.1f} giây")


def on_build_error(state, error):
    _stop(state)


def on_shutdown(state):
    _stop(state)


def _stop(state) -> None:
    run = state.pagecache
    if run is not None and run.watch is not None:
        logging.getLogger("mkdocs").removeHandler(run.watch)
        run.watch = None
