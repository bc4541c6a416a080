"""The settings in mkdocs.yml (extra.bulletin): typos, wrong types and renamed keys, in `check` and the build."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

import sitebuild
from toasoan.core.config import SiteConfig


def _site(tmp_path, **bulletin):
    root = tmp_path / "site"
    (root / "articles" / "2026" / "11").mkdir(parents=True)
    (root / "articles" / "2026" / "11" / "a.md").write_text(
        sitebuild.article(date="2026-11-20 08:00"), encoding="utf-8")
    cfg = sitebuild.config(root, **bulletin)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root, cfg


@pytest.mark.parametrize("bulletin, expected", [
    ({"page_szie": 10}, "cài đặt lạ 'page_szie' trong extra.bulletin (bị bỏ qua thì không ai biết) — Cách sửa: có phải 'page_size'?"),
    ({"related_count": "5"}, "'related_count' phải là một số nguyên dương, ví dụ 20, không phải '5'"),
    ({"page_size": 0}, "'page_size' phải là một số nguyên dương"),
    ({"timezone": "Asia/Ha_Noi"}, "múi giờ 'Asia/Ha_Noi' không có — Cách sửa: viết 'timezone: Asia/Ho_Chi_Minh'"),
    ({"embed_hosts": "video.example.vn"}, "'embed_hosts' phải là một danh sách [a, b]"),
    ({"publisher": "Báo A"}, "'publisher' phải là một khối các dòng 'tên: giá trị'"),
])
def test_each_mistake_is_one_line_at_its_line_of_mkdocs_yml(tmp_path, bulletin, expected):
    root, cfg = _site(tmp_path, **bulletin)
    key = next(iter(bulletin))
    line = next(n for n, l in enumerate((root / "mkdocs.yml").read_text(encoding="utf-8").split("\n"), 1)
                if l.strip().startswith(key + ":"))
    # `check` and the build say the same thing, at the same line, and both stop.
    check = subprocess.run([sys.executable, "-m", "toasoan", "check", "--root", str(root)],
                           capture_output=True, text=True, cwd=root)
    assert check.returncode == 1
    assert f"mkdocs.yml:{line}: lỗi: {expected}" in check.stdout, check.stdout
    built = sitebuild.build(root, {}, cfg=cfg)
    assert built.returncode == 1 and "Traceback" not in built.log
    assert f"mkdocs.yml:{line}: lỗi: {expected}" in built.log, built.log


def test_a_renamed_key_still_works_with_a_warning(tmp_path):
    places = [p if isinstance(p, str) else p["name"]
              for p in sitebuild.config(tmp_path)["extra"]["bulletin"]["places"]]
    root, cfg = _site(tmp_path)
    bulletin = cfg["extra"]["bulletin"]
    bulletin["districts"] = places
    del bulletin["places"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    relaxed = sitebuild.build(root, {}, cfg=cfg, strict=False)
    assert relaxed.returncode == 0, relaxed.log
    assert "cảnh báo: 'districts' là tên cũ của 'places' và sẽ bị bỏ" in relaxed.log
    assert sitebuild.build(root, {}, cfg=cfg).returncode == 1   # --strict (CI) asks for the new name


def test_every_setting_the_code_reads_is_known():
    """No false alarms: the fixture site and the sample use only known settings."""
    fixture = yaml.safe_load((sitebuild.FIXTURE / "mkdocs.yml").read_text(encoding="utf-8"))
    assert SiteConfig.from_dict(fixture["extra"]["bulletin"]).notes == []


def test_one_brand_colour_paints_the_page(tmp_path):
    built = sitebuild.build(tmp_path / "blue", {"2026/11/a.md": sitebuild.article(date="2026-11-20 08:00")},
                            brand_colour="#0B5394")
    assert built.returncode == 0, built.log
    home = built.html("")
    assert '<meta name="theme-color" content="#0B5394">' in home
    assert "--ts-bar:#0b5394;" in home and "--md-primary-fg-color--dark:#094276;" in home
    plain = sitebuild.build(tmp_path / "red", {"2026/11/a.md": sitebuild.article(date="2026-11-20 08:00")})
    assert '<meta name="theme-color" content="#b3141b">' in plain.html("") and "--ts-bar:" not in plain.html("")


@pytest.mark.parametrize("colour, why", [("#ffeeaa", "quá nhạt"), ("xanh", "dạng #rrggbb")])
def test_a_colour_nobody_could_read_is_refused(colour, why):
    site = SiteConfig.from_dict({"brand_colour": colour})
    assert [(level, key) for level, key, *_ in site.notes] == [("lỗi", "brand_colour")]
    assert why in site.notes[0][2] and site.brand_colour == "#b3141b"


def test_readme_lists_every_setting_as_the_code_has_it():
    from toasoan.core.config import EXTRA_SETTINGS, SETTINGS_DOC, settings_table
    readme = (sitebuild.REPO / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme
    fields = set(SiteConfig.__dataclass_fields__) - {"extra", "notes"}
    assert set(SETTINGS_DOC) == fields | set(EXTRA_SETTINGS)


def test_the_publication_has_one_name(tmp_path):
    """site_name is the name everywhere; the old per-block names still work, with a warning."""
    art = {"2026/11/a.md": sitebuild.article(date="2026-11-20 08:00")}
    one = sitebuild.build(tmp_path / "one", art)
    assert one.returncode == 0, one.log
    home, feed = one.html(""), (one.site / "feed.xml").read_text(encoding="utf-8")
    assert 'class="ts-masthead__name"><a href="." >Báo Thử Nghiệm</a>' in home or ">Báo Thử Nghiệm</a></h1>" in home
    assert re.search(r'<footer class="ts-footer">\s*<p>Báo Thử Nghiệm</p>', home) and "<title>Báo Thử Nghiệm</title>" in feed
    old = sitebuild.build(tmp_path / "old", art, strict=False, name="Tên khác")
    assert old.returncode == 0, old.log
    assert "cảnh báo: 'extra.bulletin.name' là tên cũ: tên của báo nay chỉ là site_name" in old.log
    assert sitebuild.build(tmp_path / "strict", art, name="Tên khác").returncode == 1
