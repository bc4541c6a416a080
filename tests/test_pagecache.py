"""The page cache: after every kind of edit, a build with the cache writes the same site/ as one without.

Each step builds the same folder twice with the real ``mkdocs build``: once with
the cache (``.cache/pages`` carried from step to step, as CI carries it) and
once with ``TOASOAN_PAGE_CACHE=0`` into another folder; the two trees must be
identical, byte for byte (the manifest's build time aside).
"""

from __future__ import annotations

import os
import shutil
import hashlib
import re
import zlib
from pathlib import Path

import pytest
import yaml

import sitebuild
from sitebuild import article
from test_images import camera_jpeg

NOW = "2026-11-25 12:00"


def _articles() -> dict[str, str]:
    files = {
        f"2026/bai-{i}.md": article(title=f"Nông thôn mới ở Ba Bể, kỳ {i}", date=f"2026-11-{10 + i:02d} 08:00",
                                    category="Kinh tế", tags=["nông thôn mới"] + (["OCOP"] if i % 2 else []),
                                    body=f"Bài số {i} về nông thôn mới và sản phẩm OCOP ở Ba Bể.\n\nĐoạn hai.")
        for i in range(1, 7)}
    files["2026/co-anh.md"] = article(
        title="Lễ hội hồ Ba Bể có ảnh", date="2026-11-09 07:00", category="Văn hóa", tags=["nông thôn mới"],
        body='![Hồ Ba Bể](2026/11/ho.jpg "Hồ Ba Bể mùa thu. Ảnh: Xuân Nghiệp")\n\nLễ hội trên hồ.')
    files["2026/hen-gio.md"] = article(title="Bài hẹn giờ về OCOP", date="2026-11-25 15:00",
                                       category="Kinh tế", tags=["OCOP"], body="Đăng lúc 15 giờ.")
    return files


def _images() -> dict[str, bytes]:
    return {"2026/11/ho.jpg": camera_jpeg(900, 600)}


def _build(root: Path, *, cache: bool, now: str = NOW, files=None, images=None, strict=True, **bulletin):
    """Build root's articles: with the cache into root/site, without it into root/plain."""
    cfg = sitebuild.config(root, **bulletin)
    if not cache:
        cfg["site_dir"] = str(root / "plain")
    built = sitebuild.build(root, files or {}, images=images, cfg=cfg, strict=strict,
                            env={"TOASOAN_NOW": now, "TOASOAN_PAGE_CACHE": "1" if cache else "0"})
    assert built.returncode == 0, built.log
    return built


def _step(root: Path, **kwargs) -> tuple[int, int]:
    """Build with and without the cache; the trees must match. Returns (pages reused, pages rendered)."""
    cached = _build(root, cache=True, **kwargs)
    kwargs.pop("files", None), kwargs.pop("images", None)
    _build(root, cache=False, **kwargs)
    assert sitebuild.tree_differences(root / "site", root / "plain") == []
    found = re.search(r"Bộ nhớ đệm trang: dùng lại (\d+) trang, dựng mới và lưu (\d+)", cached.log)
    assert found, cached.log
    return int(found.group(1)), int(found.group(2))


def test_every_kind_of_edit_gives_the_site_a_build_without_cache_gives(tmp_path):
    reused, rendered = _step(tmp_path, files=_articles(), images=_images())
    assert reused == 0 and rendered > 20
    reused, rendered = _step(tmp_path)
    assert rendered == 0 and reused > 20, "nothing changed: every page comes from the cache"
    everything = reused

    # New, changed title (it shows in other articles' lists), changed body, deleted.
    art = tmp_path / "articles" / "2026"
    (art / "bai-6.md").unlink()
    (art / "bai-2.md").write_text(_articles()["2026/bai-2.md"].replace("kỳ 2", "kỳ hai"), encoding="utf-8")
    (art / "bai-3.md").write_text(_articles()["2026/bai-3.md"].replace("Đoạn hai.", "Đoạn hai, đã sửa."),
                                  encoding="utf-8")
    new = article(title="Sản phẩm OCOP mới của Chợ Đồn", date="2026-11-24 09:00", category="Kinh tế",
                  tags=["OCOP"], body="Bài mới.")
    reused, rendered = _step(tmp_path, files={"2026/moi.md": new})
    assert 0 < reused < everything and rendered > 0
    html = (tmp_path / "site" / "2026" / "11" / "nong-thon-moi-o-ba-be-ky-1" / "index.html").read_text("utf-8")
    assert "kỳ hai" in html and "Sản phẩm OCOP mới" in html   # its lists show the edits

    # The same photo path with another picture: the page that shows it is made again.
    (tmp_path / "images" / "2026" / "11" / "ho.jpg").write_bytes(camera_jpeg(700, 500))
    reused, rendered = _step(tmp_path)
    assert rendered > 0 and reused > 0

    # The scheduled article is due: it appears, and the lists that now show it change.
    assert not (tmp_path / "site" / "2026" / "11" / "bai-hen-gio-ve-ocop").exists()
    reused, rendered = _step(tmp_path, now="2026-11-25 15:30")
    assert (tmp_path / "site" / "2026" / "11" / "bai-hen-gio-ve-ocop" / "index.html").exists()
    assert rendered > 0 and reused > 0

    # A setting every page shows: nothing is reused.
    reused, rendered = _step(tmp_path, now="2026-11-25 15:30", section_count=2)
    assert reused == 0 and rendered > 20


def test_a_new_article_leaves_the_older_pages_of_its_listings_as_they_were(tmp_path):
    # 13 articles in one section, tag, author and place, 3 a page: pages 1-3 hold the oldest
    # 9 and each list's own address the newest 4. One more changes that newest page only
    # (numbered from the newest, it would shift all four pages of four lists).
    # It is posted on a day that has articles already, as most are: a new day adds a link
    # to every page of its month (once a day).
    files = {f"2026/tin-{i}.md": article(title=f"Tin xã Quảng Khê số {i}", date=f"2026-10-{i + 1:02d} 08:00",
                                         author="Minh Đức", location="Ba Bể", category="Kinh tế", tags=["OCOP"],
                                         body=f"Bài số {i} về sản phẩm OCOP của xã.")
             for i in range(13)}
    _step(tmp_path, files=files, page_size=3)
    site = tmp_path / "site"
    older = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("trang/*/index.html")}
    assert sorted(older) == sorted(f"{base}trang/{n}/index.html" for n in (1, 2, 3) for base in
                                   ("kinh-te/", "chu-de/ocop/", "tac-gia/minh-duc/", "dia-phuong/ba-be/"))
    (tmp_path / "articles/2026/tin-moi.md").write_text(article(
        title="Tin xã Quảng Khê mới nhất", date="2026-10-13 10:00", author="Minh Đức", location="Ba Bể",
        category="Kinh tế", tags=["OCOP"], body="Bài mới về sản phẩm OCOP của xã."), encoding="utf-8")
    reused, rendered = _step(tmp_path, page_size=3)
    assert {name: (site / name).read_bytes() for name in older} == older
    # Rendered again: the new article, the four lists' newest pages, its day, its month and its
    # year (their counts; the home page and the calendar are always rendered): the rest is cached.
    assert rendered == 8, (reused, rendered)


def test_a_template_of_the_site_changes_every_page(tmp_path):
    _build(tmp_path, cache=True, files=_articles(), images=_images())
    overrides = tmp_path / "overrides" / "partials"
    overrides.mkdir(parents=True)
    footer = (sitebuild.REPO / "toasoan" / "mkdocs" / "theme" / "partials" / "footer.html").read_text("utf-8")
    (overrides / "footer.html").write_text(footer.replace("Lên đầu trang", "Về đầu trang"), encoding="utf-8")
    cfg = sitebuild.config(tmp_path)
    cfg["theme"]["custom_dir"] = str(tmp_path / "overrides")
    built = sitebuild.build(tmp_path, {}, cfg=cfg, env={"TOASOAN_PAGE_CACHE": "1"})
    assert built.returncode == 0, built.log
    assert "dùng lại 0 trang" in built.log
    assert "Về đầu trang" in built.html("2026/11/nong-thon-moi-o-ba-be-ky-1/")


def _entries(root: Path) -> list[Path]:
    """The page entries, ``<site key>/<2 chars>/<page key>`` (the stores beside them aside)."""
    pages = root / ".cache" / "pages"
    return sorted(p for p in pages.rglob("*") if p.is_file() and len(p.relative_to(pages).parts) == 3)


def _reused_terms(log: str) -> int:
    found = re.search(r"Tìm kiếm: .*dùng lại từ của (\d+) bài", log)
    assert found, log
    return int(found.group(1))


def test_the_search_index_makes_terms_of_new_and_edited_articles_only(tmp_path):
    built = _build(tmp_path, cache=True, files=_articles(), images=_images())
    assert _reused_terms(built.log) == 0
    store = next((tmp_path / ".cache" / "pages").rglob("search-terms.bin"))
    art = tmp_path / "articles" / "2026"
    (art / "bai-3.md").write_text(_articles()["2026/bai-3.md"].replace("Đoạn hai.", "Đoạn hai về chè Shan tuyết."),
                                  encoding="utf-8")
    (art / "bai-6.md").unlink()
    new = article(title="Chè Shan tuyết Chợ Đồn", date="2026-11-24 09:00", category="Kinh tế", body="Bài mới.")
    built = _build(tmp_path, cache=True, files={"2026/moi.md": new})
    _build(tmp_path, cache=False)
    assert sitebuild.tree_differences(tmp_path / "site", tmp_path / "plain") == []
    shown = 7   # the scheduled article is not shown yet; one deleted, one added
    assert _reused_terms(built.log) == shown - 2, "all but the new and the edited article"

    # A damaged store costs time, never a wrong index: one record altered, then the file cut short.
    blob = bytearray(store.read_bytes())
    blob[len(blob) // 2] ^= 0x40
    store.write_bytes(bytes(blob))
    (art / "bai-4.md").write_text(_articles()["2026/bai-4.md"].replace("Đoạn hai.", "Đoạn ba."), encoding="utf-8")
    _step(tmp_path)
    store.write_bytes(store.read_bytes()[: len(blob) // 3])
    (art / "bai-5.md").write_text(_articles()["2026/bai-5.md"].replace("Đoạn hai.", "Đoạn bốn."), encoding="utf-8")
    _step(tmp_path)
    store.write_bytes(b"not a store")
    _step(tmp_path)
    chunks = sorted((tmp_path / "site" / "search" / "d").glob("*.json"), key=lambda p: int(p.stem))
    assert "Chè Shan tuyết" in chunks[-1].read_text("utf-8")   # the newest article: the highest id


def _poisoned(html: str) -> bytes:
    """An entry that passes the check: what a cache of another version could hold."""
    data = html.encode()
    return hashlib.sha256(data).digest() + zlib.compress(data)


def test_a_cache_from_another_version_or_settings_is_ignored_and_removed(tmp_path):
    _build(tmp_path, cache=True, files=_articles(), images=_images())
    entries = _entries(tmp_path)
    assert len(entries) > 20
    for entry in entries:
        entry.write_bytes(_poisoned("<p>TRANG CŨ</p>"))
    folder = entries[0].parent.parent
    other = folder.with_name("0" * len(folder.name))   # another site key: generator, templates or settings
    folder.rename(other)
    built = _build(tmp_path, cache=True)
    assert "dùng lại 0 trang" in built.log
    assert not other.exists()
    assert not any("TRANG CŨ" in p.read_text("utf-8") for p in (tmp_path / "site").rglob("*.html"))


def test_a_damaged_entry_is_never_published(tmp_path):
    _build(tmp_path, cache=True, files=_articles(), images=_images())
    entries = _entries(tmp_path)
    for i, entry in enumerate(entries):
        blob = entry.read_bytes()
        if i % 3 == 0:
            entry.write_bytes(blob[: len(blob) // 2])                   # cut short
        elif i % 3 == 1:
            entry.write_bytes(blob[:32] + zlib.compress(b"<p>SAI</p>"))  # content that does not match its hash
        else:
            entry.write_bytes(blob[:40] + bytes([blob[40] ^ 1]) + blob[41:])  # one bit flipped
    _build(tmp_path, cache=False)
    built = _build(tmp_path, cache=True)
    assert f"{len(entries)} bản hỏng" in built.log
    assert sitebuild.tree_differences(tmp_path / "site", tmp_path / "plain") == []


def test_a_page_that_warned_is_rendered_again_and_warns_again(tmp_path):
    files = _articles()
    files["2026/nhung.md"] = article(title="Bài trùng id", date="2026-11-20 08:00",
                                     body='Đoạn một.\n\n<p id="dau-trang">Đoạn hai.</p>')
    first = _build(tmp_path, cache=True, files=files, images=_images(), strict=False)
    second = _build(tmp_path, cache=True, strict=False)
    for built in (first, second):
        assert "2026/nhung.md:10: cảnh báo: đã bỏ mã định danh (id) 'dau-trang'" in built.log, built.log


@pytest.mark.parametrize("workflow", [".github/workflows/site.yml",
                                      "toasoan/tools/site_template/.github/workflows/site.yml"])
def test_ci_carries_the_page_cache_between_runs(workflow):
    """The sample's and every new province's workflow restore .cache/pages before the build."""
    steps = yaml.safe_load((sitebuild.REPO / workflow).read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    [at] = [i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@")
            and s["with"]["path"] == ".cache/pages"]
    # A new key each run (an entry cannot be updated); the latest one is restored by prefix.
    assert "github.run_id" in steps[at]["with"]["key"] and steps[at]["with"]["restore-keys"] == "pages-"
    assert at < next(i for i, s in enumerate(steps) if "mkdocs build" in s.get("run", ""))


def test_links_and_special_files_in_the_cache_never_reach_outside_it(tmp_path):
    """A cache folder restored by CI or copied by hand may hold links and FIFOs: the build neither
    hangs on them, nor publishes through them, nor deletes what a link points at."""
    _build(tmp_path, cache=True, files=_articles(), images=_images())
    entries = _entries(tmp_path)
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "quan-trong.txt").write_text("tệp của người khác", encoding="utf-8")
    # A whole sub-folder replaced by a link to a folder outside the cache.
    sub = entries[0].parent
    shutil.rmtree(sub)
    sub.symlink_to(outside, target_is_directory=True)
    others = [e for e in entries if e.parent != sub]
    # An entry that is a FIFO (a plain read waits for a writer forever), one a link to a device.
    others[0].unlink()
    os.mkfifo(others[0])
    others[1].unlink()
    others[1].symlink_to("/dev/zero")
    cfg = sitebuild.config(tmp_path)
    built = sitebuild.build(tmp_path, {}, cfg=cfg, timeout=300,
                            env={"TOASOAN_NOW": NOW, "TOASOAN_PAGE_CACHE": "1"})
    assert built.returncode == 0, built.log
    assert (outside / "quan-trong.txt").read_text(encoding="utf-8") == "tệp của người khác"
    assert [p.name for p in outside.iterdir()] == ["quan-trong.txt"]   # nothing written through the link
    _build(tmp_path, cache=False)
    assert sitebuild.tree_differences(tmp_path / "site", tmp_path / "plain") == []
    # The next build finds plain entries only.
    left = list((tmp_path / ".cache" / "pages").rglob("*"))
    assert not any(p.is_symlink() or not (p.is_file() or p.is_dir()) for p in left), left


def test_settings_from_an_inherited_file_or_the_environment_change_the_pages(tmp_path):
    """mkdocs.yml may take settings from ``INHERIT:`` or ``!ENV``: its own bytes do not change then."""
    cfg = sitebuild.config(tmp_path)
    cfg.pop("copyright", None)
    cfg["INHERIT"] = "chung.yml"
    (tmp_path / "chung.yml").write_text("copyright: Bản quyền của tỉnh, năm 2026\n", encoding="utf-8")
    env = {"TOASOAN_NOW": NOW, "TOASOAN_PAGE_CACHE": "1"}
    built = sitebuild.build(tmp_path, _articles(), images=_images(), cfg=cfg, env=env)
    assert built.returncode == 0, built.log
    assert "năm 2026" in built.html("2026/11/nong-thon-moi-o-ba-be-ky-1/")
    (tmp_path / "chung.yml").write_text("copyright: Bản quyền của tỉnh, năm 2027\n", encoding="utf-8")
    built = sitebuild.build(tmp_path, {}, cfg=cfg, env=env)
    assert built.returncode == 0, built.log
    assert "năm 2027" in built.html("2026/11/nong-thon-moi-o-ba-be-ky-1/")
    assert "dùng lại 0 trang" in built.log


def _reused_related(log: str) -> int:
    found = re.search(r"Xem thêm: \d+ bài, dùng lại từ của (\d+) bài", log)
    assert found, log
    return int(found.group(1))


def test_related_terms_are_kept_for_unchanged_articles_even_when_a_setting_changes(tmp_path):
    """related-terms.bin lies beside the site-key folders: a new setting renders every
    page again but tokenises only the edited article for "Xem thêm"."""
    built = _build(tmp_path, cache=True, files=_articles(), images=_images())
    assert _reused_related(built.log) == 0
    assert (tmp_path / ".cache" / "pages" / "related-terms.bin").is_file()
    art = tmp_path / "articles" / "2026"
    (art / "bai-3.md").write_text(_articles()["2026/bai-3.md"].replace("Đoạn hai.", "Đoạn hai về chè."),
                                  encoding="utf-8")
    built = _build(tmp_path, cache=True, section_count=2)
    _build(tmp_path, cache=False, section_count=2)
    assert sitebuild.tree_differences(tmp_path / "site", tmp_path / "plain") == []
    published = 7   # the scheduled article is not in the pool
    assert _reused_related(built.log) == published - 1
    assert "dùng lại 0 trang" in built.log
