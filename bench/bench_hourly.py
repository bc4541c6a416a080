"""The hourly build with and without the page cache, beside a clean build.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_hourly.py [-n 10000] [--keep DIR]

Generates an archive (not timed), then times ``mkdocs build`` in a child process:

1. clean build, no cache (``TOASOAN_PAGE_CACHE=0``): what every build cost before;
2. the first build with the cache (empty): a clean build that also fills ``.cache/pages``;
3. one new article is written (the hourly case), then the build with the cache, as on
   CI: a fresh checkout with ``.cache/`` restored and no ``site/`` (the first build's is
   moved aside, not timed; deleting it, which a build on a machine that keeps its old
   ``site/`` does after the swap, is timed on its own line);
4. the same archive built without the cache, into another folder;

and checks that 3 and 4 wrote identical ``site/`` trees (the manifest's build time aside).
Prints wall and CPU seconds (user + system of the build and its workers), the
cache's counts, and the related and search stages' own CPU from the build log.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from bench_build import NOW, prepare, run_child  # noqa: E402  (puts tests/ on the path too)
from sitebuild import tree_differences  # noqa: E402

NEW_ARTICLE = """---
title: Tỉnh khai trương trung tâm phục vụ hành chính công mới
date: 2026-11-25 09:30
author: Xuân Nghiệp
location: Ba Bể
category: Thời sự
tags: [Cải cách hành chính]
---

Sáng nay, trung tâm phục vụ hành chính công mới của tỉnh chính thức đi vào hoạt động.

Người dân được hướng dẫn nộp hồ sơ trực tuyến ngay tại quầy.
"""


def build(root: Path, site: Path, cache: bool) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": NOW,
           "TOASOAN_PAGE_CACHE": "1" if cache else "0"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    seconds, usage, code, log, pss = run_child(cmd, root, env)
    if code != 0:
        sys.exit(f"mkdocs build failed ({code}):\n{log[-4000:]}")
    figures = {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "pss_mb": pss / 1024}
    for name, pattern in (("related", r"Xem thêm: .*CPU ([\d.]+)"), ("search", r"Tìm kiếm: .*CPU ([\d.]+)"),
                          ("cache", r"Bộ nhớ đệm trang: (.*)")):
        found = re.search(pattern, log)
        figures[name] = found.group(1) if found else "-"
    return figures


def line(label: str, r: dict) -> str:
    return (f"{label:<34} {r['seconds']:7.1f} s  cpu {r['cpu']:6.1f} s  peak {r['pss_mb']:5.0f} MB  "
            f"related cpu {r['related']} s  search cpu {r['search']} s\n{'':36}cache: {r['cache']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10000, help="articles (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build here and keep the folder")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="hourly-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        prepare(root, args.n, args.seed, None)
        print(f"{args.n} articles, load {os.getloadavg()[0]:.1f}", flush=True)
        print(line("clean build, no cache", build(root, root / "site-clean", cache=False)), flush=True)
        print(line("first build, filling the cache", build(root, root / "site", cache=True)), flush=True)
        (root / "articles" / "2026" / "11").mkdir(parents=True, exist_ok=True)
        (root / "articles" / "2026" / "11" / "trung-tam-hanh-chinh-cong-moi.md").write_text(
            NEW_ARTICLE, encoding="utf-8")
        old = root / "site-before"
        shutil.rmtree(old, ignore_errors=True)
        (root / "site").rename(old)
        print(line("hourly (+1 article), with cache", build(root, root / "site", cache=True)), flush=True)
        started = time.perf_counter()
        shutil.rmtree(old)
        print(f"{'deleting an old site/ (not on CI)':<34} {time.perf_counter() - started:7.1f} s", flush=True)
        print(line("hourly (+1 article), no cache", build(root, root / "site-nocache", cache=False)), flush=True)
        diffs = tree_differences(root / "site", root / "site-nocache")
        print("site/ with and without cache: " + ("identical" if not diffs else
              f"{len(diffs)} files differ, e.g. {diffs[:5]}"))
        print(f"load after: {os.getloadavg()[0]:.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
