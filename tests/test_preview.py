"""`toasoan serve`: the real server on loopback, real edits of a fixture archive, polled pages."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from PIL import Image

from loopback import free_port
import sitebuild
from sitebuild import article

pytestmark = pytest.mark.slow

REPO = sitebuild.REPO
NOW = "2026-11-25 12:00"
MOUNT = "/bao-thu/"   # the path of the fixture's site_url



def photo(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(out, "JPEG", quality=80)
    return out.getvalue()


def write_site(root: Path, articles: dict[str, str], images: dict[str, bytes] | None = None) -> None:
    for rel, text in articles.items():
        path = root / "articles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel, data in (images or {}).items():
        path = root / "images" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "images").mkdir(exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(sitebuild.config(root), allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")


class Served:
    """One `toasoan serve` in its own session (so every process it starts can be found)."""

    def __init__(self, root: Path, *extra: str):
        self.root, self.port = root, free_port()
        self.base = f"http://127.0.0.1:{self.port}{MOUNT}"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": NOW}
        self.log = open(root / "serve.log", "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "toasoan", "serve", "--root", str(root),
                                      "-a", f"127.0.0.1:{self.port}", *extra],
                                     cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.wait_for("", lambda status, html: status == 200, timeout=90)

    def get(self, url: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + url, timeout=20) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def wait_for(self, url: str, check, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        status, html = 0, ""
        while time.monotonic() < deadline:
            try:
                status, html = self.get(url)
                if check(status, html):
                    return html
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{url}: last status {status}; serve log:\n{self.text_log()[-3000:]}")

    def text_log(self) -> str:
        return (self.root / "serve.log").read_text(encoding="utf-8", errors="replace")

    def session_pids(self) -> list[int]:
        """Every live process of the server's session (its children included)."""
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if os.getsid(int(entry)) == self.proc.pid:
                        stat = Path(f"/proc/{entry}/stat").read_text()
                        if stat.rsplit(")", 1)[1].split()[0] != "Z":
                            found.append(int(entry))
                except (OSError, ProcessLookupError):
                    pass
        return found

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                pass
        for pid in self.session_pids():   # only on failure: nothing may outlive the test
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(10)
        self.log.close()


def holds(text):
    return lambda status, html: status == 200 and text in html


def lacks(text):
    return lambda status, html: status == 200 and text not in html


def gone(status, html):
    return status == 404


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def served(tmp_path):
    write_site(tmp_path, {
        "2026/11/a.md": article(title="Hội nghị tổng kết năm", date="2026-11-10 08:00", category="Chính trị",
                                tags=["Xây dựng Đảng"], body="Đoạn mở đầu bài A.\n\nĐoạn hai."),
        "2026/11/b.md": article(title="Mùa lúa mới ở Ba Bể", date="2026-11-12 08:00", category="Kinh tế",
                                tags=["Nông nghiệp"], author="Hoàng Anh",
                                body="Đoạn mở đầu bài B.\n\n![Lúa chín](2026/11/lua.jpg \"Lúa chín. Ảnh: Hoàng Anh\")"),
    }, images={"2026/11/lua.jpg": photo((200, 180, 40)), "2026/11/ruong-xanh.jpg": photo((40, 160, 60))})
    server = Served(tmp_path, "--no-cms")
    yield server
    server.stop()


def test_each_kind_of_edit_shows_on_every_page_that_holds_the_article(served):
    root, art = served.root, served.root / "articles" / "2026" / "11"
    served.wait_for("2026/11/hoi-nghi-tong-ket-nam/", holds("Đoạn mở đầu bài A."))

    # A new article: its page, the home page, its section, tag, author and place listings.
    (art / "c.md").write_text(article(title="Khai trương chợ phiên Chợ Mới", date="2026-11-20 09:00",
                                      category="Kinh tế", tags=["Thương mại"], author="Minh Đức",
                                      location="Chợ Mới"), encoding="utf-8")
    served.wait_for("2026/11/khai-truong-cho-phien-cho-moi/", holds("Khai trương chợ phiên Chợ Mới"))
    for url in ("", "kinh-te/", "chu-de/thuong-mai/", "tac-gia/minh-duc/", "dia-phuong/cho-moi/"):
        served.wait_for(url, holds("Khai trương chợ phiên Chợ Mới"), timeout=10)
    served.wait_for("search/manifest.json", holds('"documents":3,'))

    # A changed title: the article, the home page and its section.
    edit(art / "a.md", "Hội nghị tổng kết năm", "Hội nghị sơ kết sáu tháng")
    served.wait_for("2026/11/hoi-nghi-so-ket-sau-thang/", holds("Hội nghị sơ kết sáu tháng"))
    served.wait_for("2026/11/hoi-nghi-tong-ket-nam/", gone)
    for url in ("", "chinh-tri/"):
        served.wait_for(url, lambda s, h: holds("Hội nghị sơ kết sáu tháng")(s, h) and "tổng kết năm" not in h)

    # A changed date moves the article and re-sorts the lists.
    edit(art / "c.md", "2026-11-20 09:00", "2026-10-05 09:00")
    served.wait_for("2026/10/khai-truong-cho-phien-cho-moi/", holds("05/10/2026"))
    served.wait_for("2026/11/khai-truong-cho-phien-cho-moi/", gone)

    # Section, author, place and tag: the old listing loses it, the new one holds it.
    edit(art / "c.md", "category: Kinh tế", "category: Thời sự")
    served.wait_for("thoi-su/", holds("Khai trương chợ phiên Chợ Mới"))
    served.wait_for("kinh-te/", lacks("Khai trương chợ phiên Chợ Mới"))
    edit(art / "c.md", "author: Minh Đức", "author: Thu Trang")
    served.wait_for("tac-gia/thu-trang/", holds("Khai trương chợ phiên Chợ Mới"))
    served.wait_for("tac-gia/minh-duc/", gone)
    edit(art / "c.md", "location: Chợ Mới", "location: Na Rì")
    served.wait_for("dia-phuong/na-ri/", holds("Khai trương chợ phiên Chợ Mới"))
    served.wait_for("2026/10/khai-truong-cho-phien-cho-moi/", holds("Na Rì"))
    edit(art / "c.md", "tags: [Thương mại]", "tags: [Chợ phiên]")
    served.wait_for("chu-de/cho-phien/", holds("Khai trương chợ phiên Chợ Mới"))
    served.wait_for("chu-de/thuong-mai/", gone)

    # A changed photo: the page names the new one, and its rendition is served once encoded.
    edit(art / "b.md", "2026/11/lua.jpg", "2026/11/ruong-xanh.jpg")
    html = served.wait_for("2026/11/mua-lua-moi-o-ba-be/", holds("ruong-xanh"))
    rendition = re.search(r'src="\.\./\.\./\.\./(images/[^"]*ruong-xanh[^"]*)"', html)
    assert rendition, html
    served.wait_for(rendition.group(1).removesuffix("/"), lambda s, h: s == 200)
    served.wait_for("", holds("ruong-xanh"))

    # A deleted article: its page is gone, and so is it from the lists.
    (art / "c.md").unlink()
    served.wait_for("2026/10/khai-truong-cho-phien-cho-moi/", gone)
    for url in ("", "thoi-su/"):
        served.wait_for(url, lacks("Khai trương chợ phiên Chợ Mới"))

    # The search index catches up by itself (it held three articles).
    served.wait_for("search/manifest.json", holds('"documents":2,'))
    assert "Traceback" not in served.text_log()


def test_an_article_with_errors_shows_its_problems_until_fixed(served):
    path = served.root / "articles" / "2026" / "11" / "a.md"
    url = "2026/11/hoi-nghi-tong-ket-nam/"
    served.wait_for(url, holds("Đoạn mở đầu bài A."))
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("date: 2026-11-10 08:00", "date: 2026-13-10 08:00")
                    .replace("author: Xuân Nghiệp\n", ""), encoding="utf-8")
    html = served.wait_for(url, holds("ts-preview-problems"))
    assert "Đoạn mở đầu bài A." not in html
    assert re.search(r"<code>[^<]*articles/2026/11/a\.md:\d+</code>", html), html
    assert "ngày đăng &#39;2026-13-10 08:00&#39; không đọc được" in html
    assert "thiếu trường bắt buộc &#39;author&#39;" in html
    assert html.count("Cách sửa:") == 2
    # The rest of the site keeps working.
    served.wait_for("2026/11/mua-lua-moi-o-ba-be/", holds("Đoạn mở đầu bài B."))
    # One fixed, the other still listed; then the article again.
    path.write_text(good.replace("date: 2026-11-10 08:00", "date: 2026-13-10 08:00"), encoding="utf-8")
    html = served.wait_for(url, lambda s, h: "ts-preview-problems" in h and "author" not in h)
    assert "không đọc được" in html
    path.write_text(good, encoding="utf-8")
    served.wait_for(url, lambda s, h: holds("Đoạn mở đầu bài A.")(s, h) and "ts-preview-problems" not in h)
    # A new file with errors has no address yet: "page not found" lists the problems.
    (path.parent / "moi.md").write_text("---\ntitle: Bài mới\n---\nThân bài.\n", encoding="utf-8")
    served.wait_for("khong-co-trang-nay/", lambda s, h: s == 404 and "moi.md" in h and "Cách sửa" in h)


def test_a_reporter_title_is_escaped_on_the_problems_page(served):
    path = served.root / "articles" / "2026" / "11" / "a.md"
    served.wait_for("2026/11/hoi-nghi-tong-ket-nam/", holds("Đoạn mở đầu bài A."))
    edit(path, "category: Chính trị", "category: <script>alert(1)</script>")
    html = served.wait_for("2026/11/hoi-nghi-tong-ket-nam/", holds("ts-preview-problems"))
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def _strip_preview(html: str) -> str:
    """The page without what only the preview adds: the live-reload script."""
    return re.sub(r"<script>\s*var livereload = function.*?</script>", "", html, flags=re.S)


def test_preview_serves_what_the_build_publishes(tmp_path):
    articles = {
        "2026/11/a.md": article(title="Hội nghị tổng kết năm", date="2026-11-10 08:00", category="Chính trị",
                                tags=["Xây dựng Đảng", "Nông thôn mới"]),
        "2026/11/b.md": article(title="Nông thôn mới ở Ba Bể", date="2026-11-12 08:00", category="Kinh tế",
                                tags=["Nông thôn mới"], author="Hoàng Anh",
                                body="Đoạn mở đầu.\n\n![Lúa chín](2026/11/lua.jpg \"Lúa chín. Ảnh: Hoàng Anh\")"),
        "2026/10/c.md": article(title="Xây dựng nông thôn mới kiểu mẫu", date="2026-10-01 08:00",
                                category="Kinh tế", tags=["Nông thôn mới"], location="Chợ Mới"),
    }
    built = sitebuild.build(tmp_path, articles, images={"2026/11/lua.jpg": photo((200, 180, 40))})
    assert built.returncode == 0, built.log
    server = Served(tmp_path, "--no-cms")
    try:
        # Until "Xem thêm" is ranked an article shows the last lists (none at start): each page
        # must become the build's page, byte for byte, once the catch-up is done.
        pages = ["", "2026/11/hoi-nghi-tong-ket-nam/", "2026/11/nong-thon-moi-o-ba-be/", "kinh-te/",
                 "chu-de/nong-thon-moi/", "tac-gia/hoang-anh/", "dia-phuong/cho-moi/", "2026/11/"]
        for url in pages:
            published = built.html(url)
            try:
                server.wait_for(url, lambda status, html: status == 200 and _strip_preview(html) == published,
                                timeout=60)
            except AssertionError:
                status, html = server.get(url)
                assert _strip_preview(html) == published, url   # shows the difference
    finally:
        server.stop()


def test_sigterm_stops_every_process_and_frees_the_port(tmp_path):
    write_site(tmp_path, {"2026/11/a.md": article(date="2026-11-10 08:00")})
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    from toasoan.tools import cms
    with_cms = not cms.backend_problem(tmp_path)
    server = Served(tmp_path, "--cms-port", str(free_port())) if with_cms else Served(tmp_path, "--no-cms")
    try:
        server.wait_for("2026/11/tieu-de-thu-nghiem/", holds("Tiêu đề thử nghiệm"))
        pid_file = tmp_path / ".cache" / "decap-server.pid"
        backend = int(pid_file.read_text()) if with_cms else None
        if backend is not None:   # decap-server runs beside it (in its own session) until then
            os.kill(backend, 0)
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(30) == 0
        assert server.session_pids() == []
        if backend is not None:
            with pytest.raises(ProcessLookupError):
                os.kill(backend, 0)
            assert not pid_file.exists()
        with pytest.raises(ConnectionRefusedError):   # nothing answers there any more…
            socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
        with socket.socket() as s:   # …and a new server can take the port at once
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", server.port))
    finally:
        server.stop()


def test_address_is_checked(tmp_path):
    write_site(tmp_path, {"2026/11/a.md": article(date="2026-11-10 08:00")})
    proc = subprocess.run([sys.executable, "-m", "toasoan", "serve", "--root", str(tmp_path), "--no-cms",
                           "-a", "127.0.0.1"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "MÁY:CỔNG" in proc.stderr and "Traceback" not in proc.stderr


def test_the_open_page_reloads_itself_after_a_save(served, browser):
    path = served.root / "articles" / "2026" / "11" / "a.md"
    page = browser.new_page()
    try:
        page.goto(served.base + "2026/11/hoi-nghi-tong-ket-nam/")
        page.wait_for_function("document.body.textContent.includes('Đoạn mở đầu bài A.')")
        page.evaluate("window.__notReloaded = true")
        time.sleep(0.5)   # the reload script is polling
        edit(path, "Đoạn mở đầu bài A.", "Đoạn mở đầu đã sửa.")
        # One condition, polled in whatever document is current: the page may reload twice (the
        # save, then the catch-up of "Xem thêm" and search), so a separate evaluate() could land
        # in the middle of the second navigation. A page changed in place would keep the flag.
        page.wait_for_function("document.body.textContent.includes('Đoạn mở đầu đã sửa.')"
                               " && window.__notReloaded === undefined", timeout=20000)
    finally:
        page.close()


def test_a_broken_mkdocs_yml_keeps_the_last_good_site(served):
    config = served.root / "mkdocs.yml"
    good = config.read_text(encoding="utf-8")
    served.wait_for("2026/11/hoi-nghi-tong-ket-nam/", holds("Đoạn mở đầu bài A."))
    config.write_text(good.replace("site_name:", "site_name: [", 1), encoding="utf-8")
    deadline = time.monotonic() + 30
    while "không đọc lại được trang" not in served.text_log():
        assert time.monotonic() < deadline, served.text_log()[-2000:]
        time.sleep(0.2)
    served.wait_for("2026/11/hoi-nghi-tong-ket-nam/", holds("Đoạn mở đầu bài A."), timeout=10)
    config.write_text(good, encoding="utf-8")
    edit(served.root / "articles" / "2026" / "11" / "a.md", "Đoạn mở đầu bài A.", "Đoạn đã sửa sau lỗi.")
    served.wait_for("2026/11/hoi-nghi-tong-ket-nam/", holds("Đoạn đã sửa sau lỗi."))


def test_a_change_in_an_inherited_settings_file_shows(tmp_path):
    """mkdocs.yml with ``INHERIT: chung.yml`` (settings shared by a province's sites): both are watched."""
    write_site(tmp_path, {"2026/11/a.md": article(title="Hội nghị tổng kết năm", date="2026-11-10 08:00",
                                                  category="Chính trị", body="Đoạn mở đầu bài A.")})
    settings = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    shared = {"site_name": "Báo Thử Chung", "extra": settings.pop("extra")}
    del settings["site_name"]
    (tmp_path / "chung.yml").write_text(yaml.safe_dump(shared, allow_unicode=True), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: chung.yml\n" + yaml.safe_dump(settings, allow_unicode=True),
                                         encoding="utf-8")
    server = Served(tmp_path, "--no-cms")
    try:
        server.wait_for("", holds("Báo Thử Chung"))
        edit(tmp_path / "chung.yml", "Báo Thử Chung", "Báo Thử Đã Đổi")
        server.wait_for("", holds("Báo Thử Đã Đổi"))
        server.wait_for("2026/11/hoi-nghi-tong-ket-nam/", holds("Báo Thử Đã Đổi"))
    finally:
        server.stop()


def test_an_editors_lock_file_is_not_an_article(served):
    """Emacs keeps ``.#a.md`` (a dangling symlink) beside the article it has open: no error, no page."""
    art = served.root / "articles" / "2026" / "11"
    os.symlink("phongvien@may-tinh.4242:1700000000", art / ".#a.md")
    (art / "._b.md").write_bytes(b"\x00\x05\x16\x07Mac OS X        \x00")   # macOS metadata, on a USB stick
    edit(art / "a.md", "Đoạn mở đầu bài A.", "Đoạn sửa trong Emacs.")
    served.wait_for("2026/11/hoi-nghi-tong-ket-nam/", holds("Đoạn sửa trong Emacs."))
    served.wait_for("", lambda status, html: status == 200 and "Mùa lúa mới ở Ba Bể" in html)
    assert "liên kết tượng trưng" not in served.text_log()
    assert "._b" not in served.text_log() and ".#a" not in served.text_log()
