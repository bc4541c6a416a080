"""MkDocs hook: "Xem thêm" (related articles) and "Tin cùng chuyên mục" under each article.

Thin on purpose: the ranking lives in ``toasoan.related`` and runs once per
build, in ``on_files`` (after the articles hook has read the archive); each
page then only looks its lists up.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from toasoan.core.memory import give_back
from toasoan.core.workers import cpu, jobs
from toasoan.mkdocs import pagecache
from toasoan.publishing.pagecache import generator_key
from toasoan.related.rank import relate_all, same_section
from toasoan.related.terms import TermStore

log = logging.getLogger("mkdocs.hooks.related")
# Beside the page cache's site-key folders, not in one: a new setting keeps the terms
# (they depend on the article and the generator only; the generator is in the header).
STORE = "related-terms.bin"
SECTION_COUNT = 5   # default length of "Tin cùng chuyên mục" (extra.bulletin.section_count)


def on_files(state, files, config):
    build = state.build
    if build is None:
        return files
    if state.session is not None:  # toasoan serve: ranked in the background (see rank), meanwhile the last lists
        build.related = state.session.carried_related(build)
        return files
    store = None
    if pagecache.wanted(state):   # the hourly build: tokenise only new and edited articles
        root = Path(config.config_file_path).resolve().parent
        store = TermStore(root / pagecache.CACHE_DIR / STORE, generator_key())
    # Forked workers in a build only: ``mkdocs serve`` rebuilds from its server's thread, and
    # a fork of a process with other threads may inherit a lock one of them holds.
    rank(build, store, jobs() if state.command in ("build", "gh-deploy") else 1)
    return files


def rank(build, store: TermStore | None = None, workers: int = 1) -> None:
    """Rank every shown article's "Xem thêm" (the longest step of a build: timed in the log)."""
    started, cpu_before = time.perf_counter(), cpu(children=True)
    # Automatic links come from published articles only, even in preview.
    pool = [a for a in build.articles if a.published]
    build.related = relate_all(build.shown, pool, build.chosen, build.site.related_count, store=store,
                               workers=workers)
    reused = ""
    if store is not None:
        store.save()
        reused = f", dùng lại từ của {len(store.used) - store.made} bài"
    give_back()   # the ranking's temporary arrays: the pages rendered next need the room
    # CPU of this process and of the workers (reaped meanwhile).
    log.info("Xem thêm: %d bài%s, %d tiến trình, %.1f giây (CPU %.1f giây)", len(build.shown), reused,
             workers, time.perf_counter() - started, cpu(children=True) - cpu_before)


def on_page_context(state, context, page, config, nav):
    article = context.get("article")
    build = state.build
    if article is None or build is None:
        return context
    context["related_articles"], context["section_articles"] = lists(build, article)
    return context


def lists(build, article) -> tuple[list, list]:
    """An article's "Xem thêm" and "Tin cùng chuyên mục" (the page cache keys on them too)."""
    related = build.related.get(article, [])
    listing = build.archive.sections.get(article.section) if article.section else None
    count = int(build.site.extra.get("section_count", SECTION_COUNT))
    return related, (same_section(listing.articles, article, count, skip=related) if listing else [])
