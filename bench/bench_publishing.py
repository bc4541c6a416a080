"""Time what the publishing stage adds to a build: per-page <head> metadata,
feeds and sitemaps, on a synthetic archive of N articles (no MkDocs, no disk
reads of articles: Article objects are made in memory).

    .venv/bin/python bench/bench_publishing.py [--sizes 10000 100000]

Prints, per size: CPU microseconds of metadata per article page (should not
grow with N), CPU seconds to write all feeds, CPU seconds and files to write
the sitemaps. CPU time, not wall time: the machine is shared with other work.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toasoan.publishing import feeds  # noqa: E402
from toasoan.publishing import meta  # noqa: E402
from toasoan.publishing import sitemaps  # noqa: E402
from toasoan.reading.archive import Archive  # noqa: E402
from toasoan.core.config import Section, SiteConfig  # noqa: E402
from toasoan.core.model import Article  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SECTIONS = [Section("thoi-su", "Thời sự"), Section("chinh-tri", "Chính trị"), Section("kinh-te", "Kinh tế"),
            Section("xa-hoi", "Xã hội"), Section("van-hoa", "Văn hóa"), Section("the-thao", "Thể thao"),
            Section("quoc-phong-an-ninh", "Quốc phòng – An ninh")]


def articles(n: int, now: datetime) -> list[Article]:
    rng = random.Random(1)
    out = []
    for i in range(n):
        date = now - timedelta(minutes=rng.randint(0, 8 * 365 * 24 * 60))
        out.append(Article(
            path=Path(f"articles/{i}.md"), rel_path=f"{i}.md", title=f"Bài viết số {i} về nông thôn mới",
            date=date, authors=[f"Tác giả {i % 40}"], location="Ba Bể", slug=f"bai-viet-so-{i}",
            body=f"Đoạn mở đầu.\n\n![Ảnh](sample/anh-{i % 50}.jpg \"Chú thích. Ảnh: A\")\n",
            body_line=8, section=SECTIONS[i % len(SECTIONS)].slug, tags=[f"chủ đề {i % 190}", "Bắc Kạn"],
            summary="Tóm tắt ngắn của bài viết, một hai câu.", summary_given=True))
    return out


def run(n: int) -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=TZ)
    site = SiteConfig(name="Báo", sections=SECTIONS)
    t = time.process_time()
    archive = Archive(articles(n, now), site)
    made = time.process_time() - t
    pub = meta.Publication(site_url="https://example.org/bao/", title="Báo", name="Báo",
                           sections={s.slug: s.name for s in SECTIONS}, logo="assets/logo.png")

    sample = archive.articles[:: max(1, n // 2000)]
    t = time.process_time()
    for a in sample:
        canonical = pub.absolute(a.url)
        meta.render_head(meta.article_tags(pub, a, canonical), meta.news_article(pub, a),
                         meta.feed_links(pub, "Báo", "") + meta.feed_links(pub, "Mục", f"{a.section}/"))
    per_page = (time.process_time() - t) / len(sample) * 1e6

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t = time.process_time()
        chosen = feeds.feeds_for(pub, archive.latest(feeds.LATEST),
                                 {slug: l.articles for slug, l in archive.sections.items()})
        feed_files = feeds.write_feeds(pub, chosen, out, now)
        feed_time = time.process_time() - t
        t = time.process_time()
        pages = archive.pages()
        written = sitemaps.write_sitemaps(pub, out, sitemaps.entries(archive.articles, pages),
                                          sitemaps.recent(archive.articles, now))
        sitemap_time = time.process_time() - t
        size = sum(p.stat().st_size for p in written)
    print(f"{n:>7} articles (archive made in {made:.1f} s CPU): head metadata {per_page:.0f} µs/page; "
          f"feeds {len(feed_files)} files in {feed_time:.3f} s; "
          f"sitemaps {len(written)} files ({len(pages)} listing pages + {n} articles, "
          f"{size / 1e6:.1f} MB) in {sitemap_time:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    for n in parser.parse_args().sizes:
        run(n)


if __name__ == "__main__":
    main()
