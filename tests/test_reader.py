"""The reader on its own: front-matter, validation and problems, without MkDocs."""

import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from sitebuild import article
from toasoan.core.config import SiteConfig
from toasoan.core.model import DRAFT, PUBLISHED, SCHEDULED
from toasoan.reading.reader import first_paragraph, read_all

SITE = SiteConfig.from_dict({"sections": [{"slug": "thoi-su", "name": "Thời sự"}, "Văn hóa"]})
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=SITE.tz)


def read(tmp_path: Path, files: dict):
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return read_all(tmp_path, SITE, NOW)


def test_article_fields(tmp_path):
    [a], problems = read(tmp_path, {"a.md": article(
        title="Hội nghị  Ban Chấp hành", author=["Minh Đức", "Hoàng Anh"], category="thoi su",
        tags=["Đảng", "hội nghị"], updated="2022-01-14 10:00")})
    assert not problems.items
    assert a.title == "Hội nghị Ban Chấp hành"
    assert a.authors == ["Minh Đức", "Hoàng Anh"]
    assert a.section == "thoi-su"          # found by folded name
    assert a.date.isoformat() == "2022-01-13T08:30:00+07:00"
    assert a.updated.hour == 10
    assert a.url == "2022/01/hoi-nghi-ban-chap-hanh/"
    assert a.summary == "Đoạn mở đầu của bài viết." and not a.summary_given
    assert a.status == PUBLISHED


def test_status_draft_and_scheduled(tmp_path):
    articles, _ = read(tmp_path, {
        "a.md": article(title="Nháp", draft=True),
        "b.md": article(title="Sắp đăng", date="2026-11-25 12:30"),
        "c.md": article(title="Đã đăng", date="2026-11-25 11:59"),
    })
    assert {a.title: a.status for a in articles} == {"Nháp": DRAFT, "Sắp đăng": SCHEDULED, "Đã đăng": PUBLISHED}


def test_bom_crlf_and_nfd_are_normalised(tmp_path):
    text = unicodedata.normalize("NFD", article(title="Tổ chức hội nghị", location="Chợ Đồn"))
    [a], problems = read(tmp_path, {"a.md": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()})
    assert not problems.items
    assert a.title == "Tổ chức hội nghị" and unicodedata.is_normalized("NFC", a.body)
    assert a.location == "Chợ Đồn" and "\r" not in a.body


def test_every_problem_is_reported_with_its_line(tmp_path):
    articles, problems = read(tmp_path, {
        "yaml.md": "---\ntitle: Hai chấm: lỗi\ndate: 2022-01-13\n---\nThân bài\n",
        "missing.md": "---\ntitle: Thiếu tác giả\ndate: 2022-01-13 08:00\nlocation: Ba Bể\n---\nThân bài\n",
        "date.md": article(title="Ngày sai", date="13/01/2022 8h30"),
        "section.md": article(title="Chuyên mục lạ", category="Giải trí"),
        "latin1.md": article(title="Bảng mã").encode("utf-8").replace("Bảng".encode(), b"B\xe1ng"),
        "html.md": article(title="Có mã", body="Đoạn một.\n\n<script>alert(1)</script>"),
        "nofm.md": "Chỉ có thân bài\n",
        "related.md": article(title="Liên quan", related=["khong-co-bai-nay"]),
    })
    assert [a.title for a in articles] == ["Liên quan"]  # parses, but its link is broken
    found = {(p.path.rsplit("/", 1)[-1], p.line) for p in problems.errors}
    assert found == {
        ("yaml.md", 2), ("missing.md", 1), ("date.md", 3), ("section.md", 6),
        ("latin1.md", 2), ("html.md", 10), ("nofm.md", 1), ("related.md", 6),
    }
    assert all(p.fix for p in problems.errors)


def test_duplicate_slug_names_both_files(tmp_path):
    _, problems = read(tmp_path, {"2022/a.md": article(title="Cùng tên"),
                                  "2023/b.md": article(title="Cùng tên", date="2023-01-01")})
    [p] = problems.errors
    assert p.path.endswith("2023/b.md") and "2022/a.md" in p.message


def test_unknown_field_is_a_warning(tmp_path):
    _, problems = read(tmp_path, {"a.md": article(tittle="gõ nhầm")})
    assert not problems.errors
    assert [p.line for p in problems.warnings] == [6]


@pytest.mark.parametrize("body, summary", [
    ("# Tiêu đề phụ\n\nĐoạn **đầu** có [liên kết](x).\n\nĐoạn hai.", "Đoạn đầu có liên kết."),
    ('![ảnh](a.jpg "Chú thích")\n\nSau ảnh.', "Sau ảnh."),
])
def test_first_paragraph(body, summary):
    assert first_paragraph(body) == summary


def _names_of(build):
    return ([(a.rel_path, a.location, a.authors, a.tags) for a in build.articles],
            [str(p) for p in build.problems.sorted()])


def test_a_preview_redoes_the_names_only_when_an_articles_names_change(tmp_path):
    """The names stage's result is kept over a body edit and redone when authors change."""
    import os

    from toasoan.build import prepare
    from toasoan.reading.reader import ReadCache

    root = tmp_path / "bao"
    files = {"a.md": article(title="Bài một", author=["Hoàng Anh"], tags=["Nông nghiệp"]),
             "b.md": article(title="Bài hai", author=["hoang anh"], tags=["nông nghiệp"]),
             "c.md": article(title="Bài ba", author=["Minh Đức"])}
    for rel, text in files.items():
        (root / "articles" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "articles" / rel).write_text(text, encoding="utf-8")
    cache = ReadCache()
    first = prepare(root, SITE, preview=True, now=NOW, cache=cache)
    assert any("viết không dấu" in str(p) for p in first.problems.items)   # a problem the stage reports

    def save(rel, old, new):
        path = root / "articles" / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        os.utime(path, ns=(os.stat(path).st_mtime_ns + 10**9,) * 2)   # a new mtime even within one tick

    save("c.md", "Đoạn mở đầu", "Đoạn mở đầu đã sửa")
    kept = prepare(root, SITE, preview=True, now=NOW, cache=cache)
    assert kept.archive.names is first.archive.names                          # not redone…
    assert _names_of(kept) == _names_of(prepare(root, SITE, preview=True, now=NOW))   # …and the same

    save("c.md", "Minh Đức", "Hoàng Anh")
    redone = prepare(root, SITE, preview=True, now=NOW, cache=cache)
    assert redone.archive.names is not first.archive.names
    assert _names_of(redone) == _names_of(prepare(root, SITE, preview=True, now=NOW))
    assert [a.authors for a in redone.articles if a.rel_path == "c.md"] == [["Hoàng Anh"]]

    (root / "articles" / "b.md").unlink()
    gone = prepare(root, SITE, preview=True, now=NOW, cache=cache)
    assert _names_of(gone) == _names_of(prepare(root, SITE, preview=True, now=NOW))
    assert not any("viết không dấu" in str(p) for p in gone.problems.items)
