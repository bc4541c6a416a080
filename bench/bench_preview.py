"""How long a reporter waits in `toasoan serve`: from saving an article to the page showing it.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_preview.py                  # 10,000 articles
    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_preview.py --sizes 1000 10000 100000 --no-build
    ... --dir /work/tmp/preview   # where the archives are generated (kept with --keep)

For each size: generates the archive (bench/gen_corpus.py, not timed), optionally times a
clean `mkdocs build` of it (child process), starts `toasoan serve` on a free loopback port
and times the start-up (until the home page answers), then makes eleven kinds of edit to
one article and times each: from the file written to the first HTTP answer showing the
change (polled every 50 ms; the server holds requests while it reads a change, as the
browser's reload would wait). Between edits it waits ``--gap`` seconds, as a reporter
reads the page before the next save; "Xem thêm", search and feeds catch up in the
background meanwhile, so later edits may share the machine with them.
Prints each latency, the median and the max, the machine load, and the server's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from bench_build import NOW, bench_mkdocs, prepare  # noqa: E402

MOUNT = "/bao-thu/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""


def wait(url: str, check, timeout: float = 120) -> float:
    """Seconds until ``check(status, html)`` holds for ``url``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if check(*get(url)):
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(url)


def article(title: str, date: str, section: str, author: str, place: str, tags: list[str],
            body: str, image: str | None = None) -> str:
    lines = ["---", f"title: {title}", "slug: bai-do-thoi-gian", f"date: {date}", f"author: {author}",
             f"location: {place}", f"category: {section}", f"tags: [{', '.join(tags)}]"]
    if image:
        lines.append(f"image: {image}")
    return "\n".join(lines + ["---", "", body, ""])


def edits(path: Path):
    """(name, write, url, check) for each kind of edit, in order; the article is the archive's latest."""
    base = dict(title="Bài đo thời gian xem trước", date="2026-11-25 11:00", section="Kinh tế",
                author="Minh Đức", place="Ba Bể", tags=["nông nghiệp"], body="Đoạn mở đầu thứ nhất.")
    holds = lambda text: lambda s, h: s == 200 and text in h  # noqa: E731
    url = "2026/11/bai-do-thoi-gian/"
    steps = [
        ("bài mới", {}, "", holds("Bài đo thời gian xem trước")),
        ("thân bài", {"body": "Đoạn mở đầu đã sửa."}, url, holds("Đoạn mở đầu đã sửa.")),
        ("tiêu đề", {"title": "Bài đo thời gian đã đổi tên"}, "", holds("Bài đo thời gian đã đổi tên")),
        ("chuyên mục", {"section": "Văn hóa"}, "van-hoa/", holds("Bài đo thời gian đã đổi tên")),
        ("tác giả", {"author": "Thu Trang Mới"}, "tac-gia/thu-trang-moi/", holds("Bài đo thời gian")),
        ("địa phương", {"place": "Na Rì"}, "dia-phuong/na-ri/", holds("Bài đo thời gian đã đổi tên")),
        ("chủ đề", {"tags": ["chủ đề đo thời gian"]}, "chu-de/chu-de-do-thoi-gian/", holds("Bài đo thời gian")),
        ("ngày đăng", {"date": "2026-11-24 10:00"}, url, holds("24/11/2026")),
        ("lỗi", {"date": "2026-13-24 10:00"}, url, holds("ts-preview-problems")),
        ("sửa lỗi", {"date": "2026-11-24 10:30"}, url, lambda s, h: s == 200 and "ts-preview-problems" not in h),
        ("xoá bài", None, url, lambda s, h: s == 404),
    ]
    current = dict(base)
    for name, change, page, check in steps:
        if change is None:
            yield name, path.unlink, page, check
            continue
        current.update(change)
        text = article(**current)
        yield name, (lambda text=text: path.write_text(text, encoding="utf-8")), page, check


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the server so far (its worker processes not included)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def bench_size(root: Path, n: int, gap: float, build: bool) -> None:
    if not (root / "mkdocs.yml").exists():
        started = time.perf_counter()
        prepare(root, n, 1, None)
        print(f"  archive generated in {time.perf_counter() - started:.0f} s (not part of any figure)")
    if build:
        r = bench_mkdocs(root)
        print(f"  clean mkdocs build: {r['seconds']:.1f} s (CPU {r['cpu']:.1f} s)")
        shutil.rmtree(root / "site", ignore_errors=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}{MOUNT}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": NOW}
    log = open(root / "serve.log", "wb")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "toasoan", "serve", "--root", str(root), "--no-cms",
                             "-a", f"127.0.0.1:{port}"], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        wait(base, lambda s, h: s == 200, timeout=900)
        print(f"  start-up (until the home page answers): {time.perf_counter() - started:.1f} s")
        path = root / "articles" / "2026" / "11" / "bai-do-thoi-gian.md"
        path.unlink(missing_ok=True)
        times, cpus = [], []
        for name, write, page, check in edits(path):
            time.sleep(gap)
            load = os.getloadavg()[0]
            cpu = cpu_seconds(proc.pid)
            t0 = time.perf_counter()
            write()
            wait(base + page, check)
            seconds = time.perf_counter() - t0   # from the write, not from the first poll
            times.append(seconds)
            cpus.append(cpu_seconds(proc.pid) - cpu)
            print(f"  {name:<12} {seconds:6.2f} s   server CPU {cpus[-1]:5.2f} s   (load {load:.1f})")
        print(f"  median {statistics.median(times):.2f} s (server CPU {statistics.median(cpus):.2f} s), "
              f"max {max(times):.2f} s over {len(times)} edits; server peak RSS {peak_rss_mb(proc.pid):.0f} MB")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--gap", type=float, default=3.0, help="seconds between edits (default 3)")
    parser.add_argument("--no-build", dest="build", action="store_false", help="skip the clean-build timing")
    parser.add_argument("--dir", type=Path, help="where to generate the archives (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated archives")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="bench-preview-", dir=args.dir))
    try:
        for n in args.sizes:
            print(f"{n:,} articles (load {os.getloadavg()[0]:.1f}):")
            bench_size(base / str(n), n, args.gap, args.build)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"kept in {base}")


if __name__ == "__main__":
    main()
