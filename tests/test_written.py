"""Pages let go of their Markdown and HTML once written (toasoan.mkdocs.written).

MkDocs keeps every page's rendered HTML until the build ends; at 100,000 articles
that is hundreds of megabytes. The build runs in this process, as in
tests/test_state.py, and MkDocs' own page writer is wrapped only to see the
Page objects it writes.
"""

from pathlib import Path

import mkdocs.commands.build as mkdocs_build
import yaml
from mkdocs.config import load_config

import sitebuild
from sitebuild import article

TITLE = "Phiên chợ vùng cao Chợ Đồn"
BODY = "Sáng sớm, đồng bào các dân tộc **xuống chợ** từ khắp các bản.\n\n## Hàng hoá\n\nMiến dong, mật ong."


def _build(tmp_path: Path, monkeypatch, command: str) -> list:
    path = tmp_path / "articles" / "2022" / "cho.md"
    path.parent.mkdir(parents=True)
    path.write_text(article(title=TITLE, category="Xã hội", body=BODY), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        yaml.safe_dump(sitebuild.config(tmp_path), allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("TOASOAN_NOW", "2026-11-25 12:00")
    monkeypatch.delenv("TOASOAN_PREVIEW", raising=False)
    monkeypatch.chdir(tmp_path)
    written = []
    real = mkdocs_build._build_page

    def build_page(page, *args, **kwargs):
        real(page, *args, **kwargs)
        written.append(page)

    monkeypatch.setattr(mkdocs_build, "_build_page", build_page)
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"), strict=True)
    config.plugins.on_startup(command=command, dirty=False)
    try:
        mkdocs_build.build(config)
    finally:
        config.plugins.on_shutdown()
    return written


def test_a_written_page_keeps_no_markdown_or_html(tmp_path, monkeypatch):
    pages = _build(tmp_path, monkeypatch, "build")
    story = next(p for p in pages if p.title == TITLE)   # the title survives
    html = (tmp_path / "site" / story.file.dest_uri).read_text(encoding="utf-8")
    assert "<strong>xuống chợ</strong>" in html and "Miến dong, mật ong." in html
    assert story.markdown == "" and story.content == "" and not story.toc.items
    assert len(pages) > 5 and all(p.content == "" and p.markdown == "" for p in pages)
    assert "hang-hoa" in story.present_anchor_ids   # MkDocs still checks links to its anchors


def test_serve_keeps_them(tmp_path, monkeypatch):
    pages = _build(tmp_path, monkeypatch, "serve")
    story = next(p for p in pages if p.title == TITLE)
    assert "Miến dong, mật ong." in story.content and "Hàng hoá" in story.markdown
