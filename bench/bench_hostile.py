"""Time every stage of the pipeline on hostile article bodies.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/bench_hostile.py [--sizes 150,1000]
        [--only NAME,NAME] [--stages read,render] [--timeout 20] [--build]

A body made of one character repeated (150 KB of ``[``), or of a short pattern
repeated (``[a](``), is what a broken paste or a hostile contributor produces.
For each payload and size, each stage runs in a child process of its own with
a time limit, and the table shows its seconds (``>T`` when it was stopped):

- ``read``    ``reader.read_article``: front-matter, checks, first paragraph
- ``photos``  ``reading.photorefs.find_refs`` (the photos of a body) and ``meta.lead_image``
- ``relate``  ``terms.features`` (related articles)
- ``search``  ``reading.plain.plain_text`` and the index's terms
- ``render``  Python-Markdown with every extension of mkdocs.yml, MkDocs' own
  and the project's FigureExtension — only when ``read`` accepts the body,
  as the build renders nothing else.

``--build`` also times a whole ``mkdocs build`` of a one-article site per payload
(its column says ``refused`` when the build stops with a file:line error).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

# name -> the unit repeated to fill the body (a callable for the few built otherwise)
PAYLOADS: dict[str, object] = {
    "[": "[", "![": "![", "](": "](", "<": "<", "*": "*", "_": "_", "`": "`",
    "{:": "{:", "///": "///\n", "[^": "[^", "|": "|", ">": ">", "&#": "&#",
    "no-space": "a", "[a](": "[a](", "![a](": "![a](", "[[[]]]": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "<a": "<a ", "[x]: ": "[x]: ", "*a_": "*a_", "~~": "~~", "\\": "\\[",
    "<!--": "<!--", "[a]": "[a]", "![a][": "![a][", "{": "{", "\"": "](a \"",
    "nested >": lambda n: "\n".join(">" * i + " a" for i in range(1, n // 200 + 1))[:n],
    "| table": lambda n: ("|a|b|\n|-|-|\n" + "|[x|*y|\n" * n)[:n],
    "list": lambda n: ("- " * 5 + "a\n") * (n // 12),
    '![a](b "': '![a](b "', "![a]( ": lambda n: "![a](" + " " * n,
    "``` runs": lambda n: "".join("`" * k + "a" for k in range(1, int((2 * n) ** 0.5) + 2))[:n],
    "[[a]](": "[[a]](",
    # Blocks just under the reader's limits, one after another: the whole body must stay cheap.
    "[ blocks": "[" * 1400 + "\n\n", "[[[[ tiny": "[[[[\n\n", "[a]( blocks": "[a](" * 300 + "\n\n",
    "<a blocks": "<a " * 2300 + "\n\n", "*a_ blocks": "*a_" * 3500 + "\n\n",
    "> blocks": ">" * 7000 + "\n\n", "table 300": "|a|[b|*c|\n|-|-|-|\n" + "|[x|*y|<z|\n" * 300 + "\n",
}
STAGES = ("read", "photos", "relate", "search", "render")
HEADER = "---\ntitle: Bài thử\ndate: 2022-01-13 08:30\nauthor: Xuân Nghiệp\nlocation: Ba Bể\n---\n\n"


def body(name: str, size: int) -> str:
    unit = PAYLOADS[name]
    if callable(unit):
        return unit(size)
    return (unit * (size // len(unit) + 1))[:size]


def _site():
    import yaml
    from toasoan.core.config import SiteConfig
    cfg = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    return SiteConfig.from_dict(cfg["extra"]["bulletin"])


_config = None


def preload() -> None:
    """Import every stage's modules once, before the children fork: not timed."""
    global _config
    import markdown  # noqa: F401
    from mkdocs.config import load_config
    import toasoan.photos.figures, toasoan.meta, toasoan.photos, toasoan.reader, toasoan.terms  # noqa: F401,E401
    import toasoan.reading.plain, toasoan.search.tokens  # noqa: F401,E401
    _config = load_config(str(REPO / "mkdocs.yml"))


def _markdown():
    """Python-Markdown configured as `mkdocs build` configures it for an article."""
    import markdown
    from toasoan.photos.figures import FigureExtension
    cfg = _config
    return markdown.Markdown(extensions=[*cfg.markdown_extensions, FigureExtension(find=lambda src: None)],
                             extension_configs=cfg.mdx_configs)


def run_stage(stage: str, text: str) -> str:
    """Run one stage on one body; returns a short note ('' or 'refused')."""
    from toasoan.core.problems import Problems
    if stage == "read":
        from toasoan.reading.reader import read_article
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "a.md"
            path.write_text(HEADER + text, encoding="utf-8")
            site = _site()
            problems = Problems()
            article = read_article(path, "a.md", site, datetime.now(site.tz), problems)
            return "refused" if article is None else ""
    if stage == "photos":
        from toasoan.publishing.meta import lead_image
        from toasoan.core.model import Article
        from toasoan.reading.photorefs import find_refs
        find_refs(text, 7)
        lead_image(Article(Path("a.md"), "a.md", "t", datetime.now(), [], "", "a", text, 7))
        return ""
    if stage == "relate":
        from toasoan.core.model import Article
        from toasoan.related.terms import features
        features(Article(Path("a.md"), "a.md", "t", datetime.now(), [], "", "a", text, 7))
        return ""
    if stage == "search":
        from toasoan.reading.plain import plain_text
        from toasoan.search.tokens import exact_terms
        exact_terms(plain_text(text))
        return ""
    if stage == "render":
        _markdown().convert(text)
        return ""
    raise ValueError(stage)


def _child(stage: str, text: str, out) -> None:
    started = time.perf_counter()
    note = run_stage(stage, text)
    out.send((time.perf_counter() - started, note))


def timed(stage: str, text: str, timeout: float) -> tuple[float | None, str]:
    """Seconds of one stage in a child process (None when stopped at ``timeout``)."""
    recv, send = mp.Pipe(duplex=False)
    proc = mp.get_context("fork").Process(target=_child, args=(stage, text, send))
    proc.start()
    if recv.poll(timeout):
        seconds, note = recv.recv()
        proc.join()
        return seconds, note
    proc.kill()
    proc.join()
    return None, ""


def timed_build(text: str, timeout: float) -> str:
    """A whole `mkdocs build` of a site holding this one article."""
    import yaml
    from sitebuild import config
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "articles").mkdir()
        (root / "articles" / "a.md").write_text(HEADER + text, encoding="utf-8")
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config(root), allow_unicode=True), encoding="utf-8")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": "2026-11-25 12:00"}
        started = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
                                  cwd=root, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return f">{timeout:g}"
        seconds = time.perf_counter() - started
        return f"{seconds:.1f}" + ("" if proc.returncode == 0 else " refused")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="150,1000", help="body sizes in KB (default 150,1000)")
    parser.add_argument("--only", default="", help="payload names, comma-separated (default: all)")
    parser.add_argument("--stages", default=",".join(STAGES))
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds before a stage is stopped")
    parser.add_argument("--build", action="store_true", help="also time a whole mkdocs build per payload")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or list(PAYLOADS)
    preload()
    stages = [s for s in args.stages.split(",") if s]
    cols = stages + (["build"] if args.build else [])
    print(f"{'payload':>10} {'KB':>5} " + " ".join(f"{c:>13}" for c in cols), flush=True)
    for kb in (int(s) for s in args.sizes.split(",")):
        for name in names:
            text = body(name, kb * 1000)
            cells, refused = [], False
            for stage in stages:
                if stage == "render" and refused:
                    cells.append("(refused)")
                    continue
                seconds, note = timed(stage, text, args.timeout)
                refused = refused or note == "refused"
                cells.append(f">{args.timeout:g}" if seconds is None else f"{seconds:.2f}" + (" refused" if note else ""))
            if args.build:
                cells.append(timed_build(text, max(args.timeout, 60)))
            print(f"{name:>10} {kb:>5} " + " ".join(f"{c:>13}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
