"""`import`: legacy plain-text articles become Markdown articles, exactly.

The fixtures imitate the old website's format (title line, dateline, captions
written twice, byline, "Xem thêm"); their text is written for these tests.
"""

import io
import unicodedata
from pathlib import Path

import pytest
import yaml
from PIL import Image

import sitebuild
from toasoan.tools import legacy
from toasoan.tools.cli import main
from toasoan.core.config import SiteConfig

NBSP = "\u00a0"

# Two photos, a "(BBK) - Chiều" dateline, a district in the lead, one author,
# stray spaces and NBSPs, a trailing "Xem thêm".
TWO_PHOTOS = f"""Na Rì ra quân trồng cây đầu xuân

(BBK) - Chiều 5/3, huyện Na Rì tổ chức lễ ra quân trồng cây đầu xuân tại xã Lương Thượng.{NBSP}

Tham dự buổi lễ có lãnh đạo huyện,{NBSP} các xã và  đông đảo đoàn viên thanh niên.

Đoàn viên thanh niên trồng cây keo trên đồi.
Đoàn viên thanh niên trồng cây keo trên đồi.

Năm nay, toàn huyện phấn đấu trồng mới 1.200 ha rừng sản xuất.

Lãnh đạo huyện trao cây giống cho người dân (ảnh tư liệu).
Lãnh đạo huyện trao cây giống cho người dân (ảnh tư liệu).

Buổi lễ kết thúc trong không khí phấn khởi./.

Hà Thu

Xem thêm"""

TWO_PHOTOS_BODY = """(BBK) - Chiều 5/3, huyện Na Rì tổ chức lễ ra quân trồng cây đầu xuân tại xã Lương Thượng.

Tham dự buổi lễ có lãnh đạo huyện, các xã và đông đảo đoàn viên thanh niên.

![](imported/2022/03/na-ri-ra-quan-trong-cay-dau-xuan-1.jpg "Đoàn viên thanh niên trồng cây keo trên đồi.")

Năm nay, toàn huyện phấn đấu trồng mới 1.200 ha rừng sản xuất.

![](imported/2022/03/na-ri-ra-quan-trong-cay-dau-xuan-2.png "Lãnh đạo huyện trao cây giống cho người dân (ảnh tư liệu).")

Buổi lễ kết thúc trong không khí phấn khởi./.
"""

# No photo; "Sáng" dateline; the city named in the lead; Markdown-looking text.
NO_PHOTO = """Thành phố Bắc Kạn tổng kết phong trào "Dân vận khéo"

Sáng 13/01, thành phố Bắc Kạn tổng kết phong trào thi đua "Dân vận khéo" năm 2021, tại Ba Bể có đoàn khách dự.

Năm qua có 25 mô hình được công nhận, trong đó:
* mô hình về kinh tế chiếm phần lớn;
1. Phường Đức Xuân có nhiều mô hình nhất <b>mới</b>.

Thanh Hà

Xem thêm
"""

NO_PHOTO_BODY = """Sáng 13/01, thành phố Bắc Kạn tổng kết phong trào thi đua "Dân vận khéo" năm 2021, tại Ba Bể có đoàn khách dự.

Năm qua có 25 mô hình được công nhận, trong đó:

\\* mô hình về kinh tế chiếm phần lớn;

1\\. Phường Đức Xuân có nhiều mô hình nhất &lt;b>mới&lt;/b>.
"""

# Two authors; "Tối" dateline; no district in the lead: the province.
TWO_AUTHORS = """Đêm nhạc chào mừng ngày hội văn hóa các dân tộc

Tối 20/6, tại Quảng trường tỉnh diễn ra đêm nhạc chào mừng ngày hội văn hóa các dân tộc.

Khán giả được thưởng thức nhiều tiết mục dân ca đặc sắc.

Minh Đức - Hoàng Anh

Xem thêm"""

# Saved on a Mac and on Windows: BOM, CRLF, decomposed (NFD) Vietnamese.
ODD_BYTES = ("\ufeff" + unicodedata.normalize("NFD", """Chợ Đồn khai trương phiên chợ vùng cao

Trưa 2/9, xã Bằng Lãng, huyện Chợ Đồn khai trương phiên chợ vùng cao.

Người dân mang nông sản đến bán.
Người dân mang nông sản đến bán.

Lường Văn Bình

Xem thêm
""").replace("\n", "\r\n")).encode("utf-8")

# Neither a dateline nor a byline: imported as a draft, and reported.
UNKNOWN = """Hướng dẫn phòng chống rét cho đàn gia súc

Ngành nông nghiệp khuyến cáo người dân che chắn chuồng trại.

Cần dự trữ thức ăn cho trâu bò trong những ngày rét đậm.
"""


def jpeg(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 20)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def root(tmp_path):
    """An empty site: the repository's settings, no articles."""
    (tmp_path / "mkdocs.yml").write_text(
        yaml.safe_dump(sitebuild.config(tmp_path), allow_unicode=True), encoding="utf-8")
    return tmp_path


def write(folder: Path, name: str, text) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def run_import(root: Path, *args) -> int:
    return main(["import", "--root", str(root), *map(str, args)])


def test_two_photos_from_images_folder(root, capsys):
    old = root / "old"
    src = write(old, "na-ri-trong-cay.txt", TWO_PHOTOS)
    pics = old / "anh"
    write(pics, "na-ri-trong-cay-2.png", png())
    write(pics, "na-ri-trong-cay-1.jpg", jpeg())
    write(pics, "bai-khac-1.jpg", jpeg((0, 0, 200)))   # another article's photo
    assert run_import(root, src, "--year", "2022", "--images", pics) == 0
    out = capsys.readouterr().out
    target = root / "articles/2022/03/na-ri-ra-quan-trong-cay-dau-xuan.md"
    assert f"{src.as_posix()} → {target.as_posix()}" in out
    assert "Đã nhập 1 bài (0 bài nháp cần xem lại), bỏ qua 0 tệp; ảnh: 2 đã chép, 0 còn thiếu." in out
    assert target.read_text(encoding="utf-8") == (
        "---\n"
        "# Nhập từ trang cũ: na-ri-trong-cay.txt\n"
        "title: Na Rì ra quân trồng cây đầu xuân\n"
        "date: 2022-03-05 15:00\n"
        "author: Hà Thu\n"
        "location: Na Rì\n"
        "---\n\n" + TWO_PHOTOS_BODY)
    images = root / "images/imported/2022/03"
    assert (images / "na-ri-ra-quan-trong-cay-dau-xuan-1.jpg").read_bytes() == (pics / "na-ri-trong-cay-1.jpg").read_bytes()
    assert (images / "na-ri-ra-quan-trong-cay-dau-xuan-2.png").read_bytes() == (pics / "na-ri-trong-cay-2.png").read_bytes()


def test_no_photo_and_markdown_characters(root, capsys):
    src = write(root / "old", "dan-van-kheo.txt", NO_PHOTO)
    assert run_import(root, src, "--year", "2022", "--section", "chinh tri") == 0
    target = root / "articles/2022/01/thanh-pho-bac-kan-tong-ket-phong-trao-dan-van-kheo.md"
    assert target.read_text(encoding="utf-8") == (
        "---\n"
        "# Nhập từ trang cũ: dan-van-kheo.txt\n"
        "title: Thành phố Bắc Kạn tổng kết phong trào \"Dân vận khéo\"\n"
        "date: 2022-01-13 08:00\n"
        "author: Thanh Hà\n"
        "location: Thành phố Bắc Kạn\n"
        "category: Chính trị\n"
        "---\n\n" + NO_PHOTO_BODY)
    assert "cảnh báo" not in capsys.readouterr().out


def test_two_authors_and_the_province(root):
    src = write(root / "old", "dem-nhac.txt", TWO_AUTHORS)
    assert run_import(root, src, "--year", "2023") == 0
    text = (root / "articles/2023/06/dem-nhac-chao-mung-ngay-hoi-van-hoa-cac-dan-toc.md").read_text(encoding="utf-8")
    assert text == (
        "---\n"
        "# Nhập từ trang cũ: dem-nhac.txt\n"
        "title: Đêm nhạc chào mừng ngày hội văn hóa các dân tộc\n"
        "date: 2023-06-20 19:30\n"
        "author: [Minh Đức, Hoàng Anh]\n"
        "location: Bắc Kạn\n"
        "---\n\n"
        "Tối 20/6, tại Quảng trường tỉnh diễn ra đêm nhạc chào mừng ngày hội văn hóa các dân tộc.\n\n"
        "Khán giả được thưởng thức nhiều tiết mục dân ca đặc sắc.\n")


def test_bom_crlf_nfd_and_placeholder_photo(root, capsys):
    src = write(root / "old", "cho-vung-cao.txt", ODD_BYTES)
    assert run_import(root, src, "--year", "2021") == 0
    out = capsys.readouterr().out
    raw = (root / "articles/2021/09/cho-don-khai-truong-phien-cho-vung-cao.md").read_bytes()
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert text == unicodedata.normalize("NFC", text)
    assert text == (
        "---\n"
        "# Nhập từ trang cũ: cho-vung-cao.txt\n"
        "title: Chợ Đồn khai trương phiên chợ vùng cao\n"
        "date: 2021-09-02 11:30\n"
        "author: Lường Văn Bình\n"
        "location: Chợ Đồn\n"
        "---\n\n"
        "Trưa 2/9, xã Bằng Lãng, huyện Chợ Đồn khai trương phiên chợ vùng cao.\n\n"
        '![](chua-co-anh/2021/09/cho-don-khai-truong-phien-cho-vung-cao-1.jpg "Người dân mang nông sản đến bán.")\n')
    assert "1 ảnh chưa có tệp ảnh" in out and "1 còn thiếu" in out
    # `check` reports the placeholder as a missing photo, at its line.
    capsys.readouterr()
    assert main(["check", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "cho-don-khai-truong-phien-cho-vung-cao.md:11: lỗi: ảnh 'chua-co-anh/2021/09/" in out


def test_unknown_date_and_author_become_a_reported_draft(root, capsys):
    src = write(root / "old", "phong-ret.txt", UNKNOWN)
    assert run_import(root, src, "--year", "2022") == 0
    out = capsys.readouterr().out
    text = (root / "articles/2022/01/huong-dan-phong-chong-ret-cho-dan-gia-suc.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\n"
        "# Nhập từ trang cũ: phong-ret.txt\n"
        "title: Hướng dẫn phòng chống rét cho đàn gia súc\n"
        "date: 2022-01-01 00:00\n"
        "author: Chưa rõ\n"
        "location: Bắc Kạn\n"
        "draft: true  # nhập từ trang cũ, cần xem lại (xem báo cáo nhập)\n"
        "---\n\n"
        "Ngành nông nghiệp khuyến cáo")
    assert "(nháp)" in out and "1 bài nháp cần xem lại" in out
    assert f"{src.as_posix()}:3: cảnh báo: không thấy ngày tháng ở đầu đoạn mở đầu; đặt tạm 2022-01-01 00:00" in out
    assert f"{src.as_posix()}:5: cảnh báo: không thấy dòng tên tác giả ở cuối bài" in out


def test_author_and_location_options_fill_the_gaps(root):
    src = write(root / "old", "phong-ret.txt", UNKNOWN)
    assert run_import(root, src, "--year", "2022", "--author", "Ban Biên tập", "--location", "pac nam") == 0
    text = (root / "articles/2022/01/huong-dan-phong-chong-ret-cho-dan-gia-suc.md").read_text(encoding="utf-8")
    assert "author: Ban Biên tập\nlocation: Pác Nặm\ndraft: true" in text   # still no date


def test_never_overwrites(root, capsys):
    src = write(root / "old", "dem-nhac.txt", TWO_AUTHORS)
    target = write(root / "articles/2023/06", "dem-nhac-chao-mung-ngay-hoi-van-hoa-cac-dan-toc.md", "bài của biên tập viên")
    assert run_import(root, src, "--year", "2023") == 0
    assert target.read_text(encoding="utf-8") == "bài của biên tập viên"
    out = capsys.readouterr().out
    assert "đã có bài cùng đường dẫn 'dem-nhac-chao-mung-ngay-hoi-van-hoa-cac-dan-toc'; bỏ qua" in out
    assert "Đã nhập 0 bài" in out and "bỏ qua 1 tệp" in out


def test_folder_import_with_photo_subfolders(root, capsys):
    old = root / "old"
    write(old, "a.txt", TWO_PHOTOS)
    write(old / "nam-2023", "b.txt", TWO_AUTHORS)
    write(old, "c.txt", TWO_AUTHORS)            # the same article twice: the second is skipped
    write(old / "anh" / "a", "01.jpg", jpeg())
    write(old / "anh" / "a", "02.jpg", jpeg((1, 2, 3)))
    assert run_import(root, old, "--year", "2022", "--images", old / "anh", "--dry-run") == 0
    assert not (root / "articles").exists() and not (root / "images").exists()
    capsys.readouterr()
    assert run_import(root, old, "--year", "2022", "--images", old / "anh") == 0
    out = capsys.readouterr().out
    assert "Đã nhập 2 bài (0 bài nháp cần xem lại), bỏ qua 1 tệp; ảnh: 2 đã chép, 0 còn thiếu." in out
    assert (root / "images/imported/2022/03/na-ri-ra-quan-trong-cay-dau-xuan-2.jpg").exists()


def test_not_utf8_is_an_error(root, capsys):
    src = write(root / "old", "cu.txt", "Tiêu đề\n\nSáng 1/2, nội dung.\n".encode("cp1258", errors="replace") + b"\xff")
    assert run_import(root, src, "--year", "2022") == 1
    assert "lỗi: tệp không phải văn bản UTF-8" in capsys.readouterr().out


@pytest.mark.parametrize("lead, expected", [
    ("Sáng 13/01, Ban Tổ chức họp.", "2022-01-13 08:00"),
    ("(BBK) - Tối 20/6, đêm nhạc.", "2022-06-20 19:30"),
    ("Chiều 5/3, hội nghị.", "2022-03-05 15:00"),
    ("Rạng sáng 7/7, mưa lớn.", "2022-07-07 06:00"),
    ("Đêm 31/12, pháo hoa.", "2022-12-31 21:00"),
    ("Sang 4/5, khong dau.", "2022-05-04 08:00"),
    ("Ngày 9/10/2021, khai giảng.", "2021-10-09 08:00"),
    ("Sáng ngày 2 tháng 3, họp.", "2022-03-02 08:00"),
    ("9h30 sáng 14/2, lễ hội.", "2022-02-14 09:30"),
    ("Chiều nay (15/8), mưa.", "2022-08-15 15:00"),
    ("Hôm qua, mưa lớn.", None),
    ("Sáng 30/2, không có ngày này.", None),
])
def test_dateline(lead, expected):
    when, _ = legacy.parse_dateline(lead, 2022)
    assert (f"{when:%Y-%m-%d %H:%M}" if when else None) == expected


def test_places_need_a_capitalised_name():
    site = SiteConfig.from_dict({"districts": ["Thành phố Bắc Kạn", "Chợ Mới", "Ba Bể"]})
    finder = legacy.place_finder(site)
    assert legacy.find_place("xây chợ mới ở huyện Ba Bể", finder, site) == "Ba Bể"
    assert legacy.find_place("tại TP. Bắc Kạn và Chợ Mới", finder, site) == "Thành phố Bắc Kạn"
    assert legacy.find_place("Chợ Mới và thành phố Bắc Kạn", finder, site) == "Chợ Mới"
    assert legacy.find_place("tỉnh Bắc Kạn", finder, site) is None
    assert legacy.find_place("huyen Cho Moi", finder, site) == "Chợ Mới"
    assert legacy.find_place("PÁC NẶM", legacy.place_finder(SiteConfig.from_dict({"districts": ["Pác Nặm"]})),
                             SiteConfig.from_dict({"districts": ["Pác Nặm"]})) == "Pác Nặm"


@pytest.mark.slow
def test_imported_articles_build(tmp_path):
    root = tmp_path
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump(sitebuild.config(root), allow_unicode=True), encoding="utf-8")
    old = root / "old"
    write(old, "na-ri.txt", TWO_PHOTOS)
    write(old, "dan-van.txt", NO_PHOTO)
    write(old, "dem-nhac.txt", TWO_AUTHORS)
    write(old / "anh", "na-ri-1.jpg", jpeg())
    write(old / "anh", "na-ri-2.png", png())
    assert main(["import", "--root", str(root), str(old), "--year", "2022",
                 "--images", str(old / "anh")]) == 0
    built = sitebuild.build(root, {})
    assert built.returncode == 0, built.log
    html = built.html("2022/03/na-ri-ra-quan-trong-cay-dau-xuan/")
    assert "<figcaption" in html and "Lãnh đạo huyện trao cây giống cho người dân (ảnh tư liệu)." in html
    html = built.html("2022/01/thanh-pho-bac-kan-tong-ket-phong-trao-dan-van-kheo/")
    assert "* mô hình về kinh tế" in html and "&lt;b&gt;mới&lt;/b&gt;" in html.replace("&lt;b>", "&lt;b&gt;")
    assert built.exists("tac-gia/hoang-anh/")


def test_links_after_xem_them_are_not_content(root):
    text = TWO_AUTHORS.replace("Xem thêm", "Xem thêm: Bài khác về lễ hội\nMột bài nữa")
    src = write(root / "old", "dem-nhac.txt", text)
    assert run_import(root, src, "--year", "2023") == 0
    out = (root / "articles/2023/06/dem-nhac-chao-mung-ngay-hoi-van-hoa-cac-dan-toc.md").read_text(encoding="utf-8")
    assert "author: [Minh Đức, Hoàng Anh]" in out and "Bài khác" not in out


def test_year_must_be_four_digits(root, capsys):
    src = write(root / "old", "dem-nhac.txt", TWO_AUTHORS)
    assert run_import(root, src, "--year", "22") == 1
    assert "năm 22 không hợp lệ" in capsys.readouterr().err


def test_a_different_photo_in_the_way_skips_the_article(root, capsys):
    src = write(root / "old", "na-ri.txt", TWO_PHOTOS)
    write(root / "old" / "anh", "na-ri-1.jpg", jpeg())
    taken = write(root / "images/imported/2022/03", "na-ri-ra-quan-trong-cay-dau-xuan-1.jpg", b"khac")
    assert run_import(root, src, "--year", "2022", "--images", root / "old" / "anh") == 0
    out = capsys.readouterr().out
    assert f"đã có tệp {taken}; bỏ qua, không ghi đè" in out
    assert taken.read_bytes() == b"khac" and not (root / "articles").joinpath("2022/03").exists()


@pytest.mark.parametrize("line", [
    "# không phải tiêu đề", "- không phải danh sách", "+ cũng không", "---", "2022. Năm bản lề",
    "> không phải trích dẫn", "a*b*c và _d_ và `e`", "[1] chú thích {: .x}", "<b>thẻ</b> <script>",
    "giá 3 < 4 > 2", "AT&T, &#2 và &nbsp;", "~~gạch~~ \\ xiên", "![không phải ảnh](x.jpg)",
])
def test_plain_text_stays_plain(line):
    import html
    import re

    import markdown
    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "footnotes", "sane_lists",
                                       "pymdownx.tilde", "pymdownx.blocks.caption"])
    out = md.convert(legacy.markdown_text(line))
    assert out.startswith("<p>") and html.unescape(re.sub(r"<[^>]+>", "", out)) == line


@pytest.mark.parametrize("caption, title", [
    ("Lễ khai mạc (ảnh tư liệu).", "Lễ khai mạc (ảnh tư liệu)."),
    ('Mô hình "Dân vận khéo" ở xã.', "Mô hình “Dân vận khéo” ở xã."),
    ("Đội 'Sao Mai' [ảnh] `x` \\ y", "Đội ’Sao Mai’ [ảnh] `x` \\ y"),
    ("[Xem](x) ]( lạ", "[Xem](x) ]( lạ"),
])
def test_caption_reads_back_as_the_image_title(caption, title):
    import html
    import re

    import markdown
    out = markdown.Markdown(extensions=["attr_list", "md_in_html"]).convert(
        f'![](2022/a.jpg "{legacy.caption_title(caption)}")')
    assert html.unescape(re.search(r'title="([^"]*)"', out).group(1)) == title


def leftovers(root: Path) -> list[Path]:
    """Temporary or empty files an interrupted write would leave."""
    return [p for p in root.rglob("*") if p.is_file() and (p.name.endswith(".tmp") or p.stat().st_size == 0)]


def test_a_link_out_of_the_images_folder_is_refused(root, capsys):
    """Today's bug: `anh/na-ri-1.jpg -> /etc/passwd` was copied into images/imported/."""
    secret = write(root / "private", "mat-khau.jpg", b"root:x:0:0:root:/root:/bin/bash\n")
    old = root / "old"
    write(old, "na-ri.txt", TWO_PHOTOS)
    write(old, "dem-nhac.txt", TWO_AUTHORS)               # no photo: imported all the same
    pics = old / "anh"
    pics.mkdir(parents=True)
    (pics / "na-ri-1.jpg").symlink_to(secret)
    write(pics, "na-ri-2.jpg", jpeg())
    (pics / "khong-dung.jpg").symlink_to(secret)           # no article uses it: a warning
    (pics / "trong-thu-muc.jpg").symlink_to(pics / "na-ri-2.jpg")   # a link inside the folder is fine
    assert run_import(root, old, "--year", "2022", "--images", pics) == 1
    out = capsys.readouterr().out
    assert (f"{old.as_posix()}/na-ri.txt:1: lỗi: ảnh '{pics.as_posix()}/na-ri-1.jpg' là liên kết trỏ ra ngoài "
            "thư mục ảnh (--images); không nhập bài này — Cách sửa: chép chính tệp ảnh") in out
    assert f"{pics.as_posix()}/khong-dung.jpg:1: cảnh báo: ảnh là liên kết trỏ ra ngoài thư mục ảnh" in out
    assert "trong-thu-muc" not in out
    assert "Đã nhập 1 bài" in out and "bỏ qua 1 tệp" in out
    assert not (root / "articles/2022/03").exists() and not (root / "images").exists()
    assert (root / "articles/2022/06/dem-nhac-chao-mung-ngay-hoi-van-hoa-cac-dan-toc.md").exists()
    assert not any(b"root:x:0:0" in p.read_bytes() for p in root.rglob("*") if p.is_file() and p != secret
                   and not p.is_symlink())


def test_a_linked_photo_folder_or_legacy_file_out_of_the_folder_is_refused(root, capsys):
    outside = root / "private"
    write(outside, "01.jpg", jpeg())
    write(outside, "bai-la.txt", TWO_AUTHORS)
    old = root / "old"
    write(old, "na-ri.txt", TWO_PHOTOS)
    (old / "lien-ket.txt").symlink_to(outside / "bai-la.txt")
    (old / "anh").mkdir()
    (old / "anh" / "na-ri").symlink_to(outside, target_is_directory=True)
    assert run_import(root, old, "--year", "2022", "--images", old / "anh") == 1
    out = capsys.readouterr().out
    assert f"{old.as_posix()}/lien-ket.txt:1: lỗi: tệp là liên kết trỏ ra ngoài thư mục đang nhập; không nhập" in out
    assert f"na-ri.txt:1: lỗi: ảnh '{old.as_posix()}/anh/na-ri' là liên kết trỏ ra ngoài thư mục ảnh" in out
    assert "Đã nhập 0 bài" in out and not (root / "articles").exists()


def test_a_folder_named_like_a_photo_fails_that_article_only(root, capsys):
    """`x.jpg/` used to crash the import after leaving a 0-byte article behind."""
    old = root / "old"
    write(old, "a.txt", TWO_PHOTOS)
    write(old, "b.txt", TWO_AUTHORS)
    write(old / "anh" / "a", "01.jpg", jpeg())
    (old / "anh" / "a" / "02.jpg").mkdir()
    (old / "anh" / "c-1.jpg").mkdir()                       # in the top folder, no article: a warning
    assert run_import(root, old, "--year", "2022", "--images", old / "anh") == 1
    out = capsys.readouterr().out
    assert (f"{old.as_posix()}/a.txt:1: lỗi: ảnh '{old.as_posix()}/anh/a/02.jpg' là một thư mục, không phải tệp; "
            "không nhập bài này — Cách sửa:") in out
    assert f"{old.as_posix()}/anh/c-1.jpg:1: cảnh báo: ảnh là một thư mục, không phải tệp; bỏ qua" in out
    assert "Đã nhập 1 bài (0 bài nháp cần xem lại), bỏ qua 1 tệp" in out   # the report is printed
    assert not (root / "articles/2022/03").exists() and not (root / "images").exists()
    assert (root / "articles/2022/06/dem-nhac-chao-mung-ngay-hoi-van-hoa-cac-dan-toc.md").exists()
    assert leftovers(root) == []


def test_an_article_is_written_only_after_its_photos(root, capsys):
    """Photos that cannot be copied: no article, no half photo, and the batch goes on."""
    old = root / "old"
    write(old, "a.txt", TWO_PHOTOS)
    write(old, "b.txt", TWO_AUTHORS)
    write(old / "anh" / "a", "01.jpg", jpeg())
    write(old / "anh" / "a", "02.png", png())
    write(root / "images", "imported", b"a file where the photos' folder should be")
    assert run_import(root, old, "--year", "2022", "--images", old / "anh") == 1
    out = capsys.readouterr().out
    assert f"{old.as_posix()}/a.txt:1: lỗi: không ghi được bài hoặc ảnh" in out
    assert "Đã nhập 1 bài" in out
    assert not (root / "articles/2022/03").exists()
    assert (root / "articles/2022/06/dem-nhac-chao-mung-ngay-hoi-van-hoa-cac-dan-toc.md").exists()
    assert leftovers(root) == []


def test_control_characters_are_dropped_and_reported(root, capsys):
    """A NUL or a DOS ^Z from the old database would make the front-matter unreadable (YAML refuses them)."""
    src = write(root / "old", "nul.txt", TWO_AUTHORS.replace("Đêm nhạc", "Đêm\x00 nhạc", 1)
                .replace("dân ca", "dân\x00 ca") + "\x1a")
    assert run_import(root, src, "--year", "2023") == 0
    out = capsys.readouterr().out
    assert f"{src.as_posix()}:1: cảnh báo: tệp có ký tự điều khiển (mã 0x00), đã bỏ khi nhập" in out
    target = root / "articles/2023/06/dem-nhac-chao-mung-ngay-hoi-van-hoa-cac-dan-toc.md"
    text = target.read_text(encoding="utf-8")
    assert "\x00" not in text and "\x1a" not in text
    assert "title: Đêm nhạc chào mừng" in text and "tiết mục dân ca đặc sắc" in text
