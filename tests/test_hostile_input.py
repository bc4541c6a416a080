"""Input that must not hurt the build: YAML tricks, odd dates, empty names,
control characters, huge files and symlinks. Each is one Vietnamese line with
file:line and a fix; none is a traceback, a hang or a silent result."""

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

import sitebuild
from sitebuild import article
from toasoan.reading.archive import Archive
from toasoan.core.config import ConfigError, SiteConfig, load_site
from toasoan.reading.frontmatter import MAX_CHARS
from toasoan.tools.newarticle import NewArticleError, plan
from toasoan.reading.reader import read_all

SITE = SiteConfig.from_dict({"sections": [{"slug": "thoi-su", "name": "Thời sự"}], "max_article_kb": 4})
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=SITE.tz)

# Nine times nine, ten times over: 500 bytes that PyYAML expands into billions
# of values as soon as anything prints them (the old reader quoted the date in
# its error message: MemoryError after a minute).
ALIAS_BOMB = ("---\ntitle: Bom\nauthor: A\nlocation: Ba Bể\n"
              "a: &a [x, x, x, x, x, x, x, x, x]\n"
              + "".join(f"{k}: &{k} [{', '.join(['*' + p] * 9)}]\n"
                        for p, k in zip("abcdefgh", "bcdefghi"))
              + "date: *i\n---\nThân bài.\n")


def read(tmp_path: Path, files: dict, site: SiteConfig = SITE):
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return read_all(tmp_path, site, NOW)


def only_error(problems):
    """The single problem of a run, as (file name, line, message)."""
    [p] = problems.items
    assert p.level == "lỗi" and p.fix and "\n" not in str(p)
    return p.path.rsplit("/", 1)[-1], p.line, p.message


# --- YAML ----------------------------------------------------------------------

def test_alias_bomb_is_refused_at_once_in_one_short_line(tmp_path):
    start = time.monotonic()
    articles, problems = read(tmp_path, {"bom.md": ALIAS_BOMB})
    assert time.monotonic() - start < 1
    assert articles == []
    name, line, message = only_error(problems)
    assert (name, line) == ("bom.md", 5) and "neo hoặc bí danh" in message
    assert len(str(problems.items[0])) < 300


@pytest.mark.parametrize("yaml_line", ["author: &ten Xuân Nghiệp", "author: *ten", "&k author: A"])
def test_any_anchor_or_alias_is_refused(tmp_path, yaml_line):
    text = f"---\ntitle: Neo\ndate: 2022-01-13\nlocation: Ba Bể\n{yaml_line}\n---\nThân.\n"
    _, problems = read(tmp_path, {"a.md": text})
    assert only_error(problems)[1] == 5


def test_ampersand_and_star_inside_values_are_plain_text(tmp_path):
    [a], problems = read(tmp_path, {"a.md": article(title="Nông & lâm *nghiệp*", tags=["A&B"])})
    assert not problems.items and a.title == "Nông & lâm *nghiệp*" and a.tags == ["A&B"]


@pytest.mark.parametrize("value", ["[" * 7 + "]" * 7, "[" * 1500 + "]" * 1500,
                                   "\n" + "".join(" " * i + "- \n" for i in range(1, 40))])
def test_deep_nesting_is_an_error_not_a_recursion_error(tmp_path, value):
    text = f"---\ntitle: Sâu\ndate: 2022-01-13\nauthor: A\nlocation: Ba Bể\ntags: {value}\n---\nThân.\n"
    _, problems = read(tmp_path, {"a.md": text})
    name, line, message = only_error(problems)
    assert "lồng nhau quá 6 tầng" in message


def test_front_matter_size_is_bounded(tmp_path):
    text = article(summary="chữ " * (MAX_CHARS // 4))
    _, problems = read(tmp_path, {"a.md": text}, SiteConfig())
    assert "dài quá 20.000 ký tự" in only_error(problems)[2]


def test_duplicate_key_names_both_lines_and_nothing_is_published(tmp_path):
    text = "---\ntitle: Hai lần\ndraft: true\ndate: 2022-01-13\nauthor: A\nlocation: Ba Bể\ndraft: false\n---\nX\n"
    articles, problems = read(tmp_path, {"a.md": text})
    assert articles == []
    assert only_error(problems) == ("a.md", 7, "trường 'draft' được viết hai lần (dòng 3 và dòng 7)")


def test_duplicate_key_inside_a_value_and_a_list_key(tmp_path):
    _, problems = read(tmp_path, {
        "a.md": article(title="Một", body="X").replace("---\n\n", "anh:\n  nguon: A\n  nguon: B\n---\n\n"),
        "b.md": "---\n? [title]\n: Khoá là danh sách\n---\nX\n",
    })
    assert {(p.path[-4:], p.line) for p in problems.errors} == {("a.md", 8), ("b.md", 2)}


# --- dates ---------------------------------------------------------------------

@pytest.mark.parametrize("value", ["9999-12-31 23:59+00:00", "0001-01-01", "0001-01-01 00:00+14:00",
                                   "0202-01-13", "1899-12-31 23:59", "2101-01-01",
                                   "2100-12-31 20:00-05:00"])
def test_dates_outside_1900_2100_are_errors(tmp_path, value):
    _, problems = read(tmp_path, {"a.md": article(date=value)})
    assert only_error(problems)[1:] == (3, f"ngày đăng '{value}' có năm ngoài khoảng 1900–2100")
    _, problems = read(tmp_path / "u", {"a.md": article(updated=value)})
    assert only_error(problems)[1:] == (6, f"ngày cập nhật '{value}' có năm ngoài khoảng 1900–2100")


@pytest.mark.parametrize("value, message", [
    ("[2022-01-13]", "ngày đăng phải là một ngày giờ trên một dòng"),
    ("{ngay: 2022-01-13}", "ngày đăng phải là một ngày giờ trên một dòng"),
    ("2022-02-30", "ngày đăng '2022-02-30' không đọc được"),
])
def test_dates_that_are_not_one_date(tmp_path, value, message):
    text = f"---\ntitle: T\ndate: {value}\nauthor: A\nlocation: Ba Bể\n---\nX\n"
    _, problems = read(tmp_path, {"a.md": text})
    assert only_error(problems)[1:] == (3, message)


def test_yaml_dates_stay_text_and_the_edges_of_the_range_are_kept(tmp_path):
    articles, problems = read(tmp_path, {
        "a.md": article(title="Đầu", date="1900-01-01 00:00"),
        "b.md": "---\ntitle: Cuối\ndate: 2100-12-31T23:59:00+07:00\nauthor: A\nlocation: Ba Bể\n---\nX\n",
    })
    assert not problems.items
    assert sorted(a.date.year for a in articles) == [1900, 2100]


def test_new_refuses_a_date_out_of_range_and_control_characters(tmp_path):
    site = SiteConfig.from_dict({"sections": ["Thời sự"], "districts": ["Ba Bể"]})
    kwargs = dict(section="Thời sự", location="Ba Bể", author="A", now=NOW)
    with pytest.raises(NewArticleError, match="ngoài khoảng 1900–2100"):
        plan(tmp_path, site, "Tin", date="0202-01-13 08:00", **kwargs)
    with pytest.raises(NewArticleError, match="ngoài khoảng 1900–2100"):
        plan(tmp_path, site, "Tin", date="9999-12-31 23:59+00:00", **kwargs)
    with pytest.raises(NewArticleError, match="ký tự điều khiển"):
        plan(tmp_path, site, "Tin\x00", **kwargs)
    assert plan(tmp_path, site, "Tin", date="2100-12-31 08:00", **kwargs).path.parts[-3:-1] == ("2100", "12")


def test_new_date_error_is_one_line_from_the_command(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "mkdocs.yml").write_text(sitebuild.yaml.safe_dump(sitebuild.config(root), allow_unicode=True))
    proc = subprocess.run([sys.executable, "-m", "toasoan", "new", "Tin", "--root", str(root), "--section",
                           "Thời sự", "--location", "Ba Bể", "--author", "A", "--date", "0001-01-01"],
                          cwd=sitebuild.REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "lỗi: ngày '0001-01-01' có năm ngoài khoảng 1900–2100 — Cách sửa: kiểm tra năm (đủ bốn chữ số): "
        '--date "2022-01-13 08:30"']


# --- names and tags ------------------------------------------------------------

@pytest.mark.parametrize("author, message", [
    ("[]", "thiếu trường bắt buộc 'author'"),
    ('""', "thiếu trường bắt buộc 'author'"),
    ('[""]', "thiếu trường bắt buộc 'author'"),
    ('" , "', "thiếu tên tác giả"),
    ("中国", "tên tác giả '中国' phải có chữ cái Latinh/tiếng Việt"),
    ("[Minh Đức, 😀]", "tên tác giả '😀' phải có chữ cái Latinh/tiếng Việt"),
    ('"123"', "tên tác giả '123' phải có chữ cái Latinh/tiếng Việt"),
])
def test_authors_without_a_usable_name(tmp_path, author, message):
    text = f"---\ntitle: T\ndate: 2022-01-13\nauthor: {author}\nlocation: Ba Bể\n---\nX\n"
    _, problems = read(tmp_path, {"a.md": text})
    assert only_error(problems)[1:] == (4, message)


def test_location_without_a_latin_letter(tmp_path):
    _, problems = read(tmp_path, {"a.md": article(location="北京")})
    assert only_error(problems)[1:] == (5, "địa phương '北京' phải có chữ cái Latinh/tiếng Việt")


def test_tag_in_another_script_gets_a_stable_page_and_one_without_letters_is_refused(tmp_path):
    articles, problems = read(tmp_path, {"a.md": article(title="Một", tags=["中国", "Nông nghiệp"]),
                                         "b.md": article(title="Hai", tags=["中国"])})
    assert not problems.items
    archive = Archive(articles, SITE)
    listing = archive.listing("tag", "中国")
    assert listing.base_url.startswith("chu-de/the-") and len(listing.base_url) == len("chu-de/the-12345678/")
    assert len(listing.articles) == 2
    every = [l.base_url for l in archive.listings()]
    assert all("None" not in url and "//" not in url and not url.startswith("/") for url in every)
    _, problems = read(tmp_path / "x", {"c.md": article(tags=["ok", "!!!"])})
    assert only_error(problems)[1:] == (6, "thẻ '!!!' không có chữ cái hay chữ số nào")


# --- control characters ----------------------------------------------------------

@pytest.mark.parametrize("text, line", [
    ("---\ntitle: Có\x00NUL\ndate: 2022-01-13\nauthor: A\nlocation: Ba Bể\n---\nX\n", 2),
    ("---\ntitle: T\ndate: 2022-01-13\nauthor: A\x1b[31m\nlocation: Ba Bể\n---\nX\n", 4),
    ('---\ntitle: T\ndate: 2022-01-13\nauthor: A\nlocation: Ba Bể\ntags: [a, "b\\0c"]\n---\nX\n', 6),
    ('---\ntitle: "T\\x7F"\ndate: 2022-01-13\nauthor: A\nlocation: Ba Bể\n---\nX\n', 2),
    ("---\ntitle: T\ndate: 2022-01-13\nauthor: A\nlocation: Ba\ufffeBể\n---\nX\n", 5),
    ("---\ntitle: T\u2028U\ndate: 2022-01-13\nauthor: A\nlocation: Ba Bể\n---\nX\n", 2),
])
def test_control_characters_in_fields_are_errors(tmp_path, text, line):
    _, problems = read(tmp_path, {"a.md": text})
    name, found, message = only_error(problems)
    assert found == line and "ký tự điều khiển" in message


def test_surrogates_cannot_get_in(tmp_path):
    # UTF-8 decoding refuses an encoded surrogate; libyaml refuses a "\ud800" escape.
    _, problems = read(tmp_path, {
        "a.md": article(title="Có").encode().replace("Có".encode(), b"C\xed\xa0\x80"),
        "b.md": '---\ntitle: "x\\ud800"\ndate: 2022-01-13\nauthor: A\nlocation: Ba Bể\n---\nX\n',
    })
    assert sorted((p.path[-4:], p.line) for p in problems.errors) == [("a.md", 2), ("b.md", 2)]


def test_control_characters_in_the_body_are_removed_with_a_warning(tmp_path):
    body = "Đoạn một.\n\nĐoạn\x00 hai\x1b có\x7f ký tự ẩn\ufffe.\n\nDòng\u2028mới."
    [a], problems = read(tmp_path, {"a.md": article(body=body)})
    [p] = problems.items
    assert (p.level, p.line) == ("cảnh báo", 10)
    assert p.message == "thân bài có 5 ký tự điều khiển ẩn (đầu tiên: U+0000), đã bỏ khi dựng trang"
    assert a.body.strip() == "Đoạn một.\n\nĐoạn hai có ký tự ẩn.\n\nDòng mới."


# --- size ------------------------------------------------------------------------

def test_article_over_the_size_limit_is_refused_before_parsing(tmp_path):
    fits = article(title="Vừa", body="x" * (4 * 1024 - 200))
    assert len(fits.encode()) <= 4 * 1024
    big = article(title="Quá", body="x" * (4 * 1024))
    # Nothing of a refused file is parsed: broken YAML after the limit is never seen.
    huge = b"---\n" + b"y" * (5 * 1024) + b": [\n"
    articles, problems = read(tmp_path, {"vua.md": fits, "qua.md": big, "to.md": huge})
    assert [a.title for a in articles] == ["Vừa"]
    assert sorted((p.path[-6:], p.line, p.message) for p in problems.items) == [
        ("/to.md", 1, "tệp bài lớn quá 4 KB"), ("qua.md", 1, "tệp bài lớn quá 4 KB")]


@pytest.mark.parametrize("value", [0, -1, "lớn", True, 1.5])
def test_size_setting_must_be_a_positive_whole_number(value):
    site = SiteConfig.from_dict({"max_article_kb": value})
    assert [(level, key) for level, key, *_ in site.notes] == [("lỗi", "max_article_kb")]
    assert site.max_article_kb == 1024   # the run goes on to report everything else, then stops
    assert SiteConfig.from_dict({}).max_article_kb == 1024


# --- symlinks and special files ------------------------------------------------------

def test_symlinks_are_refused_and_never_followed(tmp_path):
    secret = tmp_path / "ngoai" / "bi-mat.md"
    secret.parent.mkdir()
    secret.write_text(article(title="Bí mật ngoài articles"))
    (tmp_path / "ngoai" / "khac.md").write_text(article(title="Bài trong thư mục ngoài"))
    root = tmp_path / "articles"
    articles, problems = read(root, {"2022/that.md": article(title="Bài thật")})
    (root / "2022" / "lien-ket.md").symlink_to(secret)
    (root / "thu-muc").symlink_to(secret.parent, target_is_directory=True)
    (root / "2022" / "ban-sao.md").symlink_to(root / "2022" / "that.md")
    (root / "hong.md").symlink_to(tmp_path / "khong-co.md")
    os.mkfifo(root / "ong.md")
    # Not articles, not errors: Emacs' lock of an open article, macOS' metadata beside it.
    (root / "2022" / ".#that.md").symlink_to("phongvien@may.4242:1700000000")
    (root / "2022" / "._that.md").write_bytes(b"\x00\x05\x16\x07Mac OS X")
    start = time.monotonic()
    articles, problems = read_all(root, SITE, NOW)
    assert time.monotonic() - start < 5
    assert [a.title for a in articles] == ["Bài thật"]
    found = sorted((p.path.split("articles/")[-1], p.line, p.message) for p in problems.items)
    assert found == [
        ("2022/ban-sao.md", 1, "bài 'ban-sao.md' là liên kết tượng trưng (symlink) trỏ tới articles/2022/that.md"),
        ("2022/lien-ket.md", 1, "bài 'lien-ket.md' là liên kết tượng trưng (symlink) trỏ ra ngoài thư mục articles/"),
        ("hong.md", 1, "bài 'hong.md' là liên kết tượng trưng (symlink) trỏ ra ngoài thư mục articles/"),
        ("ong.md", 1, "không phải một tệp bài thường (tệp đặc biệt)"),
        ("thu-muc", 1, "thư mục 'thu-muc' là liên kết tượng trưng (symlink) trỏ ra ngoài thư mục articles/"),
    ]


# --- mkdocs.yml ----------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    # 100,000 levels crashed libyaml's C loader with a segmentation fault.
    ("site_name: T\nextra:\n  bulletin:\n    name: " + "[" * 100_000 + "]" * 100_000 + "\n", "lồng nhau"),
    ("site_name: T\nextra:\n  bulletin:\n    name: [a]\n", "dòng chữ"),
    ("site_name: T\nextra:\n  bulletin:\n    districts: [a\n", "sai cú pháp YAML"),
    ("site_name: T\nextra:\n  bulletin:\n    sections: [中国]\n", "đường dẫn hợp lệ"),
    ("site_name: T\nx: &a [1, 1, 1, 1]\ny: &b [*a, *a, *a, *a]\nextra:\n  bulletin:\n    districts: [*b, *b]\n",
     "districts"),
])
def test_mkdocs_yml_mistakes_are_one_message(tmp_path, text, message):
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_site(tmp_path)
    assert len(str(caught.value)) < 300


# --- the real build and the check command -----------------------------------------------

BAD_SITE = {
    "2022/01/bom.md": ALIAS_BOMB,
    "2022/01/hai-lan.md": "---\ntitle: Hai lần\ndraft: true\ndate: 2022-01-13\nauthor: A\nlocation: Ba Bể\n"
                          "draft: false\n---\nX\n",
    "2022/01/nam-sai.md": article(title="Năm sai", date="0202-01-13 08:00"),
    "2022/01/tac-gia.md": article(title="Tác giả lạ", author="中国"),
    "2022/01/nul.md": "---\ntitle: Có\x00NUL\ndate: 2022-01-13\nauthor: A\nlocation: Ba Bể\n---\nX\n",
    "2022/01/tot.md": article(title="Bài tốt"),
}
EXPECTED = [
    "articles/2022/01/bom.md:5: lỗi: phần đầu bài dùng neo hoặc bí danh YAML",
    "articles/2022/01/hai-lan.md:7: lỗi: trường 'draft' được viết hai lần (dòng 3 và dòng 7)",
    "articles/2022/01/lon.md:1: lỗi: tệp bài lớn quá 8 KB",
    "articles/2022/01/nam-sai.md:3: lỗi: ngày đăng '0202-01-13 08:00' có năm ngoài khoảng 1900–2100",
    "articles/2022/01/nul.md:2: lỗi: phần đầu bài có ký tự điều khiển ẩn U+0000",
    "articles/2022/01/tac-gia.md:4: lỗi: tên tác giả '中国' phải có chữ cái Latinh/tiếng Việt",
    "articles/lien-ket.md:1: lỗi: bài 'lien-ket.md' là liên kết tượng trưng (symlink) trỏ ra ngoài thư mục articles/",
]


def bad_site(tmp_path):
    root = tmp_path / "site"
    (root / "articles").mkdir(parents=True)
    (tmp_path / "passwd.md").write_text(article(title="Ngoài trang"))
    (root / "articles" / "lien-ket.md").symlink_to(tmp_path / "passwd.md")
    return root, {**BAD_SITE, "2022/01/lon.md": article(title="Lớn", body="x" * 9000)}


def problem_lines(log: str) -> list[str]:
    """Problem lines of a log, without MkDocs' level prefix and the fix."""
    out = []
    for line in log.splitlines():
        if ": lỗi: " in line or ": cảnh báo: " in line:
            text = line.split("-  ", 1)[-1] if line.startswith(("ERROR", "WARNING")) else line
            text = text.split(" — Cách sửa: ")[0]
            out.append(text[: len(text) if "bom.md" not in text else text.index(" ('&")])
    return sorted(out)


def test_build_refuses_every_hostile_article_at_once(tmp_path):
    root, files = bad_site(tmp_path)
    start = time.monotonic()
    built = sitebuild.build(root, files, max_article_kb=8)
    assert time.monotonic() - start < 120
    assert built.returncode != 0
    assert "Traceback" not in built.log
    assert problem_lines(built.log) == EXPECTED
    assert "Bài viết: đọc 8, xuất bản 1, nháp 0, hẹn giờ 0, lỗi 7" in built.log
    assert not (root / "site" / "2022" / "01" / "bai-tot").exists()
    assert max(len(line) for line in built.log.splitlines()) < 400


def test_check_reports_the_same_problems_as_the_build(tmp_path):
    root, files = bad_site(tmp_path)
    (root / "mkdocs.yml").write_text(sitebuild.yaml.safe_dump(sitebuild.config(root, max_article_kb=8),
                                                              allow_unicode=True), encoding="utf-8")
    for rel, text in files.items():
        path = root / "articles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "toasoan", "check"], cwd=root, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(sitebuild.REPO),
                                                       "TOASOAN_NOW": "2026-11-25 12:00"})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert problem_lines(proc.stdout) == EXPECTED


def test_built_site_links_a_foreign_tag_and_never_writes_control_characters(tmp_path):
    body = "Đoạn mở\x00 đầu.\n\nĐoạn hai\x1b[31m đỏ."
    built = sitebuild.build(tmp_path, {"2022/01/a.md": article(title="Hợp tác", tags=["中国", "Nông nghiệp"],
                                                               body=body)}, strict=False)
    assert built.returncode == 0, built.log
    assert "articles/2022/01/a.md:9: cảnh báo: thân bài có 2 ký tự điều khiển ẩn" in built.log
    page = built.html("2022/01/hop-tac/")
    tag_url = next(l.base_url for l in Archive(read_all(tmp_path / "articles", SITE, NOW)[0], SITE).listings()
                   if l.title == "中国")
    assert f'href="../../../{tag_url}"' in page and built.exists(tag_url)
    assert "/None" not in page and 'href=""' not in page
    assert "\x00" not in page and "\x1b" not in page and "Đoạn mở đầu." in page
