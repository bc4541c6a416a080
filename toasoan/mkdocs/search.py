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
import time
from pathlib import Path

from toasoan.core.memory import give_back
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


def on_post_build(state, config):
    build = state.build
    if build is None:
        return
    started, cpu = time.perf_counter(), _cpu()
    # With the page cache, each article's terms are kept beside it (same site key):
    # the hourly build makes terms of the new and edited articles only.
    run = state.pagecache
    store = TermStore(run.cache.folder / STORE) if run is not None else None
    stats = build_index(build, Path(config.site_dir) / "search", store)
    reused = f", dùng lại từ của {len(store.used) - store.made} bài" if store is not None else ""
    del store
    give_back()   # the postings: feeds and sitemaps come next
    log.info(f"Tìm kiếm: chỉ mục {stats.documents} bài, {stats.terms} từ, {stats.files} tệp, "
             f"{stats.bytes / 1e6:.1f} MB{reused}, {time.perf_counter() - started:.1f} giây "
             f"(CPU {_cpu() - cpu:.1f} giây)")


def _cpu() -> float:
    """CPU seconds of this process and its finished workers (a busy machine inflates wall time)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
