"""Sharing metadata: Open Graph, Twitter card, NewsArticle JSON-LD, 404, robots.txt."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest

import sitebuild
from pubfixtures import EVIL, EVIL_SUMMARY, Head, jpeg, make, pub
from toasoan.publishing import meta


def test_render_head_escapes_every_value():
    article = make(title=EVIL, summary=EVIL_SUMMARY, tags=["a & b", "<i>x</i>"], image="2026/11/a.jpg")
    p = pub()
    html = meta.render_head(meta.article_tags(p, article, "https://example.org/bao/x/"),
                            meta.news_article(p, article),
                            meta.feed_links(p, 'Mục "A" & <B>', "chinh-tri/"))
    assert "<script>alert" not in html and "</script><b>" not in html
    head = Head(html)
    assert head.first("og:title") == EVIL
    assert head.first("og:description") == EVIL_SUMMARY
    assert [l["title"] for l in head.links][0] == 'Mục "A" & <B> (RSS)'
    # One script element only: the JSON-LD did not close it early.
    assert html.count("</script>") == 1
    data = json.loads(head.json_ld[0])
    assert data["headline"] == EVIL and "description" not in data  # the meta description says it


def test_descriptions_are_cut_at_a_word():
    summary = "Sáng 20/11, " + "huyện Ba Bể khai mạc tuần lễ văn hóa, " * 12
    head = Head(meta.render_head(meta.article_tags(pub(), make(summary=summary), "u")))
    shown = head.first("og:description")
    assert len(shown) <= meta.DESCRIPTION_LIMIT + 1 and shown.endswith("…")
    assert summary.startswith(shown[:-1]) and summary[len(shown) - 1] == " "  # a whole word
    assert meta.description(make(summary="Ngắn.")) == "Ngắn."


def test_json_for_script_cannot_break_out():
    data = {"a": "</script><script>alert(1)</script>", "b": "<!-- & -->", "c": "\u2028"}
    text = meta.json_for_script(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


def test_article_tags_and_news_article():
    article = make(title="Hội nghị", section="chinh-tri", tags=["Đảng bộ", "Ba Bể"],
                   image="2026/11/hoi-nghi.jpg", date="2026-11-24 09:00", updated="2026-11-24 15:30")
    p = pub()
    head = Head(meta.render_head(meta.article_tags(p, article, "https://example.org/bao/2026/11/hn/")))
    assert head.first("og:type") == "article"
    assert not head.all("og:locale")  # <html lang> says the language
    assert head.first("og:image") == "https://example.org/bao/images/2026/11/hoi-nghi.jpg"
    assert head.first("article:published_time") == "2026-11-24T09:00:00+07:00"
    assert head.first("article:modified_time") == "2026-11-24T15:30:00+07:00"
    # Each fact once: section, tags and authors are in the JSON-LD only; X falls back to og:image.
    assert not head.all("article:section") and not head.all("article:tag") and not head.all("article:author")
    assert not head.all("og:image:alt") and not head.all("twitter:image")
    assert head.first("twitter:card") == "summary_large_image"
    data = meta.news_article(p, article)
    assert data["@type"] == "NewsArticle"
    assert data["image"] == ["https://example.org/bao/images/2026/11/hoi-nghi.jpg"]
    assert data["datePublished"] == "2026-11-24T09:00:00+07:00"
    assert data["dateModified"] == "2026-11-24T15:30:00+07:00"
    assert data["author"] == [{"@type": "Person", "name": "Xuân Nghiệp"}]
    # Once on the front page (WebSite), not on every article; the canonical link names the page.
    assert not {"publisher", "description", "inLanguage", "mainEntityOfPage", "url"} & set(data)
    assert meta.website(p)["publisher"]["logo"]["url"] == "https://example.org/bao/assets/logo.png"
    assert data["articleSection"] == "Chính trị" and data["keywords"] == ["Đảng bộ", "Ba Bể"]


def test_modified_time_only_when_the_article_was_updated():
    def head(**fields):
        return Head(meta.render_head(meta.article_tags(pub(), make(date="2026-11-24 09:00", **fields), "u")))
    assert not head().all("article:modified_time")
    # An "update" at or before publication is no change.
    assert not head(updated="2026-11-24 09:00").all("article:modified_time")
    assert head(updated="2026-11-25 07:00").first("article:modified_time") == "2026-11-25T07:00:00+07:00"
    # JSON-LD always has dateModified (search engines expect it): the publication time when never updated.
    assert meta.news_article(pub(), make(date="2026-11-24 09:00"))["dateModified"] == "2026-11-24T09:00:00+07:00"


def test_lead_image_from_body_and_photo_url_hook():
    article = make(body='Mở đầu.\n\n![Ảnh](2026/11/dau-tien.jpg "Chú thích. Ảnh: A")\n\n![](2026/11/hai.jpg)')
    assert meta.lead_image(article) == "2026/11/dau-tien.jpg"
    assert pub().image_url(article) == "https://example.org/bao/images/2026/11/dau-tien.jpg"
    # The photos stage may publish a resized copy under another URL.
    p = pub(photo_url=lambda path: f"images/_r/{path.rsplit('.', 1)[0]}-1200.webp")
    assert p.image_url(article) == "https://example.org/bao/images/_r/2026/11/dau-tien-1200.webp"
    assert meta.image_type(p.image_url(article)) == "image/webp"
    assert meta.lead_image(make(body="Không có ảnh.")) is None
    assert Head(meta.render_head(meta.article_tags(pub(), make(body="x"), "u"))).first("twitter:card") == "summary"


def test_author_urls_keep_their_positions():
    article = make(authors=["Xuân Nghiệp", "???", "Đức Thịnh"])
    urls = ["https://example.org/bao/tac-gia/xuan-nghiep/", None, "https://example.org/bao/tac-gia/duc-thinh/"]
    data = meta.news_article(pub(), article, urls)
    assert [p.get("url") for p in data["author"]] == urls


def test_page_tags_for_other_pages():
    head = Head(meta.render_head(meta.page_tags(pub(), "Chính trị", "https://example.org/bao/chinh-tri/")))
    assert head.first("og:type") == "website"
    assert head.first("og:title") == "Chính trị"
    assert not head.all("og:locale")  # <html lang> says the language


# --- the real build ------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = sitebuild.build(tmp_path_factory.mktemp("meta"), {
        "2026/evil.md": sitebuild.article(title=EVIL, date="2026-11-24 09:00", category="Chính trị",
                                          tags=["a & b", "<i>x</i>"], summary=EVIL_SUMMARY, slug="bai-doc"),
        "2026/plain.md": sitebuild.article(title="Khai mạc hội chợ", date="2026-11-20 08:00",
                                           category="Kinh tế", image="2026/11/cho.jpg",
                                           updated="2026-11-21 10:00"),
    }, images={"2026/11/cho.jpg": jpeg()})
    assert built.returncode == 0, built.log
    return built


def test_article_page_head(site):
    page = site.html("2026/11/bai-doc/")
    head = Head(page)
    canonical = [l["href"] for l in head.links if l.get("rel") == "canonical"]
    assert canonical == ["https://example.org/bao-thu/2026/11/bai-doc/"]
    assert head.first("og:type") == "article"
    assert head.first("og:title") == EVIL
    assert head.first("og:url") == canonical[0]
    assert head.first("article:published_time") == "2026-11-24T09:00:00+07:00"
    assert not head.all("article:section") and not head.all("article:tag")
    assert not head.all("article:modified_time")  # never updated
    assert head.first("description") == EVIL_SUMMARY
    # Said once: the meta description is also og:description (one element, both names).
    assert len(re.findall(r'<meta name="description" property="og:description" content="[^"]*">', page)) == 1
    assert page.count('name="description"') == 1 and page.count('property="og:description"') == 1
    ld = [json.loads(block) for block in head.json_ld]
    article = next(d for d in ld if d.get("@type") == "NewsArticle")
    assert article["headline"] == EVIL
    assert article["author"][0]["name"] == "Xuân Nghiệp"
    assert article["author"][0]["url"] == "https://example.org/bao-thu/tac-gia/xuan-nghiep/"
    assert article["articleSection"] == "Chính trị" and article["keywords"] == ["a & b", "<i>x</i>"]
    assert "publisher" not in article
    # An article links the site's RSS only; every format is on the front page and section pages.
    assert _feeds(head) == ["https://example.org/bao-thu/feed.xml"]


def test_lead_image_and_modified_time(site):
    head = Head(site.html("2026/11/khai-mac-hoi-cho/"))
    image = head.first("og:image")
    # Whatever rendition the photos stage publishes, og:image is absolute and exists.
    assert image.startswith("https://example.org/bao-thu/images/") and image.endswith(".jpg")
    assert (site.site / image.removeprefix("https://example.org/bao-thu/")).is_file()
    assert head.first("article:modified_time") == "2026-11-21T10:00:00+07:00"
    # Zalo and Facebook show the picture large only when told its type and size.
    assert head.first("og:image:type") == "image/jpeg"
    from PIL import Image
    with Image.open(site.site / image.removeprefix("https://example.org/bao-thu/")) as shared:
        assert (head.first("og:image:width"), head.first("og:image:height")) == tuple(map(str, shared.size))
    ld = next(json.loads(b) for b in head.json_ld if '"NewsArticle"' in b)
    assert ld["image"] == [head.first("og:image")] and ld["dateModified"] == "2026-11-21T10:00:00+07:00"


def test_no_page_lets_front_matter_markup_through(site):
    for path in site.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text, path
        assert "</script><b>" not in text, path


def _feeds(head: Head) -> list[str]:
    """The feed links' addresses as a reader resolves them from the page (its canonical address)."""
    hrefs = [l["href"] for l in head.links if l.get("rel") == "alternate" and "type" in l]
    canonical = [l["href"] for l in head.links if l.get("rel") == "canonical"]
    if not canonical:
        return hrefs
    # Written relative to the page (shorter, and right without site_url): never an absolute address.
    assert not any("://" in h for h in hrefs), hrefs
    return [urljoin(canonical[0], h) for h in hrefs]


def test_other_pages_are_websites(site):
    home = Head(site.html(""))
    assert home.first("og:type") == "website"
    assert any(json.loads(b).get("@type") == "WebSite" for b in home.json_ld)
    section = Head(site.html("chinh-tri/"))
    assert section.first("og:type") == "website"


def test_every_feed_format_only_on_the_front_page_and_section_pages(site):
    site_feeds = [f"https://example.org/bao-thu/{name}" for name in ("feed.xml", "atom.xml", "feed.json")]
    assert _feeds(Head(site.html(""))) == site_feeds
    assert _feeds(Head(site.html("chinh-tri/"))) == site_feeds[:1] + [
        f"https://example.org/bao-thu/chinh-tri/{name}" for name in ("feed.xml", "atom.xml", "feed.json")]
    for url in ("2026/11/khai-mac-hoi-cho/", "tac-gia/xuan-nghiep/", "chu-de/a-b/", "luu-tru/", "tim-kiem/"):
        assert _feeds(Head(site.html(url))) == site_feeds[:1], url
    assert _feeds(Head((site.site / "404.html").read_text(encoding="utf-8"))) == ["/bao-thu/feed.xml"]


def test_404_and_robots(site):
    page = (site.site / "404.html").read_text(encoding="utf-8")
    assert "Không tìm thấy trang" in page and 'name="robots" content="noindex"' in page
    assert "/bao-thu/feed.xml" in page
    # An absolute path: a script moves it to "/" when the host serves site/ from its root.
    assert '<a href="/bao-thu/">Về trang chủ</a>' in page
    robots = (site.site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/bao-thu/sitemap.xml" in robots
    assert "User-agent: *" in robots
