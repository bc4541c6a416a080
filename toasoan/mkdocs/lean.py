"""Lean pages: Material's unused scripts are not published, and every page leaves minified.

Material copies its JavaScript into every site: the bundle (instant loading, its own
search, tabs), the search worker and lunr in 30 languages, with their source maps
(and its stylesheets' maps, and its favicon where the site has its own).
Our templates load none of them (main.html empties Material's ``scripts`` block), so
they are taken out of MkDocs' files. If a page does load one after all (a province's
own template or ``extra_javascript`` naming it), the build notices it in that page's
HTML and copies the whole set back in at the end, so nothing a page asks for is missing.

The HTML of each page passes :func:`toasoan.publishing.minify.minify_html` last, after
the guard and every other hook (``on_post_page`` runs once the page is rendered).
"""

from __future__ import annotations

import logging

from mkdocs.structure.files import Files

from toasoan.publishing.minify import minify_html

log = logging.getLogger("mkdocs.hooks.lean")

UNUSED = "assets/javascripts/"  # Material's bundle, search worker and lunr, under this folder
STYLE_MAPS = "assets/stylesheets/"  # …and its stylesheets' source maps (for its developers' tools)
FAVICON = "assets/images/favicon.png"  # Material's icon, unused when theme.favicon names the site's own


def _unused(file, config) -> bool:
    uri = file.src_uri
    return (uri.startswith(UNUSED) or (uri.startswith(STYLE_MAPS) and uri.endswith(".map"))
            or (uri == FAVICON and config.theme.get("favicon") != FAVICON))


def on_files(state, files: Files, config):
    theme_dirs = [d for d in config.theme.dirs if d.rstrip("/").endswith("material/templates")]
    for file in list(files):
        # Only Material's own copies: a site's docs/ may hold a file at the same path on purpose.
        if _unused(file, config) and any(file.abs_src_path.startswith(d) for d in theme_dirs):
            state.dropped.append(file)
            files.remove(file)
    return files


def on_post_page(state, output: str, page, config):
    notice(state, output, page.file.src_uri)
    return minify_html(output)


def on_post_template(state, output: str, template_name: str, config):
    if not template_name.endswith(".html"):  # sitemap.xml and other non-HTML templates stay as rendered
        return output
    notice(state, output, template_name)
    return minify_html(output)


def notice(state, html: str, where: str) -> None:
    """Note a page that loads a dropped file; also called for pages the page cache serves whole."""
    if state.dropped and not state.dropped_needed and (UNUSED in html or FAVICON in html):
        if any(file.url in html for file in state.dropped):
            state.dropped_needed = where


def on_post_build(state, config):
    if state.dropped_needed:
        log.info("%s dùng tệp JavaScript của Material: chép lại %d tệp của Material vào trang",
                 state.dropped_needed, len(state.dropped))
        for file in state.dropped:
            file.copy_file()
