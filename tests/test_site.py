"""End to end: real `mkdocs build` runs on fixture articles, asserting on the HTML."""

import re
import unicodedata

import pytest

import sitebuild
from sitebuild import article

SECTIONS = ["Thời sự", "Kinh tế", "Văn hóa"]
LONG_SAPO = ("Sáng 20/1, tại thị trấn Chợ Rã, huyện Ba Bể khai mạc Tuần văn hóa, thể thao và du lịch "
             "với nhiều hoạt động: thi đua thuyền độc mộc, hát then, đàn tính, chợ phiên vùng cao "
             "và trưng bày sản phẩm OCOP của các xã trong huyện, thu hút hàng nghìn du khách.")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    articles = {}
    for i in range(12):
        articles[f"2022/{i:02d}.md"] = article(
            title=f"Tin kinh tế số {i + 1} về nông thôn mới",
            date=f"2022-{1 + i % 3:02d}-{10 + i:02d} 08:{i:02d}",
            author="Xuân Nghiệp" if i % 2 else ["Minh Đức", "Hoàng Anh"],
            location="Chợ Đồn" if i % 3 else "Ba Bể",
            category="Kinh tế", tags=["nông thôn mới"] + (["OCOP"] if i < 4 else []))
    articles["2022/ban-to-chuc.md"] = article(
        title="Ban Tổ chức Trung ương triển khai nhiệm vụ năm 2022", category="Thời sự",
        summary="Hội nghị trực tuyến toàn quốc.", updated="2022-01-14 10:15",
        body="Sáng 13/01, hội nghị diễn ra.\n\nĐoạn hai có **chữ đậm**.")
    articles["2023/dau-nam.md"] = article(title="Lễ hội đầu năm ở Đồng Phúc", date="2023-02-01 07:00",
                                          category="Văn hóa", location="Ba Bể")
    articles["2026/nhap.md"] = article(title="Bài còn nháp", draft=True, category="Văn hóa")
    articles["2026/hen-gio.md"] = article(title="Bài hẹn giờ", date="2026-12-01 06:00", category="Văn hóa")
    built = sitebuild.build(tmp_path_factory.mktemp("site"), articles, page_size=5)
    assert built.returncode == 0, built.log
    return built


def test_article_page(site):
    html = site.html("2022/01/ban-to-chuc-trung-uong-trien-khai-nhiem-vu-nam-2022/")
    assert "<h1 class=\"ts-title\">Ban Tổ chức Trung ương triển khai nhiệm vụ năm 2022</h1>" in html
    assert "Thứ Năm, 13/01/2022 08:30" in html
    assert re.search(r"Cập nhật\s*<time[^>]*>Thứ Sáu, 14/01/2022 10:15", html)
    assert '<p class="ts-summary">Hội nghị trực tuyến toàn quốc.</p>' in html
    assert "<strong>chữ đậm</strong>" in html
    assert 'href="../../../thoi-su/"' in html and 'href="../../../dia-phuong/ba-be/"' in html
    assert 'href="../../../tac-gia/xuan-nghiep/"' in html
    assert '<html lang="vi"' in html


def test_cards_cut_the_summary_at_a_word(tmp_path):
    """A card shows at most CARD_SUMMARY characters of the summary; the article has all of it."""
    from toasoan.mkdocs.articles import CARD_SUMMARY
    site = sitebuild.build(tmp_path, {"2023/tuan-van-hoa.md": article(
        title="Tuần văn hóa ở Ba Bể", date="2023-01-20 09:00", category="Văn hóa", body=LONG_SAPO + "\n\nĐoạn hai.")})
    assert site.returncode == 0, site.log
    listing = site.html("van-hoa/")
    card = listing[listing.index("Tuần văn hóa ở Ba Bể"):]
    shown = re.search(r"</p><p>([^<]+)</p>", card).group(1)
    assert len(LONG_SAPO) > CARD_SUMMARY and shown.endswith("…") and len(shown) <= CARD_SUMMARY + 1
    assert LONG_SAPO.startswith(shown[:-1]) and LONG_SAPO[len(shown) - 1] in " ,"  # ends on a whole word
    assert LONG_SAPO in site.html("2023/01/tuan-van-hoa-o-ba-be/")


def test_articles_stay_out_of_the_nav(site):
    html = site.html("2022/01/ban-to-chuc-trung-uong-trien-khai-nhiem-vu-nam-2022/")
    nav = html[html.index('<nav class="ts-sections"'):]  # the masthead's section menu
    nav = nav[:nav.index("</nav>")]
    assert "Kinh tế" in nav and "tin-kinh-te" not in nav


def test_section_pages_are_numbered_from_the_oldest(site):
    # 12 articles, 5 a page: the section's own address shows the newest 7 (5 to 9: the
    # remainder stays there), trang/1/ the oldest 5, so an older page never moves.
    first = site.html("kinh-te/")
    titles = re.findall(r'<h[23]><a href="[^"]+">([^<]+)</a>', first)  # card titles: bare headings
    assert len(titles) == 7
    assert titles[0] == "Tin kinh tế số 12 về nông thôn mới"  # 2022-03-21, the newest
    assert 'rel="next" href="trang/1/"' in first and 'rel="prev"' not in first
    assert '<span aria-current="page">Mới nhất</span>' in first
    oldest = site.html("kinh-te/trang/1/")
    assert len(re.findall(r'<h2><a ', oldest)) == 5
    assert 'rel="prev" href="../../"' in oldest and 'rel="next"' not in oldest
    assert '<span aria-current="page">1</span>' in oldest and "<small>trang 1</small>" in oldest
    assert set(titles).isdisjoint(re.findall(r'<h2><a href="[^"]+">([^<]+)</a>', oldest))
    assert not site.exists("kinh-te/trang/2/")


def test_author_location_tag_and_archive_pages(site):
    assert "Tin kinh tế số 2 về" in site.html("tac-gia/xuan-nghiep/")
    assert "Tin kinh tế số 9 về" in site.html("tac-gia/minh-duc/")
    assert "Lễ hội đầu năm ở Đồng Phúc" in site.html("dia-phuong/ba-be/")
    assert site.exists("dia-phuong/cho-don/")
    assert len(re.findall(r'<h2><a ', site.html("chu-de/ocop/"))) == 4
    year = site.html("2022/")
    assert "Năm 2022" in year and 'href="01/"' in year and 'href="03/"' in year
    # A year or a month is a calendar (its months or days, counted), no cards: the day has them.
    month = site.html("2023/02/")
    assert '<a href="01/">01/02 <small>(1)</small></a>' in month and "<h2><a " not in month
    assert "Lễ hội đầu năm" not in month and "Chưa có bài viết" not in month
    assert "Lễ hội đầu năm" in site.html("2023/02/01/")
    assert "<h2><a " not in year and not site.exists("2022/trang/1/")


def test_home_page_leads_with_the_newest_story(site):
    html = site.html("")
    lead = html[html.index('class="ts-lead"'):]
    assert "Lễ hội đầu năm ở Đồng Phúc" in lead[:2000]
    assert 'id="ts-block-kinh-te"' in html


def test_drafts_and_scheduled_articles_are_not_published(site):
    assert "nháp 1, hẹn giờ 1" in site.log and "xuất bản 14" in site.log
    assert not list(site.site.rglob("bai-con-nhap")) and not list(site.site.rglob("bai-hen-gio"))
    assert "Bài hẹn giờ" not in site.html("van-hoa/")


def test_preview_shows_drafts_and_scheduled_marked(tmp_path):
    built = sitebuild.build(tmp_path, {
        "a.md": article(title="Bài còn nháp", draft=True),
        "b.md": article(title="Bài hẹn giờ", date="2027-01-01 06:00"),
    }, env={"TOASOAN_PREVIEW": "1"})
    assert built.returncode == 0, built.log
    assert "Bản nháp — chỉ hiện khi xem trước" in built.html("2022/01/bai-con-nhap/")
    assert "Hẹn giờ — sẽ xuất bản lúc Thứ Sáu, 01/01/2027 06:00" in built.html("2027/01/bai-hen-gio/")


def test_scheduled_article_appears_once_its_time_has_come(tmp_path):
    files = {"a.md": article(title="Bài hẹn giờ", date="2026-11-25 12:30")}
    assert not sitebuild.build(tmp_path, files).exists("2026/11/bai-hen-gio/")
    later = sitebuild.build(tmp_path, {}, env={"TOASOAN_NOW": "2026-11-25 12:31"})
    assert later.exists("2026/11/bai-hen-gio/")


def test_bom_crlf_and_nfd_input_build(tmp_path):
    text = unicodedata.normalize("NFD", article(title="Tổ chức hội nghị ở Chợ Đồn"))
    built = sitebuild.build(tmp_path, {"a.md": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()})
    assert built.returncode == 0, built.log
    assert "Tổ chức hội nghị ở Chợ Đồn</h1>" in built.html("2022/01/to-chuc-hoi-nghi-o-cho-don/")


def test_bad_input_fails_and_names_every_problem(tmp_path):
    built = sitebuild.build(tmp_path, {
        "yaml.md": "---\ntitle: Hai chấm: lỗi\ndate: 2022-01-13\n---\nThân bài\n",
        "missing.md": "---\ntitle: Thiếu tác giả\ndate: 2022-01-13 08:00\nlocation: Ba Bể\n---\nThân bài\n",
        "date.md": article(title="Ngày sai", date="13/01/2022 8h30"),
        "section.md": article(title="Chuyên mục lạ", category="Giải trí"),
        "latin1.md": article(title="Bảng mã").encode().replace("Bảng".encode(), b"B\xe1ng"),
        "dup1.md": article(title="Cùng một tên"),
        "dup2.md": article(title="Cùng một tên", date="2022-02-01 09:00"),
        "related.md": article(title="Liên quan", related=["khong-co-bai-nay"]),
        "html.md": article(title="Có mã", body='Đoạn một.\n\n<img src=x onerror="alert(1)">'),
        "ok.md": article(title="Bài đúng"),
    })
    assert built.returncode != 0
    expected = [
        "articles/yaml.md:2: lỗi: phần đầu bài viết sai cú pháp YAML",
        "articles/missing.md:1: lỗi: thiếu trường bắt buộc 'author'",
        "articles/date.md:3: lỗi: ngày đăng '13/01/2022 8h30' không đọc được",
        "articles/section.md:6: lỗi: chuyên mục 'Giải trí' không có trong mkdocs.yml",
        "articles/latin1.md:2: lỗi: tệp không phải văn bản UTF-8",
        "articles/dup2.md:2: lỗi: trùng đường dẫn 'cung-mot-ten' với bài dup1.md",
        "articles/related.md:6: lỗi: bài liên quan 'khong-co-bai-nay' không tồn tại",
        "articles/html.md:10: lỗi: bài có mã HTML không an toàn",
    ]
    for line in expected:
        assert line in built.log, line
    assert built.log.count("Cách sửa:") >= len(expected)
    assert "Dừng: 8 lỗi trong bài viết" in built.log
