"""Crawl benchmark: is every page of a large archive reachable from the home page?

    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_crawl.py [-n 2000] [--work /tmp/bench-crawl]

Generates ``n`` articles (bench/gen_corpus.py), builds them with the real
`mkdocs build`, follows every <a href> from the home page (tests/crawl.py, as
tests/test_reading.py does on a small site) and prints how many HTML pages
were reached, which were not, and how many clicks the farthest page needs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]

import sitebuild  # noqa: E402
from crawl import crawl, html_files  # noqa: E402
from gen_corpus import CORPUS, generate  # noqa: E402


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-crawl"))
    args = ap.parse_args(argv)
    root = args.work / f"site-{args.n}"
    shutil.rmtree(root, ignore_errors=True)
    generate(root, args.n, seed=1, corpus=CORPUS if CORPUS.exists() else None)
    started = time.perf_counter()
    built = sitebuild.build(root, {})
    if built.returncode:
        sys.exit(built.log[-3000:])
    print(f"{args.n:,} articles built in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    reached = crawl(built.site, "/bao-bac-kan/")
    pages = html_files(built.site)
    missed = sorted(pages - set(reached))
    clicks = list(reached.values())
    print(f"{len(pages):,} HTML pages; {len(reached):,} reached from the home page in "
          f"{time.perf_counter() - started:.1f} s; not reached: {', '.join(missed) or 'none'}")
    print(f"clicks from the home page: median {statistics.median(clicks):.0f}, max {max(clicks)}; "
          f"by clicks: {dict(sorted(Counter(clicks).items()))}")


if __name__ == "__main__":
    main()
