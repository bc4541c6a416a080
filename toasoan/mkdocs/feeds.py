"""MkDocs hook: sharing metadata in <head>, feeds, sitemaps and robots.txt.

Thin on purpose: the logic is in toasoan.meta, toasoan.feeds and
toasoan.sitemaps. Per page this hook does O(1) work; feeds and sitemaps are
written once, in on_post_build.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from mkdocs.utils import get_relative_url

from toasoan.core.dates import now_in
from toasoan.publishing import feeds
from toasoan.publishing import meta
from toasoan.publishing import sitemaps

log = logging.getLogger("mkdocs.hooks.feeds")


def publication(state, config) -> meta.Publication:
    """The Publication of this build (made once, reused by every page)."""
    if state.publication is not None:
        return state.publication
    build = state.build
    bulletin = config.extra.get("bulletin") or {}
    publisher = bulletin.get("publisher") or {}
    site = state.site
    site_url = config.site_url or ""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    theme = config.theme
    pub = meta.Publication(
        site_url=site_url,
        title=config.site_name,
        name=str(publisher.get("name") or (site.name if site else config.site_name)),
        description=config.site_description or "",
        sections={s.slug: s.name for s in site.sections} if site else {},
        logo=publisher.get("logo") or theme.get("logo") or theme.get("favicon"),
        share_image=publisher.get("share_image") or theme.get("logo"),
        images_dir=site.images_dir if site else "images",
        photo_url=build.photo_url if build else None,
        photo_size=build.photo_size if build else None,
    )
    state.publication = pub
    return pub


def on_config(state, config):
    # This hook writes sitemap.xml itself (on_post_build): MkDocs need not render
    # its own, and an empty override only logged "Template skipped" on every build.
    config.theme.static_templates.discard("sitemap.xml")
    return config


def on_page_context(state, context, page, config, nav):
    build = state.build
    if build is None:
        return context
    pub = publication(state, config)
    canonical = page.canonical_url or ""
    article = context.get("article")
    listing_page = context.get("listing_page")
    # Every format of a feed is linked only where readers subscribe: the front page (the
    # site's feeds) and a section's pages (the site's RSS and the section's feeds). Other
    # pages, articles among them, link the site's RSS alone: 5 lines less on each.
    section_page = (listing_page is not None and listing_page.listing.kind == "section"
                    and listing_page.items)
    links = meta.feed_links(pub, pub.title, "", "all" if page.is_homepage else "rss")
    if section_page:
        links += meta.feed_links(pub, listing_page.listing.title, listing_page.listing.base_url)
    # Feeds are found from the page's own address: a relative link is shorter, and right without site_url.
    links = [(kind, title, _relative(href, pub, page.url)) for kind, title, href in links]
    # The meta description is printed here with the sharing tags (base.html leaves it out when
    # ts_head is set): when it is og:description's text, one element carries both.
    given = (page.meta or {}).get("description")
    given = str(given) if given else None
    if article is not None:
        # One entry per author (None when the name makes no listing), so positions match.
        author_urls = [pub.absolute(l.base_url) if (l := build.archive.listing("author", name)) else None
                       for name in article.authors]
        tags = meta.article_tags(pub, article, canonical)
        json_ld = meta.news_article(pub, article, author_urls)
        default = meta.description(article)
        description = default if given in (None, html.escape(default, quote=True)) else given
        # Material prints page.meta.description unescaped: hand it escaped text.
        page.meta.setdefault("description", html.escape(meta.description(article), quote=True))
    else:
        if listing_page is None:
            state.other_urls.append(page.url)
        title = pub.title if page.is_homepage else (page.title or pub.title)
        description = given or pub.description
        tags = meta.page_tags(pub, title, canonical, description)
        json_ld = meta.website(pub) if page.is_homepage else None
    if not canonical:
        tags = [t for t in tags if t[1] != "og:url"]
    context["ts_head"] = meta.render_head(tags, json_ld, links, description or "")
    return context


def _relative(href: str, pub, page_url: str) -> str:
    """``href`` (absolute under site_url, or site-relative) as seen from the page at ``page_url``."""
    if pub.site_url and href.startswith(pub.site_url):
        href = href[len(pub.site_url):]
    elif "://" in href:
        return href
    return get_relative_url(href or ".", page_url or ".") if href else href


def on_post_build(state, config):
    build = state.build
    if build is None:
        return
    pub = publication(state, config)
    if not pub.site_url:
        log.warning("Chưa đặt site_url trong mkdocs.yml: nguồn tin (RSS/Atom) và sitemap cần địa chỉ "
                    "đầy đủ của trang — Cách sửa: thêm 'site_url: https://…/' vào mkdocs.yml.")
    site_dir = Path(config.site_dir)
    now = now_in(build.site)
    archive = build.archive
    chosen = feeds.feeds_for(pub, archive.latest(feeds.LATEST),
                             {slug: l.articles for slug, l in archive.sections.items()})
    written = feeds.write_feeds(pub, chosen, site_dir, now, _image_length(pub, build, site_dir))
    items = sitemaps.entries(archive.articles, archive.pages(), state.other_urls)
    robots_given = (Path(config.docs_dir) / "robots.txt").exists()  # a hand-written one wins
    written += sitemaps.write_sitemaps(pub, site_dir, items, sitemaps.recent(archive.articles, now),
                                       write_robots=not robots_given)
    log.info(f"Nguồn tin và sitemap: {len(chosen)} nguồn tin, {len(written)} tệp.")


def _image_length(pub, build, site_dir: Path):
    """Byte size of an article's lead photo, for RSS <enclosure length>."""
    def length(article):
        path = pub.image_path(article)
        if not path or "://" in path:
            return None
        source = meta.lead_image(article) or ""
        for candidate in (site_dir / path, build.root / pub.images_dir / source):
            if candidate.is_file():
                return candidate.stat().st_size
        return None
    return length
