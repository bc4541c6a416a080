"""Search benchmark: bytes and milliseconds per query, index build time, and the
known-item test on real news, beside Pagefind's defaults on the same sites.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_search.py [--work /tmp/bench-search]
        [-n 10000] [--skip-pagefind] [--skip-corpus] [--rebuild]
    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_search.py --site /work/tmp/k/bench-100000-seed1

1. Synthetic archive (bench/gen_corpus.py, bodies from the real corpus when it
   is there): a real `mkdocs build`; the index time is the hook's own log line.
   Five queries, each in a fresh browser context (cold cache), typed into the
   search page; bytes counted are everything the search needs: search.js
   and the index files (not the page or the theme: search's styles are in bulletin.css). Both raw (what
   a host without compression sends) and gzip (a host that compresses text).
2. Real news (/work/shared/corpus): a site of its 2,653 articles; each of the
   200 original titles, folded (no diacritics, đ→d), must find its article in
   the first 3 results. Then four sets of queries made here from the corpus
   with a fixed seed (none is stored in the repository), each must find its
   article: 200 fragments of body text typed without diacritics (first 3),
   100 partial titles (first 5), 100 titles in mixed case, decomposed (NFD)
   or half-accented (first 3), 50 folded titles with one typo (first 5).
   ``--old-js FILE`` also runs ours with another search.js (e.g. the one before
   a change, from ``git show REV:docs/javascripts/search.js``), to compare.
3. Pagefind 1.5 with its defaults on the same built sites (only article pages
   given to it, which helps it), searched through its JS API, first 5 results'
   data loaded, as its UI does.
"""

from __future__ import annotations

import argparse
import gzip as gzip_module
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]

import unicodedata  # noqa: E402

import sitebuild  # noqa: E402
from gen_corpus import CORPUS, generate  # noqa: E402
from toasoan.core.text import fold, slugify  # noqa: E402
from webserver import serve  # noqa: E402

QUERIES = ["to chuc", "bac kan", "dang uy", "nông thôn mới", "Chợ Đồn"]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
reindexing = only_pagefind = False
old_js: Path | None = None
PAGEFIND_GLOB = "20[0-9][0-9]/[0-9][0-9]/*/index.html"  # article pages only


def build_site(root: Path, cfg: dict | None = None, strict: bool = True) -> dict:
    started = time.perf_counter()
    built = sitebuild.build(root, {}, cfg=cfg, strict=strict)
    seconds = time.perf_counter() - started
    if built.returncode:
        sys.exit(built.log[-3000:])
    found = re.search(r"Tìm kiếm: chỉ mục (\d+) bài, (\d+) từ, (\d+) tệp, ([\d.]+) MB, ([\d.]+) giây "
                      r"\(CPU ([\d.]+) giây\)", built.log)
    info = {"build_s": round(seconds, 1), "docs": int(found[1]), "terms": int(found[2]),
            "files": int(found[3]), "index_mb": float(found[4]), "index_s": float(found[5]),
            "index_cpu_s": float(found[6]), "load": os.getloadavg()[0]}
    (root / "build.json").write_text(json.dumps(info))
    return info


def reindex(root: Path, cfg_path: Path) -> None:
    """Rewrite only the search index of an already built site (to try index changes fast)."""
    import os

    import yaml
    from toasoan.build import prepare
    from toasoan.core.config import SiteConfig
    from toasoan.search.articles import build_index
    os.environ.setdefault("TOASOAN_NOW", "2026-11-25 12:00")
    cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    build = prepare(root, SiteConfig.from_dict(cfg["extra"]["bulletin"]))
    started, cpu = time.perf_counter(), time.process_time()
    stats = build_index(build, root / "site" / "search")
    print(f"(re-indexed: {time.perf_counter() - started:.1f} s, cpu {time.process_time() - cpu:.1f} s, "
          f"{stats.files} files, {stats.bytes / 1e6:.1f} MB)")


def run_pagefind(site: Path) -> float:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--glob", PAGEFIND_GLOB, "--quiet"],
                   check=True)
    return time.perf_counter() - started


class Meter:
    """Counts the bytes of the files a search needs, raw and gzip-compressed."""

    def __init__(self, page, parts: tuple[str, ...]):
        self.raw = self.gz = 0
        self.files = 0
        self.parts = parts
        page.on("requestfinished", self._done)

    def _done(self, request):
        if not any(p in request.url for p in self.parts):
            return
        try:
            response = request.response()
            body = response.body() if response else b""
        except Exception:  # the context closed while a late (prefetch) response came in
            return
        self.raw += len(body)
        self.gz += len(gzip_module.compress(body, 6)) if not request.url.endswith((".pf_fragment", ".pf_index",
                                                                                     ".pf_meta", ".pf_filter")) \
            else len(body)  # Pagefind's files are gzip already: their body here is what travels
        self.files += 1


OURS = ("javascripts/search.js", "/search/")  # its styles are in bulletin.css, loaded by every page
THEIRS = ("/pagefind/",)


def ours_query(browser, base: str, query: str, typed: bool = True, delay: int = 40) -> dict:
    ctx = browser.new_context()
    page = ctx.new_page()
    meter = Meter(page, OURS)
    if typed:
        page.goto(base + "tim-kiem/")
        page.evaluate("window.__done = null; document.addEventListener('ts-search:done', e => { window.__done = e.detail; })")
        page.locator("#ts-search-q").type(query, delay=delay)
    else:
        page.add_init_script("document.addEventListener('ts-search:done', e => { window.__done = e.detail; })")
        page.goto(base + "tim-kiem/?q=" + quote_plus(query))
    page.wait_for_function("q => window.__done && window.__done.query === q", arg=query, timeout=20_000)
    detail = page.evaluate("window.__done")
    urls = page.eval_on_selector_all(".ts-result__title a", "els => els.map(e => e.href)")
    page.wait_for_timeout(50)  # let the last responses be counted
    out = {"ms": round(detail["ms"]), "count": detail["count"], "raw": meter.raw, "gz": meter.gz,
           "files": meter.files, "urls": urls}
    ctx.close()
    return out


PAGEFIND_JS = """async q => {
  const t0 = performance.now();
  const pf = await import(new URL("../pagefind/pagefind.js", location.href).href);
  const s = await pf.search(q);
  const data = await Promise.all(s.results.slice(0, 5).map(r => r.data()));
  return {ms: performance.now() - t0, count: s.results.length, urls: data.map(d => d.url)};
}"""


def pagefind_query(browser, base: str, query: str) -> dict:
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base + "tim-kiem/")
    meter = Meter(page, THEIRS)
    detail = page.evaluate(PAGEFIND_JS, query)
    page.wait_for_timeout(50)
    out = {"ms": round(detail["ms"]), "count": detail["count"], "raw": meter.raw, "gz": meter.gz,
           "files": meter.files, "urls": detail["urls"]}
    ctx.close()
    return out


def kb(n: int) -> str:
    return f"{n / 1000:,.0f} KB"


def synthetic(work: Path, n: int, rebuild: bool, pagefind: bool, browser) -> None:
    root = work / f"synthetic-{n}"
    if rebuild or not (root / "build.json").exists():
        shutil.rmtree(root, ignore_errors=True)
        generate(root, n, seed=1, corpus=CORPUS if CORPUS.exists() else None)
        info = build_site(root)
    else:
        info = json.loads((root / "build.json").read_text())
        if reindexing:
            reindex(root, root / "mkdocs.yml")
    print(f"\n## Synthetic archive: {info['docs']:,} articles (bodies from "
          f"{'the real corpus' if CORPUS.exists() else 'templates'})")
    print(f"mkdocs build {info['build_s']} s, of which search index {info['index_s']} s "
          f"(CPU {info.get('index_cpu_s')} s over 2 processes; load average {info.get('load', 0):.1f}): "
          f"{info['terms']:,} terms, {info['files']:,} files, {info['index_mb']} MB")
    pf_time = run_pagefind(root / "site") if pagefind else None
    if pf_time:
        print(f"Pagefind (separate run, after the build): {pf_time:.1f} s")
    with serve(root / "site", prefix="/bao/") as base:
        print("\nOurs typed at 40 ms a key (one search), via the header box (?q=), and typed at 250 ms a key"
              " (a search after every key: the worst case for bytes).")
        print("\n| query | ours: results | ms after last key | raw | gzip | files | ms via ?q= | raw, slow typing | "
              + ("Pagefind: results | ms | raw (=gzip) | files |" if pagefind else ""))
        print("|---|---|---|---|---|---|---|---|" + ("---|---|---|---|" if pagefind else ""))
        for q in QUERIES:
            a = ours_query(browser, base, q)
            b = ours_query(browser, base, q, typed=False)
            c = ours_query(browser, base, q, delay=250)
            row = (f"| {q} | {a['count']:,} | {a['ms']} | {kb(a['raw'])} | {kb(a['gz'])} | {a['files']} | {b['ms']} "
                   f"| {kb(c['raw'])} |")
            if pagefind:
                p = pagefind_query(browser, base, q)
                row += f" {p['count']:,} | {p['ms']} | {kb(p['raw'])} | {p['files']} |"
            print(row, flush=True)


def built_site(root: Path, browser) -> None:
    """Query costs on a site built elsewhere (e.g. ``bench_build.py --keep``, 100,000
    articles): its index is rewritten in this process first, timed (CPU of this
    process and its workers) and measured; then the five queries and a known-item
    query (the title of the archive's newest article, folded)."""
    import yaml
    from toasoan.build import prepare
    from toasoan.core.config import SiteConfig
    from toasoan.search.articles import build_index
    os.environ.setdefault("TOASOAN_NOW", "2026-11-25 12:00")
    cfg = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    build = prepare(root, SiteConfig.from_dict(cfg["extra"]["bulletin"]))
    started, cpu = time.perf_counter(), os.times()
    stats = build_index(build, root / "site" / "search")
    spent = sum(os.times()[:4]) - sum(cpu[:4])
    print(f"\n## Built site: {stats.documents:,} articles ({root})")
    print(f"index: {time.perf_counter() - started:.1f} s wall, {spent:.1f} s CPU (load average "
          f"{os.getloadavg()[0]:.1f}): {stats.terms:,} terms, {stats.postings:,} postings, "
          f"{stats.files:,} files, {stats.bytes / 1e6:.1f} MB")
    title = build.archive.articles[0].title
    queries = QUERIES + [fold(title)]
    with serve(root / "site", prefix="/bao/") as base:
        print("\n| query | results | ms after last key | raw | gzip | files | known item first |")
        print("|---|---|---|---|---|---|---|")
        for q in queries:
            a = ours_query(browser, base, q)
            first = "yes" if q != queries[-1] else ("yes" if a["urls"] and a["urls"][0].endswith(
                build.archive.articles[0].url) else "NO")
            print(f"| {q[:40]} | {a['count']:,} | {a['ms']} | {kb(a['raw'])} | {kb(a['gz'])} | {a['files']} "
                  f"| {first if q == queries[-1] else ''} |", flush=True)


def corpus_site(work: Path, rebuild: bool) -> tuple[Path, list[dict], dict]:
    root = work / "corpus"
    rows = [json.loads(line) for line in gzip_module.open(CORPUS, "rt", encoding="utf-8")]
    if rebuild or not (root / "build.json").exists():
        shutil.rmtree(root, ignore_errors=True)
        for r in rows:
            meta = {"title": r["title"], "date": f"{r['date']} 08:00", "author": r["author"] or "Dân trí",
                    "location": "Hà Nội", "category": r["category"], "slug": slugify(r["id"])}
            text = "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
            text += "\n---\n\n" + "\n\n".join(p.replace("<", "&lt;") for p in r["paragraphs"]) + "\n"
            path = root / "articles" / r["date"][:4] / f"{slugify(r['id'])}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        cats = sorted({r["category"] for r in rows})
        cfg = sitebuild.config(root, sections=[{"slug": slugify(c), "name": c} for c in cats],
                              places=["Hà Nội"])
        info = build_site(root, cfg, strict=False)
    else:
        info = json.loads((root / "build.json").read_text())
        if reindexing:
            reindex(root, root / "mkdocs.yml")
    return root, rows, info


def _words(text: str) -> list[str]:
    return re.findall(r"[\w]+", text)


def query_sets(rows: list[dict], seed: int = 14) -> dict[str, tuple[int, list[tuple[str, str]]]]:
    """{name: (first k results, [(query, article id)])}, made from the corpus with a fixed seed."""
    rng = random.Random(seed)
    originals = [r for r in rows if r["title_source"] == "original"]
    sets: dict[str, tuple[int, list[tuple[str, str]]]] = {
        "whole titles, folded": (3, [(fold(r["title"]), r["id"]) for r in originals])}
    fragments = []
    for r in rng.sample(rows, len(rows)):
        paragraphs = [w for w in (_words(p) for p in r["paragraphs"]) if len(w) >= 12]
        if not paragraphs:
            continue
        words = rng.choice(paragraphs)
        n = rng.randint(4, 6)
        start = rng.randrange(0, len(words) - n)
        fragments.append((fold(" ".join(words[start:start + n])), r["id"]))
        if len(fragments) == 200:
            break
    sets["body fragments, no diacritics"] = (3, fragments)
    partial = []
    for r in rng.sample(originals, len(originals)):
        words = _words(r["title"])
        if len(words) < 6:
            continue
        n = rng.randint(3, min(5, len(words) - 2))
        start = rng.randrange(0, len(words) - n + 1)
        partial.append((" ".join(words[start:start + n]).lower(), r["id"]))
        if len(partial) == 100:
            break
    sets["partial titles"] = (5, partial)
    mixed = []
    for i, r in enumerate(rng.sample(originals, 100)):
        words = r["title"].split()
        kind = i % 3
        if kind == 0:    # random capitals
            words = [w.upper() if rng.random() < .5 else w.lower() for w in words]
        elif kind == 1:  # decomposed, as some keyboards send it
            words = [unicodedata.normalize("NFD", w) for w in words]
        else:            # half the words typed without their accents
            words = [fold(w) if rng.random() < .5 else w for w in words]
        mixed.append((" ".join(words), r["id"]))
    sets["mixed case / NFD / half-accented"] = (3, mixed)
    typos = []
    for r in rng.sample(originals, len(originals)):
        words = fold(r["title"]).split()
        long = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if not long:
            continue
        i = rng.choice(long)
        w, at = words[i], rng.randrange(1, len(words[i]) - 1)
        how = rng.randrange(3)
        words[i] = (w[:at] + w[at + 1:] if how == 0 else                            # a letter left out
                    w[:at] + w[at + 1] + w[at] + w[at + 2:] if how == 1 else        # two letters swapped
                    w[:at] + rng.choice("aeiouhnmtc".replace(w[at], "")) + w[at + 1:])  # one wrong letter
        typos.append((" ".join(words), r["id"]))
        if len(typos) == 50:
            break
    sets["one typo (folded title)"] = (5, typos)
    return sets


def known_item(work: Path, rebuild: bool, pagefind: bool, browser) -> None:
    root, rows, info = corpus_site(work, rebuild)
    sets = query_sets(rows)
    print(f"\n## Known-item tests on {info['docs']:,} real articles (queries made from the corpus, seed 14)")
    print(f"mkdocs build {info['build_s']} s, search index {info['index_s']} s, {info['index_mb']} MB")
    if pagefind:
        run_pagefind(root / "site")
    engines = ([("ours", ours_query)] if not only_pagefind else []) + \
        ([("ours, old search.js", ours_query)] if old_js and not only_pagefind else []) + \
        ([("Pagefind 1.5 defaults", pagefind_query)] if pagefind else [])
    table: dict[str, dict[str, str]] = {}
    script = root / "site" / "javascripts" / "search.js"
    current = script.read_bytes()
    with serve(root / "site", prefix="/bao/") as base:
        for name, fn in engines:
            script.write_bytes(old_js.read_bytes() if "old" in name else current)
            gz, misses = [], []
            for set_name, (k, queries) in sets.items():
                found = 0
                for q, doc_id in queries:
                    res = fn(browser, base, q, typed=False) if fn is ours_query else fn(browser, base, q)
                    if any(u.endswith(f"/{slugify(doc_id)}/") for u in res["urls"][:k]):
                        found += 1
                    elif len(misses) < 5:
                        misses.append(f"{set_name}: {q}")
                    gz.append(res["gz"])
                table.setdefault(set_name, {})[name] = f"{found}/{len(queries)}"
                print(f"  {name} · {set_name} (first {k}): {found}/{len(queries)}", flush=True)
            table.setdefault("gzip per query, median", {})[name] = kb(statistics.median(gz))
            table.setdefault("gzip per query, max", {})[name] = kb(max(gz))
            for m in misses:
                print(f"   missed: {m}")
    script.write_bytes(current)
    names = [n for n, _ in engines]
    print("\n| query set | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for set_name, cells in table.items():
        k = sets[set_name][0] if set_name in sets else None
        label = f"{set_name} (first {k})" if k else set_name
        print(f"| {label} | " + " | ".join(cells.get(n, "–") for n in names) + " |")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-search"))
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the sites even if present")
    ap.add_argument("--reindex", action="store_true", help="only rewrite the search index of built sites")
    ap.add_argument("--skip-pagefind", action="store_true")
    ap.add_argument("--only-pagefind", action="store_true", help="known-item test: Pagefind only")
    ap.add_argument("--skip-corpus", action="store_true")
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--old-js", type=Path, help="also run ours with this search.js, to compare")
    ap.add_argument("--site", type=Path, help="only: re-index and query a site built elsewhere "
                    "(a folder with mkdocs.yml, articles/ and site/, e.g. from bench_build.py --keep)")
    args = ap.parse_args(argv)
    global reindexing, only_pagefind, old_js
    reindexing, only_pagefind, old_js = args.reindex, args.only_pagefind, args.old_js
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        if args.site:
            built_site(args.site, browser)
            browser.close()
            return
        if not args.skip_synthetic:
            synthetic(args.work, args.n, args.rebuild, not args.skip_pagefind, browser)
        if not args.skip_corpus and CORPUS.exists():
            known_item(args.work, args.rebuild, not args.skip_pagefind, browser)
        browser.close()


if __name__ == "__main__":
    main()
