"""Search in a real browser: a fixture site served under a sub-path, queries typed
with and without diacritics, an đ word and a decomposed (NFD) query."""

import hashlib
import json
import shutil
import unicodedata

import pytest

import sitebuild
from sitebuild import article
from webserver import serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]


ARTICLES = {
    # The phrase "tổ chức" in the title: the best answer to "to chuc".
    "a/to-chuc.md": article(
        title="Ban Tổ chức Tỉnh ủy triển khai nhiệm vụ năm 2024", date="2024-01-10 08:00",
        category="Chính trị", body="Hội nghị tổng kết công tác tổ chức xây dựng Đảng."),
    # "tổ" and "chức" far apart, in the body only.
    "a/roi-rac.md": article(
        title="Nông dân Ba Bể thu hoạch lúa", date="2024-03-02 08:00", category="Kinh tế",
        body="Tổ hợp tác giúp bà con bán lúa. Sau nhiều năm, các chức sắc trong xã đến thăm."),
    "a/dang-uy.md": article(
        title="Đảng ủy xã Nam Mẫu học tập nghị quyết", date="2023-05-04 08:00",
        category="Chính trị", body="Đảng bộ xã có 12 chi bộ."),
    "a/bac-kan.md": article(
        title="Bắc Kạn thu hút đầu tư vào du lịch", date="2022-06-05 08:00", category="Kinh tế",
        body="Tỉnh Bắc Kạn có hồ Ba Bể."),
    "a/hoa-binh.md": article(
        title="Giao lưu văn nghệ chào mừng ngày Hòa bình", date="2022-09-01 08:00",
        category="Văn hóa", body="Chương trình hoà nhạc ở thành phố."),
    "a/dang-lam.md": article(
        title="Người dân đang làm đường giao thông nông thôn", date="2024-06-01 08:00",
        category="Xã hội", body="Con đường đang được mở rộng."),
    # "hội nghị" as a phrase (also in a-to-chuc's body), and both syllables apart.
    "b/hoi-nghi.md": article(
        title="Huyện Chợ Mới họp hội nghị sơ kết", date="2021-03-01 08:00", category="Xã hội",
        body="Buổi họp diễn ra trong một buổi sáng."),
    "b/le-hoi.md": article(
        title="Lễ hội mùa xuân ở Na Rì", date="2021-02-01 08:00", category="Văn hóa",
        body="Du khách hỏi thăm về lễ hội. Nhiều người đề nghị giữ nếp cũ."),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = sitebuild.build(tmp_path_factory.mktemp("search-site"), ARTICLES)
    assert built.returncode == 0, built.log
    return built


@pytest.fixture(scope="module")
def base(site):
    with serve(site.site, prefix="/bao-thu/") as url:
        yield url


def titles(page, query, muc="", nam=""):
    """Type ``query`` into the search page; return the result titles, best first."""
    page.select_option("select[name=muc]", muc)
    page.select_option("select[name=nam]", nam)
    page.fill("#ts-search-q", "")
    page.evaluate("window.__done = null; document.addEventListener('ts-search:done',"
                  " e => { window.__done = e.detail; })")
    page.locator("#ts-search-q").type(query, delay=5)
    page.wait_for_function("q => window.__done && window.__done.query === q", arg=query, timeout=10_000)
    return page.locator(".ts-result__title").all_inner_texts()


@pytest.fixture()
def page(browser, base):
    pg = browser.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(base + "tim-kiem/")
    yield pg
    assert not errors
    pg.close()


def test_without_diacritics_phrase_first(page):
    found = titles(page, "to chuc")
    assert found[0] == "Ban Tổ chức Tỉnh ủy triển khai nhiệm vụ năm 2024"
    assert "Nông dân Ba Bể thu hoạch lúa" in found[1:]  # scattered syllables: found, but lower


def test_d_word_without_diacritics(page):
    assert titles(page, "dang uy")[0] == "Đảng ủy xã Nam Mẫu học tập nghị quyết"


def test_with_diacritics_and_capitals(page):
    assert titles(page, "BẮC KẠN")[0] == "Bắc Kạn thu hút đầu tư vào du lịch"
    assert titles(page, "bac kan")[0] == "Bắc Kạn thu hút đầu tư vào du lịch"


def test_nfd_query(page):
    query = unicodedata.normalize("NFD", "Bắc Kạn")
    assert query != "Bắc Kạn"
    assert titles(page, query)[0] == "Bắc Kạn thu hút đầu tư vào du lịch"


def test_exact_spelling_ranks_first(page):
    # "đảng" and "đang" fold alike; typed with diacritics, the exact one wins.
    assert titles(page, "đảng")[0].startswith("Đảng ủy")
    assert titles(page, "đang")[0].startswith("Người dân đang làm")


def test_old_and_new_tone_placement(page):
    assert titles(page, "hoà bình")[0] == "Giao lưu văn nghệ chào mừng ngày Hòa bình"


def test_result_shows_date_section_excerpt_and_highlight(page, base):
    titles(page, "dang uy")
    first = page.locator(".ts-result").first
    assert first.locator(".ts-result__meta").inner_text() == "04/05/2023 · Chính trị · Có đúng cụm từ"
    assert first.locator("mark").first.inner_text() == "Đảng ủy"
    href = first.locator("a").get_attribute("href")
    assert href == base + "2023/05/dang-uy-xa-nam-mau-hoc-tap-nghi-quyet/"
    assert "q=dang+uy" in page.url


def test_filters(page):
    assert set(titles(page, "nong", nam="2024")) == {"Nông dân Ba Bể thu hoạch lúa",
                                                     "Người dân đang làm đường giao thông nông thôn"}
    assert titles(page, "ba be", muc="2") == ["Nông dân Ba Bể thu hoạch lúa", "Bắc Kạn thu hút đầu tư vào du lịch"]
    assert titles(page, "ba be", muc="2", nam="2022") == ["Bắc Kạn thu hút đầu tư vào du lịch"]
    assert "muc=kinh-te" in page.url and "nam=2022" in page.url


def test_header_form_goes_to_search_page(browser, base):
    pg = browser.new_page()
    pg.goto(base + "tim-kiem/?q=bac+kan")
    pg.wait_for_selector(".ts-result")
    assert pg.locator(".ts-result__title").first.inner_text() == "Bắc Kạn thu hút đầu tư vào du lịch"
    pg.close()


def test_build_writes_the_index_and_the_search_page(site):
    assert "Tìm kiếm: chỉ mục 8 bài" in site.log
    manifest = (site.site / "search" / "manifest.json").read_text(encoding="utf-8")
    assert '"documents":8' in manifest
    html = site.html("tim-kiem/")
    assert 'id="ts-search"' in html and "javascripts/search.js" in html


def test_search_page_loads_the_script_by_its_content_hash(site):
    # A browser that cached an older search.js fetches the new one with the new index.
    script = (site.site / "javascripts" / "search.js").read_bytes()
    version = hashlib.sha256(script).hexdigest()[:12]
    assert f'<script src="../javascripts/search.js?v={version}" defer></script>' in site.html("tim-kiem/")


def test_an_index_of_another_format_is_refused_in_the_page(site, browser, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site.site, copy)
    manifest = json.loads((copy / "search" / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] += 1
    (copy / "search" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with serve(copy, prefix="/bao-thu/") as url:
        pg = browser.new_page()
        pg.goto(url + "tim-kiem/?q=bac+kan")
        pg.wait_for_function("document.querySelector('.ts-search__status').textContent.length > 0")
        text = status(pg)
        pg.close()
    assert "Chỉ mục tìm kiếm không khớp với trang này" in text and f"phiên bản {manifest['format']}" in text
    assert "Tải lại trang" in text or "tải lại trang" in text


def status(page) -> str:
    return page.locator(".ts-search__status").first.inner_text()


def main_titles(page) -> list[str]:
    """Results holding every syllable (the closest others are in .ts-search__near)."""
    return page.locator(".ts-search__results:not(.ts-search__near) .ts-result__title").all_inner_texts()


def near_titles(page) -> list[str]:
    return page.locator(".ts-search__near .ts-result__title").all_inner_texts()


def test_counts_say_how_many_hold_every_syllable_and_the_phrase(page):
    titles(page, "hoi nghi")
    found = main_titles(page)
    # Three articles hold both syllables; two hold the phrase "hội nghị". Fewer
    # than a page: the one holding "nghị" alone follows, under its own heading.
    assert status(page) == "3 bài có đủ các từ «hoi nghi», 2 bài có đúng cụm từ; sau đó là 1 bài gần đúng"
    assert set(found) == {"Ban Tổ chức Tỉnh ủy triển khai nhiệm vụ năm 2024",
                          "Huyện Chợ Mới họp hội nghị sơ kết", "Lễ hội mùa xuân ở Na Rì"}
    assert found[-1] == "Lễ hội mùa xuân ở Na Rì"  # syllables apart: last
    phrase = {page.locator(".ts-result").nth(i).locator(".ts-result__title").inner_text()
              for i in range(3) if page.locator(".ts-result").nth(i).locator(".ts-result__phrase").count()}
    assert phrase == {"Ban Tổ chức Tỉnh ủy triển khai nhiệm vụ năm 2024", "Huyện Chợ Mới họp hội nghị sơ kết"}
    assert page.locator(".ts-search__closest").is_visible()
    assert near_titles(page) == ["Đảng ủy xã Nam Mẫu học tập nghị quyết"]


def test_lone_syllables_of_a_phrase_are_not_highlighted(page):
    titles(page, "hoi nghi")
    marks = page.locator(".ts-result mark").all_inner_texts()
    assert marks and all(m.lower() == "hội nghị" for m in marks), marks
    titles(page, "dang uy")
    found = main_titles(page)
    marks = page.locator(".ts-result mark").all_inner_texts()
    assert marks and all(m.lower() == "đảng ủy" for m in marks), marks
    # "Tỉnh ủy … Đảng" holds both syllables apart: counted, not marked as the phrase;
    # "đang" (one syllable of the query) is only a close match, and not highlighted.
    assert status(page) == "2 bài có đủ các từ «dang uy», 1 bài có đúng cụm từ; sau đó là 1 bài gần đúng"
    assert "Người dân đang làm đường giao thông nông thôn" not in found
    assert near_titles(page) == ["Người dân đang làm đường giao thông nông thôn"]


def test_one_syllable_query_highlights_the_syllable(page):
    titles(page, "lúa")
    assert page.locator(".ts-result mark").all_inner_texts() == ["lúa", "lúa"]
    assert status(page) == "1 bài có từ «lúa»"


def test_closest_matches_under_their_own_heading(page):
    found = titles(page, "lễ hội thuyền")  # no article holds "thuyền"
    assert status(page).startswith("Không bài nào có đủ các từ «lễ hội thuyền». Dưới đây là ")
    assert page.locator(".ts-search__closest").is_visible()
    assert found[0] == "Lễ hội mùa xuân ở Na Rì"
