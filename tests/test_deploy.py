"""Deploy and rollback against a real nginx on 127.0.0.1: never an error, never a mix."""

from __future__ import annotations

import errno
import getpass
import grp
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest

from loopback import free_port, wait_for_port
from toasoan.tools import deploy
from toasoan.publishing import manifest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent
PAGES = ("", "2026/11/bai-viet/", "feed.xml")


def make_site(root: Path, mark: str, assets: int = 40) -> dict[str, bytes]:
    """A small built site whose every file says which version it is (and is large
    enough, ~200 KB, that a half-written or mixed response would show)."""
    filler = (f"<p>Phiên bản {mark} – nội dung thử nghiệm.</p>\n" * 4000).encode("utf-8")
    files = {
        "index.html": b"<!doctype html><title>" + mark.encode() + b"</title>" + filler + b"<!-- end -->",
        "2026/11/bai-viet/index.html": b"<!doctype html><h1>" + mark.encode() + b"</h1>" + filler,
        "feed.xml": b"<?xml version='1.0'?><rss><channel><title>" + mark.encode() + b"</title></channel></rss>",
    }
    for i in range(assets):   # enough files that a copy can be interrupted midway
        files[f"assets/f{i}.css"] = f"/* {mark} {i} */".encode() * 50
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    manifest.write(root)   # what the build's last hook does (hooks/staging.py)
    return files


def expected(files: dict[str, bytes]) -> dict[str, bytes]:
    return {page: files[page + "index.html" if page == "" or page.endswith("/") else page] for page in PAGES}



@pytest.fixture
def nginx(tmp_path):
    """nginx serving <target>/current on loopback, as the current user; stopped at the end."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: scripts/setup.sh --test installs it")
        pytest.skip("nginx is not installed (bash scripts/setup.sh --test installs it)")
    target, run = tmp_path / "srv", tmp_path / "nginx"
    target.mkdir()
    run.mkdir()
    port = free_port()
    # As root (CI) nginx would switch its workers to 'nobody', who cannot read pytest's tmp.
    user = f"user {getpass.getuser()} {grp.getgrgid(os.getgid()).gr_name};" if os.geteuid() == 0 else ""
    temp = " ".join(f"{kind}_temp_path {run / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (run / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
pid {run / 'nginx.pid'};
error_log {run / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  {temp}
  types {{ text/html html; application/xml xml; text/css css; }}
  default_type application/octet-stream;
  server {{
    listen 127.0.0.1:{port};
    root {target / 'current'};
    disable_symlinks off;
    location / {{ index index.html; }}
  }}
}}
""", encoding="utf-8")
    proc = subprocess.Popen([binary, "-p", str(run), "-e", str(run / "error.log"), "-c", str(run / "nginx.conf"),
                             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_port(port, proc, "nginx", timeout=10, detail=lambda: (
        proc.stderr.read().decode(errors="replace")
        + ((run / "error.log").read_text(errors="replace") if (run / "error.log").exists() else "")))
    try:
        yield target, f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def serves(base: str, files: dict[str, bytes]) -> bool:
    return all(fetch(base + page) == (200, body) for page, body in expected(files).items())


def test_switch_under_load_and_rollback(nginx, tmp_path):
    target, base = nginx
    site_a, site_b = tmp_path / "a", tmp_path / "b"
    files_a, files_b = make_site(site_a, "A"), make_site(site_b, "B")
    deploy.deploy(site_a, target, keep=3)
    assert serves(base, files_a)

    versions = {page: {expected(files_a)[page]: "A", expected(files_b)[page]: "B"} for page in PAGES}
    seen, bad, stop = [], [], threading.Event()

    def reader():
        # Bounded: stops when told, or after 20 s / 20,000 requests whatever happens.
        end, count = time.monotonic() + 20, 0
        while not stop.is_set() and time.monotonic() < end and count < 20000:
            for page in PAGES:
                status, body = fetch(base + page)
                count += 1
                version = versions[page].get(body) if status == 200 else None
                (seen if version else bad).append((page, version or f"HTTP {status}, {len(body)} byte"))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for i in range(12):   # A → B → A → …: each deploy is a new release and a switch
        deploy.deploy(site_b if i % 2 == 0 else site_a, target, keep=3)
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join()
    assert not bad, bad[:5]
    assert len(seen) > 100, "too few requests overlapped the switches to prove anything"
    assert {v for _, v in seen} == {"A", "B"}, "the readers never saw both versions"
    assert serves(base, files_a)   # the last deploy (i = 11) was A

    names = deploy.releases(target)
    assert len(names) == 3 and deploy.current(target) == names[-1]
    assert os.readlink(target / "current") == f"releases/{names[-1]}"
    assert deploy.rollback(target) == names[-2]
    assert serves(base, files_b)
    assert deploy.rollback(target) == names[-3]
    assert serves(base, files_a)
    with pytest.raises(deploy.DeployError):
        deploy.rollback(target)   # nothing older is kept
    assert serves(base, files_a)


def test_failed_copy_leaves_the_site_unchanged(nginx, tmp_path):
    target, base = nginx
    files_a = make_site(tmp_path / "a", "A")
    make_site(tmp_path / "b", "B")
    deploy.deploy(tmp_path / "a", target)
    before = (deploy.releases(target), os.readlink(target / "current"))
    copied = []

    def failing_copy(src, dst):
        if len(copied) == 10:
            raise OSError(28, "No space left on device")
        copied.append(src)
        return shutil.copy2(src, dst)

    with pytest.raises(deploy.DeployError, match="hết chỗ trên đĩa.*--prune"):
        deploy.deploy(tmp_path / "b", target, copy=failing_copy)
    assert (deploy.releases(target), os.readlink(target / "current")) == before
    assert not list((target / "releases").glob(".partial-*"))
    assert serves(base, files_a)


def test_refuses_a_site_that_was_not_built(nginx, tmp_path):
    target, base = nginx
    files_a = make_site(tmp_path / "a", "A")
    deploy.deploy(tmp_path / "a", target)
    (tmp_path / "empty").mkdir()
    with pytest.raises(deploy.DeployError):
        deploy.deploy(tmp_path / "empty", target)
    assert serves(base, files_a)


KILLED_DEPLOY = """
import shutil, sys, time
sys.path.insert(0, {repo!r})
from toasoan.tools import deploy
from toasoan.publishing import manifest
def slow_copy(src, dst):
    time.sleep(0.05)   # a slow upload, so the test can kill it midway
    return shutil.copy2(src, dst)
deploy.deploy(sys.argv[1], sys.argv[2], copy=slow_copy)
"""


def test_killed_deploy_leaves_the_site_unchanged(nginx, tmp_path):
    target, base = nginx
    files_a, files_b = make_site(tmp_path / "a", "A"), make_site(tmp_path / "b", "B")
    deploy.deploy(tmp_path / "a", target)
    before = (deploy.releases(target), os.readlink(target / "current"))
    script = tmp_path / "killed.py"
    script.write_text(KILLED_DEPLOY.format(repo=str(REPO)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "b"), str(target)])
    deadline = time.monotonic() + 20
    while not any(p.is_file() for d in (target / "releases").glob(".partial-*") for p in d.rglob("*")):
        assert proc.poll() is None and time.monotonic() < deadline, "the deploy ended before it could be killed"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (deploy.releases(target), os.readlink(target / "current")) == before
    assert serves(base, files_a)
    # The next deploy cleans the leftover and goes through.
    deploy.deploy(tmp_path / "b", target)
    assert not list((target / "releases").glob(".partial-*"))
    assert serves(base, files_b)


def test_command_line(tmp_path, capsys):
    make_site(tmp_path / "site", "A")
    target = tmp_path / "srv"
    assert deploy.main(["deploy", str(target), "--site", str(tmp_path / "site"), "--keep", "2"]) == 0
    assert deploy.main(["deploy", str(target), "--site", str(tmp_path / "site"), "--keep", "2"]) == 0
    assert deploy.main(["deploy", str(target), "--site", str(tmp_path / "site"), "--keep", "2"]) == 0
    assert len(deploy.releases(target)) == 2
    assert deploy.main(["rollback", str(target)]) == 0
    assert deploy.main(["rollback", str(target)]) == 1
    assert "lỗi:" in capsys.readouterr().err
    assert deploy.main(["releases", str(target)]) == 0
    assert deploy.main(["deploy", str(target), "--site", str(tmp_path / "nothing")]) == 1
    # The same commands through the project's CLI (python -m toasoan deploy …).
    from toasoan.tools import cli
    assert cli.main(["deploy", str(target), "--site", str(tmp_path / "site"), "--keep", "2"]) == 0
    assert cli.main(["rollback", str(target)]) == 0
    assert cli.main(["releases", str(target)]) == 0
    assert "* " in capsys.readouterr().out


# --- what deploy refuses, and how it says so ---------------------------------------------

def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m toasoan …`` in a real process."""
    return subprocess.run([sys.executable, "-m", "toasoan", *args], cwd=cwd or REPO, capture_output=True,
                          text=True, timeout=60)


def one_line(result: subprocess.CompletedProcess) -> str:
    """The error of a refused command: exit 1, one short line, no traceback."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lỗi: ") and len(lines[0]) < 600, result.stderr
    assert "Cách sửa:" in lines[0]
    return lines[0]


def test_refuses_a_half_built_site(nginx, tmp_path):
    target, base = nginx
    files_a = make_site(tmp_path / "a", "A")
    deploy.deploy(tmp_path / "a", target)
    before = (deploy.releases(target), os.readlink(target / "current"))

    half = tmp_path / "half"        # what a killed build left: the manifest lists files that are not there
    make_site(half, "B")
    for i in range(0, 40, 3):
        (half / f"assets/f{i}.css").unlink()
    assert "thiếu 14/43 tệp" in one_line(cli("deploy", str(target), "--site", str(half)))

    unlisted = tmp_path / "unlisted"   # written after the manifest: not part of the build
    make_site(unlisted, "B")
    (unlisted / "assets/them.css").write_text("/* thêm tay */")
    assert "không có trong bản kê" in one_line(cli("deploy", str(target), "--site", str(unlisted)))

    nomanifest = tmp_path / "nomanifest"   # a build that never finished writes no manifest
    make_site(nomanifest, "B")
    (nomanifest / manifest.NAME).unlink()
    assert "bản kê" in one_line(cli("deploy", str(target), "--site", str(nomanifest)))

    resized = tmp_path / "resized"
    make_site(resized, "B")
    (resized / "feed.xml").write_bytes(b"<rss/>")
    assert "khác với bản kê" in one_line(cli("deploy", str(target), "--site", str(resized)))

    changed = tmp_path / "changed"    # same size, other bytes: caught by the hash of the copy
    make_site(changed, "B")
    data = (changed / "assets/f7.css").read_bytes()
    (changed / "assets/f7.css").write_bytes(data.replace(b"B", b"C"))
    assert "assets/f7.css" in one_line(cli("deploy", str(target), "--site", str(changed)))

    assert (deploy.releases(target), os.readlink(target / "current")) == before
    assert not [p for p in (target / "releases").iterdir() if p.name.startswith(".")]
    assert serves(base, files_a)


def test_foreign_folders_in_releases_are_ignored(tmp_path):
    site, target = tmp_path / "site", tmp_path / "srv"
    make_site(site, "A")
    folder = target / "releases"
    for name in ("ban-cu", "current", "zzz"):   # the operator's old sites: names sort anywhere
        (folder / name).mkdir(parents=True)
        (folder / name / "index.html").write_text("trang cũ")
    (folder / "ghi-chu.txt").write_text("ghi chú của kỹ thuật viên")
    (folder / "20991231T235959Z").mkdir()      # looks like a release, but was never completed
    warnings: list[str] = []
    names = [deploy.deploy(site, target, keep=1, warn=warnings.append,
                           now=datetime(2026, 11, 25, 5, 0, i, tzinfo=timezone.utc)).name for i in range(3)]
    assert names == ["20261125T050000Z", "20261125T050001Z", "20261125T050002Z"]
    assert deploy.releases(target) == names[-1:]
    assert all((folder / name).is_dir() for name in ("ban-cu", "current", "zzz", "20991231T235959Z"))
    assert any("ban-cu" in w for w in warnings) and any("20991231T235959Z" in w for w in warnings)
    assert len(warnings) == 3 * 5
    with pytest.raises(deploy.DeployError, match="cũ nhất"):
        deploy.rollback(target, warn=warnings.append)   # never to ban-cu or the unfinished one
    assert deploy.current(target) == names[-1]

    listed = cli("releases", str(target))
    assert listed.returncode == 0 and listed.stdout == f"* {names[-1]}\n"
    assert listed.stderr.count("cảnh báo:") == 5 and "Traceback" not in listed.stderr


def test_disk_full_says_how_to_free_it(tmp_path):
    site, target = tmp_path / "site", tmp_path / "srv"
    make_site(site, "A")
    for _ in range(3):
        deploy.deploy(site, target, keep=3)
    before = (deploy.releases(target), deploy.current(target))

    # Bigger than any free space, without using any: a sparse file, listed in the manifest.
    big = tmp_path / "big"
    make_site(big, "B")
    with open(big / "video.mp4", "wb") as handle:
        handle.truncate(8 << 40)   # 8 TiB
    data = json.loads((big / manifest.NAME).read_text(encoding="utf-8"))
    data["files"]["video.mp4"] = [8 << 40, "0" * 64]
    (big / manifest.NAME).write_text(json.dumps(data), encoding="utf-8")
    line = one_line(cli("deploy", str(target), "--site", str(big)))
    assert "không đủ chỗ trên đĩa" in line and "--prune" in line and "--keep" in line
    assert (deploy.releases(target), deploy.current(target)) == before

    # The disk fills up midway (a copy that fails like a full disk): one line, nothing changed.
    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    with pytest.raises(deploy.DeployError) as refused:
        deploy.deploy(site, target, copy=full)
    assert "\n" not in str(refused.value) and "--prune" in str(refused.value)
    assert (deploy.releases(target), deploy.current(target)) == before
    assert not [p for p in (target / "releases").iterdir() if p.name.startswith(".")]

    # --prune makes room first: when the copy starts only the live release is left.
    seen = []

    def counting(src, dst):
        seen.append(len(deploy.releases(target)))
        return shutil.copy2(src, dst)

    assert cli("deploy", str(target), "--site", str(site), "--keep", "2", "--prune").returncode == 0
    deploy.deploy(site, target, keep=1, prune_first=True, copy=counting)
    assert set(seen) == {1} and len(deploy.releases(target)) == 1


def test_missing_target_and_target_inside_site(tmp_path):
    site = tmp_path / "site"
    make_site(site, "A")
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    line = one_line(cli("deploy", str(tmp_path / "o-mang" / "bao"), "--site", str(site)))
    assert "không thấy thư mục" in line and not (tmp_path / "o-mang").exists()
    assert "nằm trong thư mục trang" in one_line(cli("deploy", str(site / "ban"), "--site", str(site)))
    assert "nằm trong thư mục trang" in one_line(cli("deploy", str(site), "--site", str(site)))
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert "không thấy thư mục trang" in one_line(cli("deploy", str(tmp_path / "srv"), "--site",
                                                      str(tmp_path / "chua-build")))
    assert "chưa có bản triển khai" in one_line(cli("rollback", str(tmp_path / "khong-co")))
    assert "chưa có bản triển khai" in one_line(cli("releases", str(tmp_path / "khong-co")))
    (tmp_path / "tep").write_text("")
    assert "là một tệp" in one_line(cli("deploy", str(tmp_path / "tep"), "--site", str(site)))


def test_rollback_only_to_a_complete_release(tmp_path):
    site, target = tmp_path / "site", tmp_path / "srv"
    make_site(site, "A")
    names = [deploy.deploy(site, target, keep=5).name for _ in range(4)]
    folder = target / "releases"
    # A prune killed midway: the release was renamed away first, so nothing lists it.
    os.rename(folder / names[0], folder / f".trash-{names[0]}")
    for css in sorted((folder / f".trash-{names[0]}" / "assets").iterdir())[:20]:
        css.unlink()
    # A copy killed before its marker was written: still under its hidden name.
    shutil.copytree(folder / names[1], folder / ".partial-20991231T000000Z")
    (folder / ".partial-20991231T000000Z" / deploy.MARKER).unlink()
    assert deploy.releases(target) == names[1:]
    # A release damaged by hand after the fact: rollback checks before switching.
    (folder / names[2] / "assets/f3.css").unlink()
    with pytest.raises(deploy.DeployError, match="không còn nguyên vẹn.*f3.css"):
        deploy.rollback(target)
    assert deploy.current(target) == names[3]
    shutil.rmtree(folder / names[2])
    assert deploy.rollback(target) == names[1]
    deploy.verify(target, names[1])
    # The next deploy removes the leftovers.
    deploy.deploy(site, target, keep=5)
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_kills_during_copy_and_prune_under_load(nginx, tmp_path):
    """SIGKILL ``python -m toasoan deploy`` while it copies and while it prunes, round after round,
    with readers on nginx all along: no failed response, only complete releases, rollback safe."""
    target, base = nginx
    sites = {mark: make_site(tmp_path / mark, mark, assets=200) for mark in "AB"}
    pages = (*PAGES, "assets/f5.css", "assets/f199.css")
    versions = {page: {files[page if "." in page.rsplit("/", 1)[-1] else page + "index.html"]: mark
                       for mark, files in sites.items()} for page in pages}

    def run(mark: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "toasoan", "deploy", str(target), "--site",
                                 str(tmp_path / mark), "--keep", "2"], cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    started = time.monotonic()
    assert run("A").wait() == 0
    whole = time.monotonic() - started   # how long one deploy takes here: the range of random kills

    seen, bad, stop = [], [], threading.Event()

    def reader():
        end, count = time.monotonic() + 90, 0   # bounded whatever happens
        while not stop.is_set() and time.monotonic() < end and count < 50000:
            for page in pages:
                status, body = fetch(base + page)
                count += 1
                version = versions[page].get(body) if status == 200 else None
                (seen if version else bad).append((page, version or f"HTTP {status}, {len(body)} byte"))

    def live_version() -> str:
        return "A" if b"<title>A</title>" in (target / "current" / "index.html").read_bytes() else "B"

    def check_live() -> str:
        names, live = deploy.releases(target), deploy.current(target)
        assert live in names, (live, names)
        assert deploy.strays(target) == []   # a kill leaves only hidden leftovers, never a half release
        for name in names:
            deploy.verify(target, name)   # every listed release is whole
        mark = live_version()
        assert serves(base, sites[mark])
        for page in pages:
            assert fetch(base + page) == (200, next(b for b, m in versions[page].items() if m == mark))
        return live

    seed = int(time.time())
    rng = random.Random(seed)
    hits = {"copy": 0, "prune": 0}
    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        # At least 18 rounds (six of each kind), then on until a kill has landed in each phase
        # three times: pruning takes milliseconds, and on a loaded runner a kill aimed at it
        # sometimes comes after it ended (then the round proves less, not nothing).
        for round_ in range(60):
            if round_ >= 18 and hits["copy"] >= 3 and hits["prune"] >= 3:
                break
            mode = ("copy", "prune", "any")[round_ % 3]
            earlier = set(os.listdir(target / "releases"))
            proc = run("B" if round_ % 2 == 0 else "A")
            if mode == "any":
                time.sleep(rng.uniform(0, whole))
            else:
                prefix = ".partial-" if mode == "copy" else ".trash-"
                deadline = time.monotonic() + 30
                while proc.poll() is None and time.monotonic() < deadline and not any(
                        n.startswith(prefix) for n in os.listdir(target / "releases")):
                    time.sleep(0.001)
                # Kill within a few milliseconds of the phase starting: a delay scaled on the whole
                # deploy (mostly Python's start-up) often outlasted a fast copy, and the kill missed it.
                # Kills at random points of the whole deploy are the "any" rounds.
                time.sleep(rng.uniform(0, 0.005 if mode == "copy" else 0.002))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            left = set(os.listdir(target / "releases")) - earlier   # what this killed deploy left
            hits["copy"] += any(n.startswith(".partial-") for n in left)
            hits["prune"] += any(n.startswith(".trash-") for n in left)
            live = check_live()
            if deploy.releases(target).index(live) > 0:   # something older to go back to
                back = subprocess.run([sys.executable, "-m", "toasoan", "rollback", str(target)], cwd=REPO,
                                      capture_output=True, text=True, timeout=60)
                assert back.returncode == 0, back.stderr
                assert check_live() < live
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not bad, (seed, bad[:5])
    assert len(seen) > 200, "too few requests overlapped the kills to prove anything"
    assert hits["copy"] >= 3 and hits["prune"] >= 3, (seed, hits)
    assert run("B").wait() == 0   # cleans every leftover and goes through
    assert not [n for n in os.listdir(target / "releases") if n.startswith(".")]
    assert check_live() == deploy.releases(target)[-1] and live_version() == "B"


# --- hard-linked releases ---------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file of a release: (inode, mtime in ns, content)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            out[path.relative_to(folder).as_posix()] = (info.st_ino, info.st_mtime_ns, path.read_bytes())
    return out


def change(site: Path, rel: str, data: bytes) -> None:
    """What a build does to site/: rewrite one file in place, then the manifest."""
    with open(site / rel, "r+b") as handle:   # in place, as MkDocs writes: the inode stays
        handle.truncate(0)
        handle.write(data)
    manifest.write(site)


def test_unchanged_files_are_links_and_linked_files_are_never_written(nginx, tmp_path):
    target, base = nginx
    site = tmp_path / "site"
    files = make_site(site, "A", assets=100)
    first = deploy.deploy(site, target, keep=3)
    assert all(p.stat().st_nlink == 1 for p in first.rglob("*") if p.is_file())   # nothing to link to yet
    before = snapshot(first)

    lines: list[str] = []
    change(site, "2026/11/bai-viet/index.html", b"<!doctype html><h1>sua</h1>" + b"x" * 5000)
    files["2026/11/bai-viet/index.html"] = (site / "2026/11/bai-viet/index.html").read_bytes()
    second = deploy.deploy(site, target, keep=3, tell=lines.append)
    assert serves(base, files)
    after = snapshot(second)
    listed = manifest.read(site).files
    shared = {rel for rel in listed if after[rel][0] == before[rel][0]}
    # Everything but the changed page is the same inode as in the first release ...
    assert shared == set(listed) - {"2026/11/bai-viet/index.html"}
    # ... and the changed page, the manifest and the marker are new files: the bytes written.
    new = {rel for rel in after if rel not in before or after[rel][0] != before[rel][0]}
    assert new == {"2026/11/bai-viet/index.html", manifest.NAME, deploy.MARKER}
    written = sum(len(after[rel][2]) for rel in new)
    assert written < 20_000 < manifest.read(site).size / 10, written
    assert lines == [f"chép 1 tệp mới (0.0 MB), liên kết {len(listed) - 1} tệp không đổi với bản trước "
                     f"(trang {manifest.read(site).size / 1e6:.1f} MB)"]
    # The first release is exactly as it was: no byte, no mtime, no inode changed.
    assert snapshot(first) == before
    deploy.verify(target, first.name)
    # The build rewriting site/ in place never reaches a release: site/ is never linked.
    change(site, "index.html", b"<!doctype html><title>sau</title>")
    assert snapshot(second) == after and snapshot(first) == before
    assert (site / "index.html").stat().st_ino not in {ino for ino, _, _ in after.values()}


def test_rollback_after_pruning_linked_releases(tmp_path):
    site, target = tmp_path / "site", tmp_path / "srv"
    make_site(site, "A")
    contents = []
    names = []
    for i in range(6):   # each deploy changes one asset; keep 3, so the first three are pruned
        change(site, f"assets/f{i}.css", f"/* ban {i} */".encode())
        names.append(deploy.deploy(site, target, keep=3).name)
        contents.append(snapshot(target / "releases" / names[-1]))
    assert deploy.releases(target) == names[3:]
    # The files the kept releases share with the pruned ones are still there: links, not moves.
    for name in names[3:]:
        folder = target / "releases" / name
        manifest.check(folder, manifest.read(folder), hashes=True)
    assert deploy.rollback(target) == names[4]
    assert deploy.rollback(target) == names[3]
    assert snapshot(target / "current") == contents[3]
    assert (target / "current/assets/f3.css").read_bytes() == b"/* ban 3 */"
    assert (target / "current/assets/f5.css").read_bytes() != b"/* ban 5 */"
    # A new deploy from an old live release links to that one, not to the newest.
    assert deploy.deploy(site, target, keep=3).name > names[-1]
    assert (target / "current/assets/f5.css").read_bytes() == b"/* ban 5 */"


def test_file_system_without_hard_links_copies_with_one_warning(tmp_path):
    site, target = tmp_path / "site", tmp_path / "srv"
    make_site(site, "A")
    deploy.deploy(site, target)
    warnings, tried = [], []

    def refused(src, dst):   # what link(2) answers on FAT or many network shares
        tried.append(dst)
        raise OSError(errno.EPERM, "Operation not permitted", str(src))

    release = deploy.deploy(site, target, warn=warnings.append, link=refused)
    assert len(tried) == 1 and len(warnings) == 1 and "liên kết cứng" in warnings[0]
    assert all(p.stat().st_nlink == 1 for p in release.rglob("*") if p.is_file())
    deploy.verify(target, release.name)
    line = one_line(cli("deploy", str(target), "--site", str(tmp_path / "nothing")))   # still one line
    assert "không thấy thư mục trang" in line


def test_copies_never_open_an_existing_file(tmp_path):
    src = tmp_path / "a.css"
    src.write_bytes(b"new")
    shared = tmp_path / "b.css"
    shared.write_bytes(b"served")
    with pytest.raises(FileExistsError):
        deploy.copy_new(src, shared)
    assert shared.read_bytes() == b"served"
