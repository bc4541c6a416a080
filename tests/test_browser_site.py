"""The reader's site in a real browser: the sample site built from articles/ and
images/, served on 127.0.0.1 under a sub-path with gzip (as a static host does),
opened in headless Chromium at a phone and a desktop size.

Screenshots go to test-output/browser/ (git-ignored).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

import sitebuild
from browsing import DESKTOP, PHONE, new_context, transfer
from webserver import serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "test-output" / "browser"
PREFIX = "/bao-thu/"
SIZES = {"phone": PHONE, "desktop": DESKTOP}
# Budgets before images (HTML, CSS, JS, fonts), gzip on, empty cache.
ARTICLE_BUDGET = 150 * 1024
FRONT_BUDGET = 250 * 1024
DAY = re.compile(r"^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d\d/\d\d/\d{4}$")

pytest.importorskip("playwright.sync_api")
if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian's chromium is not installed (scripts/setup.sh --test installs it)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The sample site, built once with the clock pinned to 2026-11-25 12:00."""
    root = tmp_path_factory.mktemp("sample")
    if not any((REPO / "articles").rglob("*.md")):
        pytest.skip("no sample articles in articles/")
    shutil.copytree(REPO / "articles", root / "articles")
    if (REPO / "images").is_dir():
        shutil.copytree(REPO / "images", root / "images")
    built = sitebuild.build(root, {})
    assert built.returncode == 0, built.log
    return built


@pytest.fixture(scope="module")
def base(site):
    with serve(site.site, PREFIX, gzip=True) as url:
        yield url


@pytest.fixture(scope="module")
def pages(site):
    """URLs of one page of each kind, found in the built front page."""
    home = site.html("")
    lead = re.search(r'class="ts-lead".*?<h2><a href="([^"]+)"', home, re.S)
    section = re.search(r'class="ts-rubric"><a href="([^"]+)"', home)
    assert lead and section, "the front page has no lead story or no section block"
    # Links are relative to the front page, which is the site root.
    return {"front": "", "section": section.group(1).lstrip("./") or "",
            "article": lead.group(1).lstrip("./")}


def search_url(site) -> str | None:
    """The search results view that the header's search form leads to (None: no such form)."""
    home = site.html("")
    form = re.search(r'<form[^>]*role="search"[^>]*action="([^"]*)"|<form[^>]*action="([^"]*)"[^>]*role="search"', home)
    if not form:
        return None
    action = (form.group(1) or form.group(2)).lstrip("./")
    return action + "?q=b%E1%BA%AFc+k%E1%BA%A1n"


def shot(page, name: str):
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def headings(page) -> list[int]:
    return page.eval_on_selector_all("h1,h2,h3,h4,h5,h6", "hs => hs.map(h => +h.tagName[1])")


def assert_headings_in_order(page):
    levels = headings(page)
    assert levels.count(1) == 1, f"one h1 per page, got {levels}"
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}: {levels}"


def assert_chrome(page, width: int):
    """Masthead, section menu and footer, on every kind of page."""
    assert page.locator(".ts-masthead__name").inner_text().strip() == "Báo Thử Nghiệm"
    assert DAY.match(page.locator("[data-ts-today]").inner_text().strip())
    menu = page.locator(".ts-sections a").all_inner_texts()
    for name in ("Trang chủ", "Thời sự", "Kinh tế", "Quốc phòng – An ninh"):
        assert name in [m.strip() for m in menu]
    footer = page.locator(".ts-footer").inner_text()
    for part in ("Giấy phép", "Chịu trách nhiệm nội dung", "Địa chỉ", "0200 111 222", "kiemthu@example.org"):
        assert part in footer
    # Nothing sticks out sideways on a phone (the section bar scrolls inside itself).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for alt in page.eval_on_selector_all("img", "imgs => imgs.map(i => i.getAttribute('alt'))"):
        assert alt is not None, "every image has an alt attribute"


def open_page(browser, base, url, size):
    context = new_context(browser, SIZES[size])
    page = context.new_page()
    page.goto(base + url)
    page.wait_for_load_state("networkidle")
    return context, page


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_front_page(browser, base, pages, size):
    context, page = open_page(browser, base, pages["front"], size)
    try:
        assert_chrome(page, SIZES[size]["width"])
        assert page.locator("h1.ts-masthead__name").count() == 1
        lead = page.locator(".ts-lead")
        assert lead.locator("> h2 a").inner_text().strip()
        assert lead.locator("> p + p").inner_text().strip()  # the summary, after the date line
        photo = lead.locator("img").first
        assert photo.is_visible()
        box = photo.bounding_box()
        assert box["width"] >= (SIZES[size]["width"] * 0.9 if size == "phone" else 600)
        assert page.locator(".ts-latest li").count() >= 1
        assert page.locator(".ts-block").count() >= 3
        assert_headings_in_order(page)
        shot(page, f"front-{size}")
        assert serious_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_section_page(browser, base, pages, size):
    context, page = open_page(browser, base, pages["section"], size)
    try:
        assert_chrome(page, SIZES[size]["width"])
        title = page.locator("h1").inner_text().strip()
        current = page.locator(".ts-sections a[aria-current=page]")
        assert current.inner_text().strip() == title
        assert page.locator(".ts-listing .ts-cards > li").count() >= 1
        assert_headings_in_order(page)
        shot(page, f"section-{size}")
        assert serious_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_article_page(browser, base, pages, size):
    context, page = open_page(browser, base, pages["article"], size)
    try:
        assert_chrome(page, SIZES[size]["width"])
        assert page.locator("h1.ts-title").inner_text().strip()
        assert page.locator(".ts-byline time").count() >= 1
        section = page.locator(".ts-kicker a").text_content().strip()
        # The article's section is marked in the menu (aria-current="true": not this page itself).
        assert page.locator('.ts-sections a[aria-current="true"]').text_content().strip() == section
        body = page.locator(".ts-body")
        assert len(body.inner_text()) > 200
        size_px = float(body.evaluate("e => getComputedStyle(e).fontSize").rstrip("px"))
        assert size_px >= 16, "body text is comfortable to read"
        family = body.evaluate("e => getComputedStyle(e).fontFamily")
        assert "Noto Serif" in family
        assert page.evaluate("document.fonts.check('16px \"Noto Serif\"', 'Tiếng Việt đầy đủ dấu: ẳ ặ ỡ ự')")
        figures = page.locator(".ts-body figure img")
        if figures.count():
            img = figures.first
            img.scroll_into_view_if_needed()
            assert img.get_attribute("alt"), "article photos have alt text"
            if size == "phone":  # edge to edge on a phone
                assert img.bounding_box()["width"] >= SIZES["phone"]["width"] - 1
        assert_headings_in_order(page)
        shot(page, f"article-{size}")
        assert serious_violations(page) == []
    finally:
        context.close()


def test_search_results_view(browser, base, site):
    url = search_url(site)
    assert url, "the header has no <form role=search action=…> leading to the search page"
    context, page = open_page(browser, base, url, "desktop")
    try:
        # Results are rendered by script: wait until they are there, not a fixed time.
        page.wait_for_selector(".ts-search[data-query] .ts-result", timeout=15000)
        assert page.locator(".ts-result__title mark").count() >= 1  # "bắc kạn" is marked in a title
        assert_chrome(page, DESKTOP["width"])
        shot(page, "search-desktop")
        assert serious_violations(page) == []
        assert_headings_in_order(page)
    finally:
        context.close()


def test_dark_scheme_switch_and_contrast(browser, base, pages):
    context, page = open_page(browser, base, pages["article"], "desktop")
    try:
        button = page.locator("[data-ts-scheme]")
        assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
        button.click()
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        assert button.get_attribute("aria-pressed") == "true"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert sum(map(int, re.findall(r"\d+", background)[:3])) < 200, background
        shot(page, "article-dark-desktop")
        assert serious_violations(page) == []
        page.reload()  # the choice is remembered
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    finally:
        context.close()


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus: it is reachable from the keyboard, in order."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus in {limit} presses of Tab")


def test_script_built_switch_and_tools_work_from_the_keyboard(browser, base, pages):
    """The light/dark switch and the article's tools are made by site.js (not shipped in the
    HTML): they appear, keep their names, work with Tab and Enter, and the choices persist."""
    context, page = open_page(browser, base, pages["article"], "desktop")
    try:
        switch = page.get_by_role("button", name="Nền tối")
        assert switch.is_visible() and switch.get_attribute("aria-pressed") == "false"
        tab_to(page, "[data-ts-scheme]")
        page.keyboard.press("Enter")
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        assert switch.get_attribute("aria-pressed") == "true"
        # Share links carry the article's canonical address; the groups keep their names.
        canonical = page.locator('link[rel="canonical"]').get_attribute("href")
        encoded = quote(canonical, safe="")
        assert page.get_by_role("link", name="Facebook").get_attribute("href") == \
            "https://www.facebook.com/sharer/sharer.php?u=" + encoded
        assert page.get_by_role("link", name="Zalo").get_attribute("href") == "https://sp.zalo.me/share_inline?url=" + encoded
        assert page.get_by_role("group", name="Chia sẻ bài viết").is_visible()
        assert page.locator(".ts-byline + .ts-tools").count() == 1, "the tools sit under the byline"
        body = page.locator(".ts-body")
        size = "e => parseFloat(getComputedStyle(e).fontSize)"
        before = body.evaluate(size)
        tab_to(page, '[aria-label="Chữ lớn hơn"]')
        page.keyboard.press("Enter")
        bigger = body.evaluate(size)
        assert bigger > before * 1.1, (before, bigger)
        assert serious_violations(page) == []
        page.reload()  # both choices are remembered, and the script builds everything again
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        assert body.evaluate(size) == pytest.approx(bigger, rel=0.01)
        page.get_by_role("button", name="Nền tối").wait_for()
        assert page.get_by_role("button", name="Nền tối").get_attribute("aria-pressed") == "true"
        tab_to(page, "[data-ts-scheme]")
        page.keyboard.press(" ")  # Space presses a button too
        assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    finally:
        context.close()


def test_keyboard_skip_link_and_focus(browser, base, pages):
    context, page = open_page(browser, base, pages["front"], "desktop")
    try:
        page.keyboard.press("Tab")
        skip = page.locator(":focus")
        assert skip.inner_text().strip().startswith("Bỏ qua")
        assert skip.bounding_box()["y"] >= 0, "the skip link shows when focused"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "noi-dung"
        page.keyboard.press("Tab")  # the first link inside the content
        focused = page.locator(":focus")
        assert focused.evaluate("e => e.closest('#noi-dung') !== null")
        outline = focused.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]")
        assert outline[0] != "none" and float(outline[1].rstrip("px")) >= 2, outline
    finally:
        context.close()


def test_article_readable_without_javascript(browser, base, pages):
    context = new_context(browser, PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base + pages["article"])
        assert page.locator("h1.ts-title").is_visible()
        assert len(page.locator(".ts-body").inner_text()) > 200
        # The date is the build's (TOASOAN_NOW), printed into the page.
        assert page.locator("[data-ts-today]").inner_text().strip() == "Thứ Tư, 25/11/2026"
        # The switch and the article's tools need a script: without one they are not there at all.
        assert page.locator("[data-ts-scheme]").count() == 0 and page.locator(".ts-tools").count() == 0
        shot(page, "article-nojs-phone")
    finally:
        context.close()


def test_masthead_date_follows_the_readers_day(browser, base, pages):
    """A page built at 23:30 still shows the right date after midnight in Vietnam."""
    context = new_context(browser, PHONE)
    page = context.new_page()
    try:
        page.clock.set_fixed_time("2026-11-29T17:30:00+00:00")  # 00:30 on Monday 30/11 in Hà Nội
        page.goto(base + pages["front"])
        today = page.locator("[data-ts-today]")
        assert today.inner_text().strip() == "Thứ Hai, 30/11/2026"
        assert today.get_attribute("datetime") == "2026-11-30"
    finally:
        context.close()


def test_print_shows_the_article_alone(browser, base, pages):
    context, page = open_page(browser, base, pages["article"], "desktop")
    try:
        page.emulate_media(media="print")
        for chrome in (".ts-sections", ".ts-masthead__tools", ".ts-footer", ".ts-skip"):
            assert not page.locator(chrome).first.is_visible(), chrome
        assert page.locator("h1.ts-title").is_visible()
        assert page.locator(".ts-body").is_visible()
        color = page.locator(".ts-body").evaluate("e => getComputedStyle(e).color")
        assert color == "rgb(0, 0, 0)"
        OUT.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(OUT / "article-print.pdf"), format="A4")
    finally:
        context.close()


@pytest.mark.parametrize("kind,budget", [("article", ARTICLE_BUDGET), ("front", FRONT_BUDGET)])
def test_byte_budget_and_one_host(browser, base, pages, kind, budget):
    for size in ("phone", "desktop"):
        t = transfer(browser, base + pages[kind], SIZES[size])
        assert t.hosts() == {base.split("/")[2]}, f"loaded from another host: {t.hosts()}"
        assert "Font" in t.by_type(), "the site's own font is used"
        assert t.bytes() <= budget, f"{kind} ({size}) transfers {t.bytes()} B before images: {t.by_type()}"
