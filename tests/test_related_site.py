""""Xem thêm" and "Tin cùng chuyên mục" in a real `mkdocs build` of the fixture archive."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

import related_fixture as fx
import sitebuild

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    extra = {"2023/07/sat-lo-nam-mau.md": {"related": ["thu-ngan-sach"]},
             "2023/12/thu-ngan-sach.md": {"title": "Thu ngân sách <vượt> dự toán & hơn thế"},
             "2023/07/thong-tuyen-nam-mau.md": {"image": "2023/07/thong-tuyen.jpg"}}
    photo = io.BytesIO()
    Image.new("RGB", (800, 500), (90, 120, 60)).save(photo, "JPEG")
    built = sitebuild.build(tmp_path_factory.mktemp("related"), fx.files(**extra), related_count=3,
                            images={"2023/07/thong-tuyen.jpg": photo.getvalue()})
    assert built.returncode == 0, built.log
    return built


def section(html: str, title: str) -> str:
    m = re.search(r'<section class="ts-related[^"]*" aria-labelledby="[^"]+">\s*<h2[^>]*>'
                  + re.escape(title) + r".*?</section>", html, re.S)
    assert m, f"no '{title}' block"
    return m.group(0)


def links(block: str) -> list[str]:
    return re.findall(r'<li>\s*(?:<a [^>]*><img [^>]*></a>)?\s*<a href="([^"]+)"', block, re.S)


def test_xem_them_lists_editor_link_then_the_cluster(site):
    html = site.html("2023/07/sat-lo-nam-mau/")
    block = section(html, "Xem thêm")
    found = links(block)
    assert found[0] == "../../12/thu-ngan-sach/"   # the editor's, then the two best (count 3)
    assert set(found[1:]) == {"../thong-tuyen-nam-mau/", "../ho-tro-ho-dan-nam-mau/"}
    # titles are escaped, dates shown (as text: no <time datetime> in a list, as in the cards)
    assert "Thu ngân sách &lt;vượt&gt; dự toán &amp; hơn thế" in block
    assert 'thế</a> 28/12/2023</li>' in block and "<time" not in block
    # the article with a photo has its thumbnail, through the photos hook
    assert block.count("<img ") == 1
    assert re.search(r'<a href="[^"]*thong-tuyen-nam-mau/" tabindex="-1" aria-hidden="true"><img ', block)
    # every link leads to a page that exists
    for href in links(block):
        assert (site.site / "2023/07/sat-lo-nam-mau" / href / "index.html").resolve().exists()


def test_hidden_articles_are_not_linked_and_not_built(site):
    for href in ("sat-lo-nam-mau-nhap", "sat-lo-nam-mau-hen-gio"):
        assert not site.exists(f"2023/07/{href}/") and not site.exists(f"2026/12/{href}/")
        for page in site.site.glob("20*/**/index.html"):
            assert href not in page.read_text(encoding="utf-8"), page


def test_same_section_list(site):
    html = site.html("2023/11/mien-dong-ocop/")
    block = section(html, "Tin cùng chuyên mục")
    found = links(block)
    assert "../../11/mien-dong-ocop/" not in found and "./" not in found
    assert 0 < len(found) <= 5
    # the articles already in "Xem thêm" are not repeated
    assert not set(found) & set(links(section(html, "Xem thêm")))
    assert 'href="../../../kinh-te/"' in block
