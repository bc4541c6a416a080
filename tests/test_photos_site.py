"""Real site builds with fixture photos: figures, renditions, metadata, cache, bad photos."""

from __future__ import annotations

import json
import os
import re

import pytest
from PIL import Image, ImageOps

import sitebuild
from test_images import assert_no_metadata, camera_jpeg, deep_photos, mean_tone, png_bomb

BODY = '''
Đoạn mở đầu của bài viết.

![](2022/01/hoi-nghi.jpg "Các đại biểu dự hội nghị. Ảnh: Xuân Nghiệp")

Đoạn giữa bài.

![Ruộng lúa chín](2022/01/xoay.jpg "Lúa chín trên ruộng bậc thang. Ảnh: Minh Đức")
'''
PHOTOS = {"2022/01/hoi-nghi.jpg": camera_jpeg(2000, 1200),
          "2022/01/xoay.jpg": camera_jpeg(1200, 800, orientation=6),
          "2022/01/nhap.jpg": camera_jpeg(600, 400)}
ARTICLES = {
    "2022/a.md": sitebuild.article(title="Bài có ảnh", body=BODY),
    "2022/b.md": sitebuild.article(title="Bài có ảnh đại diện", date="2022-01-12 08:00",
                                   image="2022/01/xoay.jpg", body="Chỉ có chữ."),
    "2022/nhap.md": sitebuild.article(title="Bài nháp", draft=True,
                                      body='![](2022/01/nhap.jpg "Ảnh của bài nháp.")'),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("photos")
    first = sitebuild.build(root, ARTICLES, images=PHOTOS)
    assert first.returncode == 0, first.log
    return first


def test_figures_captions_and_srcset(site):
    html = site.html("2022/01/bai-co-anh/")
    figures = re.findall(r'<figure class="ts-figure">.*?</figure>', html, re.S)
    assert len(figures) == 2
    first, second = figures
    assert '<span class="ts-figure__caption">Các đại biểu dự hội nghị.</span>' in first
    assert '<span class="ts-figure__credit">Ảnh: Xuân Nghiệp</span>' in first
    assert 'alt="Các đại biểu dự hội nghị."' in first and 'alt="Ruộng lúa chín"' in second
    assert re.findall(r"hoi-nghi\.(\d+)\.\w+\.webp (\d+)w", first) == [("480", "480"), ("960", "960"), ("1600", "1600")]
    assert 'width="960" height="576"' in first and 'loading="lazy"' not in first
    # EXIF-rotated 1200×800 is published upright: 800 wide, never upscaled.
    assert re.findall(r"xoay\.(\d+)\.\w+\.webp \d+w", second) == ["480", "800"]
    assert 'width="800" height="1200"' in second and 'loading="lazy"' in second
    for url in re.findall(r'(?:src|href)="\.\./\.\./\.\./(images/[^"]+)"', html):
        assert (site.site / url).is_file(), url


def test_outputs_exist_without_metadata_and_upright(site):
    files = sorted((site.site / "images").rglob("*.*"))
    assert len(files) == 10  # 3 + 2 widths, WebP and JPEG; the draft's photo is not published
    assert not any("nhap" in f.name for f in files)
    for f in files:
        assert_no_metadata(f)
        with Image.open(f) as im:
            assert im.width in (480, 800, 960, 1600)
    with Image.open(site.root / "images/2022/01/xoay.jpg") as im:
        upright = ImageOps.exif_transpose(im).convert("RGB")
    out = next(f for f in files if f.name.startswith("xoay.800") and f.suffix == ".jpg")
    with Image.open(out) as im:
        assert im.size == (800, 1200)
        for x, y in ((100, 100), (700, 1100), (100, 1100), (700, 100)):
            got, want = im.getpixel((x, y)), upright.getpixel((x, y))
            assert all(abs(a - b) < 40 for a, b in zip(got, want)), (x, y, got, want)
    # No original is published: the site holds only renditions.
    assert not list(site.site.rglob("*.jpeg")) and not (site.site / "images/2022/01/xoay.jpg").exists()


def test_thumbnails_in_lists_use_the_lead_photo(site):
    home = site.html("")
    # One bare <img> a thumbnail: WebP in srcset, a JPEG as src (figures.thumb_img_html).
    thumbs = dict(re.findall(r'<a href="([^"]+)" tabindex="-1" aria-hidden="true">(<img [^>]*>)</a>', home))
    assert {"2022/01/bai-co-anh/", "2022/01/bai-co-anh-dai-dien/"} <= set(thumbs)
    assert "<picture" not in home and "<source" not in home
    lead = thumbs["2022/01/bai-co-anh-dai-dien/"]
    assert "xoay.480." in lead and 'alt=""' in lead
    srcset = re.search(r'srcset="([^"]+)"', lead).group(1)
    assert all(c.split()[0].endswith(".webp") for c in srcset.split(", "))
    assert re.search(r'src="[^"]+\.jpg"', lead)


def test_second_build_encodes_nothing(site):
    again = sitebuild.build(site.root, ARTICLES, images=PHOTOS)
    assert again.returncode == 0, again.log
    assert "mã hoá mới 0, dùng lại 2" in again.log
    stats = json.loads((site.root / ".cache/photos/last-build.json").read_text())
    assert stats["encoded"] == 0 and stats["reused"] == 2 and stats["photos"] == 2
    assert len(list((site.site / "images").rglob("*.*"))) == 10


def test_bad_photos_are_errors_naming_article_line_and_photo(tmp_path):
    outside = tmp_path / "bi-mat.jpg"
    outside.write_bytes(camera_jpeg(600, 400))
    body = "\n".join([
        "Đoạn đầu.", "",
        '![](2022/khong-co.jpg "Thiếu tệp.")', "",
        '![](2022/chu.jpg "Không phải ảnh.")', "",
        '![](2022/cut.jpg "Chép dở.")', "",
        '![](2022/bom.png "Bom.")', "",
        '![](../bi-mat.jpg "Ra ngoài.")', "",
        '![](/etc/passwd "Tuyệt đối.")', "",
        '![](2022/lien-ket.jpg "Liên kết ra ngoài.")', "",
        '![](images/2022/chu.jpg "Thừa images/.")',
    ])
    (tmp_path / "images/2022").mkdir(parents=True)
    os.symlink(outside, tmp_path / "images/2022/lien-ket.jpg")
    built = sitebuild.build(tmp_path, {"2022/loi.md": sitebuild.article(title="Bài lỗi ảnh", body=body)},
                            images={"2022/chu.jpg": b"day la chu, khong phai anh",
                                    "2022/cut.jpg": camera_jpeg(1200, 800)[:4000],
                                    "2022/bom.png": png_bomb()})
    assert built.returncode != 0
    # The body starts on line 8 (6 lines of front-matter and a blank line).
    expected = [
        (10, "ảnh '2022/khong-co.jpg': không tìm thấy tệp ảnh"),
        (12, "ảnh '2022/chu.jpg': tệp không phải là ảnh"),
        (14, "ảnh '2022/cut.jpg': ảnh bị hỏng hoặc chưa chép hết"),
        (16, "ảnh '2022/bom.png': ảnh quá nhiều điểm ảnh"),
        (18, "ảnh '../bi-mat.jpg' nằm ngoài thư mục images/"),
        (20, "ảnh '/etc/passwd' nằm ngoài thư mục images/"),
        (22, "ảnh '2022/lien-ket.jpg': ảnh là liên kết trỏ ra ngoài thư mục images/"),
        (24, "ảnh 'images/2022/chu.jpg': không tìm thấy tệp ảnh — Cách sửa: bỏ 'images/' ở đầu"),
    ]
    for line, message in expected:
        assert f"articles/2022/loi.md:{line}: lỗi: {message}" in built.log, (line, message, built.log)
    assert "Cách sửa:" in built.log
    assert not (tmp_path / "site/images").exists()


def test_missing_caption_and_big_file_are_warnings(tmp_path):
    body = 'Đoạn đầu.\n\n![Chỉ có mô tả](2022/a.jpg)\n\n![](2022/b.jpg "Ảnh: Xuân Nghiệp")\n'
    articles = {"2022/w.md": sitebuild.article(title="Bài cảnh báo", body=body)}
    photos = {"2022/a.jpg": camera_jpeg(800, 600, quality=95), "2022/b.jpg": camera_jpeg(500, 400)}
    strict = sitebuild.build(tmp_path, articles, images=photos, photos={"max_mb": 0.01})
    assert strict.returncode != 0  # warnings fail --strict
    assert "articles/2022/w.md:10: cảnh báo: ảnh '2022/a.jpg' chưa có chú thích" in strict.log
    assert "articles/2022/w.md:12: cảnh báo: ảnh '2022/b.jpg' chưa có chú thích" in strict.log
    assert re.search(r"w\.md:10: cảnh báo: ảnh '2022/a\.jpg' nặng 0\.0 MB \(quá 0\.01 MB\)", strict.log)
    relaxed = sitebuild.build(tmp_path, articles, images=photos, strict=False, photos={"max_mb": 0.01})
    assert relaxed.returncode == 0, relaxed.log
    html = relaxed.html("2022/01/bai-canh-bao/")
    assert 'alt="Chỉ có mô tả"' in html and '<span class="ts-figure__credit">Ảnh: Xuân Nghiệp</span>' in html


def test_unreadable_photo_is_an_error(tmp_path):
    built = sitebuild.build(tmp_path, {"2022/a.md": sitebuild.article(body='![](2022/a.jpg "Ảnh.")')},
                            images={"2022/a.jpg": camera_jpeg()})
    assert built.returncode == 0
    (tmp_path / "images/2022/a.jpg").chmod(0)
    (tmp_path / ".cache").rename(tmp_path / ".cache-old")
    built = sitebuild.build(tmp_path, {}, obey_permissions=True)
    assert "không đọc được tệp ảnh" in built.log and built.returncode != 0


@pytest.mark.slow
@pytest.mark.browser
def test_browser_picks_webp_and_tapping_opens_the_large_photo(site):
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    from browsing import PHONE, launch, new_context
    from webserver import serve

    with serve(site.site, "/bao/") as base, sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = new_context(browser, PHONE).new_page()
            page.goto(base + "2022/01/bai-co-anh/")
            page.wait_for_load_state("load")
            img = page.locator("figure.ts-figure img").first
            page.wait_for_function("document.querySelector('figure.ts-figure img').complete")
            current = img.evaluate("i => i.currentSrc")
            assert re.search(r"/bao/images/2022/01/hoi-nghi\.(480|960|1600)\.\w+\.webp$", current), current
            # The box keeps the photo's shape before and after loading (no layout shift).
            box = img.bounding_box()
            assert abs(box["height"] / box["width"] - 1200 / 2000) < 0.02
            with page.expect_response(lambda r: r.url.endswith(".jpg")) as response:
                page.locator("a.ts-figure__zoom").first.click()
            assert response.value.status == 200 and ".1600." in page.url
        finally:
            browser.close()


def test_impossible_photo_names_are_one_line_errors(tmp_path):
    """NUL, a 5,000-character path, a 300-byte name: errors with file and line, no traceback."""
    long_path = "2022/" + "a" * 5000 + ".jpg"
    long_name = "2022/" + "ảnh" * 60 + ".jpg"      # 300 bytes in UTF-8
    body = "\n".join(["Đoạn đầu.", "",
                      '![](2022/a\x00b.jpg "Có NUL.")', "",
                      f'![]({long_path} "Quá dài.")', "",
                      f'![]({long_name} "Tên quá dài.")'])
    articles = {"2022/ten.md": sitebuild.article(title="Tên ảnh lạ", body=body),
                "2022/dai.md": sitebuild.article(title="Ảnh đại diện dài", image="x" * 300 + ".jpg")}
    built = sitebuild.build(tmp_path, articles)
    assert built.returncode != 0
    assert "Traceback" not in built.log, built.log
    lines = [line for line in built.log.splitlines() if ": lỗi: " in line]
    # The reader removes the NUL from the body first (a warning at its line); what is left is a missing photo.
    assert any("articles/2022/ten.md:10: cảnh báo: " in line and "U+0000" in line
               for line in built.log.splitlines()), built.log
    assert any("articles/2022/ten.md:10: lỗi: ảnh '2022/ab.jpg': không tìm thấy" in line for line in lines), built.log
    assert any("articles/2022/ten.md:12: lỗi: ảnh '2022/aaaa" in line
               and "đường dẫn ảnh dài quá 1024 byte — Cách sửa: đặt lại tên ảnh" in line for line in lines)
    assert any("articles/2022/ten.md:14: lỗi: " in line and "dài quá 255 byte" in line for line in lines)
    assert any("articles/2022/dai.md:6: lỗi: ảnh đại diện 'xxx" in line and "dài quá 255 byte" in line
               for line in lines), built.log
    assert all(len(line) < 600 and "\x00" not in line for line in lines)


def test_deep_photos_are_published_with_their_tones(tmp_path):
    """16-bit grey, grey with alpha and colour PNGs and TIFFs: the site's renditions keep the tones."""
    photos, tones = deep_photos()
    body = "\n\n".join(f'![](2022/{name} "Ảnh sâu {n}. Ảnh: Minh Đức")' for n, name in enumerate(photos))
    built = sitebuild.build(tmp_path, {"2022/sau.md": sitebuild.article(title="Ảnh mười sáu bit", body=body)},
                            images={f"2022/{name}": data for name, data in photos.items()},
                            photos={"widths": [160, 320]})
    assert built.returncode == 0, built.log
    for name in photos:
        stem = name.rsplit(".", 1)[0]
        published = sorted((built.site / "images/2022").glob(f"{stem}.*.*"))
        assert len(published) == 4, (name, published)   # 160 and 320, WebP and JPEG
        for path in published:
            assert abs(mean_tone(path) - tones[name]) < 4, (path.name, mean_tone(path), tones[name])


def test_a_damaged_cached_rendition_is_encoded_again(tmp_path):
    """Truncated or overwritten files in .cache/photos are found and redone, never republished."""
    articles = {"2022/a.md": sitebuild.article(body='![](2022/a.jpg "Hội nghị. Ảnh: Minh Đức")')}
    photos = {"2022/a.jpg": camera_jpeg(1200, 800)}
    first = sitebuild.build(tmp_path, articles, images=photos)
    assert first.returncode == 0, first.log
    published = {p.name: p.read_bytes() for p in (first.site / "images/2022").iterdir()}
    assert len(published) == 6
    cached = sorted((tmp_path / ".cache/photos/r").rglob("*-960.webp")) + \
        sorted((tmp_path / ".cache/photos/r").rglob("*-480.jpg"))
    assert len(cached) == 2 and len(list((tmp_path / ".cache/photos/r").rglob("*.json"))) == 1
    # A half-written file (as a killed copy leaves it) and one overwritten in place, same size.
    with open(cached[0], "r+b") as f:
        f.truncate(200)
    size = cached[1].stat().st_size
    cached[1].write_bytes(b"\0" * size)

    again = sitebuild.build(tmp_path, articles, images=photos)
    assert again.returncode == 0, again.log
    assert "Ảnh images/2022/a.jpg: bản 480.jpg, 960.webp trong bộ nhớ đệm bị hỏng; đã mã hoá lại" in again.log
    assert "mã hoá mới 1, dùng lại 0" in again.log
    for name, data in published.items():
        path = again.site / "images/2022" / name
        assert path.stat().st_size == len(data), name
        with Image.open(path) as im:
            im.load()   # decodes whole
    # Whole again: the next build only looks at the files' sizes and times.
    third = sitebuild.build(tmp_path, articles, images=photos)
    assert "mã hoá mới 0, dùng lại 1" in third.log and "bị hỏng" not in third.log


def test_renditions_without_a_manifest_do_not_count(tmp_path):
    """A build killed after writing renditions but before the manifest: the photo is encoded again."""
    articles = {"2022/a.md": sitebuild.article(body='![](2022/a.jpg "Hội nghị. Ảnh: Minh Đức")')}
    photos = {"2022/a.jpg": camera_jpeg(800, 600)}
    assert sitebuild.build(tmp_path, articles, images=photos).returncode == 0
    [manifest] = (tmp_path / ".cache/photos/r").rglob("*.json")
    manifest.unlink()
    again = sitebuild.build(tmp_path, articles, images=photos)
    assert again.returncode == 0 and "mã hoá mới 1, dùng lại 0" in again.log, again.log
    assert manifest.exists()


def test_impossible_photo_names_in_a_preview(tmp_path):
    """In a preview (serve) the page is built: the photo shows as an error, its name escaped and short."""
    body = 'Đoạn đầu.\n\n![](2022/a\x00b.jpg "Có NUL.")\n\n![](2022/' + "b" * 3000 + '.jpg "Quá dài.")'
    built = sitebuild.build(tmp_path, {"2022/ten.md": sitebuild.article(title="Tên ảnh lạ", body=body)},
                            strict=False, env={"TOASOAN_PREVIEW": "1"})
    assert built.returncode == 0, built.log
    html = built.html("2022/01/ten-anh-la/")
    assert "Ảnh lỗi, chưa đăng được: 2022/ab.jpg" in html and "\x00" not in html
    assert "b" * 200 not in html and "Traceback" not in built.log


@pytest.mark.parametrize("manifest, probe", [
    ('{"v": 3, "files": {"480.jpg": "hỏng"}}', '{"v": 3, "max_pixels": 100000000, "entries": []}'),
    ('[1, 2]', '{"v": 3, "max_pixels": 100000000, "entries": {"2022/a.jpg": [1, 2, 3]}}'),
    ('{"v": 3, "files": []}', '"chữ"'),
])
def test_garbage_in_the_cache_is_never_trusted(tmp_path, manifest, probe):
    articles = {"2022/a.md": sitebuild.article(body='![](2022/a.jpg "Hội nghị. Ảnh: Minh Đức")')}
    photos = {"2022/a.jpg": camera_jpeg(800, 600)}
    assert sitebuild.build(tmp_path, articles, images=photos).returncode == 0
    [entry] = (tmp_path / ".cache/photos/r").rglob("*.json")
    entry.write_text(manifest, encoding="utf-8")
    (tmp_path / ".cache/photos/probe.json").write_text(probe, encoding="utf-8")
    again = sitebuild.build(tmp_path, articles, images=photos)
    assert again.returncode == 0 and "mã hoá mới 1, dùng lại 0" in again.log, again.log
    assert len(list((again.site / "images/2022").glob("a.*"))) == 4   # 480 and 800, WebP and JPEG


def test_the_same_picture_under_two_names_is_encoded_once(tmp_path):
    same = camera_jpeg(800, 600)
    articles = {"2022/a.md": sitebuild.article(title="Bài một", body='![](2022/a.jpg "Một. Ảnh: Minh Đức")'),
                "2022/b.md": sitebuild.article(title="Bài hai", body='![](2022/b.jpg "Hai. Ảnh: Minh Đức")')}
    built = sitebuild.build(tmp_path, articles, images={"2022/a.jpg": same, "2022/b.jpg": same})
    assert built.returncode == 0 and "mã hoá mới 1, dùng lại 1" in built.log, built.log
    assert len(list((built.site / "images/2022").glob("a.*"))) == len(list((built.site / "images/2022").glob("b.*"))) == 4


def test_og_image_and_thumbnail_agree_past_an_image_in_code(tmp_path):
    # An image example in a code block is no photo of the article: neither the
    # page head (og:image) nor the listing may take it for the lead photo.
    body = ('Cách chèn ảnh vào bài:\n\n```\n![](2022/01/xoay.jpg "Ví dụ")\n```\n\n'
            '![](2022/01/hoi-nghi.jpg "Các đại biểu dự hội nghị. Ảnh: Xuân Nghiệp")\n')
    built = sitebuild.build(tmp_path, {"2022/vd.md": sitebuild.article(title="Bài hướng dẫn", body=body)},
                            images={k: PHOTOS[k] for k in ("2022/01/hoi-nghi.jpg", "2022/01/xoay.jpg")})
    assert built.returncode == 0, built.log
    og = re.search(r'<meta property="og:image" content="([^"]+)"', built.html("2022/01/bai-huong-dan/")).group(1)
    card = re.search(r'<a href="2022/01/bai-huong-dan/" tabindex="-1".*?</a>', built.html(""), re.S).group(0)
    assert "hoi-nghi" in og and "xoay" not in og
    assert "hoi-nghi." in card and "xoay" not in card
