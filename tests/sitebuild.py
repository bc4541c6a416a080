"""Build real sites from fixture articles with the real `mkdocs build`."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "site"


@dataclass
class Built:
    root: Path
    returncode: int
    log: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    def html(self, url: str) -> str:
        """The HTML of a page by its site URL, e.g. '2022/01/slug/'."""
        path = self.site / url.strip("/") / "index.html" if not url.endswith(".html") else self.site / url
        return path.read_text(encoding="utf-8")

    def exists(self, url: str) -> bool:
        return (self.site / url.strip("/") / "index.html").exists()


def article(title="Tiêu đề thử nghiệm", date="2022-01-13 08:30", author="Xuân Nghiệp",
            location="Ba Bể", body="Đoạn mở đầu của bài viết.\n\nĐoạn thứ hai.", **fields) -> str:
    """Markdown text of an article with the given front-matter fields."""
    meta = {"title": title, "date": date, "author": author, "location": location, **fields}
    lines = []
    for key, value in meta.items():
        if value is None:
            continue
        lines.append(f"{key}: {yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).strip().removesuffix('...').strip()}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body).strip() + "\n"


def config(root: Path, **bulletin) -> dict:
    """The tests' own site (tests/fixtures/site/mkdocs.yml), wired to the package as a province's is."""
    cfg = yaml.safe_load((FIXTURE / "mkdocs.yml").read_text(encoding="utf-8"))
    cfg["docs_dir"] = str(FIXTURE / "docs")
    cfg["site_dir"] = str(root / "site")
    cfg["hooks"] = [str(FIXTURE / h) for h in cfg.get("hooks", [])]
    cfg["watch"] = []
    cfg["extra"]["bulletin"].update(bulletin)
    return cfg


def build(root: Path, articles: dict[str, str | bytes], *, images: dict[str, bytes] | None = None,
          strict: bool = True, env: dict | None = None, cfg: dict | None = None,
          timeout: float | None = None, obey_permissions: bool = False, **bulletin) -> Built:
    """Write articles (path -> text) below root/articles and run `mkdocs build`.

    ``timeout`` (seconds) stops a build that hangs: the test fails instead of waiting.
    ``obey_permissions``: file modes bind the build even when the tests run as root (CI):
    the build runs without the capabilities that let root read every file.
    """
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in articles.items():
        path = root / "articles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    (root / "articles").mkdir(exist_ok=True)
    for rel, data in (images or {}).items():
        path = root / "images" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump(cfg or config(root, **bulletin), allow_unicode=True, sort_keys=False), encoding="utf-8")
    run_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": "2026-11-25 12:00", **(env or {})}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")]
    if obey_permissions and os.geteuid() == 0:
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    if strict:
        cmd.append("--strict")
    proc = subprocess.run(cmd, cwd=root, env=run_env, capture_output=True, text=True, timeout=timeout)
    return Built(root, proc.returncode, proc.stdout + proc.stderr)


def tree_differences(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two built sites (the manifest, which holds the build time, aside)."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files
                   if n != ".toasoan-manifest.json")
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(prefix + n for n in mismatch + errors if n != ".toasoan-manifest.json")
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")
    walk(filecmp.dircmp(a, b), "")
    return out
