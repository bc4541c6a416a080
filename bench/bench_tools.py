"""Time the reporter's tools on a large archive: `check` and `import`.

    .venv/bin/python bench/bench_tools.py [-n 10000] [--keep DIR]

1. generates ``n`` articles with gen_corpus.py and times
   ``python -m toasoan check`` on them (target: ≤ 5 s for 10,000), twice
   (the second run has the photo probe cache warm);
2. turns the same articles into ``n`` files in the old website's plain-text
   format (dateline, captions written twice, byline, "Xem thêm"; some with
   BOM + CRLF, some NFD; a photo for each caption) and times
   ``python -m toasoan import`` of the folder (target: ≤ 30 s for 10,000),
   then `check`s the imported archive.
Times are of the whole command, Python start-up included: wall-clock, and CPU
(user + system) which stays meaningful when other work shares the machine.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from gen_corpus import generate  # noqa: E402
from toasoan.reading.frontmatter import split  # noqa: E402

PARTS = ["Sáng", "Chiều", "Tối", "Trưa", "(BBK) - Sáng", "Ngày"]


def run(*args: str) -> tuple[str, subprocess.CompletedProcess]:
    """Run one command; its wall-clock and CPU seconds (CPU shows the cost on a busy machine)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "toasoan", *args], cwd=REPO, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return f"{wall:6.2f} s wall, {cpu:6.2f} s CPU", proc


def site(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def tiny_jpeg() -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def to_legacy(paths: list[Path], dest: Path, images: Path) -> int:
    """Write each Markdown article as the old site saved it; return the number of captions."""
    rng = random.Random(7)
    photo = tiny_jpeg()
    captions = 0
    dest.mkdir(parents=True, exist_ok=True)
    images.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(paths):
        parsed = split(path.read_text(encoding="utf-8"))
        meta = parsed.data
        authors = meta["author"] if isinstance(meta["author"], list) else [meta["author"]]
        day = meta["date"][8:10].lstrip("0") + "/" + meta["date"][5:7]
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", parsed.body) if p.strip()]
        lines = [meta["title"], "", f"{rng.choice(PARTS)} {day}, {paragraphs[0]}", ""]
        name = f"bai-{i:05d}"
        for n, paragraph in enumerate(paragraphs[1:], start=1):
            lines += [paragraph, ""]
            if n <= 2 and rng.random() < 0.4:
                caption = f"Ảnh minh họa số {n} của bài {i}."
                lines += [caption, caption, ""]
                captions += 1
                (images / f"{name}-{n}.jpg").write_bytes(photo)
        lines += [" - ".join(authors), "", "Xem thêm"]
        text = "\n".join(lines)
        if i % 10 == 0:
            text = unicodedata.normalize("NFD", text)
        data = text.encode("utf-8")
        if i % 7 == 0:
            data = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
        (dest / f"{name}.txt").write_bytes(data)
    return captions


def last_line(proc: subprocess.CompletedProcess) -> str:
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[-1] if lines else ""


def main() -> None:
    ap = argparse.ArgumentParser(description="Đo thời gian lệnh check và import trên kho bài lớn.")
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--keep", type=Path, help="giữ các tệp sinh ra trong thư mục này")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-tools-"))
    try:
        archive = site(work / "archive")
        t = time.perf_counter()
        paths = generate(archive, args.n, seed=1)
        print(f"generated {len(paths)} articles in {time.perf_counter() - t:.1f} s")
        for label in ("check (cold)", "check (warm)"):
            secs, proc = run("check", "--root", str(archive))
            print(f"{label:<14} {args.n} articles: {secs}  exit {proc.returncode}  {last_line(proc)}")

        legacy, images = work / "legacy", work / "legacy-images"
        captions = to_legacy(paths, legacy, images)
        print(f"wrote {len(paths)} legacy files with {captions} captions (and a photo for each)")
        target = site(work / "imported")
        secs, proc = run("import", str(legacy), "--year", "2022", "--images", str(images),
                         "--root", str(target))
        print(f"{'import':<14} {args.n} files:    {secs}  exit {proc.returncode}  {last_line(proc)}")
        secs, proc = run("check", "--root", str(target))
        print(f"{'check imported':<14} {args.n} articles: {secs}  exit {proc.returncode}  {last_line(proc)}")
        if proc.returncode:
            print("\n".join(proc.stdout.splitlines()[:10]))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
