"""The figure extension (Markdown in, HTML out) and finding photos in article bodies."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from toasoan.photos.figures import THUMB_SIZES, FigureExtension, thumb_img_html
from toasoan.photos.images import Photo, PhotoInfo
from toasoan.reading.photorefs import find_refs, normalise, split_caption

KEY = "ab" * 32


def photo(src="2022/01/hoi-nghi.jpg", width=2000, height=1000, widths=(480, 960, 1600)) -> Photo:
    return Photo(src, Path(src), PhotoInfo("sha", width, height, "JPEG"), key=KEY, widths=list(widths))


def render(text: str, lead: str = "", photos=None) -> tuple[str, FigureExtension]:
    known = {p.src: p for p in (photos or [photo()])}
    ext = FigureExtension(find=lambda src: known.get(normalise(src) or ""), base="../../../", lead=lead)
    html = markdown.markdown(text, extensions=["attr_list", "md_in_html", "pymdownx.blocks.caption", ext])
    return html, ext


def test_photo_becomes_a_figure_with_caption_credit_and_alt():
    html, _ = render('Mở đầu.\n\n![](2022/01/hoi-nghi.jpg "Đại biểu dự hội nghị. Ảnh: Xuân Nghiệp")\n')
    assert html.startswith("<p>Mở đầu.</p>\n<figure")
    figure = re.search(r"<figure.*?</figure>", html, re.S).group(0)
    assert "<p>" not in figure
    assert ('<figcaption><span class="ts-figure__caption">Đại biểu dự hội nghị.</span> '
            '<span class="ts-figure__credit">Ảnh: Xuân Nghiệp</span></figcaption>') in figure
    assert 'alt="Đại biểu dự hội nghị."' in figure
    # Tapping opens the largest JPEG; the link says so.
    assert 'href="../../../images/2022/01/hoi-nghi.1600.ababababab.jpg"' in figure
    assert 'aria-label="Xem ảnh cỡ lớn: Đại biểu dự hội nghị."' in figure


def test_picture_has_webp_and_jpeg_at_every_width_with_dimensions():
    html, _ = render('![Toàn cảnh](2022/01/hoi-nghi.jpg "Hội nghị")')
    source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', html)
    assert source and source.group(1) == ", ".join(
        f"../../../images/2022/01/hoi-nghi.{w}.ababababab.webp {w}w" for w in (480, 960, 1600))
    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'src="../../../images/2022/01/hoi-nghi.960.ababababab.jpg"' in img
    assert "hoi-nghi.480.ababababab.jpg 480w" in img and "hoi-nghi.1600.ababababab.jpg 1600w" in img
    assert 'width="960" height="480"' in img and 'sizes="' in img
    assert 'alt="Toàn cảnh"' in img  # the reporter's alt wins over the caption


def test_thumbnail_is_one_img_with_webp_srcset_and_a_jpeg_src():
    html = thumb_img_html(photo(), "../", THUMB_SIZES)
    assert html.count("<") == 1 and html.startswith("<img ") and "<picture" not in html
    assert 'src="../images/2022/01/hoi-nghi.960.ababababab.jpg"' in html
    assert f'srcset="{", ".join(f"../images/2022/01/hoi-nghi.{w}.ababababab.webp {w}w" for w in (480, 960, 1600))}"' in html
    assert f'sizes="{THUMB_SIZES}"' in html and 'width="960" height="480"' in html
    assert 'alt=""' in html and 'loading="lazy"' in html
    assert 'fetchpriority="high"' in thumb_img_html(photo(), "../", THUMB_SIZES, lazy=False)


def test_first_and_lead_photos_are_not_lazy():
    text = ('![](2022/01/a.jpg "A")\n\nChữ.\n\n![](2022/01/b.jpg "B")\n\n'
            'Chữ.\n\n![](2022/01/c.jpg "C")\n')
    html, _ = render(text, lead="2022/01/c.jpg",
                     photos=[photo("2022/01/a.jpg"), photo("2022/01/b.jpg"), photo("2022/01/c.jpg")])
    imgs = re.findall(r"<img [^>]+>", html)
    assert ['loading="lazy"' in i for i in imgs] == [False, True, False]


def test_small_photo_is_not_upscaled():
    small = photo("2022/01/nho.jpg", 700, 500, widths=(480, 700))
    html, _ = render('![](2022/01/nho.jpg "Nhỏ")', photos=[small])
    assert "1600w" not in html and "960w" not in html and "nho.700.ababababab.webp 700w" in html
    assert 'width="700" height="500"' in html


def test_escaping_in_caption_and_alt():
    html, _ = render('![<b>x</b> "q"](2022/01/hoi-nghi.jpg "A <script>alert(1)</script> & B")')
    assert "<script>" not in html and "<b>x" not in html
    assert "A &lt;script&gt;alert(1)&lt;/script&gt; &amp; B" in html


def test_inline_photo_becomes_picture_only_and_unknown_is_reported():
    html, ext = render("Trong câu ![nhỏ](2022/01/hoi-nghi.jpg) và ![](khong-co.jpg).\n")
    assert html.startswith("<p>Trong câu <picture>") and "<figure" not in html
    assert 'alt="nhỏ"' in html and "khong-co.jpg" in html and ext.misses == ["khong-co.jpg"]


def test_two_photos_in_one_paragraph_are_two_figures():
    html, _ = render('![](2022/01/hoi-nghi.jpg "Một")\n![](2022/01/hoi-nghi.jpg "Hai")\n')
    assert html.count("<figure") == 2 and "<p>" not in html


def test_caption_block_is_not_wrapped_twice():
    html, _ = render('![](2022/01/hoi-nghi.jpg)\n/// caption\nHình 1\n///\n')
    assert html.count("<figure") == 1 and "<picture>" in html


def test_off_without_a_resolver():
    html = markdown.markdown("![a](x.png)", extensions=[FigureExtension()])
    assert html == '<p><img alt="a" src="x.png" /></p>'


def test_split_caption():
    assert split_caption("Đại biểu dự hội nghị. Ảnh: Xuân Nghiệp") == ("Đại biểu dự hội nghị.", "Xuân Nghiệp")
    assert split_caption("Lúa chín (Ảnh: Minh Đức)") == ("Lúa chín", "Minh Đức")
    assert split_caption("Lúa chín - ảnh: TTXVN") == ("Lúa chín", "TTXVN")
    assert split_caption("Ảnh: Minh Đức") == ("", "Minh Đức")
    assert split_caption("Chụp ảnh lưu niệm") == ("Chụp ảnh lưu niệm", "")
    assert split_caption("Nông dân gặt lúa. Ảnh minh hoạ") == ("Nông dân gặt lúa.", "minh họa")
    assert split_caption("Nông dân gặt lúa (ảnh minh họa)") == ("Nông dân gặt lúa", "minh họa")
    html, _ = render('![](2022/01/hoi-nghi.jpg "Gặt lúa. Ảnh minh họa")')
    assert '<span class="ts-figure__credit">Ảnh minh họa</span>' in html


def test_find_refs_lines_and_code():
    body = ('Đoạn một.\n\n![A](2022/a.jpg "Chú thích A. Ảnh: X")\n\n```\n![code](x.jpg)\n```\n\n'
            'Có `![span](y.jpg)` và ![B][b]\n\n![](<2022/có dấu cách.jpg> \'C\')\n\n'
            '[b]: 2022/b.jpg "Chú thích B"\n')
    refs = find_refs(body, first_line=10)
    assert [(r.src, r.line, r.alt, r.title) for r in refs] == [
        ("2022/a.jpg", 12, "A", "Chú thích A. Ảnh: X"),
        ("2022/b.jpg", 18, "B", "Chú thích B"),
        ("2022/có dấu cách.jpg", 20, "", "C"),
    ]


def test_normalise_refuses_paths_out_of_images():
    assert normalise("2022/01/./a.jpg") == "2022/01/a.jpg"
    for bad in ("../a.jpg", "2022/../../a.jpg", "/etc/passwd", "https://x.vn/a.jpg", "C:/a.jpg", ""):
        assert normalise(bad) is None, bad


@pytest.mark.parametrize("text", [
    '![](a.jpg "Lễ "mừng" lúa. Ảnh: X")',
    '![](a.jpg "A") và ![](b.jpg "B")',
    "![x](a.jpg 'Đơn')",
    '![a [b] c](<có cách.jpg> "T")',
    '![](a.jpg "T \\"q\\" x")',
    '![](a.jpg   "T"  )',
    '![](a.jpg"T")',
    '![a\\*b](có cách.jpg "T")',
    '![](2022/01/IMG 0001 (1).jpg "T")',
    '[liên kết](x) và ![](a.jpg)',
])
def test_find_refs_agrees_with_markdown(text):
    """The checker finds the same photos (path, alt, caption) that Markdown renders."""
    html = markdown.markdown(text)
    rendered = [(m.group(2), m.group(1), m.group(4) or "")
                for m in re.finditer(r'<img alt="([^"]*)" src="([^"]*)"( title="([^"]*)")? />', html)]
    unescaped = [(s, a, t.replace("&quot;", '"')) for s, a, t in rendered]
    assert [(r.src, r.alt, r.title) for r in find_refs(text, 1)] == unescaped
