"""MkDocs hook: write the static search index after the site is built.

Thin on purpose: the index is made from the Build's articles (read once by
the articles hook) by ``toasoan.search``; no page HTML is scanned.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from toasoan.search.articles import build_index

log = logging.getLogger("mkdocs.hooks.search")


def on_post_build(state, config):
    build = state.build
    if build is None:
        return
    started, cpu = time.perf_counter(), _cpu()
    stats = build_index(build, Path(config.site_dir) / "search")
    log.info(f"Tìm kiếm: chỉ mục {stats.documents} bài, {stats.terms} từ, {stats.files} tệp, "
             f"{stats.bytes / 1e6:.1f} MB, {time.perf_counter() - started:.1f} giây "
             f"(CPU {_cpu() - cpu:.1f} giây)")


def _cpu() -> float:
    """CPU seconds of this process and its finished workers (a busy machine inflates wall time)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
