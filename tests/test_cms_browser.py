"""The newsroom editor end to end: real Decap CMS in headless Chromium, the real
local backend (decap-server, git mode) on a git checkout of a fixture site.

A reporter writes an article with two photos, saves it as a draft and sends it
for review; an editor (a second browser context) approves and publishes. Then
the files on the main branch pass `toasoan check --strict` and the built page
shows both figures with captions and credits.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

from loopback import free_port, wait_for_port
import sitebuild
from browsing import launch, new_context
from webserver import serve

from toasoan.tools import cms

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "test-output" / "cms"
SLUG = "ba-be-khai-mac-tuan-van-hoa-du-lich"
ARTICLE = f"articles/2026/11/{SLUG}.md"



def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def newsroom(tmp_path):
    """A git checkout of a fixture site with one article, /admin/ built, the backend running."""
    assert cms.SERVER.is_file(), "run scripts/setup.sh: cms/node_modules is missing"
    root, port = tmp_path / "toa-soan", free_port()
    root.mkdir()
    (root / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    older = sitebuild.article(title="Ba Bể đón khách du lịch mùa thu", date="2026-11-10 08:00",
                              category="Văn hóa", body="Hồ Ba Bể đón nhiều khách.\n\nĐoạn thứ hai.")
    built = sitebuild.build(root, {"2026/11/ba-be-don-khach.md": older}, photos={"max_mb": 0.5},
                            env={"TOASOAN_PREVIEW": "1", "TOASOAN_CMS_URL": f"http://127.0.0.1:{port}/api/v1"})
    assert built.returncode == 0, built.log
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.name", "Toa soan test")
    _git(root, "config", "user.email", "test@example.org")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "Trang mẫu")
    photos = tmp_path / "anh"
    photos.mkdir()
    Image.new("RGB", (1200, 800), (190, 70, 40)).save(photos / "khai-mac.jpg", quality=85)
    Image.new("RGB", (1000, 700), (40, 110, 190)).save(photos / "van-nghe.jpg", quality=85)
    (photos / "khong-phai-anh.jpg").write_bytes(b"day khong phai anh\n" * 200)
    # Noise does not compress: about 1 MB, over the fixture's 0.5 MB limit.
    Image.frombytes("RGB", (1000, 800), os.urandom(1000 * 800 * 3)).save(photos / "qua-nang.jpg", quality=95)
    log = open(tmp_path / "decap-server.log", "w")
    proc = cms.start_backend(root, port, log)
    try:
        wait_for_port(port, proc, "decap-server", timeout=10)
        with serve(root / "site", "/", gzip=False) as base:
            yield root, base, photos, port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # its own process group: node and anything it started
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        log.close()


@pytest.fixture
def browser():
    with sync_playwright() as p:
        b = launch(p)
        try:
            yield b
        finally:
            b.close()


def _open_admin(browser, base):
    context = new_context(browser)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.accept()))  # confirmations, alerts
    asked = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(base + "admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Bài viết").first.wait_for()
    return context, page, asked


def _pick(page, field: str, text: str, option: str) -> None:
    """Choose `option` in a select widget, and see that the widget shows it.

    On a loaded CI runner a click on the menu once did not take (the category stayed
    empty and the save stopped on "bắt buộc nhập"), so the pick is checked on the
    widget itself and made again if it did not land.
    """
    box = page.locator(f"input[id^='{field}-field']").first
    control = box.locator("xpath=ancestor::div[contains(@class, '-control')][1]")
    for _ in range(3):
        if option in control.inner_text():
            return
        box.click()
        box.fill(text)
        # The menu's option, not the same words elsewhere (the preview pane shows them too).
        page.get_by_role("option", name=option, exact=True).first.click()
        try:
            control.get_by_text(option, exact=True).first.wait_for(timeout=5_000)
        except PlaywrightTimeout:
            continue
    if option not in control.inner_text():
        raise AssertionError(f"{field}: the widget shows {control.inner_text()!r}, not {option!r}")


def _add_photo(page, n: int, path: Path, caption: str, credit: str) -> None:
    page.locator("[title='Add Component']").click()
    page.get_by_role("menuitem").get_by_text("Ảnh có chú thích").click()
    page.locator("[data-slate-editor]").get_by_text("Chọn một hình").last.click()
    page.locator("input[type=file]").first.set_input_files(str(path))
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.locator("[data-slate-editor] input[id^='caption-field']").nth(n).fill(caption)
    page.locator("[data-slate-editor] input[id^='credit-field']").nth(n).fill(credit)


def _status(page, name: str):
    """The workflow status button (Decap's Vietnamese reads "Trạng: …")."""
    return page.get_by_text(re.compile(r"^Trạng[^:]*: " + name + "$")).first


def _saved(page, root: Path) -> None:
    """Wait for a save to land as a draft: the status button reads "Bản nháp".

    A save is several git commands in the backend (a branch, one commit per file);
    on a loaded 2-core CI runner that has taken longer than the default 20 s once,
    so it gets a minute. If it never lands, the message says what the page and the
    backend said, not only that a button did not appear.
    """
    try:
        _status(page, "Bản nháp").wait_for(timeout=60_000)
    except PlaywrightTimeout:
        log = root.parent / "decap-server.log"
        backend = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log.exists() else ""
        raise AssertionError(f"no draft after saving; the page shows:\n{page.inner_text('body')[-2000:]}\n"
                             f"dialogs: {page.dialogs}\nbackend log:\n{backend}") from None


TYPED = {"input[id^='title-field']": "Ba Bể khai mạc Tuần văn hóa du lịch",
         "input[id^='date-field']": "2026-11-20T08:30",
         "input[id^='author-field']": "Xuân Nghiệp",
         "input[id^='tags-field']": "du lịch, hồ Ba Bể",
         "textarea[id^='summary-field']": "Tuần lễ kéo dài năm ngày với nhiều hoạt động."}


def _type_fields(page) -> None:
    """Type the text fields, again where one lost what was typed.

    On a loaded CI runner the new entry's form was once set up again after typing had begun
    (Decap makes the empty entry asynchronously), and the save then failed on empty fields.
    """
    for selector, value in TYPED.items():
        box = page.locator(selector).first
        if box.input_value() != value:
            box.fill(value)


PICKS = [("location", "ba be", "Ba Bể"), ("category", "Văn h", "Văn hóa"),
         ("related", "đón khách", "Ba Bể đón khách du lịch mùa thu")]


def _pick_all(page) -> None:
    for field, text, option in PICKS:
        _pick(page, field, text, option)


def _write_article(page, photos: Path, extra_photo: Path | None = None) -> None:
    page.locator("a[href*='/new']").first.click()
    _type_fields(page)
    _pick_all(page)
    _type_fields(page)
    page.locator("[data-slate-editor]").click()
    page.keyboard.type("Sáng 20/11, huyện Ba Bể khai mạc Tuần văn hóa – du lịch năm 2026.")
    page.keyboard.press("Enter")
    _add_photo(page, 0, photos / "khai-mac.jpg", "Đại biểu cắt băng khai mạc", "Xuân Nghiệp")
    _add_photo(page, 1, extra_photo or photos / "van-nghe.jpg", "Tiết mục văn nghệ chào mừng.", "Minh Đức")
    # Once more before saving: each step returns at once where the form kept what it was given.
    _pick_all(page)
    _type_fields(page)


def test_reporter_writes_editor_publishes(newsroom, browser):
    root, base, photos, port = newsroom
    OUT.mkdir(parents=True, exist_ok=True)
    context, page, asked = _open_admin(browser, base)
    page.get_by_text("Ba Bể đón khách du lịch mùa thu").first.wait_for()
    page.screenshot(path=str(OUT / "danh-sach.png"))
    _write_article(page, photos)
    # The preview pane shows both photos with caption and credit, as the site will.
    preview = page.frame_locator("iframe").first
    assert preview.locator("figcaption").nth(0).inner_text().split() == \
        "Đại biểu cắt băng khai mạc. Ảnh: Xuân Nghiệp".split()
    assert "Ảnh: Minh Đức" in preview.locator("figcaption").nth(1).inner_text()
    page.locator("[data-slate-editor] input[id^='caption-field']").first.scroll_into_view_if_needed()
    page.mouse.wheel(0, -250)
    page.screenshot(path=str(OUT / "soan-bai.png"))
    page.get_by_role("button", name="Lưu").first.click()
    _saved(page, root)

    # Saved as a draft on its own branch, with both photos, nothing on main yet.
    branch = f"cms/bai-viet-2026/11/{SLUG}"
    assert branch in _git(root, "branch", "--list", "cms/*")
    assert not (root / ARTICLE).exists()
    changed = _git(root, "diff", "--name-only", "main", branch).split()
    assert sorted(changed) == sorted([ARTICLE, "images/2026/11/khai-mac.jpg", "images/2026/11/van-nghe.jpg"])

    # Send for review.
    _status(page, "Bản nháp").click()
    page.get_by_role("menuitem", name="Đang xét duyệt").click()
    _status(page, "Đang xét duyệt").wait_for(timeout=60_000)   # a git command in the backend, as a save
    assert "pending_review" in _git(root, "config", f"branch.{branch}.description")
    context.close()

    # The editor, in another browser session, approves and publishes from the workflow board.
    context, page, more = _open_admin(browser, base)
    asked += more
    page.get_by_role("link", name="Biên tập").click()
    page.get_by_text("Ba Bể khai mạc Tuần văn hóa du lịch").first.wait_for()
    page.screenshot(path=str(OUT / "bien-tap.png"))
    page.get_by_text("Ba Bể khai mạc Tuần văn hóa du lịch").first.click()
    _status(page, "Đang xét duyệt").click()
    page.get_by_role("menuitem", name="Sẵn sàng").click()
    _status(page, "Sẵn sàng").wait_for(timeout=60_000)
    page.screenshot(path=str(OUT / "duyet-bai.png"))
    page.get_by_role("button", name="Công bố").first.click()
    page.get_by_role("menuitem", name="Công bố ngay").click()
    page.get_by_text("Mục đã được công bố", exact=True).wait_for()
    context.close()

    # The list opens newest first.
    context, page, more = _open_admin(browser, base)
    asked += more
    page.get_by_text("Ba Bể khai mạc Tuần văn hóa du lịch").first.wait_for()
    listing = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    assert listing.index("Ba Bể khai mạc") < listing.index("Ba Bể đón khách"), listing
    context.close()

    # On main now, the branch gone, the trail in git history.
    assert _git(root, "symbolic-ref", "--short", "HEAD").strip() == "main"
    assert not _git(root, "branch", "--list", "cms/*").strip()
    assert "Bài mới: " + ARTICLE in _git(root, "log", "--format=%s", "main")
    text = (root / ARTICLE).read_text(encoding="utf-8")
    assert re.search(r"^date: 2026-11-20 08:30$", text, re.M), text
    assert re.search(r"^location: Ba Bể$", text, re.M) and re.search(r"^category: Văn hóa$", text, re.M)
    assert re.search(r"^related:\n  - articles/2026/11/ba-be-don-khach$", text, re.M), text
    assert '![](2026/11/khai-mac.jpg "Đại biểu cắt băng khai mạc. Ảnh: Xuân Nghiệp")' in text
    assert '![](2026/11/van-nghe.jpg "Tiết mục văn nghệ chào mừng. Ảnh: Minh Đức")' in text
    for name in ("khai-mac.jpg", "van-nghe.jpg"):
        assert (root / "images/2026/11" / name).read_bytes() == (photos / name).read_bytes()

    check = subprocess.run([sys.executable, "-m", "toasoan", "check", "--strict", "--root", str(root)],
                           cwd=REPO, capture_output=True, text=True,
                           env={**os.environ, "TOASOAN_NOW": "2026-11-25 12:00"})
    assert check.returncode == 0, check.stdout + check.stderr

    built = sitebuild.build(root, {})
    assert built.returncode == 0, built.log
    html = built.html(f"2026/11/{SLUG}/")
    assert html.count('<figure class="ts-figure">') == 2
    assert '<span class="ts-figure__caption">Đại biểu cắt băng khai mạc.</span>' in html
    assert '<span class="ts-figure__credit">Ảnh: Xuân Nghiệp</span>' in html
    assert '<span class="ts-figure__credit">Ảnh: Minh Đức</span>' in html
    assert not (built.site / "admin").exists(), "/admin/ is published only with cms.publish: true"
    # Every script, style and call stayed on this machine: the site and the local backend.
    hosts = {urlsplit(u).netloc for u in asked if u.startswith("http")}
    assert hosts <= {urlsplit(base).netloc, f"127.0.0.1:{port}"}, hosts


def test_not_a_photo_is_refused_before_saving(newsroom, browser):
    root, base, photos, port = newsroom
    assert (photos / "qua-nang.jpg").stat().st_size > 0.5 * 1024 * 1024
    context, page, _ = _open_admin(browser, base)
    # A photo over the configured limit is refused by the upload itself.
    page.locator("a[href*='/new']").first.click()
    page.get_by_text("Chọn một hình").first.click()
    page.locator("input[type=file]").first.set_input_files(str(photos / "qua-nang.jpg"))
    page.wait_for_function("() => document.querySelector('input[type=file]').value === ''")
    # The alert may come after the input is cleared: pump Playwright's events until it has.
    for _ in range(200):
        if any("quá lớn" in m for m in page.dialogs):
            break
        page.wait_for_timeout(100)
    assert any("quá lớn" in m and "524 kB" in m for m in page.dialogs), page.dialogs  # 0.5 MiB
    assert page.get_by_text("qua-nang.jpg").count() == 0
    page.goto(base + "admin/")
    _write_article(page, photos, extra_photo=photos / "khong-phai-anh.jpg")
    page.get_by_role("button", name="Lưu").first.click()
    message = page.get_by_text(re.compile("không phải ảnh"))
    message.first.wait_for()
    assert "Cách sửa" in message.first.inner_text()
    # Nothing was written: no branch, no article, no photo.
    assert not _git(root, "branch", "--list", "cms/*").strip()
    assert not (root / ARTICLE).exists() and not (root / "images/2026").exists()
    context.close()


def _open_article(page, title: str) -> None:
    page.get_by_text(title).first.click()
    page.locator("textarea[id^='summary-field']").wait_for()


def test_two_reporters_one_article_no_silent_overwrite(newsroom, browser):
    root, base, photos, port = newsroom
    title = "Ba Bể đón khách du lịch mùa thu"
    first, page_a, _ = _open_admin(browser, base)
    second, page_b, _ = _open_admin(browser, base)
    _open_article(page_a, title)
    _open_article(page_b, title)
    # B saves twice in a row (its own saves are no conflict) ...
    page_b.locator("textarea[id^='summary-field']").fill("Bản của phóng viên B.")
    page_b.get_by_role("button", name="Lưu").first.click()
    _saved(page_b, root)
    page_b.locator("textarea[id^='summary-field']").fill("Bản của phóng viên B, sửa lần hai.")
    page_b.get_by_role("button", name="Lưu").first.click()
    page_b.get_by_text("Mục đã được lưu", exact=True).last.wait_for()
    # ... then A, who opened the article before B's saves, is stopped instead of replacing B's text.
    page_a.locator("textarea[id^='summary-field']").fill("Bản của phóng viên A.")
    page_a.get_by_role("button", name="Lưu").first.click()
    page_a.get_by_text(re.compile("vừa được người khác sửa")).first.wait_for()
    branch = "cms/bai-viet-2026/11/ba-be-don-khach"
    text = _git(root, "show", f"{branch}:articles/2026/11/ba-be-don-khach.md")
    assert "sửa lần hai" in text and "phóng viên A" not in text
    first.close()
    second.close()
