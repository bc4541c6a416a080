"""Articles as read by an earlier build, kept between builds under a hash of their file.

Reading an article (YAML front matter, validation, the Markdown checks) is the
same work every build for a file that did not change. The hourly build keeps
each article's parsed fields and problems in a store (toasoan.core.records)
keyed by the file's bytes, its path and the working folder (problems name
files relative to it), and parses again only new or edited files. The file's
modification time is never trusted: CI restores files and caches with new ones.

The store's header carries the generator and the settings an article is read
with (sections, time zone…): a store made by another version or other settings
is ignored. The status (published, scheduled) depends on the build's clock and
is decided again on every build; so is everything that involves several
articles (duplicate slugs, related links, names), after reading.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import zlib
from datetime import datetime
from pathlib import Path

from ..core.config import SiteConfig
from ..core.model import Article
from ..core.problems import Problem, Problems
from ..core.records import RecordStore, header
from .frontmatter import FrontMatterError
from .reader import read_article, read_source, status_at

_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if f.name != "status")
_DATES = ("date", "updated")


def _key(path: Path, rel: str, raw: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update("\0".join((str(path), rel, os.getcwd())).encode("utf-8", "surrogatepass") + b"\0" + raw)
    return h.digest()


def _encode(article: Article | None, items: list[Problem]) -> bytes:
    fields = None
    if article is not None:
        fields = {name: getattr(article, name) for name in _FIELDS}
        fields["path"] = str(article.path)
        for name in _DATES:
            fields[name] = fields[name].isoformat() if fields[name] is not None else None
    # ensure_ascii: a YAML escape can put a lone surrogate in a title, which UTF-8 cannot hold.
    text = json.dumps({"article": fields, "problems": [p.as_dict() for p in items]}, separators=(",", ":"))
    return zlib.compress(text.encode("ascii"), 1)


def _decode(blob: bytes, site: SiteConfig, now: datetime) -> tuple[Article | None, list[Problem]] | None:
    """A record's article (its status for ``now``) and problems; None when it is damaged."""
    try:
        data = json.loads(zlib.decompress(blob))
        items = [Problem(**p) for p in data["problems"]]
        fields = data["article"]
        if fields is None:
            return None, items
        fields["path"] = Path(fields["path"])
        for name in _DATES:   # written with their offset; back in the site's zone, as read
            if fields[name] is not None:
                fields[name] = datetime.fromisoformat(fields[name]).astimezone(site.tz)
        article = Article(**fields)
    except (zlib.error, ValueError, TypeError, KeyError, AttributeError):
        return None
    article.status = status_at(article.draft, article.date, now)
    return article, items


class ArticleStore(RecordStore):
    """A build's reader that takes unchanged articles from the store (``read_all``'s ``cache``)."""

    def __init__(self, path: Path, key: str):
        super().__init__(path, header("articles", key))
        self.hits = 0

    def read(self, path: Path, rel: str, site: SiteConfig, now: datetime,
             problems: Problems) -> Article | None:
        try:
            raw = read_source(path, site.max_article_kb)
        except FrontMatterError:   # not readable at all: read_article says why, every build
            return read_article(path, rel, site, now, problems)
        key = _key(path, rel, raw)
        blob = self.get(key)
        found = _decode(blob, site, now) if blob is not None else None
        if found is None:
            made = Problems()
            article = read_article(path, rel, site, now, made, raw)
            self.add({key: _encode(article, made.items)})
            found = article, made.items
        else:
            self.hits += 1
        problems.items.extend(found[1])
        return found[0]

    def keep_only(self, paths) -> None:
        """Nothing to do: the records of deleted files are not used, so not written back."""
