"""The output guard: hostile articles are published inert, and the reporter is told what was removed.

Every payload here reached the published site before the guard existed. The tests
build real sites with `mkdocs build` and open the pages in Chromium.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from sitebuild import article, build
from toasoan.publishing.sanitize import Sanitizer, locate

EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html", "footnotes", "sane_lists",
              "smarty", "pymdownx.tilde", "pymdownx.blocks.caption"]

# (name, Markdown body): each one ran script, restyled the page or loaded from another host.
PAYLOADS = {
    "img-onerror-next-line": "<img src=x\nonerror=alert(1)>",
    "after-bare-fence": "```\n\n<img src=x onerror=alert(2)>",
    "attr-list-no-space": "Đoạn văn\n{:onfocus=alert(3) autofocus tabindex=0}",
    "caption-attrs": "Đoạn văn\n\n/// caption\n    attrs: {onfocus: alert(4), tabindex: \"0\"}\nChú thích\n///",
    "entity-colon": "[bấm](javascript&#58;alert(5))",
    "entity-j": "[bấm](&#106;avascript:alert(6))",
    "tab-inside": "[bấm](java\tscript:alert(7))",
    "data-link": '<a href="data:text/html,&lt;script&gt;alert(8)&lt;/script&gt;">xem</a>',
    "style-overlay": '<div style="position:fixed;inset:0;background:#fff;z-index:9">Tin giả</div>',
    "foreign-img": '<img src="https://evil.example/x.png" alt="x">',
    "foreign-srcset": '<img srcset="//evil.example/x.png 1x" alt="x">',
    "script": "<script>alert(9)</script>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "svg-onload": "<svg onload=alert(10)><circle r=1 /></svg>",
    "form": '<form action="https://evil.example/"><input name=a><button>Gửi</button></form>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base": '<base href="https://evil.example/">',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "chrome-class": "Đoạn văn\n{: .md-header .md-dialog }",
    "page-id": '<p id="noi-dung">Chiếm chỗ của liên kết "bỏ qua"</p>',
}


def _render(body: str) -> str:
    return markdown.markdown(body, extensions=EXTENSIONS, extension_configs={"tables": {"use_align_attribute": True}})


class _Audit(HTMLParser):
    """Everything in a page that could run, restyle or reach another host."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        if tag in ("iframe", "object", "embed", "base"):
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            value = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on"):
                self.bad.append(f"{tag} {name}")
            if name in ("href", "src", "action", "formaction", "srcset") and value.startswith(("javascript:", "data:", "vbscript:")):
                self.bad.append(f"{tag} {name}={value[:30]}")
            if name in ("src", "srcset") and ("evil.example" in value):
                self.bad.append(f"{tag} {name} from another host")
            if tag == "meta" and name == "http-equiv":
                self.bad.append("meta http-equiv")


def audit(html: str) -> _Audit:
    a = _Audit()
    a.feed(html)
    return a


@pytest.mark.parametrize("name", PAYLOADS)
def test_guard_removes_each_payload_and_says_what(name):
    body = "Đoạn mở đầu.\n\n" + PAYLOADS[name]
    html = _render(body)
    safe, removed = Sanitizer("example.org").clean(html)
    assert not audit(safe).bad, safe
    assert audit(safe).scripts == 0
    assert "style=" not in safe and "evil.example/x" not in re.sub(r'href="[^"]*"', "", safe)
    if name != "script" or "<script" in html:
        assert removed, f"{name}: the reporter must hear what was removed"
    # The construct is found again in the source: never the first line, which is clean prose.
    assert all(locate(body, r.needles) >= 2 for r in removed), [(r, locate(body, r.needles)) for r in removed]


def test_clean_articles_pass_unchanged_and_unreported():
    body = ("# Tiêu đề phụ\n\nĐoạn có chú thích[^1], ~~gạch~~, H~2~O, *nghiêng*, **đậm**, `mã`.\n\n"
            "| Cột | Số |\n|:--|--:|\n| a | 1 |\n\n```python\nprint('xin chào')\n```\n\n"
            "> Trích dẫn\n\n1. một\n2. hai\n\n[Liên kết](https://example.com/a?b=1&c=2) "
            "[thư](mailto:toasoan@example.org) [gọi](tel:+842090000000) [trong trang](../khac/)\n\n"
            "/// caption\nBảng số liệu\n///\n\n<abbr title=\"Hội đồng nhân dân\">HĐND</abbr>\n\n[^1]: Ghi chú.")
    html = _render(body)
    safe, removed = Sanitizer("example.org").clean(html)
    assert removed == []
    for kept in ('href="https://example.com/a?b=1&amp;c=2"', 'class="language-python"', 'align="right"',
                 'class="footnote-ref"', 'id="fn:1"', "<figcaption>", "<del>", "<sub>", "<abbr", 'href="tel:'):
        assert kept in safe, kept


def test_embed_hosts_allow_only_the_listed_host():
    html = ('<iframe src="https://video.baobackan.vn/v/1" width="640" height="360" title="Video"></iframe>'
            '<iframe src="https://evil.example/"></iframe>')
    safe, removed = Sanitizer("example.org", ["video.baobackan.vn"]).clean(html)
    assert 'src="https://video.baobackan.vn/v/1"' in safe
    assert "evil.example" not in safe
    assert [r.what for r in removed] == ["tài nguyên từ máy chủ khác (evil.example)"]
    assert "<iframe" not in Sanitizer("example.org").clean(html)[0]


def test_guard_is_linear_on_a_page_of_unclosed_tags():
    import time
    hostile = '<p>' + '<a title="x ' * 20000 + "</p>"
    start = time.perf_counter()
    Sanitizer("example.org").clean(hostile)
    assert time.perf_counter() - start < 2


HOSTILE_TITLE = "&lt;/title&gt;&lt;img src=x onerror=alert(11)&gt; </title><script>alert(12)</script>"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    body = "Đoạn mở đầu của bài.\n\n" + "\n\n".join(PAYLOADS.values())
    articles = {
        "2026/11/hostile.md": article(
            title=HOSTILE_TITLE, slug="bai-thu", author="&lt;img src=x onerror=alert(13)&gt;",
            tags=["<b onmouseover=alert(14)>thẻ</b>", "&lt;svg onload=alert(15)&gt;"],
            summary="&lt;script&gt;alert(16)&lt;/script&gt; và \"ngoặc\" & <i>nghiêng</i>",
            date="2026-11-20 08:00", body=body),
        "2026/11/clean.md": article(title="Bài bình thường", date="2026-11-21 08:00",
                                    body="Một bài viết không có gì lạ.\n\nĐoạn thứ hai."),
    }
    relaxed = build(root / "relaxed", articles, strict=False)
    strict = build(root / "strict", articles, strict=True)
    return relaxed, strict


def test_build_reports_each_removal_with_file_and_line(hostile_site):
    relaxed, strict = hostile_site
    assert relaxed.returncode == 0, relaxed.log
    lines = [l for l in relaxed.log.splitlines() if "hostile.md:" in l and "đã bỏ" in l]
    for what in ("thuộc tính onerror", "liên kết javascript:", "thuộc tính style", "thẻ <script>",
                 "thẻ <iframe>", "thuộc tính onfocus", "tài nguyên từ máy chủ khác", "lớp (class)"):
        assert any(what in l for l in lines), (what, relaxed.log)
    assert all(re.search(r"hostile\.md:(\d+): cảnh báo: .* — Cách sửa: ", l) for l in lines)
    assert all(int(re.search(r"hostile\.md:(\d+):", l).group(1)) > 12 for l in lines)  # in the body
    assert strict.returncode != 0  # CI builds with --strict: a removal stops it


def _pages(site: Path):
    return sorted(p for p in site.rglob("*") if p.suffix in (".html", ".xml", ".json") and p.is_file())


def test_every_published_file_is_inert(hostile_site):
    relaxed, _ = hostile_site
    checked = 0
    for path in _pages(relaxed.site):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            a = audit(text)
            assert not a.bad, (path, a.bad)
        if path.suffix == ".json":
            json.loads(text)  # still valid: reporter text is data, never syntax
        else:  # no reporter text survives as live markup in HTML or XML
            for live in ("<script>alert", "<img src=x", "<svg onload", "<b onmouseover", "<i>nghiêng"):
                assert live not in text, (path, live)
        checked += 1
    assert checked > 10
    page = relaxed.html("2026/11/bai-thu/")
    plain = relaxed.html("2026/11/bai-binh-thuong/")
    for chrome in ("<form", "<svg", "<input", "<button", "<script", "style="):  # only the page's own, as on a plain article
        assert page.count(chrome) == plain.count(chrome), chrome
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "&lt;/title&gt;" in title and "<" not in title  # shown as typed, never markup


@pytest.mark.browser
def test_hostile_pages_run_nothing_in_chromium(hostile_site):
    from playwright.sync_api import sync_playwright

    from browsing import launch, new_context
    from webserver import serve

    relaxed, _ = hostile_site
    urls = ["", "2026/11/bai-thu/", "2026/11/", "2026/"]
    urls += [p.parent.relative_to(relaxed.site).as_posix() + "/" for p in relaxed.site.glob("tac-gia/*/index.html")]
    urls += [p.parent.relative_to(relaxed.site).as_posix() + "/" for p in relaxed.site.glob("chu-de/*/index.html")]
    with serve(relaxed.site, prefix="/") as base, sync_playwright() as pw:
        browser = launch(pw)
        try:
            context = new_context(browser)
            page = context.new_page()
            dialogs, foreign = [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: foreign.append(r.url) if "127.0.0.1" not in r.url
                    and not r.url.startswith(("data:", "blob:")) else None)
            for url in urls:
                page.goto(base + url, wait_until="load")
                page.keyboard.press("Tab")  # autofocus / onfocus payloads fire on focus
                page.mouse.move(200, 300)
                for link in page.locator(".ts-body a").all()[:12]:
                    link.focus()
                page.wait_for_timeout(100)
                # The page's own chrome is where it should be, not covered by an article's overlay.
                covered = page.evaluate("""() => [...document.querySelectorAll('.ts-body *')]
                    .some(e => ['fixed', 'absolute'].includes(getComputedStyle(e).position))""")
                assert not covered, url
            # The search page writes titles and summaries from the index into the page.
            page.goto(base + "tim-kiem/?q=onerror+alert", wait_until="load")
            page.wait_for_selector(".ts-search__results li", timeout=10000)
            assert "onerror=alert(11)" in page.inner_text("main")
            assert dialogs == [] and foreign == []
            page.goto(base + "2026/11/bai-thu/")
            assert page.title().startswith("&lt;/title&gt;&lt;img src=x onerror=alert(11)&gt; </title><script>")
        finally:
            browser.close()
