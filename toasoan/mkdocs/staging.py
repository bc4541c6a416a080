"""Stage, last in the plugin's order: site/ changes only when a build is complete.

``on_config`` points the build at a staging folder beside ``site/``; the last
``on_post_build`` (after every other hook wrote its files: photos, search,
feeds) writes the manifest ``.toasoan-manifest.json`` and swaps the staging
folder into place. A build that fails anywhere discards the staging folder and
leaves the previous ``site/`` as it was, byte for byte. Logic in
``toasoan.staging`` and ``toasoan.manifest``.

``mkdocs serve`` builds into a temporary folder of its own and is left alone.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.utils import CountHandler

from toasoan.publishing import manifest
from toasoan.publishing import staging

log = logging.getLogger("mkdocs.hooks.staging")


def on_config(state, config):
    # Runs after every other on_config (the plugin's order): the final site_dir (-d, --site-dir, config).
    if state.command == "serve":
        return config
    site = Path(os.path.realpath(config.site_dir))
    if state.dirty:
        _remove_manifest(site)   # a dirty build writes into site/ itself: it vouches for nothing
        log.info("Dựng --dirty: không có bản kê, lệnh deploy sẽ từ chối thư mục này.")
        return config
    try:
        if os.path.ismount(site):
            raise OSError(0, "là điểm gắn ổ đĩa")
        state.staging = staging.create(site)
    except OSError as e:
        # Still build, into site/ directly, as MkDocs does: the manifest then guards deploy.
        log.info(f"Không dựng qua thư mục tạm được ({site}: {e.strerror or e}): dựng thẳng vào đó.")
        _remove_manifest(site)   # until this build ends, site/ must not pass deploy's check
        if site.is_dir():
            state.kept = frozenset(p.name for p in site.iterdir() if p.name.startswith("."))
        return config
    state.site_dir = site
    log.info(f"Dựng vào {state.staging.name}; {site.name}/ chỉ được thay khi dựng xong.")
    config.site_dir = str(state.staging)
    return config


def on_post_build(state, config):
    # After photos, search and feeds have written their files (the plugin's order).
    if state.command == "serve" or state.dirty:
        return
    if _strict_failed(config):
        return   # MkDocs aborts right after this event; on_build_error discards the staging folder
    folder = Path(config.site_dir)
    started = time.perf_counter()
    try:
        written = manifest.write(folder, skip=state.kept)
        if state.staging is not None:
            staging.swap(state.staging, state.site_dir)
            config.site_dir = str(state.site_dir)   # gh-deploy and others read it after the build
            state.staging = None
    except OSError as e:
        where = state.site_dir or folder
        raise Abort(f"Dừng: không ghi xong trang vào {where} ({e.strerror or e}); "
                    f"{where.name}/ cũ giữ nguyên — Cách sửa: kiểm tra chỗ trống và quyền ghi "
                    "rồi dựng lại") from e
    log.info(f"Bản kê: {len(written.files)} tệp, {written.size / 1e6:.1f} MB, "
             f"{time.perf_counter() - started:.1f} giây.")


def on_build_error(state, error):
    retire(state)


def on_shutdown(state):
    retire(state)   # Ctrl-C: MkDocs calls no on_build_error for it


def retire(state) -> None:
    """Remove the staging folder of a build that did not finish; site/ stays as it was."""
    staging.discard(state.staging)
    state.staging = None


def _strict_failed(config) -> bool:
    """True when --strict will abort this build for the warnings already logged."""
    if not config.strict:
        return False
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


def _remove_manifest(site: Path) -> None:
    try:
        (site / manifest.NAME).unlink()
    except FileNotFoundError:
        pass
    except OSError as e:
        raise Abort(f"Dừng: không xoá được bản kê cũ {site / manifest.NAME} ({e.strerror})") from e
