"""Deploy cost of an hourly run with one new article: folder releases (hard links) and S3 (moto).

    .venv/bin/python bench/bench_deploy.py /work/tmp/<branch>/bench               # 140,000 pages, S3 at 14,000
    .venv/bin/python bench/bench_deploy.py DIR --html 20000 --s3-html 5000      # quicker
    .venv/bin/python bench/bench_deploy.py DIR --no-s3

The site is SYNTHESIZED, shaped like the 100k-article build (no mkdocs run): --html
pages of 11–22 KB of text at YYYY/MM/slug/index.html and listing paths, a search
index of 25,000 metadata chunks (~1.6 KB) and 16,384 term shards (~2.5 KB) per
140,000 pages, a few feeds and sitemaps. The "hourly" change is what one new
article does to such a build: its page, 10 article pages whose related links
change, --listings listing pages (every page of its section, author, place, tag and
archive listings shifts by one: ~2,100 at 100k), feeds and sitemaps, and the search
files it touches: documents are numbered oldest first, so the new article's metadata
is the last chunk and only the shards holding one of its terms (or a posting whose
one-byte impact moved) change, --shard-share of them (0.14 measured on a real
10,000-article build: 914 of 6,599; before the numbering changed, all of them and
every chunk).

Printed: wall and CPU time of each deploy, files copied and linked, the bytes the
new release really wrote (sizes of its files whose inode is not the previous
release's), and its disk use with its folders (folders cannot be hard-linked: on
ext4 each page's folder is a 4 KB block of every release). S3 runs against moto's server on loopback; moto keeps objects in
memory, so S3 runs at a smaller --s3-html, scaled the same way.
The folder under DIR is deleted at the end unless --keep-files.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from toasoan.publishing import manifest  # noqa: E402
from toasoan.tools import deploy  # noqa: E402

WORDS = ("tỉnh ủy hội nghị ban chấp hành đảng bộ huyện xã nhân dân phát triển kinh tế văn hóa du lịch "
         "nông thôn mới trồng rừng đồng bào dân tộc cán bộ đảng viên thực hiện nghị quyết chỉ đạo").split()


def text_pool(rng: random.Random, size: int = 1 << 21) -> bytes:
    out, n = [], 0
    while n < size:
        word = rng.choice(WORDS)
        out.append(word)
        n += len(word.encode()) + 1
    return " ".join(out).encode()


class Site:
    """The synthetic site's paths and how to write a page or a search file."""

    def __init__(self, root: Path, html: int, seed: int = 1):
        self.root, self.rng = root, random.Random(seed)
        self.pool = text_pool(self.rng)
        articles = html * 5 // 7
        self.articles = [f"{2019 + i * 8 // articles}/{1 + i % 12:02d}/bai-{i}/index.html" for i in range(articles)]
        self.listings = [f"{kind}/{i // 300}/trang/{i % 300 + 1}/index.html"
                         for i in range(html - articles) for kind in ("chuyen-muc",)]
        scale = html / 140_000
        self.chunks = [f"search/d/{i}.json" for i in range(max(1, int(25_000 * scale)))]
        self.shards = [f"search/t/{i}.bin" for i in range(max(1, int(16_384 * scale)))]
        self.small = ["index.html", "feed.xml", "feed.json", "atom.xml", "sitemap.xml", "sitemap-1.xml",
                      "sitemap-news.xml", "search/manifest.json", "search/sections.bin"]
        self.generation = 0

    def page(self, rel: str, low: int, high: int) -> None:
        size = self.rng.randint(low, high)
        start = self.rng.randrange(len(self.pool) - size)
        body = f"<!-- {rel} v{self.generation} -->".encode() + self.pool[start:start + size]
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # In place, as MkDocs writes: safe because site/ is never linked into a release.
        path.write_bytes(body)

    def write_all(self) -> None:
        for rel in self.articles + self.listings:
            self.page(rel, 11_000, 22_000)
        self.write_index()

    def write_index(self) -> None:
        for rel in self.chunks:
            self.page(rel, 1_200, 2_000)
        for rel in self.shards:
            self.page(rel, 1_500, 3_500)
        for rel in self.small:
            self.page(rel, 2_000, 60_000)

    def one_new_article(self, listings: int, shard_share: float) -> int:
        """What a build with one more article rewrites; returns how many files."""
        self.generation += 1
        new = f"2026/12/bai-moi-{self.generation}/index.html"
        self.articles.insert(0, new)
        self.page(new, 11_000, 22_000)
        touched = [new] + self.rng.sample(self.articles[1:], 10) + self.rng.sample(
            self.listings, min(listings, len(self.listings)))
        for rel in touched[1:]:
            self.page(rel, 11_000, 22_000)
        shards = self.rng.sample(self.shards, int(len(self.shards) * shard_share))
        for rel in shards:
            self.page(rel, 1_500, 3_500)
        self.page(self.chunks[-1], 1_200, 2_000)   # the new article's id is the last
        for rel in self.small:
            self.page(rel, 2_000, 60_000)
        return len(touched) + len(shards) + 1 + len(self.small)


def cpu() -> float:
    t = os.times()
    return t.user + t.system


def written(new: Path, old: Path | None) -> tuple[int, int, int, int]:
    """What the release ``new`` took on disk beside ``old``: (files, their bytes, folders, disk
    bytes of those files and of every folder). Files whose inode is ``old``'s are links and
    take nothing; folders cannot be linked, so each is new (one 4 KB block on ext4)."""
    seen = set()
    if old is not None:
        for top, _, names in os.walk(old):
            for name in names:
                seen.add(os.lstat(os.path.join(top, name)).st_ino)
    files = size = folders = disk = 0
    for top, dirs, names in os.walk(new):
        folders += 1
        disk += os.lstat(top).st_blocks * 512
        for name in names:
            info = os.lstat(os.path.join(top, name))
            if info.st_ino not in seen:
                files += 1
                size += info.st_size
                disk += info.st_blocks * 512
    return files, size, folders, disk


def timed(label: str, run):
    wall, used = time.perf_counter(), cpu()
    result = run()
    print(f"  {label}: {time.perf_counter() - wall:.1f} s wall, {cpu() - used:.1f} s CPU", flush=True)
    return result


def bench_folder(work: Path, html: int, listings: int, shard_share: float) -> None:
    site, target = Site(work / "site", html), work / "srv"
    print(f"folder releases — synthesized site of {html:,} HTML pages (11–22 KB) + a search index "
          f"of {len(site.chunks) + len(site.shards):,} files (not a mkdocs build)", flush=True)
    timed("writing the site (not deploy)", site.write_all)
    timed("manifest (the build's last step, not deploy)", lambda: manifest.write(site.root))
    total = manifest.read(site.root)
    print(f"  site: {len(total.files):,} files, {total.size / 1e9:.2f} GB")
    lines: list[str] = []
    first = timed("first deploy (everything copied)", lambda: deploy.deploy(site.root, target, tell=lines.append))
    print(f"    {lines[-1]}")
    full = written(first, None)[3]
    print(f"    on disk: {full / 1e9:.2f} GB with its folders", flush=True)
    previous = first
    for hour in range(2):
        changed = site.one_new_article(listings, shard_share)
        manifest.write(site.root)
        # keep=2: the second hourly deploy also prunes the first release, as every hourly run
        # does once --keep releases exist.
        release = timed(f"hourly deploy {hour + 1} ({changed:,} files rewritten by the build"
                        f"{', and pruning the oldest release' if hour else ''})",
                        lambda: deploy.deploy(site.root, target, keep=2, tell=lines.append))
        files, size, folders, disk = written(release, previous)
        print(f"    {lines[-1]}")
        print(f"    new inodes in the release: {files:,} files, {size / 1e6:.1f} MB (the rest are hard links "
              f"to {previous.name}), and {folders:,} folders; on disk with the folders: {disk / 1e6:.0f} MB",
              flush=True)
        previous = release
    kept = deploy.releases(target)
    usage = subprocess.run(["du", "-sh", str(target / "releases")], capture_output=True, text=True).stdout.split()[0]
    print(f"  {len(kept)} releases kept take {usage} on disk (du counts each linked file once; "
          f"a full copy each would be {len(kept)} × {full / 1e9:.1f} GB)")
    back = timed("rollback", lambda: deploy.rollback(target))
    print(f"    live again: {back}")


def bench_s3(work: Path, html: int, listings: int, shard_share: float) -> None:
    import boto3  # noqa: F401  (fail early if not installed)
    from toasoan.tools import s3deploy
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    os.environ.update({k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION",
                                          "AWS_EC2_METADATA_DISABLED")})
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        client = s3deploy.connect(url)
        client.create_bucket(Bucket="bao")
        site = Site(work / "s3site", html, seed=2)
        print(f"S3 (moto server on loopback, {s3deploy.WORKERS} parallel PUTs) — synthesized site of {html:,} "
              f"HTML pages + {len(site.chunks) + len(site.shards):,} search files; listing pages changed: "
              f"{listings:,}", flush=True)
        site.write_all()
        manifest.write(site.root)
        lines: list[str] = []
        server_cpu = lambda: sum(int(x) for x in Path(f"/proc/{server.pid}/stat").read_text().split()[13:15]) / \
            os.sysconf("SC_CLK_TCK")
        before = server_cpu()
        timed("first upload", lambda: s3deploy.deploy(site.root, "s3://bao/", client=client, tell=lines.append))
        print(f"    {lines[-1]} (server CPU {server_cpu() - before:.1f} s)")
        changed = site.one_new_article(listings, shard_share)
        manifest.write(site.root)
        before = server_cpu()
        timed(f"hourly upload ({changed:,} files rewritten by the build)",
              lambda: s3deploy.deploy(site.root, "s3://bao/", client=client, tell=lines.append))
        print(f"    {lines[-1]} (server CPU {server_cpu() - before:.1f} s)")
        before = server_cpu()
        timed("same build again", lambda: s3deploy.deploy(site.root, "s3://bao/", client=client, tell=lines.append))
        print(f"    {lines[-1]}")
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path, help="a scratch folder on the disk to measure (e.g. /work/tmp/…)")
    parser.add_argument("--html", type=int, default=140_000)
    parser.add_argument("--s3-html", type=int, default=14_000)
    parser.add_argument("--listings", type=int, default=2_100, help="listing pages one new article rewrites")
    parser.add_argument("--shard-share", type=float, default=0.14,
                        help="share of the search shards one new article rewrites (0.14 measured at 10k)")
    parser.add_argument("--no-s3", action="store_true")
    parser.add_argument("--no-folder", action="store_true")
    parser.add_argument("--keep-files", action="store_true")
    args = parser.parse_args()
    work = args.dir
    work.mkdir(parents=True, exist_ok=True)
    print(f"load: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (read CPU time on a loaded machine)")
    try:
        if not args.no_folder:
            bench_folder(work / "folder", args.html, args.listings, args.shard_share)
        if not args.no_s3:
            bench_s3(work / "s3", args.s3_html, max(1, args.listings * args.s3_html // args.html), args.shard_share)
    finally:
        if not args.keep_files:
            shutil.rmtree(work / "folder", ignore_errors=True)
            shutil.rmtree(work / "s3", ignore_errors=True)
    print(f"load at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
