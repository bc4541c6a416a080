"""Two real `mkdocs build` processes in one folder: the second waits (or refuses), the site stays whole."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import yaml
from PIL import Image

import sitebuild


def noisy_jpeg(seed: int) -> bytes:
    """A photo that is slow to encode (noise does not compress): keeps the first build busy for seconds."""
    pixels = (np.random.default_rng(seed).random((1400, 2100, 3)) * 255).astype("uint8")
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def site_folder(root: Path) -> tuple[Path, int]:
    """A fixture site whose build encodes five heavy photos in one worker; returns (mkdocs.yml, articles)."""
    count = 5
    for n in range(count):
        body = f'Đoạn mở đầu số {n}.\n\n![](2022/anh-{n}.jpg "Ảnh thử số {n}. Ảnh: Minh Đức")'
        text = sitebuild.article(title=f"Bài thử khoá số {n}", date=f"2022-01-{n + 10} 08:00", body=body)
        (root / "articles/2022").mkdir(parents=True, exist_ok=True)
        (root / f"articles/2022/bai-{n}.md").write_text(text, encoding="utf-8")
        (root / "images/2022").mkdir(parents=True, exist_ok=True)
        (root / f"images/2022/anh-{n}.jpg").write_bytes(noisy_jpeg(n))
    config = root / "mkdocs.yml"
    config.write_text(yaml.safe_dump(sitebuild.config(root, photos={"workers": 1}), allow_unicode=True,
                                     sort_keys=False), encoding="utf-8")
    return config, count


def start(config: Path, **env) -> subprocess.Popen:
    run_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": "2026-11-25 12:00", **env}
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                            cwd=config.parent, env=run_env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def wait_for_lock(root: Path, proc: subprocess.Popen) -> None:
    """Until ``proc`` holds the folder's lock (it writes its PID into the lock file)."""
    lock = root / ".cache/build.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if lock.exists() and lock.read_text().strip() == str(proc.pid):
            return
        time.sleep(0.05)
    raise AssertionError(f"the first build never took the lock: {proc.communicate()[0]}")


def assert_whole(root: Path, count: int) -> None:
    site = root / "site"
    assert (site / "index.html").exists() and (site / "sitemap.xml").exists()
    for n in range(count):
        assert (site / f"2022/01/bai-thu-khoa-so-{n}/index.html").exists(), n
        renditions = sorted((site / "images/2022").glob(f"anh-{n}.*"))
        assert len(renditions) == 6, renditions     # 480, 960, 1600 in WebP and JPEG
        for path in renditions:
            with Image.open(path) as im:
                im.load()


def test_second_build_waits_or_refuses_and_the_site_is_whole(tmp_path):
    config, count = site_folder(tmp_path)
    first = start(config)
    started = [first]
    try:
        wait_for_lock(tmp_path, first)
        impatient = start(config, TOASOAN_BUILD_WAIT="0")   # refuses at once
        started.append(impatient)
        patient = start(config)                              # waits for the first
        started.append(patient)
        refused = impatient.communicate(timeout=120)[0]
        waited = patient.communicate(timeout=300)[0]
        done = first.communicate(timeout=300)[0]
    finally:
        for proc in started:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert first.returncode == 0, done
    assert impatient.returncode != 0
    assert f"Dừng: một bản dựng khác (tiến trình {first.pid}) vẫn đang chạy trong thư mục này" in refused
    assert "Cách sửa:" in refused and "Traceback" not in refused
    assert "Cleaning site directory" not in refused   # it touched nothing
    assert patient.returncode == 0, waited
    assert f"Đang có bản dựng khác (tiến trình {first.pid}) trong thư mục này; chờ" in waited
    assert "mã hoá mới 0, dùng lại 5" in waited        # the first build's renditions, whole
    assert_whole(tmp_path, count)


def test_serve_rebuilds_without_deadlock_and_lets_a_build_in_between(tmp_path):
    """`mkdocs serve` rebuilds in one process: each rebuild takes the lock again; between them a build runs."""
    import socket
    import threading
    import urllib.request
    from urllib.parse import urlparse

    article = tmp_path / "articles/2022/bai.md"
    article.parent.mkdir(parents=True)
    article.write_text(sitebuild.article(title="Bản đầu tiên"), encoding="utf-8")
    cfg = sitebuild.config(tmp_path)
    cfg["watch"] = [str(tmp_path / "articles")]
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": "2026-11-25 12:00"}
    serve = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
                             cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(serve.stdout), daemon=True).start()

    def built(times: int) -> None:
        deadline = time.monotonic() + 90
        while sum("Documentation built" in line for line in lines) < times:
            assert serve.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.1)

    try:
        built(1)
        for n, title in enumerate(["Bản sửa lần một", "Bản sửa lần hai"], start=2):
            between = start(config, TOASOAN_BUILD_WAIT="30")
            out = between.communicate(timeout=120)[0]
            assert between.returncode == 0, out
            time.sleep(1.1)   # a new mtime for the watcher
            article.write_text(sitebuild.article(title=title), encoding="utf-8")
            # MkDocs drops a log line that repeats the last one word for word ("Documentation built
            # in 0.22 seconds" twice), so the served page, not the log, says the rebuild happened.
            deadline = time.monotonic() + 90
            while True:
                assert serve.poll() is None and time.monotonic() < deadline, "".join(lines)
                url = f"http://127.0.0.1:{port}{urlparse(cfg['site_url']).path}"
                if title in urllib.request.urlopen(url, timeout=30).read().decode():
                    break
                time.sleep(0.2)
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    assert "Traceback" not in "".join(lines)
