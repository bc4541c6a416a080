"""MkDocs stage: let go of a page's Markdown, HTML and table of contents once it is written.

MkDocs renders every page's Markdown first and keeps the results on the Page
objects until the build ends; only the page itself ever reads them again, when
its template renders. At 100,000 articles that is hundreds of megabytes held
for nothing while the rest of the site renders and the search index is built.
What MkDocs still needs afterwards stays: the title, the metadata, and the
anchors it checks links against (``present_anchor_ids``).
"""

from __future__ import annotations

from mkdocs.structure.toc import TableOfContents


def on_post_page(state, output, page, config):
    if state.command == "serve":
        return None   # `mkdocs serve` may render a page again without reading it anew
    # Empty strings, not None: MkDocs' Page.title reads them, and gives the same title.
    page.markdown = ""
    page.content = ""
    page.toc = TableOfContents([])
    return None
