"""MkDocs stage: the generated pages' Markdown converted by one Markdown instance, not one per page.

MkDocs' ``Page.render`` builds a new ``markdown.Markdown`` for every page: it loads
and configures every extension (toc, tables, footnotes, attr_list, md_in_html,
pymdownx blocks…) and registers some 80 processors and patterns, which cost about as
much CPU as converting the page itself (≈ 0.35 ms of a ≈ 3 ms page at 10,000
articles). Python-Markdown is made to be reused: ``Markdown.reset()`` clears the
document state (the HTML stash, references) and calls each extension's ``reset``
(footnotes, tilde, pymdownx blocks, toc); the rest of the extensions keep no state
between documents. So each process keeps one instance for the build and resets it
before each article and listing page; MkDocs' own four per-page processors (raw HTML
anchors, anchors, relative links, title) are made for each page as in ``Page.render``
and registered under their names, which replaces the last page's.

``render`` below is ``Page.render`` of MkDocs 1.6 with that one change: the same
HTML, table of contents, title, anchors and links to anchors (the tests build the
same site both ways). Only for the generated pages of a build: the pages in docs/
(a province may give them other Markdown) and ``mkdocs serve`` keep MkDocs' own.
A worker of the parallel render makes its own instance (never shared between processes).
"""

from __future__ import annotations

import logging

import markdown
from mkdocs.structure.pages import (
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc

# MkDocs' Page.render reads its own module's logger to decide whether to keep links to anchors.
_pages_log = logging.getLogger("mkdocs.structure.pages")


class Converter:
    """One Markdown instance for one build's configuration, in one process."""

    def __init__(self, config):
        self.config = config
        self.md: markdown.Markdown | None = None

    def render(self, page, config, files) -> None:
        """``Page.render`` (MkDocs 1.6) on the kept instance."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self.md
        if md is None or config is not self.config:
            md = markdown.Markdown(extensions=config['markdown_extensions'],
                                   extension_configs=config['mdx_configs'] or {})
            self.md, self.config = md, config
        else:
            md.reset()   # what a new instance starts with: no stash, references, footnotes, toc

        raw_html_ext = _RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = _ExtractAnchorsTreeprocessor(page.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = _RelativePathTreeprocessor(page.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = _ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, 'toc_tokens', []))
        page._title_from_render = extract_title_ext.title
        page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if _pages_log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_path_ext.links_to_anchors


def use(state, page, config) -> None:
    """Convert a generated page with the build's kept instance (called before MkDocs reads it)."""
    if state.command not in ("build", "gh-deploy") or page.file.src_uri not in state.pages:
        return
    if state.converter is None:
        state.converter = Converter(config)
    converter = state.converter

    def render(config, files):
        converter.render(page, config, files)
    page.render = render
