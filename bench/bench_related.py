"""Benchmarks of the related-articles ranking ("Xem thêm"). Prints figures.

    .venv/bin/python bench/bench_related.py            # speed, then quality if the corpus is here
    .venv/bin/python bench/bench_related.py --speed 1000 10000
    .venv/bin/python bench/bench_related.py --quality

Speed: time to rank every article of a synthetic archive (own generator below,
articles made in memory: only the ranking is timed, not reading files).
Quality: on the Dân trí corpus, articles imported WITHOUT their section (only
title, text and date speak); the share of automatic links that stay in the
article's own section. Random links score 0.10.

Figures printed: wall time and CPU time (time.process_time, which another
program on the machine does not inflate) and the load average.

Trade-off (``--set``): ``query_budget`` (postings read per article) and
``posting_cap`` buy quality for time, e.g. ``--set query_budget=0`` (no budget:
0.856 on the corpus, but 20k articles cost 2.5× 10k instead of 2.2×);
``--set graph_weight=0`` switches the neighbour-graph embedding off (≈ 0.848),
``--set neighbours=0`` the whole second step (≈ 0.83). Measured 2026-11-25: 10k in ≈ 7 s CPU, Dân trí 0.855.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toasoan.core.model import Article  # noqa: E402
from toasoan.related.rank import Options, relate_all  # noqa: E402
from toasoan.core.text import slugify  # noqa: E402

CORPUS = Path("/work/shared/corpus/dantri-2653.jsonl.gz")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
COUNT = 5

# --- synthetic archive -------------------------------------------------------
_ONSETS = "b c ch d đ g gi h kh l m n ng nh p ph qu s t th tr v x".split()
_RIMES = ("a à á ả ã ạ ai ao au ăn ân âu e ê i o ô ơ u ư oa oe uy anh ăng âng "
          "inh ong ông ung ương iên uôn ươc iêt ach ich uc ưc ôi ơi ui ưa ưu").split()
_SECTIONS = ["thoi-su", "chinh-tri", "kinh-te", "xa-hoi", "van-hoa", "the-thao", "quoc-phong-an-ninh"]
_PLACES = ["Thành phố Bắc Kạn", "Ba Bể", "Bạch Thông", "Chợ Đồn", "Chợ Mới", "Na Rì", "Ngân Sơn", "Pác Nặm"]


def synthetic(n: int, seed: int = 1) -> list[Article]:
    """``n`` articles of ~450 syllables over a Zipf vocabulary of two-syllable words,
    each article leaning on one of n/20 topics (so related articles exist)."""
    rng = random.Random(seed)
    syllables = sorted({o + r for o in _ONSETS for r in _RIMES})
    vocab = [f"{rng.choice(syllables)} {rng.choice(syllables)}" for _ in range(20000)]
    zipf = [1 / (r + 1) for r in range(len(vocab))]
    topics = [rng.sample(vocab[500:], 40) for _ in range(max(1, n // 20))]
    start = datetime(2018, 1, 1, 7, 0, tzinfo=TZ)
    out = []
    for i in range(n):
        topic = rng.choice(topics)
        words = rng.choices(vocab, zipf, k=180) + rng.choices(topic, k=45)
        rng.shuffle(words)
        sentences = [" ".join(words[j:j + 15]).capitalize() + "." for j in range(0, len(words), 15)]
        body = "\n\n".join(" ".join(sentences[j:j + 3]) for j in range(0, len(sentences), 3))
        title = " ".join(rng.sample(topic, 3) + rng.sample(vocab[:3000], 2)).capitalize()
        out.append(Article(
            path=Path(f"a{i}.md"), rel_path=f"a{i}.md", title=title,
            date=start + timedelta(hours=7 * i + rng.randrange(7)), authors=["Phóng viên"],
            location=rng.choice(_PLACES), slug=f"{slugify(title)[:60]}-{i}", body=body, body_line=1,
            section=rng.choice(_SECTIONS), tags=[], summary=""))
    return out


def bench_speed(sizes: list[int], options: Options) -> None:
    for n in sizes:
        articles = synthetic(n)
        t0, c0 = time.perf_counter(), time.process_time()
        related = relate_all(articles, articles, {}, COUNT, options)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        links = sum(len(v) for v in related.values())
        print(f"speed: {n:6d} articles ranked in {took:6.2f} s wall, {cpu:6.2f} s CPU "
              f"({cpu / n * 1000:.2f} ms CPU/article, {links / n:.2f} links/article, "
              f"load {os.getloadavg()[0]:.2f})")


# --- quality on real news ------------------------------------------------------
def load_corpus(path: Path) -> tuple[list[Article], dict[Article, str]]:
    """Articles of the corpus with no section, tags, author or place: text and date only."""
    articles, truth = [], {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            row = json.loads(line)
            day = datetime.fromisoformat(row["date"]).replace(hour=8, tzinfo=TZ)
            a = Article(path=Path(f"{row['id']}.md"), rel_path=f"{row['id']}.md", title=row["title"],
                        date=day, authors=[], location="", slug=f"{slugify(row['title'])[:60]}-{n}",
                        body="\n\n".join(row["paragraphs"]), body_line=1)
            articles.append(a)
            truth[a] = row["category"]
    return articles, truth


def bench_quality(options: Options, path: Path = CORPUS) -> float:
    articles, truth = load_corpus(path)
    c0 = time.process_time()
    related = relate_all(articles, articles, {}, COUNT, options)
    took = time.process_time() - c0
    links = [(a, b) for a, found in related.items() for b in found]
    share = sum(truth[a] == truth[b] for a, b in links) / max(1, len(links))
    rng = random.Random(1)
    rand = sum(truth[a] == truth[rng.choice(articles)] for a, _ in links) / max(1, len(links))
    print(f"quality: {len(articles)} articles, {len(links)} automatic links, "
          f"same section {share:.3f} (random {rand:.3f}), ranked in {took:.2f} s CPU")
    return share


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--speed", type=int, nargs="*", help="archive sizes to time (default 1000 10000)")
    p.add_argument("--quality", action="store_true", help="only the quality figure")
    p.add_argument("--set", action="append", default=[], metavar="KNOB=VALUE",
                   help="override an Options field, e.g. --set top_terms=60")
    args = p.parse_args(argv)
    options = Options()
    for item in args.set:
        key, _, value = item.partition("=")
        setattr(options, key, type(getattr(options, key))(value))
    print("options:", ", ".join(f"{k}={v}" for k, v in vars(options).items()))
    if not args.quality:
        bench_speed(args.speed or [1000, 10000], options)
    if args.speed is None:
        if CORPUS.exists():
            bench_quality(options)
        else:
            print(f"quality: skipped, {CORPUS} is not here")


if __name__ == "__main__":
    main()
