"""MkDocs hook, LAST in mkdocs.yml: site/ changes only when a build is complete.

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
from mkdocs.plugins import event_priority
from mkdocs.utils import CountHandler

from toasoan.publishing import manifest
from toasoan.publishing import staging

log = logging.getLogger("mkdocs.hooks.staging")
_command: str | None = None
_dirty = False
_site: Path | None = None       # the site_dir the user asked for
_staging: Path | None = None    # where this build writes, until the swap
_kept: frozenset[str] = frozenset()


def on_startup(command, dirty):
    global _command, _dirty
    _command, _dirty = command, dirty


@event_priority(-100)   # after every other on_config: the final site_dir (-d, --site-dir, config)
def on_config(config):
    global _site, _staging, _kept
    staging.discard(_staging)
    _site, _staging, _kept = None, None, frozenset()
    if _command == "serve":
        return config
    site = Path(os.path.realpath(config.site_dir))
    if _dirty:
        _remove_manifest(site)   # a dirty build writes into site/ itself: it vouches for nothing
        log.info("Dựng --dirty: không có bản kê, lệnh deploy sẽ từ chối thư mục này.")
        return config
    try:
        if os.path.ismount(site):
            raise OSError(0, "là điểm gắn ổ đĩa")
        _staging = staging.create(site)
    except OSError as e:
        # Still build, into site/ directly, as MkDocs does: the manifest then guards deploy.
        log.info(f"Không dựng qua thư mục tạm được ({site}: {e.strerror or e}): dựng thẳng vào đó.")
        _remove_manifest(site)   # until this build ends, site/ must not pass deploy's check
        _kept = frozenset(p.name for p in site.iterdir() if p.name.startswith(".")) if site.is_dir() else _kept
        return config
    _site = site
    log.info(f"Dựng vào {_staging.name}; {site.name}/ chỉ được thay khi dựng xong.")
    config.site_dir = str(_staging)
    return config


@event_priority(-100)   # after photos, search and feeds have written their files
def on_post_build(config):
    global _staging
    if _command == "serve" or _dirty:
        return
    if _strict_failed(config):
        return   # MkDocs aborts right after this event; on_build_error discards the staging folder
    folder = Path(config.site_dir)
    started = time.perf_counter()
    try:
        written = manifest.write(folder, skip=_kept)
        if _staging is not None:
            staging.swap(_staging, _site)
            config.site_dir = str(_site)   # gh-deploy and others read it after the build
            _staging = None
    except OSError as e:
        raise Abort(f"Dừng: không ghi xong trang vào {_site or folder} ({e.strerror or e}); "
                    f"{(_site or folder).name}/ cũ giữ nguyên — Cách sửa: kiểm tra chỗ trống và quyền ghi "
                    "rồi dựng lại") from e
    log.info(f"Bản kê: {len(written.files)} tệp, {written.size / 1e6:.1f} MB, "
             f"{time.perf_counter() - started:.1f} giây.")


def on_build_error(error):
    global _staging
    staging.discard(_staging)
    _staging = None


def on_shutdown():
    global _staging
    staging.discard(_staging)   # Ctrl-C: MkDocs calls no on_build_error for it
    _staging = None


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
