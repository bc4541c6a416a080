"""Bytes a reader's browser downloads, per kind of page, beside a stock Material blog post.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_pages.py [--keep DIR] [--screenshots DIR]

Builds the sample site (articles/ and images/ of this repository, clock pinned
to 2026-11-25 12:00) and a tiny stock Material for MkDocs site with the blog
and search plugins (one post holding the same article's text), serves each on
127.0.0.1 (tests/webserver.py) with gzip on and off, loads every page in
headless Chromium at a phone size with an empty cache and prints what went
over the wire (Chromium's encodedDataLength: body as sent plus headers).
"Before images" is what the budgets count: HTML, CSS, JS, fonts, data.
``--screenshots DIR`` also saves the README's pictures (front page and an
article, phone and desktop, first screen) there as WebP.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "tests"))

import sitebuild  # noqa: E402
from browsing import DESKTOP, PHONE, launch, new_context, transfer  # noqa: E402
from webserver import serve  # noqa: E402

PREFIX = "/bao-bac-kan/"
KINDS = ["Document", "Stylesheet", "Script", "Font", "Fetch", "XHR", "Other"]


def build_sample(root: Path) -> Path:
    shutil.copytree(REPO / "articles", root / "articles")
    if (REPO / "images").is_dir():
        shutil.copytree(REPO / "images", root / "images")
    built = sitebuild.build(root, {})
    if built.returncode:
        sys.exit(built.log)
    return built.site


def sample_pages(site: Path) -> dict[str, str]:
    """One page of each kind, found from the built front page."""
    home = (site / "index.html").read_text(encoding="utf-8")
    lead = re.search(r'class="ts-lead".*?<h2><a href="([^"]+)"', home, re.S)
    section = re.search(r'class="ts-rubric"><a href="([^"]+)"', home)
    pages = {"front page": "", "section page": section.group(1).lstrip("./"),
             "article": lead.group(1).lstrip("./"), "static page": "gioi-thieu/"}
    form = re.search(r'<form[^>]*action="([^"]*)"', home)
    if form:
        pages["search results"] = form.group(1).lstrip("./") + "?q=b%E1%BA%AFc+k%E1%BA%A1n"
    return pages


def article_markdown(site: Path, url: str) -> tuple[str, str]:
    """Title and Markdown body of the sample article at ``url`` (for the stock post)."""
    slug = url.strip("/").split("/")[-1]
    for path in (REPO / "articles").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if path.stem == slug or f"slug: {slug}" in text:
            head, _, body = text.partition("\n---\n")
            title = re.search(r"^title:\s*(.+)$", head, re.M).group(1).strip().strip("'\"")
            # Photos point into images/: the stock site has none, so drop them.
            return title, re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)
    return "Bài mẫu", "Đoạn văn mẫu.\n"


def build_stock(root: Path, title: str, body: str) -> tuple[Path, str]:
    """A stock Material site: blog + search plugins, default fonts, one post."""
    docs = root / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    (docs / "index.md").write_text("# Trang chủ\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Tin tức\n", encoding="utf-8")
    (docs / "blog" / "posts" / "bai.md").write_text(
        f"---\ndate: 2025-09-15\n---\n\n# {title}\n\n{body}", encoding="utf-8")
    (root / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: Stock Material blog
        site_url: https://example.org/bao-bac-kan/
        theme: {name: material, language: vi}
        plugins: [search, blog]
        """), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
                          cwd=root, env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(proc.stdout + proc.stderr)
    site = root / "site"
    post = next(p for p in site.glob("blog/20*/**/index.html"))
    return site, post.parent.relative_to(site).as_posix() + "/"


def row(name: str, gzip: bool, t) -> str:
    kinds = t.by_type()
    other = sum(n for k, n in kinds.items() if k not in KINDS[:4] and k != "Image")
    cells = [kinds.get(k, 0) for k in KINDS[:4]] + [other, t.bytes(), kinds.get("Image", 0)]
    foreign = sorted(h for h in t.hosts() if not h.startswith("127.0.0.1"))
    return (f"{name:<28} {'on' if gzip else 'off':>4} " + " ".join(f"{c / 1024:8.1f}" for c in cells)
            + f" {len(t.asked):5d}  {', '.join(foreign) or '-'}")


def screenshots(browser, base: str, pages: dict[str, str], folder: Path) -> None:
    """The first screen of the front page, an article and the archive, as a reader sees it."""
    from io import BytesIO

    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    for size, viewport, scale in (("phone", PHONE, 2), ("desktop", DESKTOP, 1)):
        context = new_context(browser, viewport, device_scale_factor=scale)
        page = context.new_page()
        for name, url in (("front", pages["front page"]), ("article", pages["article"]), ("archive", "luu-tru/")):
            if name == "archive" and size == "desktop":
                continue  # the README shows the archive on a phone only
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            image = Image.open(BytesIO(page.screenshot(type="png")))
            path = folder / f"{name}-{size}.webp"
            image.convert("RGB").save(path, "WEBP", quality=78, method=6)
            print(f"{path}: {path.stat().st_size / 1024:.0f} KB")
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument("--screenshots", type=Path, help="save the README's screenshots in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-pages-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        site = build_sample(work / "sample")
        pages = sample_pages(site)
        stock_site, stock_post = build_stock(work / "stock", *article_markdown(site, pages["article"]))
        from playwright.sync_api import sync_playwright

        print("Transferred KB per page load, phone 360x740, empty cache, served on 127.0.0.1")
        print(f"{'page':<28} {'gzip':>4} " + " ".join(f"{h:>8}" for h in
              ["html", "css", "js", "font", "other", "no-img", "images"]) + "  reqs  other hosts")
        with sync_playwright() as p:
            browser = launch(p)
            for gzip in (True, False):
                with serve(site, PREFIX, gzip=gzip) as base:
                    for name, url in pages.items():
                        print(row(name, gzip, transfer(browser, base + url, PHONE)))
                with serve(stock_site, PREFIX, gzip=gzip) as base:
                    print(row("stock Material blog post", gzip, transfer(browser, base + stock_post, PHONE)))
            if args.screenshots:
                with serve(site, PREFIX, gzip=True) as base:
                    screenshots(browser, base, pages, args.screenshots)
            browser.close()
        print("Budgets (before images, gzip on): article <= 150 KB, front page <= 250 KB.")
        print("The stock site asks fonts.googleapis.com for Roboto (no network here: 0 bytes counted).")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
