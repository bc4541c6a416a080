"""Bytes of HTML per kind of page in a built site, raw and gzipped, and the minifier's cost.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_html.py SITE_DIR [--project N] [--minify]
    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_html.py --build N [--keep DIR] [--minify]

SITE_DIR is a built site (e.g. one kept by ``bench_build.py --keep DIR``); ``--build N``
generates N articles (bench/gen_corpus.py) and builds them first. Prints, for article
pages, listing pages (sections, tags, authors, places, dates, their later pages), the
front page and the rest: how many, mean bytes raw and gzipped (level 6, as a web server
sends them), and the HTML total. ``--project N`` scales the total to N articles (pages
of each kind grow with the articles). ``--minify`` runs the site's HTML minifier
(toasoan/publishing/minify.py) over every page and prints its CPU time per page and
what it would save (on a site built with minification on, it saves nothing).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

ARTICLE = re.compile(r"^\d{4}/\d{2}/(?!\d+/)[^/]+/index\.html$")
LISTING = re.compile(r"^(\d{4}(/\d{2}(/\d{2})?)?/(trang/\d+/)?index\.html|"
                     r"[a-z0-9-]+/(trang/\d+/)?index\.html|"
                     r"(chu-de|tac-gia|dia-phuong)/[^/]+/(trang/\d+/)?index\.html)$")


def kind(rel: str) -> str:
    if rel == "index.html":
        return "front page"
    if ARTICLE.match(rel):
        return "article"
    if LISTING.match(rel) and not rel.startswith(("tim-kiem/", "gioi-thieu/", "luu-tru/")):
        return "listing"
    return "other"


def measure(site: Path, minify: bool) -> None:
    pages = sorted(site.rglob("*.html"))
    stats: dict[str, list[int]] = {}
    spent, saved_raw = 0.0, 0
    if minify:
        from toasoan.publishing.minify import minify_html
    articles = 0
    for path in pages:
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        k = kind(rel)
        articles += k == "article"
        s = stats.setdefault(k, [0, 0, 0])
        s[0] += 1
        s[1] += len(data)
        s[2] += len(gzip.compress(data, 6))
        if minify:
            text = data.decode("utf-8")
            t = time.process_time()
            smaller = minify_html(text)
            spent += time.process_time() - t
            saved_raw += len(data) - len(smaller.encode("utf-8"))
    total = sum(s[1] for s in stats.values())
    print(f"{site}: {len(pages)} HTML pages, {articles} articles, {total / 1e6:.1f} MB of HTML")
    for k in ("article", "listing", "front page", "other"):
        if k in stats:
            n, raw, gz = stats[k]
            print(f"  {k:11s} {n:7d} pages  {raw / n / 1024:6.1f} KiB raw  {gz / n / 1024:5.1f} KiB gzip"
                  f"  {raw / 1e6:8.1f} MB in all")
    if minify:
        print(f"  minifier: {spent / len(pages) * 1000:.3f} ms CPU a page ({spent:.2f} s for {len(pages)}),"
              f" would save {saved_raw / max(total, 1) * 100:.1f} % ({saved_raw / 1e6:.1f} MB)")
    return stats, articles


def project(stats: dict, articles: int, target: int) -> None:
    scale = target / max(articles, 1)
    total = sum(s[1] for s in stats.values()) * scale
    pages = sum(s[0] for s in stats.values()) * scale
    print(f"  projected to {target:,} articles: ≈ {pages:,.0f} pages, {total / 1e9:.2f} GB of HTML")


def build(n: int, keep: Path | None) -> Path:
    sys.path.insert(0, str(BENCH))
    from bench_build import prepare  # the same archive and mkdocs.yml as the scale benchmark
    root = Path(tempfile.mkdtemp(prefix=f"html-{n}-", dir=keep))
    prepare(root, n, 1, None)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TOASOAN_NOW="2026-11-25 12:00")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
                          cwd=root, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return root / "site"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("site", nargs="?", type=Path, help="a built site folder")
    ap.add_argument("--build", type=int, metavar="N", help="generate and build N articles first")
    ap.add_argument("--keep", type=Path, help="where --build puts its site (kept)")
    ap.add_argument("--project", type=int, default=100_000, metavar="N", help="articles to project the total to")
    ap.add_argument("--minify", action="store_true", help="time the minifier over every page")
    args = ap.parse_args(argv)
    if args.build:
        site = build(args.build, args.keep)
    elif args.site:
        site = args.site
    else:
        ap.error("give a site folder or --build N")
    stats, articles = measure(site, args.minify)
    project(stats, articles, args.project)


if __name__ == "__main__":
    main()
