"""`python -m toasoan`: new, check, serve, build on fixture sites."""

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest
import yaml

from loopback import free_port
import sitebuild
from sitebuild import article
from toasoan.tools.cli import main

REPO = sitebuild.REPO


@pytest.fixture
def root(tmp_path, monkeypatch):
    """An empty site with the repository's settings and a pinned clock."""
    cfg = sitebuild.config(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("TOASOAN_NOW", "2026-11-25 12:00")
    monkeypatch.delenv("TOASOAN_AUTHOR", raising=False)
    return tmp_path


def set_bulletin(root, **values):
    cfg = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    cfg["extra"]["bulletin"].update(values)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")


def write_articles(root, articles):
    for rel, text in articles.items():
        path = root / "articles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# --- new ---------------------------------------------------------------------

def test_new_writes_the_article_and_prints_its_path(root, capsys):
    code = main(["new", "Ba Bể: khai mạc Tuần văn hóa – du lịch", "--root", str(root),
                 "--section", "van hoa", "--location", "ba be", "--author", "Xuân Nghiệp"])
    assert code == 0
    path = root / "articles/2026/11/ba-be-khai-mac-tuan-van-hoa-du-lich.md"
    assert capsys.readouterr().out == path.as_posix() + "\n"
    assert path.read_text(encoding="utf-8") == (
        "---\n"
        'title: "Ba Bể: khai mạc Tuần văn hóa – du lịch"\n'
        "date: 2026-11-25 12:00\n"
        "author: Xuân Nghiệp\n"
        "location: Ba Bể\n"
        "category: Văn hóa\n"
        "tags: []\n"
        "draft: true  # bài nháp: xoá dòng này khi bài sẵn sàng đăng\n"
        "---\n\n"
        "Viết sa-pô (đoạn mở đầu) ở đây.\n\n"
        "Đoạn tiếp theo, cách đoạn trước một dòng trống.\n")
    # The new file is a valid article: check finds nothing wrong.
    assert main(["check", "--root", str(root)]) == 0


def test_new_author_from_env_then_config(root, capsys, monkeypatch):
    set_bulletin(root, default_author="Ban Biên tập")
    assert main(["new", "Tin thứ nhất", "--root", str(root), "--section", "Kinh tế",
                 "--location", "Chợ Mới", "--date", "2022-01-13 08:30", "--no-draft"]) == 0
    text = (root / "articles/2022/01/tin-thu-nhat.md").read_text(encoding="utf-8")
    assert "date: 2022-01-13 08:30\nauthor: Ban Biên tập\nlocation: Chợ Mới\ncategory: Kinh tế\ntags: []\n---\n" in text
    monkeypatch.setenv("TOASOAN_AUTHOR", "Minh Đức - Hoàng Anh")
    assert main(["new", "Tin thứ hai", "--root", str(root), "--section", "kinh-te",
                 "--location", "xa cho ra"]) == 0
    text = (root / "articles/2026/11/tin-thu-hai.md").read_text(encoding="utf-8")
    assert "author: [Minh Đức, Hoàng Anh]\nlocation: Xã Chợ Rã\n" in text


@pytest.mark.parametrize("args, message", [
    (["--section", "Giải trí", "--location", "Ba Bể", "--author", "A"],
     "lỗi: chuyên mục 'Giải trí' không có trong mkdocs.yml — Cách sửa: chọn một trong: Thời sự, Chính trị,"),
    (["--location", "Ba Bể", "--author", "A"], "lỗi: thiếu chuyên mục (--section)"),
    (["--section", "Kinh tế", "--author", "A"], "lỗi: thiếu địa phương (--location)"),
    (["--section", "Kinh tế", "--location", "Ba Bể"], "lỗi: chưa biết tên tác giả"),
    # The same place matcher as the build: an unknown place is refused, with the closest names.
    (["--section", "Kinh tế", "--location", "Phường Ba Bể", "--author", "A"],
     "lỗi: địa phương 'Phường Ba Bể' không có trong danh sách places của mkdocs.yml — Cách sửa: "
     "sửa chính tả (gần giống: Ba Bể, "),
    (["--section", "Kinh tế", "--location", "Ba Bể", "--author", "A", "--date", "13/01/2022 8h"],
     "lỗi: ngày '13/01/2022 8h' không đọc được"),
])
def test_new_refuses_mistakes(root, capsys, args, message):
    assert main(["new", "Tiêu đề", "--root", str(root), *args]) == 1
    assert message in capsys.readouterr().err
    assert not (root / "articles").exists()


def test_new_never_overwrites(root, capsys):
    write_articles(root, {"2019/cu/tieu-de.md": "bài cũ"})
    assert main(["new", "Tiêu đề", "--root", str(root), "--section", "Kinh tế",
                 "--location", "Ba Bể", "--author", "A"]) == 1
    assert "đã có bài cùng đường dẫn 'tieu-de'" in capsys.readouterr().err
    assert (root / "articles/2019/cu/tieu-de.md").read_text(encoding="utf-8") == "bài cũ"
    assert main(["new", "Tiêu đề", "--root", str(root), "--section", "Kinh tế",
                 "--location", "Ba Bể", "--author", "A", "--slug", "tieu-de-moi"]) == 0
    assert (root / "articles/2026/11/tieu-de-moi.md").exists()


# --- check -------------------------------------------------------------------

BAD = {
    "2022/tot.md": article(title="Bài tốt", category="Kinh tế"),
    "2022/ngay-sai.md": article(title="Ngày sai", date="13/01/2022 8h"),
    "2022/chuyen-muc.md": article(title="Chuyên mục lạ", category="Giải trí", tac_gia="x"),
    "2022/anh.md": article(title="Ảnh thiếu", body='Mở đầu.\n\n![](2022/khong-co.jpg "Chú thích.")'),
}


def test_check_lists_every_problem_with_line_and_fix(root, capsys):
    write_articles(root, BAD)
    assert main(["check", "--root", str(root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    arts = (root / "articles/2022").as_posix()
    assert lines[0].startswith(f"{arts}/anh.md:10: lỗi: ảnh '2022/khong-co.jpg'")
    assert lines[1].startswith(f"{arts}/chuyen-muc.md:6: lỗi: chuyên mục 'Giải trí' không có trong mkdocs.yml "
                               "— Cách sửa: chọn một trong:")
    assert lines[2].startswith(f"{arts}/chuyen-muc.md:7: cảnh báo: trường lạ 'tac_gia' sẽ bị bỏ qua")
    assert lines[3].startswith(f"{arts}/ngay-sai.md:3: lỗi: ngày đăng '13/01/2022 8h' không đọc được — Cách sửa:")
    assert lines[-1] == "Kết quả: 3 lỗi, 1 cảnh báo — sửa các dòng trên rồi chạy lại lệnh check."


def test_check_json_for_ci(root, capsys):
    write_articles(root, BAD)
    assert main(["check", "--json", "--root", str(root)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["errors"] == 3 and report["warnings"] == 1
    assert report["articles"]["read"] == 4
    first = report["problems"][0]
    assert first["path"].endswith("articles/2022/anh.md") and first["line"] == 10
    assert first["level"] == "lỗi" and first["fix"]


def test_check_clean_site_and_strict_warnings(root, capsys):
    write_articles(root, {"2022/tot.md": article(title="Bài tốt", category="Kinh tế")})
    assert main(["check", "--root", str(root)]) == 0
    assert capsys.readouterr().out.endswith("Kết quả: không có lỗi.\n")
    write_articles(root, {"2022/canh-bao.md": article(title="Cảnh báo", tac_gia="x")})
    assert main(["check", "--root", str(root)]) == 0
    assert main(["check", "--strict", "--root", str(root)]) == 1
    assert main(["check", "--json", "--strict", "--root", str(root)]) == 1


def test_check_without_mkdocs_yml(tmp_path, capsys):
    assert main(["check", "--root", str(tmp_path)]) == 1
    assert "không thấy mkdocs.yml" in capsys.readouterr().err


# --- the command line itself -------------------------------------------------

def run_module(*args, **kwargs):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOASOAN_NOW": "2026-11-25 12:00"}
    return subprocess.run([sys.executable, "-m", "toasoan", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, **kwargs)


def test_help_is_vietnamese_with_examples(capsys):
    proc = run_module("--help")
    assert proc.returncode == 0
    assert "Cách dùng: toasoan" in proc.stdout and "Ví dụ:" in proc.stdout
    for command in ("new", "check", "import", "serve", "build"):
        with pytest.raises(SystemExit) as exit:
            main([command, "--help"])
        out = capsys.readouterr().out
        assert exit.value.code == 0 and "Ví dụ:" in out and "Tuỳ chọn:" in out, command
    proc = run_module("import", "x.txt")
    assert proc.returncode == 2 and "lỗi: thiếu: --year" in proc.stderr


def site_files(root, articles):
    """A site ready for `mkdocs`, without building it."""
    (root / "mkdocs.yml").write_text(yaml.safe_dump(sitebuild.config(root), allow_unicode=True),
                                     encoding="utf-8")
    write_articles(root, articles)


@pytest.mark.slow
def test_build_wraps_mkdocs_strict(tmp_path):
    site_files(tmp_path, {"2022/a.md": article(title="Bài một", category="Kinh tế")})
    proc = run_module("build", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "site/2022/01/bai-mot/index.html").exists()
    write_articles(tmp_path, {"2022/b.md": article(title="Bài hai", tac_gia="x")})
    proc = run_module("build", "--root", str(tmp_path))
    assert proc.returncode != 0   # a warning fails --strict



@pytest.mark.slow
def test_serve_previews_drafts(tmp_path):
    site_files(tmp_path, {"2022/nhap.md": article(title="Bài nháp", draft=True)})
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "toasoan", "serve", "--root", str(tmp_path),
                                 "--", "-a", f"127.0.0.1:{port}", "--no-livereload"],
                                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/bao-thu/2022/01/bai-nhap/"
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=20) as response:
                    assert "Bài nháp" in response.read().decode("utf-8")
                    break
            except OSError as e:
                if time.time() > deadline or proc.poll() is not None:
                    raise AssertionError(f"{e}; exit {proc.poll()}; serve log:\n"
                                         + log.read_text(encoding="utf-8", errors="replace")[-3000:]) from e
                time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize("value", [
    "Ba Bể: khai mạc", "Tin #1", "C#", "- gạch đầu", "[Trực tiếp] Kỳ họp", "a:b?c", "true", "~",
    '"Dân vận khéo" lan toả', "Ngày 13/01: tổng kết", "50% hộ nghèo", "@tòa soạn", "x,y", "{a}", "Cuối câu:",
])
def test_front_matter_values_read_back(value):
    from toasoan.reading.frontmatter import split
    from toasoan.tools.newarticle import front_matter
    names = [value, "Hoàng Anh"]
    data = split(front_matter([("title", value), ("author", names)]) + "\nThân bài.\n").data
    assert data["title"] == value and data["author"] == names


def test_check_reports_a_block_markdown_would_stall_on(root, capsys):
    write_articles(root, {"2022/ngoac.md": article(body="Mở đầu.\n\n" + "[a](" * 40_000)})
    started = time.perf_counter()
    assert main(["check", "--root", str(root)]) == 1
    assert time.perf_counter() - started < 30
    out = capsys.readouterr().out
    assert f"{(root / 'articles/2022').as_posix()}/ngoac.md:10: lỗi: đoạn này có quá nhiều dấu '['" in out
