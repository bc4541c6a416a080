"""Time a full `mkdocs build` of generated archives, and Hugo on the same articles.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_build.py [--sizes 1000,10000]
        [--seed 1] [--corpus none|auto|PATH] [--no-hugo] [--keep DIR] [--jobs N]
    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_build.py --profile 10000 [--sort tottime]
    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_build.py --phases 10000

For each size: generate the archive in a temporary folder (not timed), write a
copy of the repository's mkdocs.yml pointed at the repository's hooks, theme
and docs, run `mkdocs build` in a child process and print its wall time, HTML
pages per second, peak memory (summed PSS of the build and its workers)
and the size of site/, the load average before and after, and the build's own
timing lines (ranking, page render, search index). ``--jobs N`` sets
``TOASOAN_JOBS`` (1: the whole build in one process; default: every core).
``--profile N`` instead builds N articles in this process under cProfile and
prints where the time goes; ``--phases N`` splits the wall time of an
in-process build (no profiler overhead) into each hook's events, Markdown,
templates and file writing, and names the stages during which the peak
memory of the process grew.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "tests"))
from gen_corpus import generate, resolve_corpus  # noqa: E402
import hugo_site  # noqa: E402
from sitebuild import config as site_config  # noqa: E402  (the tests' copy of mkdocs.yml)

NOW = "2026-11-25 12:00"  # the tests' pinned clock: every generated article is published
TARGET_SECONDS, TARGET_MB, TARGET_RATIO = 60, 1536, 12


def workdir(kind: str, n: int, seed: int, corpus: Path | None, keep: Path | None) -> tuple[Path, bool]:
    """The folder of one benchmark site, and whether its archive is there already.

    With ``--keep DIR`` the folder has a fixed name, so a second run reuses the
    archive it generated (a 100,000-article archive takes minutes to write);
    its old ``site/`` and ``.cache/`` (pages, photos) are removed so that every build is a clean one.
    """
    if keep is None:
        return Path(tempfile.mkdtemp(prefix=f"{kind}-{n}-")), False
    root = keep / f"{kind}-{n}-seed{seed}{'-corpus' if corpus else ''}"
    done = (root / "mkdocs.yml").is_file() and (root / "articles").is_dir()
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)   # the page and photo caches: a clean build each time
    root.mkdir(parents=True, exist_ok=True)
    return root, done


def prepare(root: Path, n: int, seed: int, corpus: Path | None, reuse: bool = False) -> None:
    if reuse:   # a clean build: nothing kept from an earlier one (its site/ would also be deleted in the build)
        for old in [root / "site", root / ".cache", *root.glob(".site.*")]:
            shutil.rmtree(old, ignore_errors=True)
        return
    generate(root, n, seed, corpus)
    images = REPO / "images"
    if images.is_dir() and not (root / "images").exists():
        shutil.copytree(images, root / "images")  # sample photos, if the site has any
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump(site_config(root), allow_unicode=True, sort_keys=False), encoding="utf-8")


def _tree_pss_kb(root_pid: int) -> int:
    """Proportional set size (KB) of a process and all its descendants.

    RSS would count the pages a forked worker shares with its parent twice;
    PSS splits shared pages between the processes that map them.
    """
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
                parents[int(name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    tree, todo = set(), [root_pid]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo += [c for c, p in parents.items() if p == pid and c not in tree]
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total


TIMELINE: list[tuple[float, int, str]] = []   # the last run_child's (seconds, peak PSS KB so far, log line)


def run_child(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, object, int, str, int]:
    """Run ``cmd``; return (seconds, its rusage, return code, output, peak PSS of its tree in KB).

    ``TIMELINE`` gets each timing line of the output with the second it appeared and the
    peak memory until then: where the time and the memory of a build go, stage by stage.
    """
    log = cwd / f".{Path(cmd[0]).name}.log"
    peak = [0]
    TIMELINE.clear()
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample():  # the whole tree (worker processes too), 4 times a second
            seen = 0
            while not done.wait(0.25):
                peak[0] = max(peak[0], _tree_pss_kb(proc.pid))
                try:
                    text = log.read_bytes()[seen:]
                except OSError:
                    continue
                cut = text.rfind(b"\n") + 1
                seen += cut
                for m in TIMING.finditer(text[:cut].decode("utf-8", "replace")):
                    TIMELINE.append((time.perf_counter() - start, peak[0], m.group(0)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix all children).
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage, proc.returncode, log.read_text(encoding="utf-8", errors="replace"), peak[0]


def site_figures(site: Path) -> tuple[int, int]:
    """(number of HTML files, total bytes) below ``site``."""
    pages = size = 0
    for dirpath, _, names in os.walk(site):
        for name in names:
            size += os.path.getsize(os.path.join(dirpath, name))
            pages += name.endswith(".html")
    return pages, size


# The build's own timing lines, printed under the figures.
TIMING = re.compile(r"^INFO\s+-\s+(Bài viết:|Xem thêm:|Dựng trang|Tìm kiếm:|Ảnh:|Nguồn tin|Bộ nhớ đệm trang:|Bản kê:|Documentation built).*$",
                    re.MULTILINE)


def bench_mkdocs(root: Path, jobs: int | None = None) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": NOW}
    if jobs:
        env["TOASOAN_JOBS"] = str(jobs)
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")]
    load = os.getloadavg()[0]
    seconds, usage, code, log, pss = run_child(cmd, root, env)
    if code != 0:
        sys.exit(f"mkdocs build failed ({code}):\n{log[-4000:]}")
    pages, size = site_figures(root / "site")
    warnings = len(re.findall(r"^WARNING", log, re.MULTILINE))
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "system": usage.ru_stime,
            "faults": usage.ru_minflt,
            "rss_mb": usage.ru_maxrss / 1024, "pss_mb": pss / 1024, "pages": pages, "bytes": size, "warnings": warnings,
            "load": (load, os.getloadavg()[0]), "timing": [m.group(0) for m in TIMING.finditer(log)]}


def bench_hugo(root: Path) -> dict | None:
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    hroot = root / "hugo"
    hugo_site.convert(root / "articles", hroot)
    seconds, usage, code, log, pss = run_child([hugo, "--quiet", "--destination", str(hroot / "public")], hroot)
    if code != 0:
        print(f"  hugo failed ({code}):\n{log[-2000:]}")
        return None
    pages, size = site_figures(hroot / "public")
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "system": usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "pss_mb": pss / 1024, "pages": pages, "bytes": size}


def line(label: str, r: dict) -> str:
    # CPU time is shown too: on a shared machine it moves less than wall time.
    return (f"  {label:<7} {r['seconds']:7.1f} s (cpu {r['cpu']:5.1f} s, system {r['system']:4.1f})  {r['pages']:7d} pages  {r['pages'] / r['seconds']:6.0f} pages/s"
            f"  memory {r['pss_mb']:5.0f} MB (largest RSS {r['rss_mb']:5.0f})  site {r['bytes'] / 1e6:7.1f} MB")


def run_sizes(sizes: list[int], seed: int, corpus: Path | None, hugo: bool, keep: Path | None,
              jobs: int | None = None) -> None:
    times = {}
    for n in sizes:
        root, reuse = workdir("bench", n, seed, corpus, keep)
        t = time.perf_counter()
        prepare(root, n, seed, corpus, reuse)
        made = "reused" if reuse else f"generated in {time.perf_counter() - t:.1f} s"
        print(f"{n} articles ({made}, in {root})", flush=True)
        ours = bench_mkdocs(root, jobs)
        times[n] = ours["seconds"]
        print(line("mkdocs", ours) + (f"  ({ours['warnings']} warnings)" if ours["warnings"] else ""), flush=True)
        # Minor page faults: mostly a forked worker's first write to a page it shares with its parent.
        print(f"    jobs {jobs or 'default'}, load average {ours['load'][0]:.1f} before, {ours['load'][1]:.1f} after, "
              f"{ours['faults'] / 1e6:.1f} million page faults",
              *(f"    {t}" for t in ours["timing"]), sep="\n", flush=True)
        print("    when each line appeared (seconds from the start, peak memory until then):",
              *(f"    {t:7.1f} s {kb / 1024:6.0f} MB  {text[:70]}" for t, kb, text in TIMELINE), sep="\n", flush=True)
        other = bench_hugo(root) if hugo else None
        if other:
            print(line("hugo", other) + f"  → mkdocs/hugo ×{ours['seconds'] / other['seconds']:.1f}", flush=True)
        if n == 10000:
            ok = ours["seconds"] <= TARGET_SECONDS and ours["pss_mb"] <= TARGET_MB
            print(f"  target for 10,000: ≤ {TARGET_SECONDS} s, ≤ {TARGET_MB} MB → {'met' if ok else 'NOT met'}")
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
    if 1000 in times and 10000 in times:
        ratio = times[10000] / times[1000]
        print(f"time(10k)/time(1k) = {ratio:.1f} (target ≤ {TARGET_RATIO}: {'met' if ratio <= TARGET_RATIO else 'NOT met'})")


def profile(n: int, seed: int, corpus: Path | None, sort: str, keep: Path | None) -> None:
    """Build ``n`` articles in this process under cProfile; print the hot spots."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root, reuse = workdir("bench", n, seed, corpus, keep)
    prepare(root, n, seed, corpus, reuse)
    os.environ.update(NO_MKDOCS_2_WARNING="1", TOASOAN_NOW=NOW)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        cfg = load_config(str(root / "mkdocs.yml"))
        prof = cProfile.Profile()
        start = time.perf_counter()
        prof.enable()
        build(cfg)
        prof.disable()
        print(f"{n} articles built in {time.perf_counter() - start:.1f} s under cProfile")
    finally:
        os.chdir(cwd)
    out = root / "profile.pstats"
    prof.dump_stats(out)
    stats = pstats.Stats(str(out))
    stats.sort_stats(sort).print_stats(45)
    print(f"profile saved: {out} (python -m pstats {out})")
    if keep is None:
        shutil.rmtree(root / "site", ignore_errors=True)


def phases(n: int, seed: int, corpus: Path | None, keep: Path | None) -> None:
    """Build ``n`` articles in this process and split the wall time by stage.

    Every hook event is timed on its own (so each helper's hook shows up),
    as are Markdown (MkDocs' Page.render), Jinja page renders (outermost only:
    filters and globals that hooks add count as templates) and file writes.
    """
    import jinja2
    from mkdocs import utils
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    root, reuse = workdir("bench", n, seed, corpus, keep)
    prepare(root, n, seed, corpus, reuse)
    os.environ.update(NO_MKDOCS_2_WARNING="1", TOASOAN_NOW=NOW)
    spent: dict[str, float] = {}
    calls: dict[str, int] = {}
    grown: dict[str, int] = {}  # KB of peak memory added during each stage
    last_peak = [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]
    depth = [0]

    def timed(label, fn, outermost=False):
        def wrapper(*args, **kwargs):
            if outermost and depth[0]:
                return fn(*args, **kwargs)
            depth[0] += outermost
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                name = label(args[0]) if callable(label) else label
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
                calls[name] = calls.get(name, 0) + 1
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                if peak > last_peak[0]:  # the stage during which the process's peak grew
                    grown[name] = grown.get(name, 0) + peak - last_peak[0]
                    last_peak[0] = peak
                depth[0] -= outermost
        return wrapper

    saved = (Page.render, jinja2.Template.render, utils.write_file)
    Page.render = timed("markdown (Page.render)", Page.render)
    jinja2.Template.render = timed(lambda t: f"templates: {t.name}", jinja2.Template.render, outermost=True)
    utils.write_file = timed("writing files", utils.write_file)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        cfg = load_config(str(root / "mkdocs.yml"))
        plugins = cfg.plugins
        for event, methods in plugins.events.items():
            for i, method in enumerate(methods):
                origin = plugins._event_origins.get(method, "?")
                wrapped = timed(f"{Path(origin).name}: on_{event}", method)
                plugins._event_origins[wrapped] = origin
                methods[i] = wrapped
        start = time.perf_counter()
        build(cfg)
        total = time.perf_counter() - start
    finally:
        os.chdir(cwd)
        Page.render, jinja2.Template.render, utils.write_file = saved
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} articles: {total:.1f} s in process, peak {peak:.0f} MB (this process only)")
    for label, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.05:
            each = f"{calls[label]:6d} × {1000 * seconds / calls[label]:6.2f} ms" if calls[label] > 1 else ""
            more = f"  peak +{grown[label] / 1024:.0f} MB" if grown.get(label, 0) > 10240 else ""
            print(f"  {seconds:7.2f} s  {100 * seconds / total:4.0f} %  {label:<38} {each:<22}{more}")
    rest = total - sum(spent.values())
    print(f"  {rest:7.2f} s  {100 * rest / total:4.0f} %  everything else (MkDocs: files, nav, page setup)")
    if keep is None:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", default="none", help="none, auto (the shared Dân trí corpus if present) or a path")
    ap.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    ap.add_argument("--keep", type=Path, help="build in DIR/bench-N-seedS and keep the sites; a later run reuses the archive")
    ap.add_argument("--profile", type=int, metavar="N", help="profile an in-process build of N articles")
    ap.add_argument("--phases", type=int, metavar="N", help="split the time of an in-process build of N articles")
    ap.add_argument("--sort", default="cumulative", help="pstats order for --profile (cumulative, tottime)")
    ap.add_argument("--jobs", type=int, help="TOASOAN_JOBS for the build (1: one process)")
    args = ap.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    corpus = resolve_corpus(args.corpus)
    if args.phases:
        phases(args.phases, args.seed, corpus, args.keep)
    elif args.profile:
        profile(args.profile, args.seed, corpus, args.sort, args.keep)
    else:
        run_sizes([int(s) for s in args.sizes.split(",")], args.seed, corpus, not args.no_hugo, args.keep, args.jobs)


if __name__ == "__main__":
    main()
