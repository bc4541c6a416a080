"""RSS 2.0, Atom and JSON Feed 1.1 of the latest articles (whole site and per section).

XML goes through xml.etree, which escapes text and attributes. RSS readers
render ``<description>`` as HTML, so the plain-text summary is HTML-escaped
before it (``html_text``): "<b>" stays four characters. Characters
that XML 1.0 forbids (pasted control codes) are dropped first, since no
parser would read a feed that has one. Each feed holds at most ``LATEST``
articles, so writing every feed costs O(sections × LATEST), whatever the
size of the archive.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

from ..publishing.meta import Publication, image_type, iso, modified
from ..core.model import Article

LATEST = 50
ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
MEDIA = "http://search.yahoo.com/mrss/"
GENERATOR = "Tòa soạn (MkDocs)"

ET.register_namespace("atom", ATOM)
ET.register_namespace("dc", DC)
ET.register_namespace("media", MEDIA)

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """Text that XML 1.0 can hold."""
    return _NOT_XML.sub("", str(text))


def html_text(text: str) -> str:
    """Plain text for an element that readers parse as HTML (RSS <description>)."""
    return html.escape(str(text), quote=False)


@dataclass
class Feed:
    """One feed: its place on the site and the articles it lists, newest first."""

    base: str           # "" for the whole site, "chinh-tri/" for a section
    title: str
    description: str
    articles: list[Article]


def feeds_for(pub: Publication, latest_site: list[Article],
              sections: dict[str, list[Article]], limit: int = LATEST) -> list[Feed]:
    """The site feed and one per section that has articles (lists already newest first)."""
    out = [Feed("", pub.title, pub.description or pub.title, latest_site[:limit])]
    for slug, articles in sections.items():
        if articles:
            name = pub.section_name(slug) or slug
            out.append(Feed(f"{slug}/", f"{name} – {pub.title}",
                            f"Tin bài mục {name} của {pub.title}", articles[:limit]))
    return out


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = clean(text)
    return el


def _updated(feed: Feed, now: datetime) -> datetime:
    return max((modified(a) for a in feed.articles), default=now)


def rss(pub: Publication, feed: Feed, now: datetime, image_length=None) -> bytes:
    """RSS 2.0; authors' names go in dc:creator (RSS <author> must be an e-mail address)."""
    root = ET.Element("rss", {"version": "2.0"})
    channel = _sub(root, "channel")
    _sub(channel, "title", feed.title)
    _sub(channel, "link", pub.absolute(feed.base))
    _sub(channel, "description", html_text(feed.description))
    _sub(channel, "language", "vi")
    _sub(channel, "lastBuildDate", format_datetime(_updated(feed, now)))
    _sub(channel, "generator", GENERATOR)
    _sub(channel, f"{{{ATOM}}}link", href=pub.absolute(feed.base + "feed.xml"), rel="self",
         type="application/rss+xml")
    for article in feed.articles:
        url = pub.absolute(article.url)
        item = _sub(channel, "item")
        _sub(item, "title", article.title)
        _sub(item, "link", url)
        _sub(item, "guid", url, isPermaLink="true")
        _sub(item, "description", html_text(article.summary))
        for author in article.authors:
            _sub(item, f"{{{DC}}}creator", author)
        section = pub.section_name(article.section)
        if section:
            _sub(item, "category", section, domain=pub.absolute(f"{article.section}/"))
        for tag in article.tags:
            _sub(item, "category", tag)
        _sub(item, "pubDate", format_datetime(article.date))
        image = pub.image_url(article)
        if image:
            length = image_length(article) if image_length else None
            _sub(item, "enclosure", url=image, type=image_type(image), length=str(length or 0))
            _sub(item, f"{{{MEDIA}}}content", url=image, medium="image", type=image_type(image))
    return _xml(root)


def atom(pub: Publication, feed: Feed, now: datetime, image_length=None) -> bytes:
    """Atom (RFC 4287), with Atom as the default namespace as feed readers expect."""
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "vi"})
    _sub(root, "id", pub.absolute(feed.base + "atom.xml"))
    _sub(root, "title", feed.title)
    _sub(root, "subtitle", feed.description)
    _sub(root, "updated", iso(_updated(feed, now)))
    _sub(root, "link", rel="self", type="application/atom+xml",
         href=pub.absolute(feed.base + "atom.xml"))
    _sub(root, "link", rel="alternate", type="text/html", href=pub.absolute(feed.base))
    author = _sub(root, "author")
    _sub(author, "name", pub.name)
    _sub(root, "generator", GENERATOR)
    for article in feed.articles:
        url = pub.absolute(article.url)
        entry = _sub(root, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", article.title, type="text")
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        _sub(entry, "published", iso(article.date))
        _sub(entry, "updated", iso(modified(article)))
        for name in article.authors:
            _sub(_sub(entry, "author"), "name", name)
        section = pub.section_name(article.section)
        if section:
            _sub(entry, "category", term=article.section, label=section,
                 scheme=pub.absolute(""))
        for tag in article.tags:
            _sub(entry, "category", term=tag)
        _sub(entry, "summary", article.summary, type="text")
        image = pub.image_url(article)
        if image:
            length = image_length(article) if image_length else None
            attrs = {"rel": "enclosure", "type": image_type(image), "href": image}
            if length:
                attrs["length"] = str(length)
            _sub(entry, "link", **attrs)
    return _xml(root)


def json_feed(pub: Publication, feed: Feed) -> bytes:
    """JSON Feed 1.1 (json.dumps escapes whatever the text holds)."""
    items = []
    for article in feed.articles:
        url = pub.absolute(article.url)
        item = {"id": url, "url": url, "title": article.title, "summary": article.summary,
                "content_text": article.summary,
                "date_published": iso(article.date), "date_modified": iso(modified(article)),
                "authors": [{"name": a} for a in article.authors], "language": "vi"}
        tags = ([pub.section_name(article.section)] if article.section else []) + list(article.tags)
        if tags:
            item["tags"] = [t for t in tags if t]
        image = pub.image_url(article)
        if image:
            item["image"] = image
        items.append(item)
    data = {"version": "https://jsonfeed.org/version/1.1", "title": feed.title,
            "home_page_url": pub.absolute(feed.base), "feed_url": pub.absolute(feed.base + "feed.json"),
            "description": feed.description, "language": "vi",
            "authors": [{"name": pub.name}], "items": items}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    # Still JSON, but no browser can sniff markup in it when opened directly.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.encode("utf-8")


def _xml(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_feeds(pub: Publication, feeds: list[Feed], site_dir: Path, now: datetime,
                image_length=None) -> list[Path]:
    """Write feed.xml, atom.xml and feed.json for each feed; returns the files written."""
    written = []
    for feed in feeds:
        folder = site_dir / feed.base
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in (("feed.xml", rss(pub, feed, now, image_length)),
                           ("atom.xml", atom(pub, feed, now, image_length)),
                           ("feed.json", json_feed(pub, feed))):
            (folder / name).write_bytes(data)
            written.append(folder / name)
    return written
