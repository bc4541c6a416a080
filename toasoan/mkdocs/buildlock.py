"""MkDocs hook: one build at a time in a site's folder (``toasoan.buildlock``).

Taken first (``on_config``), released last (after every other hook's
``on_post_build``) or when the build fails. ``mkdocs serve`` rebuilds in one
process (each with a new state): the lock is released after
each build, and a build that finds it still held by its own process goes on.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import Abort

from toasoan.publishing.buildlock import Busy, lock_for, release_all, wait_seconds

log = logging.getLogger("mkdocs.hooks.buildlock")


def on_config(state, config):
    state.lock = lock = lock_for(Path(config.config_file_path).parent)

    def waiting(holder: str) -> None:
        who = f" (tiến trình {holder})" if holder else ""
        log.info(f"Đang có bản dựng khác{who} trong thư mục này; chờ nó xong rồi dựng tiếp…")

    wait = wait_seconds()
    try:
        lock.acquire(wait, waiting)
    except Busy as e:
        who = f" (tiến trình {e.holder})" if e.holder else ""
        raise Abort(f"Dừng: một bản dựng khác{who} vẫn đang chạy trong thư mục này sau {wait:g} giây chờ "
                    f"— Cách sửa: chờ bản dựng đó xong rồi dựng lại (hoặc dừng nó); "
                    f"TOASOAN_BUILD_WAIT=giây đổi thời gian chờ") from None
    return config


def on_post_build(state, config):
    if state.lock is not None:
        state.lock.release()


def on_build_error(state, error):
    if state.lock is not None:
        state.lock.release()


def on_shutdown(state):
    release_all()
