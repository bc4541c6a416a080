"""RSS 2.0, Atom and JSON Feed: parsed back, with escaping and the latest-50 limit."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest

import sitebuild
from pubfixtures import EVIL, EVIL_SUMMARY, jpeg, make, many, pub, when
from toasoan.publishing import feeds

A = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
NOW = when("2026-11-25 12:00")


def _feed(articles, base=""):
    return feeds.Feed(base, "Báo Mẫu & Tin", "Mô tả <b>", articles)


def test_rss_items_have_required_elements_and_escaping():
    article = make(title=EVIL, summary=EVIL_SUMMARY, section="chinh-tri", tags=["a & b"],
                   authors=["Xuân Nghiệp", "Đức Thịnh"], image="2026/11/a.png", slug="bai-doc")
    root = ET.fromstring(feeds.rss(pub(), _feed([article]), NOW, lambda a: 1234))
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "Báo Mẫu & Tin"
    assert channel.findtext("link") == "https://example.org/bao/"
    assert channel.findtext("description") == "Mô tả &lt;b&gt;"  # readers render it as HTML
    assert channel.findtext("language") == "vi"
    assert channel.find(f"{A}link").get("rel") == "self"
    item = channel.find("item")
    assert item.findtext("title") == EVIL
    assert html.unescape(item.findtext("description")) == EVIL_SUMMARY
    assert "<" not in item.findtext("description")
    assert item.findtext("link") == "https://example.org/bao/2026/11/bai-doc/"
    assert item.find("guid").get("isPermaLink") == "true"
    assert [c.text for c in item.findall(f"{DC}creator")] == ["Xuân Nghiệp", "Đức Thịnh"]
    assert [c.text for c in item.findall("category")] == ["Chính trị", "a & b"]
    assert item.findtext("pubDate") == "Tue, 24 Nov 2026 09:00:00 +0700"
    assert parsedate_to_datetime(item.findtext("pubDate")) == when("2026-11-24 09:00")
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == "https://example.org/bao/images/2026/11/a.png"
    assert enclosure.get("type") == "image/png" and enclosure.get("length") == "1234"
    assert item.find(f"{MEDIA}content").get("medium") == "image"


def test_atom_entries():
    article = make(title=EVIL, summary=EVIL_SUMMARY, tags=["<i>x</i>"], image="2026/11/a.jpg",
                   updated="2026-11-24 18:00", slug="bai-doc")
    root = ET.fromstring(feeds.atom(pub(), _feed([article], "chinh-tri/"), NOW))
    assert root.tag == f"{A}feed"
    assert root.findtext(f"{A}id") == "https://example.org/bao/chinh-tri/atom.xml"
    assert root.findtext(f"{A}updated") == "2026-11-24T18:00:00+07:00"
    assert root.find(f"{A}author/{A}name").text == "Báo <Mẫu>"
    links = {l.get("rel"): l.get("href") for l in root.findall(f"{A}link")}
    assert links == {"self": "https://example.org/bao/chinh-tri/atom.xml",
                     "alternate": "https://example.org/bao/chinh-tri/"}
    entry = root.find(f"{A}entry")
    assert entry.findtext(f"{A}title") == EVIL
    assert entry.findtext(f"{A}summary") == EVIL_SUMMARY
    assert entry.findtext(f"{A}published") == "2026-11-24T09:00:00+07:00"
    assert entry.findtext(f"{A}updated") == "2026-11-24T18:00:00+07:00"
    assert entry.findtext(f"{A}author/{A}name") == "Xuân Nghiệp"
    assert [c.get("term") for c in entry.findall(f"{A}category")] == ["chinh-tri", "<i>x</i>"]
    enclosure = [l for l in entry.findall(f"{A}link") if l.get("rel") == "enclosure"]
    assert enclosure[0].get("href") == "https://example.org/bao/images/2026/11/a.jpg"


def test_json_feed():
    article = make(title=EVIL, summary=EVIL_SUMMARY, tags=["a & b"], image="2026/11/a.jpg", slug="bai-doc")
    raw = feeds.json_feed(pub(), _feed([article]))
    assert b"<" not in raw  # no markup for a browser to sniff, still JSON
    data = json.loads(raw)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == "https://example.org/bao/feed.json"
    item = data["items"][0]
    assert item["title"] == EVIL and item["summary"] == EVIL_SUMMARY
    assert item["date_published"] == "2026-11-24T09:00:00+07:00"
    assert item["authors"] == [{"name": "Xuân Nghiệp"}]
    assert item["tags"] == ["Chính trị", "a & b"]
    assert item["image"] == "https://example.org/bao/images/2026/11/a.jpg"


def test_control_characters_are_dropped_not_fatal():
    article = make(title="Tiêu đề\x0b có ký tự\x00 lạ", summary="A\x1bB")
    root = ET.fromstring(feeds.rss(pub(), _feed([article]), NOW))
    assert root.find("channel/item/title").text == "Tiêu đề có ký tự lạ"
    ET.fromstring(feeds.atom(pub(), _feed([article]), NOW))


def test_latest_fifty_per_feed_and_sections():
    articles = many(60, section="chinh-tri")
    chosen = feeds.feeds_for(pub(), articles, {"chinh-tri": articles, "xa-hoi": []})
    assert [f.base for f in chosen] == ["", "chinh-tri/"]   # an empty section gets no feed
    assert all(len(f.articles) == 50 for f in chosen)
    assert chosen[1].title.startswith("Chính trị")
    root = ET.fromstring(feeds.rss(pub(), chosen[0], NOW))
    assert len(root.findall("channel/item")) == 50
    assert root.find("channel/item/title").text == "Bài số 0"   # newest first


# --- the real build ------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = sitebuild.build(tmp_path_factory.mktemp("feeds"), {
        "2026/evil.md": sitebuild.article(title=EVIL, date="2026-11-24 09:00", category="Chính trị",
                                          tags=["a & b"], summary=EVIL_SUMMARY, slug="bai-doc",
                                          image="2026/11/anh.jpg"),
        "2026/other.md": sitebuild.article(title="Bài kinh tế", date="2026-11-23 08:00", category="Kinh tế"),
        "2026/later.md": sitebuild.article(title="Bài hẹn giờ", date="2026-12-01 08:00", category="Kinh tế"),
    }, images={"2026/11/anh.jpg": jpeg()})
    assert built.returncode == 0, built.log
    return built


@pytest.mark.parametrize("base", ["", "chinh-tri/", "kinh-te/"])
def test_built_feeds_parse(site, base):
    folder = site.site / base
    rss = ET.parse(folder / "feed.xml").getroot()
    atom = ET.parse(folder / "atom.xml").getroot()
    data = json.loads((folder / "feed.json").read_text(encoding="utf-8"))
    titles = [i.findtext("title") for i in rss.iter("item")]
    assert titles == [e.findtext(f"{A}title") for e in atom.iter(f"{A}entry")]
    assert titles == [i["title"] for i in data["items"]]
    assert "Bài hẹn giờ" not in titles   # a scheduled article is not in any feed
    expected = {"": [EVIL, "Bài kinh tế"], "chinh-tri/": [EVIL], "kinh-te/": ["Bài kinh tế"]}[base]
    assert titles == expected


def test_built_feed_has_the_published_photo(site):
    item = next(i for i in ET.parse(site.site / "feed.xml").getroot().iter("item")
                if i.findtext("title") == EVIL)
    enclosure = item.find("enclosure")
    path = site.site / enclosure.get("url").removeprefix("https://example.org/bao-thu/")
    assert path.is_file() and int(enclosure.get("length")) == path.stat().st_size


def test_empty_section_has_no_feed(site):
    assert not (site.site / "the-thao" / "feed.xml").exists()
