"""sitemap.xml index and parts, Google News sitemap, robots.txt: parsed back."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

import sitebuild
from pubfixtures import EVIL, many, make, pub, when
from toasoan.publishing import sitemaps

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
NOW = when("2026-11-25 12:00")


def _locs(path):
    return [u.findtext(f"{SM}loc") for u in ET.parse(path).getroot().findall(f"{SM}url")]


def test_split_into_parts_with_an_index(tmp_path):
    articles = many(10)
    listing = SimpleNamespace(url="chinh-tri/", items=articles[:3], listing=SimpleNamespace(articles=articles[:3]))
    empty = SimpleNamespace(url="the-thao/", items=[], listing=SimpleNamespace(articles=[]))
    # A year is a calendar page: no cards, but a page a search engine should know.
    year = SimpleNamespace(url="2026/", items=[], listing=SimpleNamespace(articles=articles))
    items = sitemaps.entries(articles, [listing, empty, year], ["gioi-thieu/"])
    written = sitemaps.write_sitemaps(pub(), tmp_path, items, [], max_urls=4)
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == f"{SM}sitemapindex"
    parts = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
    # home + about + a listing + a year + 10 articles = 14 URLs -> 4 parts of ≤ 4, plus the news sitemap
    assert parts == [f"https://example.org/bao/sitemap-{n}.xml" for n in (1, 2, 3, 4)] + \
        ["https://example.org/bao/sitemap-news.xml"]
    locs = [loc for n in (1, 2, 3, 4) for loc in _locs(tmp_path / f"sitemap-{n}.xml")]
    assert all(len(_locs(tmp_path / f"sitemap-{n}.xml")) <= 4 for n in (1, 2, 3, 4))
    assert len(locs) == len(set(locs)) == 14
    assert locs[:4] == ["https://example.org/bao/", "https://example.org/bao/gioi-thieu/",
                        "https://example.org/bao/chinh-tri/", "https://example.org/bao/2026/"]
    assert "https://example.org/bao/the-thao/" not in locs
    assert tmp_path / "robots.txt" in written


def test_lastmod_from_updated_else_date(tmp_path):
    fresh = make(slug="moi", date="2026-11-20 08:00", updated="2026-11-22 10:30")
    plain = make(slug="cu", date="2026-11-19 07:00")
    listing = SimpleNamespace(url="chinh-tri/", items=[fresh, plain])
    sitemaps.write_sitemaps(pub(), tmp_path, sitemaps.entries([fresh, plain], [listing]), [])
    urls = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod")
            for u in ET.parse(tmp_path / "sitemap-1.xml").getroot().findall(f"{SM}url")}
    assert urls["https://example.org/bao/2026/11/moi/"] == "2026-11-22T10:30:00+07:00"
    assert urls["https://example.org/bao/2026/11/cu/"] == "2026-11-19T07:00:00+07:00"
    assert urls["https://example.org/bao/chinh-tri/"] == "2026-11-22T10:30:00+07:00"
    assert urls["https://example.org/bao/"] is None
    lastmod = ET.parse(tmp_path / "sitemap.xml").getroot().find(f"{SM}sitemap/{SM}lastmod").text
    assert lastmod == "2026-11-22T10:30:00+07:00"


def test_news_sitemap_last_two_days():
    articles = [make(slug="tuong-lai", date="2026-11-26 08:00"),      # scheduled: not yet
                make(title=EVIL, slug="moi", date="2026-11-25 11:00"),
                make(slug="hom-kia", date="2026-11-23 12:30"),
                make(slug="cu", date="2026-11-23 11:59"),
                make(slug="rat-cu", date="2026-10-01 08:00")]
    recent = sitemaps.recent(articles, NOW)
    assert [a.slug for a in recent] == ["moi", "hom-kia"]
    root = ET.fromstring(sitemaps.news(pub(), recent))
    url = root.find(f"{SM}url")
    assert url.findtext(f"{SM}loc") == "https://example.org/bao/2026/11/moi/"
    assert url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name") == "Báo <Mẫu>"
    assert url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language") == "vi"
    assert url.findtext(f"{NEWS}news/{NEWS}publication_date") == "2026-11-25T11:00:00+07:00"
    assert url.findtext(f"{NEWS}news/{NEWS}title") == EVIL
    assert len(sitemaps.recent(many(1500, step=when("2026-11-25 12:00") - when("2026-11-25 11:59")), NOW)) == 1000


def test_robots_without_site_url():
    assert "Sitemap:" not in sitemaps.robots(pub(site_url=""))
    assert sitemaps.robots(pub()).splitlines()[-1] == "Sitemap: https://example.org/bao/sitemap.xml"


# --- the real build ------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = sitebuild.build(tmp_path_factory.mktemp("sitemaps"), {
        "2026/new.md": sitebuild.article(title=EVIL, date="2026-11-24 09:00", category="Chính trị", slug="moi"),
        "2026/old.md": sitebuild.article(title="Bài cũ", date="2026-11-20 08:00", category="Kinh tế",
                                         updated="2026-11-21 09:15"),
        "2026/later.md": sitebuild.article(title="Bài hẹn giờ", date="2026-12-01 08:00"),
    })
    assert built.returncode == 0, built.log
    return built


def test_built_sitemaps(site):
    base = "https://example.org/bao-thu/"
    assert not (site.site / "sitemap.xml.gz").exists()   # MkDocs' own sitemap is not written
    index = ET.parse(site.site / "sitemap.xml").getroot()
    parts = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
    assert parts == [base + "sitemap-1.xml", base + "sitemap-news.xml"]
    urls = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod")
            for u in ET.parse(site.site / "sitemap-1.xml").getroot().findall(f"{SM}url")}
    assert urls[base + "2026/11/moi/"] == "2026-11-24T09:00:00+07:00"
    assert urls[base + "2026/11/bai-cu/"] == "2026-11-21T09:15:00+07:00"
    assert base + "gioi-thieu/" in urls and base in urls
    assert base + "chinh-tri/" in urls and base + "tac-gia/xuan-nghiep/" in urls
    assert not any("hen-gio" in u for u in urls)
    # Every URL in the sitemap is a page of the site.
    for url in urls:
        assert (site.site / url.removeprefix(base) / "index.html").is_file(), url
    news = ET.parse(site.site / "sitemap-news.xml").getroot()
    assert [u.findtext(f"{SM}loc") for u in news.findall(f"{SM}url")] == [base + "2026/11/moi/"]
    robots = (site.site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base}sitemap.xml" in robots
