"""Names of authors, tags and places: one name, one page; two names, two pages.

Real `mkdocs build`s of fixture sites with look-alike spellings, plus the place
matcher on its own. The names and places here are written for these tests.
"""

from __future__ import annotations

import json
import re

import pytest

import sitebuild
from sitebuild import article
from toasoan.core.config import SiteConfig
from toasoan.core.names import telex
from toasoan.core.places import Place, Places

PLACES = Places([
    Place("Ba Bể", kind="huyện cũ"),
    Place("Thành phố Bắc Kạn", ("TP. Bắc Kạn",), "thành phố cũ"),
    Place("Xã Ba Bể", kind="xã"),
    Place("Chợ Đồn"),
    Place("Quang Thuận"),
    Place("Quảng Thuận"),
])


@pytest.mark.parametrize("written, name", [
    ("Ba Bể", "Ba Bể"), ("ba be", "Ba Bể"), ("BA BỂ", "Ba Bể"), ("  Ba   Bể ", "Ba Bể"),
    ("huyện ba bể", "Ba Bể"), ("Huyen Ba Be", "Ba Bể"),        # the generic "Huyện X"
    ("Xã Ba Bể", "Xã Ba Bể"), ("xa ba be", "Xã Ba Bể"),        # configured: wins over the rule
    ("TP. Bắc Kạn", "Thành phố Bắc Kạn"), ("tp bac kan", "Thành phố Bắc Kạn"),  # an alias
    ("thành phố Bắc Kạn", "Thành phố Bắc Kạn"),
    ("Xã Chợ Đồn", "Chợ Đồn"), ("Phường Chợ Đồn", "Chợ Đồn"),  # no kind: any prefix
    ("Quảng Thuận", "Quảng Thuận"), ("quang thuận", "Quang Thuận"),  # exact spelling first
])
def test_places_match_ignoring_case_and_diacritics(written, name):
    found = PLACES.match(written)
    assert found.place is not None and found.place.name == name


def test_unknown_and_ambiguous_places():
    # The kind "huyện cũ" takes "Huyện X" only: "Phường Ba Bể" is not the former district.
    found = PLACES.match("Phường Ba Bể")
    assert found.place is None and not found.ambiguous
    assert [p.name for p in found.candidates][:2] == ["Ba Bể", "Xã Ba Bể"]
    found = PLACES.match("Cho Dong")
    assert found.place is None and found.candidates[0].name == "Chợ Đồn"
    # Written without diacritics, two configured places fit.
    found = PLACES.match("quang thuan")
    assert found.place is None and found.ambiguous
    assert {p.name for p in found.candidates} == {"Quang Thuận", "Quảng Thuận"}


def test_telex_slugs_tell_tones_apart():
    assert telex("minh dục") == "minh ducj"
    assert telex("mình đúc") == "minhf dducs"
    assert telex("minh đức") == "minh dduwcs"
    assert telex("hoà bình") == "hoaf binhf"


def test_places_setting_and_its_old_name():
    site = SiteConfig.from_dict({"places": ["Chợ Đồn", {"name": "Ba Bể", "aliases": "Hồ Ba Bể",
                                                        "kind": "huyện cũ"}]})
    assert site.places.names == ["Chợ Đồn", "Ba Bể"] and not site.notes
    assert site.places.match("hồ ba bể").place.name == "Ba Bể"
    old = SiteConfig.from_dict({"districts": ["Chợ Đồn"]})
    assert old.places.names == ["Chợ Đồn"]
    assert old.notes[0][:2] == ("cảnh báo", "districts")
    both = SiteConfig.from_dict({"districts": ["Chợ Đồn"], "places": ["Ba Bể"]})
    assert both.notes[0][0] == "lỗi"
    clash = SiteConfig.from_dict({"places": ["Ba Bể", {"name": "Chợ Đồn", "aliases": ["BA BỂ"]}]})
    assert clash.notes[0][0] == "lỗi" and "'BA BỂ' được dùng cho cả 'Ba Bể' và 'Chợ Đồn'" in clash.notes[0][2]
    bad = SiteConfig.from_dict({"places": [{"aliases": ["X"]}]})
    assert bad.notes[0][0] == "lỗi" and not bad.places


# --- a whole site -------------------------------------------------------------

def _names_site():
    """Articles whose names differ in case, diacritics or tone placement.

    File names sort opposite to dates, so reading order cannot decide anything.
    """
    a = {}
    a["a1.md"] = article(title="Bài mới nhất của Minh Dục", date="2023-05-02 08:00", author="Minh Dục")
    a["a2.md"] = article(title="Bài của Mình Đúc", date="2022-06-01 08:00", author="Mình Đúc")
    a["a3.md"] = article(title="Bài thứ hai của Minh Dục", date="2022-02-01 08:00", author="Minh Dục")
    a["z1.md"] = article(title="Bài cũ nhất của Minh Đức", date="2020-01-10 08:00", author="Minh Đức")
    a["b1.md"] = article(title="Nông nghiệp xanh ở Ba Bể", date="2021-03-01 08:00",
                         author=["Xuân Nghiệp", "Thanh Hoà"], tags=["nông nghiệp", "OCOP"])
    a["b2.md"] = article(title="Viết tên không dấu", date="2021-04-01 08:00",
                         author=["xuan nghiep"], tags=["nong nghiep", "ocop"], location="huyện ba bể")
    a["b3.md"] = article(title="Viết tên chữ thường", date="2021-05-01 08:00",
                         author="xuân nghiệp", location="tp bac kan", tags=["Nông nghiệp"])
    a["b4.md"] = article(title="Dấu thanh kiểu cũ", date="2021-06-01 08:00",
                         author="Thanh Hòa", location="Xã Ba Bể", tags=["nông nghiệp"])
    return a


@pytest.fixture(scope="module")
def names_site(tmp_path_factory):
    # Not strict: the look-alike and no-diacritics warnings are the point.
    built = sitebuild.build(tmp_path_factory.mktemp("names"), _names_site(), strict=False)
    assert built.returncode == 0, built.log
    return built


def _h1(html: str) -> str:
    return re.search(r"<h1>([^<]*)", html).group(1).strip()


def _cards(html: str) -> int:
    return len(re.findall(r'<li>\s*(?:<a [^>]*><img [^>]*></a>\s*)?<h[23]><a href=', html))


def test_look_alike_spellings_are_two_people_with_stable_pages(names_site):
    # The oldest article's spelling keeps the plain slug; the others' slugs spell their tones.
    assert _h1(names_site.html("tac-gia/minh-duc/")) == "Minh Đức"
    assert _h1(names_site.html("tac-gia/minh-ducj/")) == "Minh Dục"
    assert _h1(names_site.html("tac-gia/minhf-dducs/")) == "Mình Đúc"
    assert _cards(names_site.html("tac-gia/minh-duc/")) == 1
    assert _cards(names_site.html("tac-gia/minh-ducj/")) == 2
    assert "Bài của Mình Đúc" not in names_site.html("tac-gia/minh-ducj/")
    byline = names_site.html("2022/02/bai-thu-hai-cua-minh-duc/")
    assert 'href="../../../tac-gia/minh-ducj/">Minh Dục</a>' in byline
    log = names_site.log
    assert re.search(r"a3\.md:4: cảnh báo: tác giả 'Minh Dục' viết gần giống 'Minh Đức': hai tên khác nhau, "
                     r"hai trang riêng \(tac-gia/minh-ducj/ và tac-gia/minh-duc/\) — Cách sửa: .*distinct_names", log)
    assert re.search(r"a2\.md:4: cảnh báo: tác giả 'Mình Đúc' viết gần giống 'Minh Đức'", log)
    assert "'Minh Đức' viết gần giống" not in log  # the oldest is not the look-alike
    assert log.count("viết gần giống") == 2          # once per spelling, not per article


def test_a_name_without_diacritics_joins_the_accented_one(names_site):
    page = names_site.html("tac-gia/xuan-nghiep/")
    assert _h1(page) == "Xuân Nghiệp" and _cards(page) == 3
    assert not names_site.exists("tac-gia/xuan-nghiep-2/")
    # The byline of the article that wrote "xuan nghiep" shows the accented spelling.
    html = names_site.html("2021/04/viet-ten-khong-dau/")
    assert ">Xuân Nghiệp</a>" in html and "xuan nghiep" not in html
    assert re.search(r"b2\.md:4: cảnh báo: tác giả 'xuan nghiep' viết không dấu, được hiểu là 'Xuân Nghiệp' "
                     r"— Cách sửa: có phải 'Xuân Nghiệp'\?", names_site.log)
    # Case alone is not worth a warning; neither is the old tone placement.
    assert "'xuân nghiệp'" not in names_site.log and "Thanh Hòa" not in names_site.log


def test_tags_and_places_follow_the_same_rules(names_site):
    tag = names_site.html("chu-de/nong-nghiep/")
    assert _h1(tag) == "nông nghiệp" and _cards(tag) == 4   # the spelling used most
    assert _h1(names_site.html("chu-de/ocop/")) == "OCOP"
    assert re.search(r"b2\.md:\d+: cảnh báo: chủ đề 'nong nghiep' viết không dấu, được hiểu là 'nông nghiệp'",
                     names_site.log)
    # Places become the configured name: the page, its title and every byline.
    assert _h1(names_site.html("dia-phuong/ba-be/")) == "Ba Bể"
    assert _cards(names_site.html("dia-phuong/ba-be/")) == 6
    assert _h1(names_site.html("dia-phuong/xa-ba-be/")) == "Xã Ba Bể"
    assert _h1(names_site.html("dia-phuong/thanh-pho-bac-kan/")) == "Thành phố Bắc Kạn"
    assert re.search(r'\s· <a href="../../../dia-phuong/ba-be/">Ba Bể</a>',
                     names_site.html("2021/04/viet-ten-khong-dau/"))
    hoa = names_site.html("tac-gia/thanh-hoa/")
    assert _cards(hoa) == 2 and _h1(hoa) in ("Thanh Hoà", "Thanh Hòa")


def test_feeds_and_metadata_carry_the_one_spelling(names_site):
    feed = json.loads((names_site.site / "feed.json").read_text(encoding="utf-8"))
    item = next(i for i in feed["items"] if i["title"] == "Viết tên không dấu")
    assert item["authors"] == [{"name": "Xuân Nghiệp"}]
    assert "nông nghiệp" in item["tags"] and "nong nghiep" not in item["tags"]
    html = names_site.html("2021/04/viet-ten-khong-dau/")
    assert '"contentLocation":{"@type":"Place","name":"Ba Bể"}' in html
    # The author's page is named once, in the JSON-LD (no article:author meta tag).
    assert '"name":"Xuân Nghiệp","url":"https://example.org/bao-thu/tac-gia/xuan-nghiep/"' in html


def test_distinct_names_silences_the_look_alike_warning(tmp_path):
    files = {k: v for k, v in _names_site().items() if k[0] in "az"}
    built = sitebuild.build(tmp_path, files, distinct_names=["Minh Dục", "Mình Đúc"])
    assert built.returncode == 0, built.log     # strict: no warning left
    assert built.exists("tac-gia/minh-ducj/") and built.exists("tac-gia/minhf-dducs/")


def test_unknown_place_and_ambiguous_name_fail_the_build(tmp_path):
    built = sitebuild.build(tmp_path, {
        "a.md": article(title="Một", date="2021-01-01 08:00", author="Minh Đức"),
        "b.md": article(title="Hai", date="2021-02-01 08:00", author="Minh Dục"),
        "c.md": article(title="Ba", author="minh duc"),
        "d.md": article(title="Bốn", location="Chợ Đòng"),
        "e.md": article(title="Năm", location="Phường Ba Bể"),
    }, strict=False)
    assert built.returncode != 0
    log = built.log
    assert ("c.md:4: lỗi: tác giả 'minh duc' viết không dấu, không rõ là 'Minh Đức' hay 'Minh Dục' "
            "— Cách sửa: viết đủ dấu tên đúng") in log
    assert ("d.md:5: lỗi: địa phương 'Chợ Đòng' không có trong danh sách places của mkdocs.yml "
            "— Cách sửa: sửa chính tả (gần giống: Chợ Đồn, ") in log
    assert "hoặc thêm 'Chợ Đòng' vào extra.bulletin.places trong mkdocs.yml" in log
    assert "e.md:5: lỗi: địa phương 'Phường Ba Bể' không có trong danh sách places" in log
    assert "(gần giống: Ba Bể, " in log   # "Phường X" first suggests X
    assert "Traceback" not in log


def test_districts_still_works_with_a_deprecation_warning(tmp_path):
    cfg = sitebuild.config(tmp_path)
    bulletin = cfg["extra"]["bulletin"]
    del bulletin["places"]
    bulletin["districts"] = ["Ba Bể", "Chợ Đồn"]
    built = sitebuild.build(tmp_path, {"a.md": article(title="Tin cũ", location="huyen cho don")},
                            cfg=cfg, strict=False)
    assert built.returncode == 0, built.log
    assert re.search(r"mkdocs\.yml:\d+: cảnh báo: 'districts' là tên cũ của 'places' và sẽ bị bỏ "
                     r"— Cách sửa: đổi 'districts:' thành 'places:'", built.log)
    assert _h1(built.html("dia-phuong/cho-don/")) == "Chợ Đồn"
    strict = sitebuild.build(tmp_path / "strict", {"a.md": article(title="Tin cũ")}, cfg=cfg)
    assert strict.returncode != 0   # --strict: a deprecated setting must be renamed


def test_the_importer_finds_places_with_the_same_setting(tmp_path):
    from toasoan.tools import legacy
    from toasoan.tools.cli import main

    site = SiteConfig.from_dict({"province": "Bắc Kạn", "places": [
        {"name": "Bắc Kạn", "kind": "tỉnh"}, {"name": "Ba Bể", "kind": "huyện cũ"},
        {"name": "Xã Ba Bể", "kind": "xã"},
        {"name": "Thành phố Bắc Kạn", "aliases": ["TX. Bắc Kạn"], "kind": "thành phố cũ"}]})
    finder = legacy.place_finder(site)
    assert legacy.find_place("Sáng 3/2, tại xã Ba Bể, …", finder, site) == "Xã Ba Bể"
    assert legacy.find_place("Sáng 3/2, tại huyện Ba Bể, …", finder, site) == "Ba Bể"
    assert legacy.find_place("Năm 2010, TX. Bắc Kạn …", finder, site) == "Thành phố Bắc Kạn"
    # The province is the fallback, not a find: a district named later in the lead wins.
    assert legacy.find_place("Tỉnh ủy Bắc Kạn làm việc với Ba Bể", finder, site) == "Ba Bể"
    assert legacy.parse("Tiêu đề\n\nSáng 3/2, Tỉnh ủy Bắc Kạn họp.\n\nHà Thu\n", 2022, site).location == "Bắc Kạn"
    # --location goes through the same matcher: canonical, or refused with the closest names.
    old = tmp_path / "old"
    old.mkdir()
    (old / "a.txt").write_text("Tin cũ\n\nSáng 3/2, hội nghị.\n\nHà Thu\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("extra:\n  bulletin:\n    places: [Ba Bể, Chợ Đồn]\n", encoding="utf-8")
    assert main(["import", "--root", str(tmp_path), str(old), "--year", "2022", "--location", "Cho Dong"]) == 1
    assert main(["import", "--root", str(tmp_path), str(old), "--year", "2022", "--location", "cho don"]) == 0
    assert "location: Chợ Đồn\n" in (tmp_path / "articles/2022/02/tin-cu.md").read_text(encoding="utf-8")
