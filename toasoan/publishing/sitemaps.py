"""sitemap.xml (an index of parts of ≤ 50,000 URLs), a Google News sitemap, robots.txt.

Written once per build in on_post_build, streaming one part at a time;
nothing here runs per page. ``sitemap.xml`` is always the index, so robots.txt
and search consoles keep one address whatever the size of the archive.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable, Iterator
from xml.sax.saxutils import escape

from ..publishing.feeds import clean
from ..publishing.meta import Publication, iso, modified
from ..core.model import Article

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS = 50_000        # the sitemaps.org limit per file
NEWS_DAYS = 2            # Google News reads articles of the last two days
NEWS_MAX = 1_000         # and at most 1,000 of them per sitemap
INDEX = "sitemap.xml"
NEWS_FILE = "sitemap-news.xml"

ET.register_namespace("news", NEWS)


@dataclass(frozen=True)
class Entry:
    url: str                     # site-relative
    lastmod: datetime | None = None


def entries(articles: Iterable[Article], listing_pages: Iterable, other_urls: Iterable[str] = ()) -> Iterator[Entry]:
    """Every URL of the site once: the home page, listings, articles, other pages."""
    seen = set()
    for item in [Entry("", None), *(Entry(u) for u in other_urls)]:
        if item.url not in seen:
            seen.add(item.url)
            yield item
    for page in listing_pages:
        if page.url not in seen:
            seen.add(page.url)
            shown = page.items or page.listing.articles[:1]   # a year or month: its calendar
            if not shown:
                continue  # an empty section page has nothing for a search engine
            # A listing page changes when its newest article does (items are newest first).
            newest = max([shown[0].date, *(a.updated for a in page.items if a.updated)])
            yield Entry(page.url, newest)
    for article in articles:
        url = article.url
        if url not in seen:
            seen.add(url)
            yield Entry(url, modified(article))


def _chunks(items: Iterable[Entry], size: int) -> Iterator[list[Entry]]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def urlset(pub: Publication, chunk: list[Entry]) -> bytes:
    """One sitemap part. Written as text (escaped by xml.sax.saxutils): for 50,000
    URLs this is several times faster than building an ElementTree."""
    out = ["<?xml version='1.0' encoding='utf-8'?>\n", f'<urlset xmlns="{SITEMAP}">\n']
    for entry in chunk:
        out.append(f" <url>\n  <loc>{escape(clean(pub.absolute(entry.url)))}</loc>\n")
        if entry.lastmod is not None:
            out.append(f"  <lastmod>{iso(entry.lastmod)}</lastmod>\n")
        out.append(" </url>\n")
    out.append("</urlset>\n")
    return "".join(out).encode("utf-8")


def index(pub: Publication, parts: list[tuple[str, datetime | None]]) -> bytes:
    root = ET.Element(f"{{{SITEMAP}}}sitemapindex")
    for name, lastmod in parts:
        sm = ET.SubElement(root, f"{{{SITEMAP}}}sitemap")
        ET.SubElement(sm, f"{{{SITEMAP}}}loc").text = clean(pub.absolute(name))
        if lastmod is not None:
            ET.SubElement(sm, f"{{{SITEMAP}}}lastmod").text = iso(lastmod)
    return _xml(root)


def recent(articles_newest_first: Iterable[Article], now: datetime, days: int = NEWS_DAYS,
           limit: int = NEWS_MAX) -> list[Article]:
    """Articles of the last ``days`` before ``now``; stops at the first older one."""
    cutoff = now - timedelta(days=days)
    out = []
    for article in articles_newest_first:
        if article.date > now:
            continue   # scheduled, shown only in preview
        if article.date < cutoff or len(out) >= limit:
            break
        out.append(article)
    return out


def news(pub: Publication, articles: list[Article]) -> bytes:
    """Google News sitemap (news: namespace, language vi)."""
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for article in articles:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = clean(pub.absolute(article.url))
        ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = iso(modified(article))
        item = ET.SubElement(url, f"{{{NEWS}}}news")
        publication = ET.SubElement(item, f"{{{NEWS}}}publication")
        ET.SubElement(publication, f"{{{NEWS}}}name").text = clean(pub.name)
        ET.SubElement(publication, f"{{{NEWS}}}language").text = "vi"
        ET.SubElement(item, f"{{{NEWS}}}publication_date").text = iso(article.date)
        ET.SubElement(item, f"{{{NEWS}}}title").text = clean(article.title)
    return _xml(root)


def robots(pub: Publication) -> str:
    """robots.txt: everything may be crawled; the sitemap index is announced."""
    lines = ["# Trang tin tĩnh: mọi trang đều được phép thu thập.", "User-agent: *", "Allow: /"]
    if pub.site_url:
        lines.append(f"Sitemap: {pub.absolute(INDEX)}")
    return "\n".join(lines) + "\n"


def _xml(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True, default_namespace=SITEMAP) + b"\n"


def write_sitemaps(pub: Publication, site_dir: Path, items: Iterable[Entry],
                   news_articles: list[Article], max_urls: int = MAX_URLS,
                   write_robots: bool = True) -> list[Path]:
    """Write sitemap-N.xml parts, the news sitemap, the index and robots.txt."""
    written, parts = [], []
    for number, chunk in enumerate(_chunks(items, max_urls), start=1):
        name = f"sitemap-{number}.xml"
        (site_dir / name).write_bytes(urlset(pub, chunk))
        written.append(site_dir / name)
        parts.append((name, max((e.lastmod for e in chunk if e.lastmod), default=None)))
    (site_dir / NEWS_FILE).write_bytes(news(pub, news_articles))
    written.append(site_dir / NEWS_FILE)
    parts.append((NEWS_FILE, max((modified(a) for a in news_articles), default=None)))
    (site_dir / INDEX).write_bytes(index(pub, parts))
    written.insert(0, site_dir / INDEX)
    for stale in (site_dir / (INDEX + ".gz"),):
        stale.unlink(missing_ok=True)  # MkDocs' own gzip copy would contradict ours
    if write_robots:
        (site_dir / "robots.txt").write_text(robots(pub), encoding="utf-8")
        written.append(site_dir / "robots.txt")
    return written
