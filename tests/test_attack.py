"""Attacks a hostile reporter could still make after the output guard: each was a hole.

Every test builds a real site with `mkdocs build` and reads what was published.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from sitebuild import article, build

# A summary is plain text; this one would be live markup wherever a reader parses it as HTML.
SUMMARY = 'Tóm tắt <img src=x onerror=alert(1)> <b>đậm</b> & "kép"'


class _Tags(HTMLParser):
    """The elements an HTML reader would build from a string."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("attack"), {
        "2026/11/tom-tat.md": article(title="Bài có phần tóm tắt lạ", date="2026-11-20 08:00",
                                      summary=SUMMARY),
    }, strict=False)
    assert built.returncode == 0, built.log
    return built


def test_rss_description_is_text_for_a_reader_that_renders_it_as_html(site):
    # RSS 2.0 readers treat <description> as (entity-encoded) HTML: plain text must be escaped once more.
    root = ET.parse(site.site / "feed.xml").getroot()
    item = next(i for i in root.iter("item") if i.findtext("title") == "Bài có phần tóm tắt lạ")
    description = item.findtext("description")
    assert _Tags(description).tags == []
    assert html.unescape(description) == SUMMARY


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u202a", "\u2067", "\u2068"])
def test_bidi_override_in_a_byline_is_an_error(tmp_path, char):
    # U+202E in an author's name turned the rest of the byline (place, date) backwards:
    # "20/11/2026" read "6202/11/02". No Vietnamese text needs an override or isolate.
    built = build(tmp_path, {"2026/11/a.md": article(title="Bài", author=f"Xuân {char}Nghiệp")}, strict=False)
    assert built.returncode != 0
    assert f"articles/2026/11/a.md:4: lỗi:" in built.log and f"U+{ord(char):04X}" in built.log
    assert "Traceback" not in built.log


def test_bidi_override_in_a_body_is_removed_with_a_warning(tmp_path):
    built = build(tmp_path, {"2026/11/a.md": article(
        title="Bài đảo chiều", date="2026-11-20 08:00", body="Đoạn một.\n\nNgày \u202e20/11/2026 mới đúng.")},
        strict=False)
    assert built.returncode == 0, built.log
    assert "articles/2026/11/a.md:" in built.log and "U+202E" in built.log
    page = built.html("2026/11/bai-dao-chieu/")
    assert "\u202e" not in page and "Ngày 20/11/2026 mới đúng." in page


def test_article_cannot_repeat_an_id_of_the_page_chrome(tmp_path):
    # "dau-trang" is the masthead the footer's "Lên đầu trang" link jumps to.
    built = build(tmp_path, {"2026/11/a.md": article(
        title="Bài trùng id", date="2026-11-20 08:00", body='Đoạn một.\n\n<p id="dau-trang">Đoạn hai.</p>')},
        strict=False)
    assert built.returncode == 0, built.log
    assert "articles/2026/11/a.md:10: cảnh báo: đã bỏ mã định danh (id) 'dau-trang'" in built.log
    assert built.html("2026/11/bai-trung-id/").count('id="dau-trang"') == 1
