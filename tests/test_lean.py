"""Lean pages: the minifier changes whitespace only, and Material's unused scripts are not published.

The unit tests feed the minifier pages it must not change the meaning of; the site
tests build real sites (one with the guard's hostile payloads, one whose settings load
Material's bundle after all) and read what was published.
"""

from __future__ import annotations

import hashlib
import json
import random
import re

import pytest

from sitebuild import REPO, article, build, config
from test_guard import PAYLOADS, audit
from toasoan.publishing.minify import minify_html

BLANKS = re.compile(r"[ \t\n\r\f]+")
RAW = re.compile(r"<(pre|textarea|script|style|code|kbd)\b.*?</\1>", re.S)


def test_minify_folds_blank_lines_and_indentation_only():
    page = ('<ul>\n    <li><a href="a/">Một</a>,\n      <a href="b/">Hai</a></li>\n\n\n  </ul>\n'
            '<p>chữ   cách   xa</p>\n')
    assert minify_html(page) == ('<ul><li><a href="a/">Một</a>,\n<a href="b/">Hai</a></li></ul>'
                                 '<p>chữ   cách   xa</p>\n')


@pytest.mark.parametrize("page, expected", [
    # Between block-level or head tags the run goes; next to inline tags or text it is a space.
    ("<head>\n<meta charset=utf-8>\n  <title>T</title>\n</head>", "<head><meta charset=utf-8><title>T</title></head>"),
    ("</p>\n<p>", "</p><p>"),
    ('<li><a href="a/">A</a>\n<a href="b/">B</a></li>\n<li>', '<li><a href="a/">A</a>\n<a href="b/">B</a></li><li>'),
    ("<p>chữ\n<em>nghiêng</em>\n</p>", "<p>chữ\n<em>nghiêng</em>\n</p>"),
    ("<label>Tìm</label>\n<input>\n<button></button>\n</form>", "<label>Tìm</label>\n<input>\n<button></button>\n</form>"),
    ('<p title="a >">\n<br>\n<span>x</span>\n<p>', '<p title="a >">\n<br>\n<span>x</span>\n<p>'),
    ("<p>a ></p>\n<div>", "<p>a ></p><div>"),
    ("a >\n<div>", "a >\n<div>"),
    ("<!-- x -->\n<p>", "<!-- x -->\n<p>"),
    ("<pre>x</pre>\n<p>", "<pre>x</pre>\n<p>"),
    ("<section>\n<h2>T</h2>\n<ul>\n<li>x</li>\n</ul>\n</section>", "<section><h2>T</h2><ul><li>x</li></ul></section>"),
    ("<pa>\n<p>", "<pa>\n<p>"),
])
def test_minify_drops_blanks_between_block_tags_only(page, expected):
    assert minify_html(page) == expected


@pytest.mark.parametrize("raw", [
    "<pre><code>def f():\n    return 1\n\n\n    # cuối\n</code></pre>",
    '<pre class="x">\n  thụt lề\n</pre>',
    "<textarea name=t>\n   dòng một\n\n   dòng hai\n</textarea>",
    '<script type="application/ld+json">{"a": "x\\n    y",\n    "b": 1}</script>',
    "<script>var s = `mẫu\n    nhiều dòng`;\n    f()</script>",
    "<style>\n  a { color: red }\n\n  b { }\n</style>",
    # Inline code and keys: the theme shows their whitespace (white-space: pre-wrap).
    "<p>Gõ <code>ls   -l\n    /tmp</code> rồi <kbd>Ctrl\n   C</kbd></p>",
    "<!-- chú thích\n     nhiều dòng -->",
    '<img alt="dòng một\n      dòng hai" src="a.png">',
    '<a title="a > b\n     c" href="x">x</a>',
])
def test_minify_leaves_raw_text_comments_and_tags_as_written(raw):
    page = f"<span>\n    {raw}\n    </span>"   # inline: the line breaks around stay (one each)
    assert minify_html(page) == f"<span>\n{raw}\n</span>"


def test_minify_keeps_no_break_spaces():
    assert minify_html("<p>a\u00a0\n\u00a0 b</p>") == "<p>a\u00a0\n\u00a0 b</p>"


def test_minify_changes_nothing_but_blanks_on_hostile_markup():
    """Random mixes of the guard's payloads and half-open tags: only whitespace may differ."""
    pieces = list(PAYLOADS.values()) + ["<pre>", "</pre>", "<script>", "</script>", "<!--", "-->", '"', "'",
                                        "<a title='>\n  '>", "\n   \n", "  ", "\t\n", "<", ">", "<textarea>"]
    rng = random.Random(15)
    for _ in range(400):
        page = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        out = minify_html(page)
        assert BLANKS.sub("", out) == BLANKS.sub("", page), page
        assert len(out) <= len(page)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("lean")
    body = ("Đoạn mở đầu của bài.\n\n```python\ndef chao():\n    print('xin chào')\n\n\n    return 1\n```\n\n"
            + "\n\n".join(PAYLOADS.values()))
    built = build(root, {
        "2026/11/hostile.md": article(title="Bài có mã và mã độc", slug="bai-thu", date="2026-11-20 08:00", body=body),
        "2026/11/clean.md": article(title="Bài bình thường", date="2026-11-21 08:00", body="Một bài.\n\nĐoạn hai."),
    }, strict=False)
    assert built.returncode == 0, built.log
    return built


def _outside_raw(html: str) -> str:
    return RAW.sub("<raw>", html)


def test_every_page_is_minified_and_inert(site):
    pages = sorted(site.site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        text = _outside_raw(html)
        assert not re.search(r"\n[ \t\n]", text), (path, re.search(r".{0,60}\n[ \t\n].{0,60}", text, re.S).group(0))
        assert not audit(html).bad, path
    page, plain = site.html("2026/11/bai-thu/"), site.html("2026/11/bai-binh-thuong/")
    # The hostile article carries exactly the scripts of a plain one: JSON-LD, the pre-paint line, site.js.
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts == re.findall(r"<script\b[^>]*>", plain)
    assert [s for s in scripts if "ld+json" not in s and "site.js" not in s] == ["<script>"]


def test_code_and_json_ld_keep_their_meaning(site):
    page = site.html("2026/11/bai-thu/")
    code = re.search(r"<pre\b.*?</pre>", page, re.S).group(0)
    plain = re.sub(r"<[^>]+>", "", code)
    assert "def chao():\n    print(&#39;xin chào&#39;)\n\n\n    return 1" in plain or \
           "def chao():\n    print('xin chào')\n\n\n    return 1" in plain, code
    [ld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(ld)["headline"] == "Bài có mã và mã độc"


def test_one_stylesheet_named_by_its_content(site):
    """Material's sheet, its palette and bulletin.css are one file, linked once from every page."""
    for url in ("2026/11/bai-binh-thuong/", "", "tim-kiem/", "2026/11/"):
        page = site.html(url)
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', page)
        assert len(sheets) == 1 and re.search(r"(^|/)assets/stylesheets/site\.[0-9a-f]{10}\.css$", sheets[0]), (url, sheets)
    path = site.site / re.sub(r"^(\.\./)*", "", sheets[0])
    css = path.read_text(encoding="utf-8")
    assert path.name == f"site.{hashlib.sha256(css.encode()).hexdigest()[:10]}.css"
    main = next((site.site / "assets" / "stylesheets").glob("main.*.min.css")).read_text(encoding="utf-8")
    palette = next((site.site / "assets" / "stylesheets").glob("palette.*.min.css")).read_text(encoding="utf-8")
    own = (site.site / "stylesheets" / "bulletin.css").read_text(encoding="utf-8")
    # In the cascade's order, one @charset at the start; the fonts found from the bundle's folder.
    assert css.startswith(main) and css.count("@charset") == 1
    assert css.index(palette.split("}", 1)[1][:200]) < css.index(".ts-masthead {")
    assert own.replace("url(../assets/fonts/", "url(../fonts/") in css
    for font in re.findall(r"url\(\.\./fonts/([^)]+)\)", css):
        assert (site.site / "assets" / "fonts" / font).is_file(), font


def test_material_scripts_are_not_published_and_site_js_is_versioned(site):
    assert not (site.site / "assets" / "javascripts").exists()
    assert not list((site.site / "assets" / "stylesheets").glob("*.map"))
    assert (site.site / "assets" / "stylesheets" / "palette.fb2fffe2.min.css").exists()  # the dark scheme uses it
    script = (site.site / "javascripts" / "site.js").read_bytes()
    version = hashlib.sha256(script).hexdigest()[:12]
    for url in ("", "2026/11/bai-thu/", "tim-kiem/"):
        html = site.html(url)
        assert "assets/javascripts/" not in html and "__md_scope" not in html and 'id="__drawer"' not in html
        assert f'javascripts/site.js?v={version}" defer></script>' in html


def test_a_page_that_loads_materials_bundle_gets_it(tmp_path):
    cfg = config(tmp_path)
    cfg["extra_javascript"] = ["assets/javascripts/bundle.a5f9d56c.min.js"]
    built = build(tmp_path, {"2026/11/a.md": article(date="2026-11-20 08:00")}, cfg=cfg)
    assert built.returncode == 0, built.log
    assert "assets/javascripts/bundle.a5f9d56c.min.js" in built.html("")
    assert (built.site / "assets" / "javascripts" / "bundle.a5f9d56c.min.js").stat().st_size > 10_000
    assert (built.site / "assets" / "javascripts" / "workers").is_dir()  # the set it loads comes with it


@pytest.mark.browser
def test_site_js_drives_text_size_and_the_icons_show(site, browser):
    """The text size set with A+ is applied by the deferred site.js and, after a reload, before paint."""
    from browsing import PHONE, new_context
    from webserver import serve

    with serve(site.site, prefix="/") as base:
        context = new_context(browser, PHONE)
        page = context.new_page()
        try:
            page.goto(base + "2026/11/bai-binh-thuong/")
            body = page.locator(".ts-body")
            before = float(body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
            page.locator('[data-ts-size-step="1"]').click()
            page.locator('[data-ts-size-step="1"]').click()
            bigger = float(body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
            assert bigger > before * 1.25, (before, bigger)
            page.reload()
            assert float(body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) == bigger
            box = page.locator(".ts-icon--moon").bounding_box()  # in the switch site.js adds
            assert box and box["width"] >= 18 and box["height"] >= 18
            # The search button's magnifier is its ::before (no icon element in every page).
            for icon, pseudo in ((".ts-icon--moon", None), (".ts-search-box button", "::before")):
                size, mask = page.locator(icon).evaluate(
                    "(e, p) => { const s = getComputedStyle(e, p); return [[parseFloat(s.width), parseFloat(s.height)],"
                    " s.webkitMaskImage || s.maskImage] }", pseudo)
                assert min(size) >= 18, (icon, size)
                assert mask.startswith('url("data:image/svg+xml'), mask
        finally:
            context.close()


def test_an_article_template_that_loads_materials_bundle_gets_it_from_the_page_cache_too(tmp_path):
    """Only article pages load it (a province's own article.html): on the next build every article
    comes from the page cache, and the bundle must still be published."""
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    template = (REPO / "toasoan" / "mkdocs" / "theme" / "article.html").read_text(encoding="utf-8")
    (overrides / "article.html").write_text(template.replace(
        "{% block content %}",
        "{% block content %}<script src=\"{{ 'assets/javascripts/bundle.a5f9d56c.min.js' | url }}\"></script>",
        1), encoding="utf-8")
    cfg = config(tmp_path)
    cfg["theme"]["custom_dir"] = str(overrides)
    env = {"TOASOAN_NOW": "2026-11-25 12:00", "TOASOAN_PAGE_CACHE": "1"}
    files = {f"2026/11/bai-{i}.md": article(title=f"Bài số {i}", date=f"2026-11-2{i} 08:00") for i in range(3)}
    for files in (files, {}):
        built = build(tmp_path, files, cfg=cfg, env=env)
        assert built.returncode == 0, built.log
        assert "bundle.a5f9d56c.min.js" in built.html("2026/11/bai-so-1/")
        assert (built.site / "assets" / "javascripts" / "bundle.a5f9d56c.min.js").is_file(), built.log
    assert "dựng mới và lưu 0," in built.log   # every article came from the cache
