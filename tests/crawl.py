"""Follow <a href> links through a built site, as a reader (or a search engine) does."""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

HREF = re.compile(r"<a\b[^>]*?\shref=\"([^\"]*)\"", re.IGNORECASE)


def crawl(site: Path, base: str) -> dict[str, int]:
    """Every HTML file of ``site`` reached from its home page: {path below site/: clicks}.

    ``base`` is the path the site is published under (site_url's path, e.g.
    "/bao/"): links the templates write as absolute paths start with it.
    """
    start = "index.html"
    seen = {start: 0}
    todo = deque([start])
    while todo:
        rel = todo.popleft()
        page_url = base + (rel.removesuffix("index.html"))
        for href in HREF.findall((site / rel).read_text(encoding="utf-8")):
            target = urlsplit(urljoin("http://site" + page_url, href.replace("&amp;", "&")))
            if target.netloc != "site" or not target.path.startswith(base):
                continue
            path = unquote(target.path[len(base):])
            if path == "" or path.endswith("/"):
                path += "index.html"
            if not path.endswith(".html") or path in seen or not (site / path).is_file():
                continue
            seen[path] = seen[rel] + 1
            todo.append(path)
    return seen


def html_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
