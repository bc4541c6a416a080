"""The Article: one reporter's Markdown file, parsed and validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime
from pathlib import Path

PUBLISHED = "published"
DRAFT = "draft"
SCHEDULED = "scheduled"


@dataclass(eq=False)
class Article:
    """A parsed article. Text fields are NFC; ``date`` is time-zone aware."""

    path: Path                 # the source file
    rel_path: str              # path below articles/, with "/" separators
    title: str
    date: datetime
    authors: list[str]
    location: str
    slug: str
    body: str                  # Markdown after the front-matter
    body_line: int             # line of the file where ``body`` starts
    section: str | None = None  # section slug
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    summary_given: bool = False  # False: the summary is the body's first paragraph
    image: str | None = None   # path below images/
    related: list[str] = field(default_factory=list)  # as written by the editor
    draft: bool = False
    updated: datetime | None = None
    status: str = PUBLISHED
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line

    # Cached: read on every page that lists the article; dates never change after reading.
    @cached_property
    def url(self) -> str:
        """Site-relative URL, e.g. ``2022/01/ban-to-chuc/``."""
        return f"{self.date:%Y}/{self.date:%m}/{self.slug}/"

    @cached_property
    def src_uri(self) -> str:
        """Where the article pretends to live inside docs/."""
        return f"{self.date:%Y}/{self.date:%m}/{self.slug}.md"

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    def __repr__(self) -> str:
        return f"<Article {self.url}>"
