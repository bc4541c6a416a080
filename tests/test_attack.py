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


def _search_rows(site):
    import json
    rows = []
    for shard in sorted((site.site / "search" / "d").glob("*.json")):
        rows += json.loads(shard.read_text(encoding="utf-8"))
    return {row[1]: row for row in rows}


def test_search_result_shows_a_written_summary_as_typed(tmp_path):
    # The summary is plain text: the search page must not read it as Markdown or HTML.
    summary = "Giá <b>tăng</b> 5*2 lần &amp; hơn_nữa"
    built = build(tmp_path, {"2026/11/a.md": article(title="Bài giá cả", date="2026-11-20 08:00",
                                                     summary=summary)}, strict=False)
    assert built.returncode == 0, built.log
    assert _search_rows(built)["2026/11/bai-gia-ca/"][4] == summary


def test_summary_made_from_the_body_is_the_text_a_reader_sees(tmp_path):
    # Without `summary:`, the first paragraph is the sapo everywhere (feeds, meta, search):
    # its entities and footnote marks are Markdown, not text.
    built = build(tmp_path, {"2026/11/a.md": article(
        title="Bài chú thích", date="2026-11-20 08:00",
        body="Sản lượng tăng[^1] &amp; giá &lt;ổn định&gt;.\n\nĐoạn hai.\n\n[^1]: Số liệu của tỉnh.")},
        strict=False)
    assert built.returncode == 0, built.log
    want = "Sản lượng tăng & giá <ổn định>."
    feed = ET.parse(built.site / "atom.xml").getroot()
    assert [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}summary")] == [want]
    assert _search_rows(built)["2026/11/bai-chu-thich/"][4] == want


def _problem_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith(("ERROR", "WARNING"))]


def test_a_newline_in_a_file_name_or_a_value_cannot_split_or_forge_a_problem_line(tmp_path):
    # Each problem is one line: a newline from the file name or a quoted YAML value would
    # start a line of the reporter's choosing (a fake error blamed on someone else's file).
    fake = "ERROR   -  articles/2026/11/bai-cua-nguoi-khac.md:1: lỗi: giả"
    built = build(tmp_path, {
        "2026/11/a\nb.md": article(title="Tên tệp có dòng mới", date="2026-11-20 08:00", tittle="gõ nhầm"),
        "2026/11/c.md": article(title="Bài liên quan lạ", date="2026-11-21 08:00",
                                related=["khong-co\n" + fake]),
    }, strict=False)
    lines = _problem_lines(built.log)
    assert not any(line.startswith(fake) for line in lines), lines
    assert any(line.startswith("WARNING -  articles/2026/11/a\\nb.md:6: cảnh báo:") for line in lines), lines
    assert any(line.startswith("ERROR   -  articles/2026/11/c.md:6: lỗi: bài liên quan 'khong-co\\n")
               and "Cách sửa" in line for line in lines), lines


def test_an_article_with_a_capitalised_extension_is_not_skipped_in_silence(tmp_path):
    built = build(tmp_path, {"2026/11/bai.MD": article(title="Đuôi viết hoa", date="2026-11-20 08:00")},
                  strict=False)
    assert built.returncode != 0
    assert any(line.startswith("ERROR   -  articles/2026/11/bai.MD:1: lỗi:") for line in _problem_lines(built.log))
