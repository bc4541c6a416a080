"""The generator as a province gets it: a wheel in a fresh venv, `toasoan init`, an override that wins.

The wheel test installs the pinned requirements into a new virtual environment
(pip's cache makes that quick), then the wheel built from this checkout, and
works in a folder where the repository is out of reach.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "toasoan" / "tools" / "site_template"
GENERATOR_FILES = {".html", ".css", ".js", ".woff2", ".woff", ".ttf"}


def _run(cmd, cwd, env=None, timeout=600):
    proc = subprocess.run(cmd, cwd=cwd, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
                          capture_output=True, text=True, timeout=timeout)
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with the pinned requirements and the wheel of this checkout; returns its bin/."""
    root = tmp_path_factory.mktemp("wheel")
    wheels = root / "dist"
    # Built from a copy: setuptools writes build/ and *.egg-info/ beside the sources it builds.
    source = root / "source"
    shutil.copytree(REPO / "toasoan", source / "toasoan", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
                  "-q", "-w", str(wheels), str(source)], cwd=root)
    assert built.returncode == 0, built.stderr
    [wheel] = wheels.glob("toasoan-*.whl")
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    deps = _run(pip + ["-r", str(REPO / "requirements.txt")], cwd=root)
    assert deps.returncode == 0, deps.stderr
    own = _run(pip + ["--no-deps", str(wheel)], cwd=root)
    assert own.returncode == 0, own.stderr
    return env_dir / "bin"


@pytest.mark.slow
def test_a_province_builds_from_the_wheel_alone(installed, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    site = work / "bao-lao-cai"
    made = _run([str(installed / "toasoan"), "init", str(site), "--name", "Báo Lào Cai", "--province", "Lào Cai",
                 "--sections", "Thời sự, Kinh tế, Du lịch", "--places", "Sa Pa, Bắc Hà, Bảo Thắng"], cwd=work)
    assert made.returncode == 0, made.stderr
    # The installed package is what runs, not this checkout.
    where = _run([str(installed / "python"), "-c", "import toasoan; print(toasoan.__file__)"], cwd=work)
    assert str(REPO) not in where.stdout and "site-packages" in where.stdout
    article = site / "articles" / "2026" / "11" / "sa-pa-don-khach.md"
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_text("---\ntitle: Sa Pa đón những đoàn khách đầu mùa đông\ndate: 2026-11-20 08:30\n"
                       "author: Lò Văn Dũng\nlocation: sa pa\ncategory: Du lịch\n---\n\n"
                       "Những ngày cuối tháng 11, thị xã vùng cao đón nhiều đoàn khách.\n", encoding="utf-8")
    env = {"TOASOAN_NOW": "2026-11-25 12:00"}
    check = _run([str(installed / "toasoan"), "check", "--strict"], cwd=site, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    build = _run([str(installed / "mkdocs"), "build", "--strict"], cwd=site, env=env)
    assert build.returncode == 0, build.stderr
    page = (site / "site" / "2026" / "11" / "sa-pa-don-nhung-doan-khach-dau-mua-dong" / "index.html").read_text()
    assert "Báo Lào Cai" in page and "Sa Pa" in page and "ts-masthead" in page
    assert (site / "site" / "stylesheets" / "bulletin.css").is_file()      # from the package
    assert (site / "site" / "du-lich" / "index.html").is_file()
    assert (site / ".github" / "workflows" / "site.yml").is_file() and (site / ".gitignore").is_file()

    # The site's tree holds content and settings only: no generator code, templates, CSS, JS or fonts.
    own = [p.relative_to(site) for p in site.rglob("*") if p.is_file()
           and not p.relative_to(site).parts[0] in ("site", ".cache")]
    assert not [p for p in own if p.suffix in GENERATOR_FILES], own
    assert [p for p in own if p.suffix == ".py"] == [Path("hooks/wiring.py")]

    # A province overrides one partial: its file wins, the rest still comes from the package.
    (site / "docs" / "overrides" / "partials").mkdir(parents=True)
    (site / "docs" / "overrides" / "partials" / "footer.html").write_text(
        '<footer class="lao-cai-footer">Tòa soạn Báo Lào Cai — chân trang riêng</footer>\n', encoding="utf-8")
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    (site / "mkdocs.yml").write_text(config.replace("  # custom_dir: docs/overrides", "  custom_dir: docs/overrides"),
                                     encoding="utf-8")
    again = _run([str(installed / "mkdocs"), "build", "--strict"], cwd=site, env=env)
    assert again.returncode == 0, again.stderr
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert "chân trang riêng" in home and "ts-masthead" in home


def test_init_never_writes_into_an_existing_folder(tmp_path):
    (tmp_path / "bao").mkdir()
    (tmp_path / "bao" / "ghi-chu.txt").write_text("của tòa soạn", encoding="utf-8")
    proc = _run([sys.executable, "-m", "toasoan", "init", str(tmp_path / "bao"), "--name", "Báo A",
                 "--province", "Hà Giang"], cwd=REPO)
    assert proc.returncode == 1
    assert "đã có, không ghi đè — Cách sửa:" in proc.stderr
    assert [p.name for p in (tmp_path / "bao").iterdir()] == ["ghi-chu.txt"]
    assert not list(tmp_path.glob(".bao-*"))  # no half-made folder left beside it


def test_every_site_is_wired_the_same_way():
    """The sample, the tests' fixture and what `init` writes use the same two-line wiring."""
    wiring = (TEMPLATE / "hooks" / "wiring.py").read_text(encoding="utf-8")
    for site in (REPO, REPO / "tests" / "fixtures" / "site"):
        assert (site / "hooks" / "wiring.py").read_text(encoding="utf-8") == wiring
    assert "sys.path" not in wiring


def test_new_loads_no_pillow_or_numpy(tmp_path):
    """The reporter's quick commands start fast: `new` never imports the photo or ranking stages."""
    code = ("import sys, toasoan.tools.cli as c, toasoan.tools.newarticle;"
            "print(sorted(m for m in ('PIL', 'numpy', 'scipy', 'mkdocs') if m in sys.modules))")
    proc = _run([sys.executable, "-c", code], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
