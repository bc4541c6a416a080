"""Turn a Build's articles into search documents (no MkDocs types here)."""

from __future__ import annotations

import shutil
from pathlib import Path

from .index import IndexStats, SearchDoc, write_index
from .terms import TermStore
from ..reading.plain import excerpt, plain_text


def search_docs(articles, sections) -> list[SearchDoc]:
    """One SearchDoc per article, in the given order."""
    position = {s.slug: i for i, s in enumerate(sections)}
    docs = []
    for a in articles:
        # The body's plain text is made by the index's workers (both cores), not here.
        # The summary is plain text already (written, or the body's first paragraph made plain).
        lead = a.summary or plain_text(a.body[:2000])
        docs.append(SearchDoc(
            title=a.title, url=a.url, date=f"{a.date:%Y-%m-%d}",
            section=position.get(a.section, -1), excerpt=excerpt(lead),
            # A summary written apart from the body is searchable too.
            markdown=f"{a.summary}\n\n{a.body}" if a.summary_given else a.body))
    return docs


def build_index(build, out: Path, store: TermStore | None = None) -> IndexStats:
    """Write the search index of every article this build shows into ``out``.

    ``store``: each article's terms kept between builds (the hourly build's cache).
    """
    if out.exists():
        shutil.rmtree(out)  # our own folder: no stale shards from an earlier build
    sections = build.site.sections
    # Oldest first: a new article takes the next id and the other files keep their bytes.
    return write_index(out, search_docs(build.archive.articles[::-1], sections),
                       [(s.slug, s.name) for s in sections], store)
