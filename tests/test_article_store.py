"""The hourly build's store of articles read: unchanged files are not parsed again,
and what comes out of the store is what reading the file gives."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from pathlib import Path

import sitebuild
from sitebuild import article
from toasoan.core.config import SiteConfig
from toasoan.core.model import PUBLISHED, SCHEDULED
from toasoan.reading.reader import read_all
from toasoan.reading.stored import ArticleStore

SITE = SiteConfig.from_dict({"sections": [{"slug": "thoi-su", "name": "Thời sự"}, "Văn hóa"]})
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=SITE.tz)

FILES = {
    "2026/a.md": article(title="Hội nghị Ban Chấp hành", author=["Minh Đức", "Hoàng Anh"], category="thoi su",
                         tags=["Đảng", "hội nghị"], updated="2022-01-14 10:00", related=["b"]),
    "2026/b.md": article(title="B", date="2026-11-26 08:00", slug="b", summary="Tóm tắt viết sẵn."),
    # A warning (an unknown field) and an article that cannot be used: both said on every build.
    "2026/c.md": "---\ntitle: C\ndate: 2026-01-01 08:00\nauthor: X\nlocation: Y\nmau: do\n---\nThân.\n",
    "2026/d.md": "---\ntitle: D\ndate: không rõ\nauthor: X\nlocation: Y\n---\nThân.\n",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _read(root: Path, store_path: Path, now=NOW, key="k"):
    store = ArticleStore(store_path, key)
    articles, problems = read_all(root / "articles", SITE, now, store)
    store.save()
    return store, articles, problems


def _fields(articles):
    return [{**dataclasses.asdict(a), "date_tz": a.date.tzinfo, "url": a.url} for a in articles]


def test_articles_from_the_store_are_the_articles_read(tmp_path):
    _write(tmp_path / "articles", FILES)
    plain, plain_problems = read_all(tmp_path / "articles", SITE, NOW)
    store_path = tmp_path / "articles.bin"
    first, articles, problems = _read(tmp_path, store_path)
    assert (first.hits, first.made) == (0, 4)
    again, cached, cached_problems = _read(tmp_path, store_path)
    assert (again.hits, again.made) == (4, 0), "nothing changed: nothing parsed"
    assert _fields(cached) == _fields(articles) == _fields(plain)
    assert cached_problems.items == problems.items == plain_problems.items
    assert any("mau" in p.message for p in cached_problems.warnings)
    assert any(p.path.endswith("d.md") for p in cached_problems.errors)


def test_an_edited_article_is_read_again_and_a_deleted_one_forgotten(tmp_path):
    _write(tmp_path / "articles", FILES)
    store_path = tmp_path / "articles.bin"
    _read(tmp_path, store_path)
    _write(tmp_path / "articles", {"2026/a.md": FILES["2026/a.md"].replace("Hội nghị", "Đại hội")})
    (tmp_path / "articles" / "2026" / "c.md").unlink()
    store, articles, _ = _read(tmp_path, store_path)
    assert (store.hits, store.made) == (2, 1)
    assert {a.title for a in articles} == {"Đại hội Ban Chấp hành", "B"}
    store, _, _ = _read(tmp_path, store_path)
    assert (store.loaded, store.hits, store.made) == (3, 3, 0), "c.md's record is gone"


def test_the_status_follows_the_clock_not_the_store(tmp_path):
    _write(tmp_path / "articles", FILES)
    store_path = tmp_path / "articles.bin"
    _, articles, _ = _read(tmp_path, store_path)
    assert {a.slug: a.status for a in articles}["b"] == SCHEDULED
    later = datetime(2026, 11, 27, 12, 0, tzinfo=SITE.tz)
    store, articles, _ = _read(tmp_path, store_path, now=later)
    assert store.hits == 4 and {a.slug: a.status for a in articles}["b"] == PUBLISHED


def test_a_store_of_another_generator_or_settings_or_damaged_is_ignored(tmp_path):
    _write(tmp_path / "articles", FILES)
    store_path = tmp_path / "articles.bin"
    _read(tmp_path, store_path, key="k")
    store, _, _ = _read(tmp_path, store_path, key="other")
    assert (store.loaded, store.made) == (0, 4)
    # One record altered: that article is read again; the file cut short: the whole records stay.
    blob = bytearray(store_path.read_bytes())
    blob[-10] ^= 0x40
    store_path.write_bytes(bytes(blob))
    store, articles, _ = _read(tmp_path, store_path, key="other")
    assert (store.hits, store.made) == (3, 1) and len(articles) == 3
    store_path.write_bytes(store_path.read_bytes()[:-10])
    store, articles, _ = _read(tmp_path, store_path, key="other")
    assert store.made == 1 and len(articles) == 3


def _reading(log: str) -> tuple[int, int]:
    found = re.search(r"Bộ nhớ đệm bài viết: dùng lại (\d+) bài đã đọc, đọc mới (\d+) bài", log)
    assert found, log
    return int(found.group(1)), int(found.group(2))


def test_the_hourly_build_reads_only_new_and_edited_articles_and_settings_read_all_again(tmp_path):
    files = {f"2026/bai-{i}.md": article(title=f"Bài {i}", date=f"2026-11-{10 + i:02d} 08:00",
                                         category="Kinh tế") for i in range(1, 5)}
    env = {"TOASOAN_NOW": "2026-11-25 12:00"}
    built = sitebuild.build(tmp_path, files, env=env)
    assert built.returncode == 0, built.log
    assert _reading(built.log) == (0, 4)
    files = {"2026/bai-2.md": files["2026/bai-2.md"].replace("Bài 2", "Bài hai"),
             "2026/moi.md": article(title="Bài mới", date="2026-11-24 08:00", category="Kinh tế")}
    built = sitebuild.build(tmp_path, files, env=env)
    assert built.returncode == 0, built.log
    assert _reading(built.log) == (3, 2)
    assert "Bài hai" in (tmp_path / "site" / "2026" / "11" / "bai-hai" / "index.html").read_text("utf-8")
    # Another section list: an article's section may read otherwise, so every file is read again.
    cfg = sitebuild.config(tmp_path, sections=["Kinh tế", "Xã hội"])
    built = sitebuild.build(tmp_path, {}, env=env, cfg=cfg)
    assert built.returncode == 0, built.log
    assert _reading(built.log) == (0, 5)
    # Without the cache, no store is read or written.
    built = sitebuild.build(tmp_path, {}, env={**env, "TOASOAN_PAGE_CACHE": "0"}, cfg=cfg)
    assert built.returncode == 0 and "Bộ nhớ đệm bài viết" not in built.log
