"""A build changes site/ only when it is complete, and writes the manifest last (real mkdocs builds)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from sitebuild import article, build, config
from test_images import camera_jpeg
from toasoan.publishing import manifest

pytestmark = pytest.mark.slow
ARTICLES = {
    "2026/11/cho-phien.md": article("Chợ phiên vùng cao tấp nập ngày cuối tuần", date="2026-11-20 08:00",
                                    category="kinh-te", body="Người dân mang nông sản xuống chợ.\n\nĐoạn hai."),
    "2026/11/mua-xuan.md": article("Lễ hội mùa xuân ở Ba Bể", date="2026-11-21 09:00", category="van-hoa"),
}
BAD = article("Bài có ngày sai", date="ngày mai")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".staging-" in p.name or ".old-" in p.name)


def mkdocs(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": "2026-11-25 12:00"}
    return subprocess.run([sys.executable, "-m", "mkdocs", *args, "-f", str(root / "mkdocs.yml")],
                          cwd=root, env=env, capture_output=True, text=True, **kwargs)


def test_manifest_lists_exactly_what_was_built(tmp_path):
    # With a photo: its renditions are written in the photos hook's on_post_build,
    # and the manifest must come after them.
    photo = article("Bài có ảnh", date="2026-11-19 08:00", body='Mở đầu.\n\n![](2026/11/cho.jpg "Chợ phiên.")')
    site = build(tmp_path, {**ARTICLES, "2026/11/anh.md": photo}, images={"2026/11/cho.jpg": camera_jpeg(1000, 700)})
    assert site.returncode == 0, site.log
    listed = manifest.read(site.site)
    files = {rel for rel in snapshot(site.site) if rel != manifest.NAME}
    assert set(listed.files) == files and len(files) > 50
    assert sum(rel.startswith("images/2026/11/cho.") for rel in files) >= 4
    manifest.check(site.site, listed, hashes=True)
    assert listed.generator.startswith("toasoan ") and listed.built.endswith("+00:00")
    text = (site.site / manifest.NAME).read_text(encoding="utf-8")
    assert str(tmp_path) not in text and "/home" not in text   # nothing about the machine
    assert leftovers(tmp_path) == []


def test_a_failed_build_keeps_the_previous_site(tmp_path):
    first = build(tmp_path, ARTICLES)
    assert first.returncode == 0, first.log
    (first.site / ".git").mkdir()   # MkDocs keeps hidden entries of site/; so must the swap
    (first.site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    before = snapshot(first.site)

    # A bad article: the articles hook aborts in on_files.
    failed = build(tmp_path, {"2026/11/hong.md": BAD})
    assert failed.returncode != 0 and "hong.md" in failed.log
    assert snapshot(first.site) == before
    assert leftovers(tmp_path) == []

    # --strict fails on a warning only after every on_post_build: still nothing swapped in.
    (tmp_path / "articles/2026/11/hong.md").write_text(
        article("Bài có trường lạ", date="2026-11-22 08:00", mood="vui"), encoding="utf-8")
    warned = build(tmp_path, {})
    assert warned.returncode != 0 and "strict" in warned.log, warned.log
    assert snapshot(first.site) == before
    assert leftovers(tmp_path) == []

    # Fixed: the next build replaces site/ and keeps .git.
    (tmp_path / "articles/2026/11/hong.md").write_text(
        article("Bài đã sửa", date="2026-11-22 08:00"), encoding="utf-8")
    fixed = build(tmp_path, {})
    assert fixed.returncode == 0, fixed.log
    assert "bai-da-sua" in " ".join(manifest.read(fixed.site).files)
    assert (fixed.site / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    manifest.check(fixed.site, manifest.read(fixed.site), hashes=True)
    assert leftovers(tmp_path) == []


def test_a_killed_build_keeps_the_previous_site(tmp_path):
    first = build(tmp_path, {**ARTICLES, **{f"2026/10/bai-{i}.md": article(f"Tin số {i} của tháng mười",
                                                                           date=f"2026-10-{i % 28 + 1:02d} 08:00")
                                            for i in range(60)}})
    assert first.returncode == 0, first.log
    before = snapshot(first.site)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": "2026-11-25 12:00"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-f", str(tmp_path / "mkdocs.yml")],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    # Kill it once it has written pages into its staging folder.
    while not any(p.is_file() for d in tmp_path.glob(".site.staging-*") for p in d.glob("*/*/*/index.html")):
        assert proc.poll() is None and time.monotonic() < deadline, "the build ended before it could be killed"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert snapshot(first.site) == before
    assert leftovers(tmp_path) == [f".site.staging-{proc.pid}"]
    # The next build removes what the killed one left.
    again = build(tmp_path, {})
    assert again.returncode == 0, again.log
    assert leftovers(tmp_path) == []
    assert {k: v for k, v in snapshot(again.site).items() if k != manifest.NAME} == \
           {k: v for k, v in before.items() if k != manifest.NAME}


def test_site_dir_from_the_command_line_and_the_config(tmp_path):
    cfg = config(tmp_path)
    cfg["site_dir"] = str(tmp_path / "ra")          # a site_dir set in the config
    first = build(tmp_path, ARTICLES, cfg=cfg)
    assert first.returncode == 0, first.log
    assert (tmp_path / "ra" / manifest.NAME).is_file() and not (tmp_path / "site").exists()
    for option in ("-d", "--site-dir"):
        other = tmp_path / f"khac{option.count('-')}"
        result = mkdocs(tmp_path, "build", option, str(other))
        assert result.returncode == 0, result.stderr
        manifest.check(other, manifest.read(other), hashes=True)
        assert leftovers(tmp_path) == []
    before = snapshot(tmp_path / "ra")
    (tmp_path / "articles/2026/11/hong.md").write_text(BAD, encoding="utf-8")
    assert mkdocs(tmp_path, "build", "-d", str(tmp_path / "ra")).returncode != 0
    assert snapshot(tmp_path / "ra") == before and leftovers(tmp_path) == []


def test_serve_is_left_alone(tmp_path):
    built = build(tmp_path, ARTICLES)
    assert built.returncode == 0, built.log
    before = snapshot(built.site)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": "2026-11-25 12:00"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}",
                             "-f", str(tmp_path / "mkdocs.yml")], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline, page = time.monotonic() + 60, None
        while page is None:
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "mkdocs serve did not answer"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.2)
        assert cfg["site_name"] in page and "Chợ phiên vùng cao" in page
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert snapshot(built.site) == before
    assert leftovers(tmp_path) == []


def _tree(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_swap_keeps_hidden_entries(tmp_path, monkeypatch, exchange):
    from toasoan.publishing import staging
    if not exchange:   # a kernel or file system without RENAME_EXCHANGE
        monkeypatch.setattr(staging, "_renameat2", None)
    site = _tree(tmp_path / "site", {"index.html": "cũ", ".git/HEAD": "gh-pages", manifest.NAME: "{}"})
    new = staging.create(site)
    _tree(new, {"index.html": "mới", "a/b.html": "mới"})
    staging.swap(new, site)
    assert snapshot(site) == {"index.html": "mới".encode(), "a/b.html": "mới".encode(),
                              ".git/HEAD": b"gh-pages"}
    assert leftovers(tmp_path) == []
    first = tmp_path / "first"     # the very first build: no site/ yet
    staging.swap(_tree(staging.create(first), {"index.html": "một"}), first)
    assert snapshot(first) == {"index.html": "một".encode()} and leftovers(tmp_path) == []


def test_leftovers_of_killed_builds(tmp_path):
    from toasoan.publishing import staging
    site = _tree(tmp_path / "site", {"index.html": "mới"})
    # Killed right after the exchange: the old site, with its .git, is in the leftover.
    dead = staging.staging_folder(site, _dead_pid())
    _tree(dead, {"index.html": "cũ", ".git/HEAD": "gh-pages"})
    alive = _tree(staging.staging_folder(site, os.getppid()), {"index.html": "đang dựng"})
    assert staging.clean_leftovers(site) == [dead]
    assert (site / ".git/HEAD").read_text() == "gh-pages" and alive.is_dir()   # a running build is left alone
    # Killed between the two renames of the fallback: site/ is restored from the aside folder.
    other = tmp_path / "other"
    aside = _tree(tmp_path / f".other.old-{_dead_pid()}", {"index.html": "trước"})
    staging.clean_leftovers(other)
    assert not aside.exists() and (other / "index.html").read_text() == "trước"
