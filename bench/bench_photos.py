"""Benchmark of the photo stage. Prints figures; nothing is asserted.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_photos.py [--photos 12] [--keep DIR]

Makes camera-like photos with Pillow (4000×3000, smooth colour fields, fine
detail and sensor noise, JPEG quality 92, EXIF with a GPS position: ~5 MB each,
like a phone's), one article per photo, then runs the real `mkdocs build` twice:
cold (empty cache: every photo is checked and encoded) and warm (nothing
changed: zero encodes). Prints photos per second, both build times, and the
published bytes against the originals (target: 960-wide WebP ≤ 35 % of the
camera JPEG).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from PIL import Image, ImageChops, ImageDraw, ImageFilter

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import sitebuild  # noqa: E402  (article text and a mkdocs.yml pointed at this repository)


def camera_photo(seed: int, width: int = 4000, height: int = 3000) -> bytes:
    """A detailed, noisy photo as a phone saves it (JPEG 92, EXIF with GPS)."""
    rnd = random.Random(seed)
    small = Image.new("RGB", (16, 12))
    small.putdata([tuple(rnd.randrange(256) for _ in range(3)) for _ in range(16 * 12)])
    img = small.resize((width, height), Image.Resampling.BICUBIC)  # sky, fields, walls
    draw = ImageDraw.Draw(img)
    for _ in range(6000):  # leaves, faces, lettering: fine detail
        x, y, s = rnd.randrange(width), rnd.randrange(height), rnd.randrange(4, 60)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        if rnd.random() < 0.5:
            draw.ellipse((x, y, x + s, y + s // 2), fill=colour)
        else:
            draw.line((x, y, x + rnd.randrange(-80, 80), y + rnd.randrange(-80, 80)),
                      fill=colour, width=rnd.randrange(1, 4))
    img = img.filter(ImageFilter.GaussianBlur(1.2))  # a lens is not a ruler
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 10) for _ in range(3)])
    img = ImageChops.add(img, noise, 1.0, -128)  # sensor noise
    exif = Image.Exif()
    exif[0x010F] = "BenchPhone"
    exif[0x8825] = {1: "N", 2: (22.0, 8.0, 30.0), 3: "E", 4: (105.0, 50.0, 12.0)}
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92, exif=exif)
    return buf.getvalue()


def build(root: Path) -> tuple[float, float, dict]:
    """Run `mkdocs build`; wall seconds, CPU seconds (with the worker processes), photo stats."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": "2026-11-25 12:00"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")],
                          cwd=root, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(proc.stdout + proc.stderr)
    stats = json.loads((root / ".cache/photos/last-build.json").read_text())
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, cpu, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--keep", type=Path, help="build here and keep the site")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-photos-"))
    shutil.rmtree(root / ".cache", ignore_errors=True)

    print(f"Making {args.photos} camera photos (4000×3000, JPEG 92)…", flush=True)
    photos, articles = {}, {}
    for i in range(args.photos):
        photos[f"bench/{i:03d}.jpg"] = camera_photo(i)
        articles[f"bench/{i:03d}.md"] = sitebuild.article(
            title=f"Bài thử ảnh số {i}", date=f"2022-01-{1 + i % 28:02d} 08:{i % 60:02d}",
            body=f'Đoạn mở đầu.\n\n![](bench/{i:03d}.jpg "Ảnh thử số {i}. Ảnh: Máy đo")\n')
    for folder, files in (("articles", articles), ("images", photos)):
        for rel, data in files.items():
            path = root / folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    (root / "mkdocs.yml").write_text(yaml.safe_dump(sitebuild.config(root), allow_unicode=True,
                                                    sort_keys=False), encoding="utf-8")

    cold, cold_cpu, cold_stats = build(root)
    warm, warm_cpu, warm_stats = build(root)
    originals = [len(data) for data in photos.values()]
    site_images = root / "site" / "images"
    ratios = [f.stat().st_size / len(photos[f"bench/{f.name.split('.')[0]}.jpg"])
              for f in site_images.rglob("*.960.*.webp")]

    cores = os.cpu_count()
    print(f"\nPhotos: {args.photos}, cores: {cores}, original JPEG median "
          f"{statistics.median(originals) / 1e6:.2f} MB")
    print(f"Cold build (check + encode {cold_stats['encoded']} photos): {cold:.2f} s; "
          f"photo stage {cold_stats['seconds']:.2f} s → "
          f"{args.photos / cold_stats['seconds']:.2f} photos/s")
    print(f"CPU time of the cold build: {cold_cpu:.1f} s = {(cold_cpu - warm_cpu) / args.photos:.2f} s "
          f"per photo (cold minus cached build), load average now {os.getloadavg()[0]:.1f}")
    print(f"Cached rebuild (encoded {warm_stats['encoded']}, reused {warm_stats['reused']}): {warm:.2f} s; "
          f"photo stage {warm_stats['seconds']:.2f} s")
    print(f"Published bytes: {cold_stats['published_bytes'] / 1e6:.2f} MB for "
          f"{cold_stats['original_bytes'] / 1e6:.2f} MB of originals "
          f"({100 * cold_stats['published_bytes'] / cold_stats['original_bytes']:.1f} %, "
          f"all widths in WebP and JPEG)")
    print(f"960-wide WebP vs camera JPEG: median {100 * statistics.median(ratios):.1f} %, "
          f"max {100 * max(ratios):.1f} % (target ≤ 35 %) — "
          f"{'OK' if max(ratios) <= 0.35 else 'ABOVE TARGET'}")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
