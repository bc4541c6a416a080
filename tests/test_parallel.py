"""The parallel page render: the same site/ as one process, warnings counted, failures stopped cleanly.

Each test builds a fixture site with the real ``mkdocs build``: once in one process
(``TOASOAN_JOBS=1``) and once with two workers (``TOASOAN_PARALLEL_MIN`` low and small
parts, so a few hundred pages are spread over several parts and both workers; small row
blocks for "Xem thêm", so its ranking is spread too).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import sitebuild
from sitebuild import article

# Small blocks for "Xem thêm" too: its ranking is spread over the workers as well.
PARALLEL = {"TOASOAN_JOBS": "2", "TOASOAN_PARALLEL_MIN": "10", "TOASOAN_PARALLEL_PART": "37",
            "TOASOAN_RELATED_BLOCK": "4000"}
SERIAL = {"TOASOAN_JOBS": "1"}
SECTIONS = ("Kinh tế", "Văn hóa", "Xã hội", "Thời sự")
PLACES = ("Ba Bể", "Chợ Đồn", "Na Rì", "Pác Nặm")


def _articles(count: int = 400) -> dict[str, str]:
    """Articles over two years with sections, tags, authors, footnotes and links to each other."""
    files = {}
    for i in range(count):
        body = (f"Bài số {i} về nông thôn mới ở {PLACES[i % 4]}, sản phẩm OCOP và giao thông.\n\n"
                f"## Phần hai {{#phan-hai}}\n\nĐoạn hai của bài {i}.")
        if i % 7 == 0:
            body += f"\n\nMột chú thích[^1].\n\n[^1]: Nguồn: phóng viên, bài {i}."
        if i % 50 == 2:   # links to another article's heading: MkDocs checks the anchors
            body += (f"\n\nXem [bài trước]({_src(i - 2)}#phan-hai) và [phần không có]({_src(i - 2)}#khong-co).")
        files[f"{2025 + i % 2}/bai-{i}.md"] = article(
            title=f"Tin {PLACES[i % 4]} số {i}", date=_date(i),
            author=["Xuân Nghiệp", "Thu Hà", "Minh Đức"][i % 3], location=PLACES[i % 4],
            category=SECTIONS[i % 4], tags=["nông thôn mới"] + (["OCOP"] if i % 3 == 0 else []), body=body)
    return files


def _date(i: int) -> str:
    return f"{2025 + i % 2}-{1 + i % 12:02d}-{1 + i % 28:02d} 08:{i % 60:02d}"


def _src(i: int) -> str:
    """A link from an article to article ``i`` (an article's page is YYYY/MM/slug.md)."""
    slug = "tin-" + ["ba-be", "cho-don", "na-ri", "pac-nam"][i % 4] + f"-so-{i}"
    return f"../../{_date(i)[:4]}/{_date(i)[5:7]}/{slug}.md"


def _build(root: Path, env: dict, files=None, strict=True, cfg=None):
    return sitebuild.build(root, files if files is not None else _articles(), strict=strict, cfg=cfg,
                           env={"TOASOAN_PAGE_CACHE": "0", **env}, timeout=600)


def _line(log: str, start: str) -> str:
    return next(line for line in log.splitlines() if start in line)


def test_two_workers_write_the_same_site_as_one_process(tmp_path):
    serial = _build(tmp_path / "one", SERIAL)
    assert serial.returncode == 0, serial.log
    assert "Dựng trang:" not in serial.log
    par = _build(tmp_path / "two", PARALLEL)
    assert par.returncode == 0, par.log
    assert "2 tiến trình một lúc" in par.log, par.log
    assert "bài, 1 tiến trình," in serial.log and "bài, 2 tiến trình," in par.log   # Xem thêm
    # The search index: made at the end in one process, beside the other stages in two.
    assert "sau khi dựng trang" not in _line(serial.log, "Tìm kiếm:")
    assert "chờ thêm" in _line(par.log, "Tìm kiếm:") and "sau khi dựng trang" in _line(par.log, "Tìm kiếm:")
    assert sitebuild.tree_differences(serial.site, par.site) == []
    # MkDocs' anchor check saw the workers' pages: the same findings, the missing anchor only.
    missing = sorted(line for line in serial.log.splitlines() if "does not contain an anchor" in line)
    assert len(missing) == 8 and all("#khong-co" in line for line in missing), serial.log
    assert sorted(line for line in par.log.splitlines() if "does not contain an anchor" in line) == missing
    pages = list(par.site.rglob("index.html"))
    assert len(pages) > 450
    assert (par.site / "search").is_dir()   # the search index is in the comparison above


def test_page_cache_and_search_terms_the_same_either_way(tmp_path):
    """With the page cache: the workers' pages are stored and kept, the terms store is the same file."""
    cache = tmp_path / ".cache" / "pages"
    one = sitebuild.build(tmp_path, _articles(), env={"TOASOAN_PAGE_CACHE": "1", **SERIAL}, timeout=600)
    assert one.returncode == 0, one.log
    shutil.move(one.site, tmp_path / "one-site")
    shutil.move(cache, tmp_path / "one-cache")
    two = sitebuild.build(tmp_path, {}, env={"TOASOAN_PAGE_CACHE": "1", **PARALLEL}, timeout=600)
    assert two.returncode == 0, two.log
    assert "2 tiến trình một lúc" in two.log, two.log
    assert sitebuild.tree_differences(tmp_path / "one-site", two.site) == []
    (key,) = [p for p in cache.iterdir() if p.is_dir()]   # beside it: the article and related-terms stores
    assert (key / "search-terms.bin").is_file() and len(list(key.rglob("*"))) > 400
    assert sitebuild.tree_differences(tmp_path / "one-cache", cache) == []
    # Again, from the cache: every page the workers stored is found (none pruned as unused).
    again = sitebuild.build(tmp_path, {}, env={"TOASOAN_PAGE_CACHE": "1", **PARALLEL}, timeout=600)
    assert again.returncode == 0, again.log
    assert "dựng mới và lưu 0," in again.log and "bỏ 0 bản cũ" in again.log, again.log
    # … and written straight from it, past MkDocs' page loop: still the same bytes.
    generated = int(re.search(r"Dựng trang: (\d+) trang", again.log).group(1))
    # (all but the 8 articles linking to another's heading: MkDocs must resolve their links each time)
    assert f"; {generated - 8} trang chép thẳng từ bộ nhớ đệm" in again.log, again.log
    assert sitebuild.tree_differences(tmp_path / "one-site", again.site) == []


def test_a_foreign_page_hook_sees_the_cached_pages_too(tmp_path):
    """A province's page hook (declared safe for workers) is called for every page, cached or not."""
    seen = tmp_path / "seen"
    hook = ("import hashlib, pathlib\n"
            "TOASOAN_PARALLEL_SAFE = True\n"
            "def on_page_context(context, page, **kwargs):\n"
            f"    folder = pathlib.Path({str(seen)!r})\n"
            "    folder.mkdir(exist_ok=True)\n"
            "    (folder / hashlib.sha1(page.url.encode()).hexdigest()).touch()\n"
            "    return context\n")
    first = _build_with_hook(tmp_path, "seen", hook, cache=True, files=_articles(120))
    assert first.returncode == 0, first.log
    shutil.rmtree(seen)
    again = _build_with_hook(tmp_path, "seen", hook, cache=True, files={})
    assert again.returncode == 0, again.log
    assert "dựng mới và lưu 0," in again.log and "chép thẳng" not in again.log, again.log
    assert len(list(seen.iterdir())) == len(list(again.site.rglob("index.html")))


def test_a_warning_from_a_workers_page_fails_strict(tmp_path):
    files = _articles()
    files["2026/bai-333.md"] = files["2026/bai-333.md"].replace(
        "Đoạn hai của bài 333.", 'Đoạn hai của bài 333.\n{: .md-header }')
    built = _build(tmp_path, PARALLEL, files=files)
    assert built.returncode != 0
    assert "2 tiến trình một lúc" in built.log, built.log
    assert "đã bỏ lớp (class)" in built.log and "bai-333.md" in built.log, built.log
    assert "Aborted with 1 warnings in strict mode" in built.log, built.log
    assert not built.site.exists()   # staging: nothing published


def test_a_killed_worker_stops_the_build_cleanly(tmp_path):
    """A worker killed mid-build (as the kernel's OOM killer does): a Vietnamese message, no traceback."""
    (tmp_path / "site").mkdir(parents=True)
    (tmp_path / "site" / "cu.html").write_text("bản cũ", encoding="utf-8")
    # A province's hook, declared safe, that kills the worker rendering one article.
    built = _build_with_hook(tmp_path, "killer", _in_a_worker("os.kill(os.getpid(), signal.SIGKILL)"))
    assert built.returncode != 0
    assert "Dừng: tiến trình dựng trang" in built.log and "bị dừng bởi tín hiệu 9" in built.log, built.log
    assert "Traceback" not in built.log, built.log
    assert (tmp_path / "site" / "cu.html").read_text(encoding="utf-8") == "bản cũ"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
    assert _processes_of(tmp_path) == []   # the other worker was stopped, none left behind


def test_an_error_in_a_worker_stops_the_build_with_the_page_named(tmp_path):
    built = _build_with_hook(tmp_path, "broken", _in_a_worker("raise ValueError('hỏng')"))
    assert built.returncode != 0
    assert "Dừng: lỗi khi dựng trang 2026/10/tin-cho-don-so-201.md: ValueError: hỏng" in built.log, built.log
    assert "Error reading page '2026/10/tin-cho-don-so-201.md'" in built.log   # MkDocs' own line, replayed
    assert "Traceback" not in built.log, built.log
    assert not built.site.exists()


def _build_with_hook(tmp_path: Path, name: str, source: str, cache: bool = False, files=None):
    """A parallel build of the fixture with a province's hook ``hooks/<name>.py`` added."""
    hook = tmp_path / "hooks" / f"{name}.py"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(source, encoding="utf-8")
    cfg = sitebuild.config(tmp_path)
    cfg["hooks"].append(str(hook))
    return _build(tmp_path, {**PARALLEL, "TOASOAN_PAGE_CACHE": "1" if cache else "0"}, files=files, cfg=cfg)


def _in_a_worker(action: str) -> str:
    """A hook, declared safe, doing ``action`` while a worker renders article 201 (MkDocs
    imports the hook in the build's own process, before any worker exists)."""
    return ("import os, signal\n"
            "TOASOAN_PARALLEL_SAFE = True\n"
            "BUILD = os.getpid()\n"
            "def on_page_markdown(markdown, page, **kwargs):\n"
            "    if page.file.src_uri.endswith('-so-201.md') and os.getpid() != BUILD:\n"
            f"        {action}\n"
            "    return markdown\n")


def _processes_of(root: Path) -> list[int]:
    """Processes still running a build of root's mkdocs.yml (a worker is a fork: the same command line)."""
    wanted = str(root / "mkdocs.yml").encode()
    out = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if wanted in cmdline.read_bytes():
                out.append(int(cmdline.parent.name))
        except OSError:
            continue
    return out


def test_a_foreign_page_hook_keeps_the_build_in_one_process(tmp_path):
    built = _build_with_hook(tmp_path, "mine", "seen = []\n"
                                               "def on_page_context(context, page, **kwargs):\n"
                                               "    seen.append(page.url)\n"
                                               "    return context\n")
    assert built.returncode == 0, built.log
    assert "Dựng trang trong một tiến trình" in built.log and "mine" in built.log, built.log
    assert "2 tiến trình một lúc" not in built.log
    assert len(list(built.site.rglob("index.html"))) > 450


def test_a_failed_build_stops_the_search_index_workers_too(tmp_path):
    """The index made beside the build has workers of its own: a build that fails while they run
    leaves none of them behind (writing into a staging folder that is being removed)."""
    started = tmp_path / "started"
    started.mkdir()
    # A province's hook: the index is split over workers even at this size, each one slow;
    # the build fails (on_nav) once one of them runs.
    hook = ("import os, time\n"
            "from pathlib import Path\n"
            "import toasoan.search.index as index, toasoan.search.parallel as parallel\n"
            "parallel.PARALLEL_MIN = 1\n"
            "collect = index._collect\n"
            f"STARTED = Path({str(started)!r})\n"
            "def slow(*args, **kwargs):\n"
            "    (STARTED / str(os.getpid())).touch()\n"
            "    time.sleep(60)\n"
            "    return collect(*args, **kwargs)\n"
            "index._collect = slow\n"
            "def on_nav(nav, **kwargs):\n"
            "    for _ in range(300):\n"
            "        if any(STARTED.iterdir()):\n"
            "            break\n"
            "        time.sleep(0.1)\n"
            "    raise RuntimeError('hook của tỉnh hỏng')\n")
    began = time.monotonic()
    built = _build_with_hook(tmp_path, "hong", hook, files=_articles(60))
    # The build's output ends only when no process holds it: a worker left behind would
    # keep whoever reads it (here the test, in CI the job's step) waiting for its minute.
    assert time.monotonic() - began < 45
    assert built.returncode != 0
    assert "hook của tỉnh hỏng" in built.log, built.log
    assert any(started.iterdir()), built.log   # the index's workers were running
    assert _processes_of(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_the_index_made_beside_the_build_replaces_what_else_is_in_search(tmp_path):
    """A file of the site's own under docs/search/ gives way to the index, in one process (the
    index is written last) and beside the build (MkDocs copies it while the index is made)."""
    docs = tmp_path / "docs"
    shutil.copytree(sitebuild.FIXTURE / "docs", docs)
    (docs / "search").mkdir()
    (docs / "search" / "manifest.json").write_text('{"cu": 1}', encoding="utf-8")
    (docs / "search" / "ghi-chu.txt").write_text("bản cũ", encoding="utf-8")
    built = {}
    for name, env in (("one", SERIAL), ("two", PARALLEL)):
        cfg = sitebuild.config(tmp_path / name)
        cfg["docs_dir"] = str(docs)
        built[name] = _build(tmp_path / name, env, files=_articles(40), cfg=cfg)
        assert built[name].returncode == 0, built[name].log
    assert "chờ thêm" in _line(built["two"].log, "Tìm kiếm:")
    assert not (built["two"].site / "search" / "ghi-chu.txt").exists()
    assert sitebuild.tree_differences(built["one"].site, built["two"].site) == []
