"""MkDocs stage: the article and listing pages rendered on every core.

MkDocs reads, converts and writes every page one after the other in one process;
at 100,000 articles that is ~147,000 pages and most of a build's time. Here the
generated pages (articles and listings: 99 % of them) are rendered by forked worker
processes through MkDocs' own ``_populate_page`` and ``_build_page`` (one rendering
path: the HTML is the same bytes as a serial build's), and MkDocs' loops in this
process render the rest (the home page, docs/ pages, the search page, the calendar).

How it fits in MkDocs' ``build()``:

1. ``on_nav`` (last): the generated pages are hidden from MkDocs' loop that reads and
   converts pages (their inclusion set to EXCLUDED), and shown again at the first
   ``on_pre_page`` (a docs/ page may link to an article: the link must resolve).
2. ``on_env`` (last): the pages' templates are compiled here, the collector's objects frozen
   (copy-on-write), then a worker is forked for each part (at most ``PART`` pages in MkDocs'
   order, ``TOASOAN_PARALLEL_PART`` in tests), ``TOASOAN_JOBS`` of them at a time, the next
   as soon as one ends. Each sends back over its pipe what the rest of the build needs from
   its pages: log records (replayed here in page order, so ``--strict`` counts a worker's
   warning), anchors for MkDocs' link checks, the page cache's keys and counts, and lean's
   notice of a page loading Material's scripts. The pages are hidden
   again for MkDocs' writing loop, and shown at its first ``on_page_context``.
3. A page the page cache holds is written straight from it (``pagecache.copy_out``), past
   MkDocs' page loop, unless another hook or plugin has page events (it must see every page).

Any failure (an exception in a worker, a worker killed) stops the build with a message
in Vietnamese; the staging folder is discarded as for any failed build, site/ untouched.

Serial, as before: ``mkdocs serve``, ``--dirty``, ``TOASOAN_JOBS=1`` (or one core), fewer
than ``TOASOAN_PARALLEL_MIN`` (300) generated pages, no ``fork``, or a foreign hook or
plugin with page events that does not declare ``TOASOAN_PARALLEL_SAFE = True``.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field

import jinja2.meta
from jinja2 import TemplateError
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.exceptions import Abort
from mkdocs.structure.files import InclusionLevel

from toasoan.mkdocs.articles import PAGE_TEMPLATES
from toasoan.mkdocs.pagecache import TEMPLATE as CACHED_TEMPLATE, copy_out
from toasoan.core.workers import Runner, WorkerFailed, can_fork, collected, cpu, env_int, jobs, spans

log = logging.getLogger("mkdocs.hooks.parallel")

PARALLEL_MIN = 300    # generated pages; fewer render faster than workers start
PART = 2500           # pages a worker asks for at a time (at most)
# The templates of the generated pages (articles.on_page_read_source, the page cache) and MkDocs' default.
TEMPLATES = ("main.html", *PAGE_TEMPLATES, CACHED_TEMPLATE)
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page")


@dataclass
class Render:
    """The parallel render of one build."""

    files: list                      # the generated pages' Files, in MkDocs' order
    workers: int
    nav: object = None               # MkDocs' Navigation (on_nav), for the workers' pages
    hidden: bool = False
    current: str = ""                # in a worker: the page being rendered (named if it fails)
    copy_cached: bool = False        # no foreign page events: cached pages skip MkDocs' page loop
    doc_files: list = field(default_factory=list)   # MkDocs' list of included pages, for every page's context
    inclusion: dict = field(default_factory=dict)   # src_uri -> inclusion before hiding


def on_nav(state, nav, config, files):
    # Last on_nav: the pages MkDocs is about to read are known, its reading loop not started.
    state.parallel = None
    if state.command not in ("build", "gh-deploy") or state.dirty or not state.pages:
        return nav
    n = jobs()
    # Outside the nav only: a section's page is a tab of the nav (active, titles), so it stays here.
    in_nav = {id(page) for page in nav.pages}
    generated = [f for f in files.documentation_pages() if f.src_uri in state.pages and id(f.page) not in in_nav]
    if n < 2 or len(generated) < env_int("TOASOAN_PARALLEL_MIN", PARALLEL_MIN) \
            or not can_fork():
        return nav
    foreign = _page_handlers(config)
    unsafe = [name for name, safe in foreign if not safe]
    if unsafe:
        log.info(f"Dựng trang trong một tiến trình: {', '.join(unsafe)} có sự kiện trang mà chưa khai "
                 "TOASOAN_PARALLEL_SAFE = True")
        return nav
    state.parallel = Render(generated, n, nav, copy_cached=not foreign)
    _hide(state.parallel)
    return nav


def _page_handlers(config) -> list[tuple[str, bool]]:
    """Other hooks' and plugins' page-event handlers: (name, whether it says it can run in a worker)."""
    found = []
    for event in PAGE_EVENTS:
        for handler in config.plugins.events.get(event, []):
            if (getattr(handler, "__module__", None) or "").startswith("toasoan."):
                continue
            owner = getattr(handler, "__self__", None)
            globals_ = getattr(getattr(handler, "__func__", handler), "__globals__", {})
            safe = getattr(owner, "TOASOAN_PARALLEL_SAFE", False) is True or globals_.get("TOASOAN_PARALLEL_SAFE") is True
            name = config.plugins._event_origins.get(handler) or getattr(handler, "__qualname__", repr(handler))
            if (name, safe) not in found:
                found.append((name, safe))
    return found


def _hide(run: Render) -> None:
    """Keep the generated pages out of MkDocs' next loop over the pages (it lists them right away)."""
    if not run.hidden:
        for file in run.files:
            run.inclusion[file.src_uri] = file.inclusion
            file.inclusion = InclusionLevel.EXCLUDED
        run.hidden = True


def show(state) -> None:
    """Put the generated pages back (MkDocs' loop has its list; links to them must resolve)."""
    run = getattr(state, "parallel", None)
    if run is not None and run.hidden:
        for file in run.files:
            file.inclusion = run.inclusion[file.src_uri]
        run.hidden = False


def on_env(state, env, config, files):
    # Last on_env: every other handler has set its filters and globals; pages are not written yet.
    run = state.parallel
    if run is None:
        return env
    show(state)
    started, cpu_before = time.perf_counter(), cpu()
    # Material includes its language's strings by a computed name, which the templates' sources do not show.
    _compile(env, (*TEMPLATES, f"partials/languages/{config.theme.get('language', 'en')}.html"))
    # Listed once here, not by each worker: a part's work should not grow with the archive
    # (each of the 54 parts at 100,000 articles walked all 134,000 Files, writing to their
    # reference counts, so copy-on-write copied them into every worker).
    run.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    parts = _parts(len(run.files), run.workers)
    runner = Runner(run.workers, lambda part: _render(state, run, env, config, files, part), "dựng trang",
                    lambda span: f"dựng trang {span[0] + 1}–{span[1]}", lambda error, _: _failed(error, run.current))
    try:
        results = runner.run(parts)
    except WorkerFailed as e:
        raise Abort(str(e)) from None
    _merge(state, run, config, files, results)
    # The workers' CPU beside the wall time: workers starved by other work (or parts too
    # unequal, seen in the heaviest part) show here.
    wall, parts_cpu = time.perf_counter() - started, [r["cpu"] for r in results]
    log.info(f"Dựng trang: {len(run.files)} trang bài và danh sách, {len(parts)} phần, {run.workers} tiến trình "
             f"một lúc, {wall:.1f} giây; CPU các tiến trình con {sum(parts_cpu):.1f} giây (phần nặng nhất "
             f"{max(parts_cpu):.1f}; hệ thống {sum(r['system'] for r in results):.1f}), "
             f"tiến trình chính {cpu() - cpu_before:.1f} giây{_copied(results)}")
    _hide(run)   # MkDocs' writing loop lists the pages right after this event
    return env


def _copied(results: list) -> str:
    copied = sum(r["copied"] for r in results)
    return f"; {copied} trang chép thẳng từ bộ nhớ đệm" if copied else ""


def _compile(env, names) -> None:
    """Compile the pages' templates and every template they extend, include or import, once, here.

    Each worker would otherwise compile them again (a second or so each).
    """
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source = env.loader.get_source(env, name)[0]
            env.get_template(name)
        except TemplateError:   # missing or broken: the page that names it fails the same way in a worker
            continue
        todo.extend(ref for ref in jinja2.meta.find_referenced_templates(env.parse(source)) if ref)


def on_post_build(state, config):
    show(state)


def on_build_error(state, error):
    show(state)


def _parts(count: int, workers: int) -> list[tuple[int, int]]:
    """Spans of the pages; small enough that the last ones do not leave a core idle for long."""
    return spans(count, env_int("TOASOAN_PARALLEL_PART", 0) or max(20, min(PART, -(-count // (workers * 4)))))


# --- in a worker --------------------------------------------------------------------------

def _render(state, run: Render, env, config, files, span: tuple[int, int]) -> dict:
    """Read, convert and write the pages of one part, as MkDocs' own loops do."""
    started = os.times()
    cache = state.pagecache.cache if state.pagecache is not None else None
    if cache is not None:   # this part's share of the cache's bookkeeping, from zero
        cache.used, cache.hits, cache.stored, cache.damaged = set(), 0, 0, 0
        state.pagecache.seconds = 0.0
    state.dropped_needed = ""
    doc_files = run.doc_files
    anchors, links, copied = {}, {}, 0
    for file in run.files[span[0]:span[1]]:
        run.current = file.src_uri
        page = file.page   # made by MkDocs' get_navigation, for every page
        if run.copy_cached and copy_out(state, page):
            copied += 1
            continue
        _populate_page(page, config, files)
        _build_page(page, config, doc_files, run.nav, env)
        if page.present_anchor_ids:
            anchors[file.src_uri] = page.present_anchor_ids
        if page.links_to_anchors:
            links[file.src_uri] = {to.src_uri: dict(found) for to, found in page.links_to_anchors.items()}
    return {"records": collected(), "anchors": anchors, "links": links, "dropped_needed": state.dropped_needed,
            "copied": copied,
            "cache": (cache.used, cache.hits, cache.stored, cache.damaged, state.pagecache.seconds)
            if cache is not None else None,
            "cpu": cpu() - started.user - started.system, "system": os.times().system - started.system}


def _failed(error: Exception, page: str) -> str:
    """The parent's message for an exception in a worker."""
    if isinstance(error, Abort):
        return str(error)
    return (f"Dừng: lỗi khi dựng trang {page or '?'}: {type(error).__name__}: {error} "
            "— Cách sửa: xem dòng báo lỗi ở trên; dựng lại với TOASOAN_JOBS=1 để thấy đủ chi tiết")


# --- back in the parent -------------------------------------------------------------------

def _merge(state, run: Render, config, files, results: list) -> None:
    """What the rest of the build needs from the workers' pages, in page order."""
    cache = state.pagecache.cache if state.pagecache is not None else None
    anchors, links = {}, {}
    for result in results:
        for record in result["records"]:
            logging.getLogger(record.name).handle(record)
        anchors.update(result["anchors"])
        links.update(result["links"])
        if result["dropped_needed"] and not state.dropped_needed:
            state.dropped_needed = result["dropped_needed"]
        if cache is not None and result["cache"] is not None:
            used, hits, stored, damaged, seconds = result["cache"]
            cache.used |= used
            cache.hits += hits
            cache.stored += stored
            cache.damaged += damaged
            state.pagecache.seconds += seconds
    _check_anchors(run, config, files, anchors, links)


def _check_anchors(run: Render, config, files, anchors: dict, links: dict) -> None:
    """MkDocs' anchor check of the workers' pages, which its own check (over the pages it wrote) skips.

    Their anchors are set on this process's Pages first: MkDocs' check of the pages rendered
    here, after its writing loop, then sees the anchors of the articles they link to.
    """
    by_uri = files.src_uris
    for file in run.files:
        file.page.present_anchor_ids = anchors.get(file.src_uri, set())
    for uri, found in links.items():
        page = by_uri[uri].page
        page.links_to_anchors = {by_uri[to]: f for to, f in found.items()}
        page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
