"""Sharing metadata: Open Graph, Twitter card and schema.org JSON-LD for a page.

Everything here is pure: the feeds hook hands in a ``Publication`` (who
publishes, where) and an Article, and gets back escaped HTML for ``<head>``.
Per page the work is O(1): no function here looks at other articles.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable
from urllib.parse import quote, urljoin

from ..reading.photorefs import lead_source
from ..reading.plain import excerpt
from ..core.model import Article

LANGUAGE = "vi"
# Search engines show about 160 characters of a description, Zalo and Facebook two lines
# under the title: the whole summary (often 300) was three times in every article's head.
DESCRIPTION_LIMIT = 160

# The first Markdown image of a body: the lead photo when front-matter has none.
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_SAFE = "/%:@&=+$,;~-._!*'()#?"
_IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
                "webp": "image/webp", "gif": "image/gif", "avif": "image/avif"}


@dataclass
class Publication:
    """Who publishes the bulletin and where: what every feed, sitemap and meta tag needs."""

    site_url: str                    # absolute, ends with "/"; "" when mkdocs.yml has none
    title: str                       # the site's name (mkdocs.yml site_name)
    name: str                        # the publisher's name (extra.bulletin.publisher.name)
    description: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # slug -> name
    logo: str | None = None          # site-relative path of the publisher's logo
    share_image: str | None = None   # picture shared for pages that are not articles
    images_dir: str = "images"
    # The photos stage may publish resized copies; ``photo_url(path below images/)
    # -> site-relative URL`` is then the Build's method of that name.
    photo_url: Callable[[str], str | None] | None = None
    photo_size: Callable[[str], tuple[int, int] | None] | None = None  # (width, height) of that URL

    def absolute(self, path: str) -> str:
        """Absolute URL of a site-relative path (kept relative when there is no site_url)."""
        if "://" in path and _SCHEME.match(path):
            return path
        if not self.site_url:
            return path
        path = quote(path, safe=_SAFE)
        # Site paths are plain ("2022/01/slug/"); urljoin only for the rare "/x" or "../x".
        return urljoin(self.site_url, path) if path.startswith(("/", "..")) else self.site_url + path

    def image_path(self, article: Article) -> str | None:
        """Site-relative URL of the article's lead photo, or None."""
        source = lead_image(article)
        if source is None:
            return None
        if _SCHEME.match(source):
            return source
        if self.photo_url is not None:
            return self.photo_url(source)  # None: the photo is not published (missing, broken)
        return f"{self.images_dir.strip('/')}/{source.lstrip('/')}"

    def image_url(self, article: Article) -> str | None:
        path = self.image_path(article)
        return self.absolute(path) if path else None

    def image_size(self, article: Article) -> tuple[int, int] | None:
        """(width, height) of the shared lead photo, when the photos stage knows it."""
        source = lead_image(article)
        if source is None or self.photo_size is None or _SCHEME.match(source):
            return None
        return self.photo_size(source)

    def section_name(self, slug: str | None) -> str:
        return self.sections.get(slug or "", "")


def lead_image(article: Article) -> str | None:
    """Front-matter ``image``, else the first photo of the body (a path below images/):
    the same photo the catalog lists (see ``reading.photorefs.lead_source``)."""
    return lead_source(article)


def image_type(url: str) -> str:
    """MIME type guessed from the file extension (JPEG when unknown)."""
    ext = url.rsplit("?", 1)[0].rsplit(".", 1)[-1].lower()
    return _IMAGE_TYPES.get(ext, "image/jpeg")


def iso(dt: datetime) -> str:
    """W3C date-time with the offset, e.g. 2022-01-13T08:30:00+07:00."""
    return dt.isoformat(timespec="seconds")


def modified(article: Article) -> datetime:
    """The last change: ``updated`` when it is later than the date of publication."""
    return updated(article) or article.date


def json_for_script(data) -> str:
    """JSON safe inside <script>: '<', '>' and '&' become \\u escapes, so '</script>' cannot end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def description(article: Article) -> str:
    """The article's summary cut to what a search result or a shared link shows."""
    return excerpt(article.summary, DESCRIPTION_LIMIT)


def updated(article: Article) -> datetime | None:
    """When the article was really changed after publication (front-matter ``updated``), else None."""
    return article.updated if article.updated and article.updated > article.date else None


def article_tags(pub: Publication, article: Article, canonical: str) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter tags of an article as (attribute, name, content).

    Each fact once: section, tags and authors are in the JSON-LD (``news_article``),
    where search engines read them; Facebook and Zalo use none of article:section,
    article:tag or article:author, which cost a line per tag on every page, nor
    og:locale (the page's language is in ``<html lang>``).
    """
    image = pub.image_url(article)
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", pub.title),
        ("property", "og:title", article.title),
        ("property", "og:description", description(article)),
        ("property", "og:url", canonical),
    ]
    if image:
        # No og:image:alt: the picture is shared beside the title, which says the same.
        tags += [("property", "og:image", image), ("property", "og:image:type", image_type(image))]
        # Zalo and Facebook show a large picture at once only when they are told its size.
        size = pub.image_size(article)
        if size:
            tags += [("property", "og:image:width", str(size[0])), ("property", "og:image:height", str(size[1]))]
    tags.append(("property", "article:published_time", iso(article.date)))
    changed = updated(article)
    if changed:  # an article never changed has no modification time (the JSON-LD still says dateModified)
        tags.append(("property", "article:modified_time", iso(changed)))
    # X (Twitter) reads og:title, og:description and og:image when its own tags are absent:
    # only the card kind is its own.
    tags.append(("name", "twitter:card", "summary_large_image" if image else "summary"))
    return tags


def page_tags(pub: Publication, title: str, canonical: str, description: str = "") -> list[tuple[str, str, str]]:
    """Tags of a page that is not an article (home, listings, static pages)."""
    description = description or pub.description
    tags = [
        ("property", "og:type", "website"),
        ("property", "og:site_name", pub.title),
        ("property", "og:title", title or pub.title),
        ("property", "og:url", canonical),
        ("name", "twitter:card", "summary"),
    ]
    if description:
        tags.insert(3, ("property", "og:description", description))
    if pub.share_image:
        tags.append(("property", "og:image", pub.absolute(pub.share_image)))
    return [t for t in tags if t[2]]


def news_article(pub: Publication, article: Article,
                 author_urls: list[str | None] | None = None) -> dict:
    """schema.org NewsArticle for one article.

    Only what the head does not already say: no description (the meta description is
    read), no inLanguage (``<html lang>``), no url or mainEntityOfPage (the canonical
    link names the page), and no publisher: it is described once, in the front page's WebSite.
    """
    authors = []
    for i, name in enumerate(article.authors):
        person = {"@type": "Person", "name": name}
        if author_urls and i < len(author_urls) and author_urls[i]:
            person["url"] = author_urls[i]  # positions match article.authors
        authors.append(person)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": iso(article.date),
        "dateModified": iso(modified(article)),
        "author": authors,
    }
    image = pub.image_url(article)
    if image:
        data["image"] = [image]
    section = pub.section_name(article.section)
    if section:
        data["articleSection"] = section
    if article.tags:
        data["keywords"] = list(article.tags)
    if article.location:
        data["contentLocation"] = {"@type": "Place", "name": article.location}
    return data


def organization(pub: Publication) -> dict:
    org = {"@type": "NewsMediaOrganization", "name": pub.name}
    if pub.site_url:
        org["url"] = pub.site_url
    if pub.logo:
        org["logo"] = {"@type": "ImageObject", "url": pub.absolute(pub.logo)}
    return org


def website(pub: Publication) -> dict:
    """schema.org WebSite for the home page."""
    data = {"@context": "https://schema.org", "@type": "WebSite", "name": pub.title,
            "inLanguage": LANGUAGE, "publisher": organization(pub)}
    if pub.site_url:
        data["url"] = pub.site_url
    return data


def feed_links(pub: Publication, title: str, base: str, formats: str = "all") -> list[tuple[str, str, str]]:
    """(type, title, href) of the feeds found at ``base``: RSS, Atom and JSON, or with
    ``formats="rss"`` the RSS feed alone (what most pages link: readers find the rest
    on the front page and the section pages)."""
    links = [("application/rss+xml", f"{title} (RSS)", pub.absolute(base + "feed.xml"))]
    if formats == "all":
        links += [("application/atom+xml", f"{title} (Atom)", pub.absolute(base + "atom.xml")),
                  ("application/feed+json", f"{title} (JSON Feed)", pub.absolute(base + "feed.json"))]
    return links


def render_head(tags: list[tuple[str, str, str]], json_ld: dict | None = None,
                links: list[tuple[str, str, str]] | None = None, description: str | None = None) -> str:
    """The escaped HTML of meta tags, feed links and a JSON-LD block.

    ``description`` is the page's meta description (None: the template prints its own).
    When it says what ``og:description`` says, one element carries both names
    (``<meta name="description" property="og:description" content>``, valid HTML+RDFa):
    search engines read its ``name``, Facebook, Zalo and X its ``property``, and the
    text (up to 160 characters, ≈ 200 bytes in Vietnamese) is in the page once.
    """
    e = lambda s: html.escape(str(s), quote=True)  # noqa: E731
    out = []
    if description is not None and not any(t[:2] == ("property", "og:description") for t in tags):
        if description:
            out.append(f'<meta name="description" content="{e(description)}">')
    for attr, name, content in tags:
        if (attr, name) == ("property", "og:description") and (description is None or description == content):
            out.append(f'<meta name="description" property="og:description" content="{e(content)}">')
            continue
        if (attr, name) == ("property", "og:description") and description:
            out.append(f'<meta name="description" content="{e(description)}">')
        out.append(f'<meta {attr}="{e(name)}" content="{e(content)}">')
    out += [f'<link rel="alternate" type="{e(kind)}" title="{e(title)}" href="{e(href)}">'
            for kind, title, href in links or []]
    if json_ld is not None:
        out.append(f'<script type="application/ld+json">{json_for_script(json_ld)}</script>')
    return "\n".join(out)
