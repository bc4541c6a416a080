"""MkDocs hook: photos as figures, thumbnails in lists, renditions in site/images/.

Checking happens in ``toasoan.build.prepare`` (so ``check`` reports the same);
this file only wires ``toasoan.figures`` and ``toasoan.images`` into MkDocs.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from jinja2 import pass_context
from mkdocs.exceptions import Abort

from toasoan.photos.figures import LEAD_THUMB_SIZES, THUMB_SIZES, thumb_img_html
from toasoan.photos.images import Publisher, write_atomic
from toasoan.reading.photorefs import shown

log = logging.getLogger("mkdocs.hooks.photos")


def _catalog(state):
    return state.build.photos if state.build is not None else None


def on_config(state, config):
    if state.figures not in config.markdown_extensions:
        config.markdown_extensions.append(state.figures)
    return config


def on_files(state, files, config):
    catalog = _catalog(state)
    if catalog is None:
        return files
    retire(state)
    # Only the photos of articles on the site are published: a draft's photo stays private.
    state.publisher = Publisher(catalog.used_by(state.build.shown), catalog.settings, catalog.cache)
    state.publisher.start()  # encodes run in worker processes while pages render
    return files


def on_page_markdown(state, markdown, page, config, files):
    article = state.pages.get(page.file.src_uri)
    catalog = _catalog(state)
    if not hasattr(article, "body") or catalog is None:
        state.figures.page(None)
        return markdown
    lead = catalog.lead(article)
    state.figures.page(catalog.find, _base(page.url), lead.src if lead else "")
    return markdown


def on_page_content(state, html, page, config, files):
    for src in state.figures.misses:
        log.warning(f"{page.file.src_uri}: ảnh '{shown(src)}' không đăng được (xem lỗi ảnh ở trên)")
    state.figures.misses.clear()
    return html


def on_env(state, env, config, files):
    catalog = _catalog(state)
    url = env.filters["url"]  # MkDocs' own: the same short relative link as the title's

    @pass_context
    def thumb_html(context, item, lead=False) -> str:
        """The responsive thumbnail of an article in a list ("" when it has no photo).

        A bare link around one ``<img>``: bulletin.css styles it by its place in the list.
        """
        photo = catalog.lead(item) if catalog is not None and hasattr(item, "body") else None
        if photo is None:
            return ""
        base = str(context.get("base_url") or ".").rstrip("/") + "/"
        sizes = LEAD_THUMB_SIZES if lead else THUMB_SIZES
        # The title next to it is the link readers and screen readers use; this one is for tapping.
        return (f'<a href="{url(context, item.url)}" tabindex="-1" aria-hidden="true">'
                f'{thumb_img_html(photo, base, sizes, lazy=not lead)}</a>')

    env.globals["thumb_html"] = thumb_html
    return env


def on_post_build(state, config):
    catalog = _catalog(state)
    if state.publisher is None or catalog is None:
        return
    publisher, state.publisher = state.publisher, None
    try:
        stats = publisher.finish(Path(config.site_dir))
    except RuntimeError as e:
        raise Abort(f"Dừng: {e}") from e
    for src, damaged in stats["repaired"]:
        # info, not a warning: nothing for a reporter to fix, and --strict must not fail on it.
        log.info(f"Ảnh images/{src}: bản {', '.join(damaged)} trong bộ nhớ đệm bị hỏng; đã mã hoá lại")
    log.info(f"Ảnh: đăng {stats['photos']} ảnh, mã hoá mới {stats['encoded']}, "
             f"dùng lại {stats['reused']} từ bộ nhớ đệm; chờ ảnh thêm {stats['waited']:.1f} s sau khi dựng trang "
             f"(mã hoá chạy song song, {stats['seconds']:.1f} s từ lúc bắt đầu)")
    try:
        write_atomic(catalog.cache / "last-build.json", json.dumps(stats, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


def on_build_error(state, error):
    retire(state)


def retire(state) -> None:
    """Stop the photo encodes a build left running (it failed, or a new one starts)."""
    if state.publisher is not None:
        state.publisher.cancel()
        state.publisher = None


def _base(url: str) -> str:
    """Relative path from a page's URL to the site root: '2022/01/slug/' -> '../../../'."""
    folder = url if url.endswith("/") or not url else url.rsplit("/", 1)[0] + "/"
    depth = len([p for p in folder.split("/") if p])
    return "../" * depth or "./"
