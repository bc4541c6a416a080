"""What the article guard (toasoan/sanitize.py) costs on a whole archive.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_guard.py [-n 10000] [--corpus auto]

Generates N articles (bench/gen_corpus.py), renders each body with the site's
Markdown extensions (not timed), then times the guard alone over every page:
nh3's cleaning and the scan that explains removals. Prints the total, the time
per article and the share of pages the guard changed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import markdown

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gen_corpus import generate, resolve_corpus  # noqa: E402
from toasoan.reading.frontmatter import decode, split  # noqa: E402
from toasoan.publishing.sanitize import Sanitizer  # noqa: E402

EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html", "footnotes", "sane_lists",
              "smarty", "pymdownx.tilde", "pymdownx.blocks.caption"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10000)
    parser.add_argument("--corpus", default="none", help="auto|none|PATH (real-text bodies)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), args.n, seed=1, corpus=resolve_corpus(args.corpus))
        md = markdown.Markdown(extensions=EXTENSIONS)
        pages = []
        for path in sorted(Path(tmp, "articles").rglob("*.md")):
            pages.append(md.reset().convert(split(decode(path.read_bytes())).body))
    guard = Sanitizer("example.org")
    changed = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for html in pages:
        safe, removed = guard.clean(html)
        changed += bool(removed)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    size = sum(map(len, pages)) / len(pages)
    print(f"articles: {len(pages):,}  mean HTML: {size / 1024:.1f} KB")
    print(f"guard: {wall:.2f} s wall, {cpu:.2f} s CPU, {wall / len(pages) * 1000:.3f} ms per article")
    print(f"pages with something removed: {changed}")


if __name__ == "__main__":
    main()
