"""Two builds in one process share nothing: each gets its own state (toasoan.mkdocs.state).

The builds run in this process, as ``mkdocs build`` does (load_config, on_startup,
build, on_shutdown), one after another on two different sites: the first wired by
its hook file, the second by ``plugins: [toasoan]`` (another Plugin object), then
the first again (its Plugin object reused, as in ``mkdocs serve``).
"""

from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

import sitebuild
from sitebuild import article

A_TITLE, A_SLUG = "Lễ hội lồng tồng ở Ba Bể", "le-hoi-long-tong-o-ba-be"
B_TITLE, B_SLUG = "Phiên chợ vùng cao Chợ Đồn", "phien-cho-vung-cao-cho-don"


def _site(root: Path, articles: dict[str, str], name: str, url: str, by_plugin: bool) -> Path:
    for rel, text in articles.items():
        path = root / "articles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    cfg = sitebuild.config(root)
    cfg["site_name"], cfg["site_url"] = name, url
    if by_plugin:
        cfg.pop("hooks")
        cfg["plugins"] = ["toasoan"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root / "mkdocs.yml"


def _build(config_file: Path, monkeypatch) -> None:
    """What `mkdocs build --strict` does, in this process."""
    monkeypatch.chdir(config_file.parent)
    config = load_config(config_file=str(config_file), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def _text(site: Path) -> str:
    """Every text file of a built site, one string."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(site.rglob("*"))
                     if p.is_file() and p.suffix in {".html", ".xml", ".json", ".txt", ".js"})


def test_two_sites_built_in_one_process_share_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("TOASOAN_NOW", "2026-11-25 12:00")
    monkeypatch.delenv("TOASOAN_PREVIEW", raising=False)
    a = _site(tmp_path / "a", {
        "2022/a.md": article(title=A_TITLE, category="Văn hóa", tags=["lễ hội"]),
        "2022/a-nhap.md": article(title="Bài nháp của báo A", category="Văn hóa", draft=True),
    }, "Báo A", "https://a.example.org/", by_plugin=False)
    b = _site(tmp_path / "b", {
        "2023/b.md": article(title=B_TITLE, date="2023-03-02 07:00", category="Kinh tế", location="Chợ Đồn"),
    }, "Báo B", "https://b.example.org/tin/", by_plugin=True)

    _build(a, monkeypatch)
    site_a = tmp_path / "a" / "site"
    first_a = _text(site_a)
    assert A_TITLE in first_a and f"https://a.example.org/2022/01/{A_SLUG}/" in first_a
    assert "Bài nháp của báo A" not in first_a

    _build(b, monkeypatch)
    site_b = tmp_path / "b" / "site"
    text_b = _text(site_b)
    # B's pages, feeds, sitemap and search index hold B's article and B's identity only.
    assert B_TITLE in text_b and f"https://b.example.org/tin/2023/03/{B_SLUG}/" in text_b
    for leak in (A_TITLE, A_SLUG, "a.example.org", "Báo A", "le-hoi"):
        assert leak not in text_b, leak
    assert not (site_b / "2022").exists() and (site_b / "2023").is_dir()
    assert _text(site_a) == first_a   # B's build did not touch A's site

    # A again, its hook's Plugin object reused: a new article shows, nothing of B does.
    (tmp_path / "a" / "articles" / "2022" / "a2.md").write_text(
        article(title="Tin mới thứ hai của báo A", date="2022-02-01 09:00", category="Văn hóa"), encoding="utf-8")
    _build(a, monkeypatch)
    again = _text(site_a)
    assert A_TITLE in again and "Tin mới thứ hai của báo A" in again
    for leak in (B_TITLE, B_SLUG, "b.example.org", "Báo B"):
        assert leak not in again, leak
    assert not (site_a / "2023").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
    for root in (tmp_path / "a", tmp_path / "b"):   # no staging folder left beside site/
        assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []
