"""MkDocs hook: write the static search index after the site is built.

Thin on purpose: the index is made from the Build's articles (read once by
the articles hook) by ``toasoan.search``; no page HTML is scanned. The search
page loads ``search.js?v=<hash of the script>``, so a browser never runs a
cached older script against a newer index.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import time
from pathlib import Path

from toasoan.core.memory import give_back
from toasoan.core.workers import Background, WorkerFailed, can_fork, cpu, jobs
from toasoan.mkdocs import pagecache
from mkdocs.exceptions import Abort
from toasoan.search.articles import build_index
from toasoan.search.terms import TermStore

log = logging.getLogger("mkdocs.hooks.search")

SCRIPT = "javascripts/search.js"
STORE = "search-terms.bin"   # in the page cache's folder; never published
_SCRIPT_SRC = re.compile(r'(<script\b[^>]*\bsrc="[^"?]*' + re.escape(SCRIPT) + r')"')


def on_page_content(state, html, page, config, files):
    """Add the script's content hash to its address on the page that loads it."""
    if SCRIPT not in html:
        return html
    script = files.get_file_from_path(SCRIPT)  # the package's, or a province's override
    if script is None:
        return html
    version = hashlib.sha256(script.content_bytes).hexdigest()[:12]
    return _SCRIPT_SRC.sub(rf'\1?v={version}"', html)


# The index needs the articles only, so on an archive up to this size it is made in a
# forked process from the moment they are read, beside "Xem thêm" and the page render
# (neither keeps both cores busy all the time: the hourly build at 10,000 articles gains
# about two seconds), and waited for at the end. Not above: the two stages' memory would
# add up, and at 100,000 articles the index is the build's peak on its own.
EARLY_MAX = 30_000


def on_files(state, files, config):
    build = state.build
    if (build is None or state.command not in ("build", "gh-deploy") or state.dirty
            or len(build.articles) > EARLY_MAX or jobs() < 2 or not can_fork()):
        return files
    # Into a folder of its own, moved to search/ at the end: MkDocs writes the site meanwhile,
    # and a file of docs/search/ (or another plugin's) must give way to the index, as in one process.
    out = state.search_folder = Path(config.site_dir) / BUILDING
    folder = pagecache.cache_folder(state, config) if pagecache.wanted(state) else None
    state.search_job = Background(lambda: _index(build, out, folder), "tạo chỉ mục tìm kiếm",
                                  "tạo chỉ mục tìm kiếm")
    return files


BUILDING = "search.building"   # not hidden: a dead build's hidden entries are carried into site/


def _index(build, out: Path, folder: Path | None) -> tuple:
    """Write the index; (stats, reused-terms note, wall seconds, CPU seconds with its workers)."""
    started, cpu_before = time.perf_counter(), cpu(children=True)
    # With the page cache, each article's terms are kept beside it (same site key):
    # the hourly build makes terms of the new and edited articles only.
    store = TermStore(folder / STORE) if folder is not None else None
    stats = build_index(build, out, store)
    reused = f", dùng lại từ của {len(store.used) - store.made} bài" if store is not None else ""
    return stats, reused, time.perf_counter() - started, cpu(children=True) - cpu_before


def on_post_build(state, config):
    build = state.build
    if build is None:
        return
    job, state.search_job = state.search_job, None
    if job is not None:
        started = time.perf_counter()
        try:
            stats, reused, seconds, cpu_seconds = job.result()
        except WorkerFailed as e:
            raise Abort(str(e)) from None
        out, state.search_folder = Path(config.site_dir) / "search", None
        try:
            if out.exists():
                shutil.rmtree(out)
            os.rename(out.with_name(BUILDING), out)
        except OSError as e:
            raise Abort(f"Dừng: không đặt được chỉ mục tìm kiếm vào {out} ({e.strerror or e}); "
                        "site/ cũ giữ nguyên — Cách sửa: kiểm tra quyền ghi rồi dựng lại") from e
        waited = f", chờ thêm {time.perf_counter() - started:.1f} giây sau khi dựng trang"
    else:
        run = state.pagecache
        stats, reused, seconds, cpu_seconds = _index(build, Path(config.site_dir) / "search",
                                             run.cache.folder if run is not None else None)
        waited = ""
    give_back()   # the postings: feeds and sitemaps come next
    log.info(f"Tìm kiếm: chỉ mục {stats.documents} bài, {stats.terms} từ, {stats.files} tệp, "
             f"{stats.bytes / 1e6:.1f} MB{reused}, {seconds:.1f} giây (CPU {cpu_seconds:.1f} giây){waited}")


def on_build_error(state, error):
    _stop(state)


def on_shutdown(state):
    _stop(state)


def _stop(state) -> None:
    job, state.search_job = state.search_job, None
    if job is not None:
        job.stop()
    folder, state.search_folder = state.search_folder, None
    if folder is not None:   # a build straight into site/ (no staging folder to discard)
        shutil.rmtree(folder, ignore_errors=True)

