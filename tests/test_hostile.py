"""Hostile bodies: every stage stays linear, and the reader refuses what Markdown cannot take."""

import random
import re
import resource
import time
from datetime import datetime
from pathlib import Path

import pytest

from sitebuild import article, build
from toasoan.core.config import SiteConfig
from toasoan.reading.markup import BRACKET_LIMIT, bracket_cost, code_spans
from toasoan.publishing.meta import lead_image
from toasoan.core.model import Article
from toasoan.reading.photorefs import find_refs
from toasoan.reading.reader import first_paragraph, read_all
from toasoan.reading.plain import plain_text, words_text

SITE = SiteConfig.from_dict({"sections": [{"slug": "thoi-su", "name": "Thời sự"}]})
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=SITE.tz)
SIZE = 300_000  # enough: at this size each of these took minutes before, a second now

# Bodies that took minutes (quadratic regular expressions) before.
HOSTILE = {
    "[": "[" * SIZE, "![": "![" * (SIZE // 2), "[a](": "[a](" * (SIZE // 4), "<": "<" * SIZE,
    "<!--": "<!--" * (SIZE // 4), "{:": "{:" * (SIZE // 2), "![a](": "![a](" * (SIZE // 5),
    '![a](b "': '![a](b "' * (SIZE // 8), "`": "`" * SIZE, "``` runs": "".join("`" * k + "a" for k in range(1, 770)),
    "[^": "[^" * (SIZE // 2), "![a](  ": "![a](" + " " * SIZE, "[[]]": "[" * (SIZE // 2) + "]" * (SIZE // 2),
}

# The regular expression photos.py used for code spans: the reference on short texts.
_OLD_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


def _article(body: str) -> Article:
    return Article(Path("a.md"), "a.md", "Bài", NOW, ["A"], "Ba Bể", "bai", body, 7)


@pytest.mark.parametrize("name", HOSTILE)
def test_project_scanners_are_linear(name):
    body = HOSTILE[name]
    started = time.perf_counter()
    first_paragraph(body)
    plain_text(body)
    words_text(body)
    find_refs(body, 7)
    lead_image(_article(body))
    assert time.perf_counter() - started < 20, name  # minutes before; a second or two on a busy machine


def test_code_spans_match_markdown_rule():
    rnd = random.Random(7)
    for _ in range(20000):
        text = "".join(rnd.choice(["`", "``", "a", " ", "\n"]) for _ in range(rnd.randint(1, 12)))
        assert code_spans(text) == [m.span() for m in _OLD_CODE_SPAN.finditer(text)], text


def test_bracket_cost():
    assert bracket_cost("[a](b)") == 2 + 2
    assert bracket_cost("[[a]]") == 4 + 2
    assert bracket_cost("a [b") == 2           # unclosed: walked to the end of the block
    assert bracket_cost(r"\[\[\[ (x)") == 0    # escaped brackets are text
    assert bracket_cost("[" * 2000) == sum(range(1, 2001))


def _read(tmp_path, body):
    (tmp_path / "a.md").write_text(article(body=body), encoding="utf-8")
    articles, problems = read_all(tmp_path, SITE, NOW)
    return articles, problems


def test_reader_refuses_pathological_block_with_its_line(tmp_path):
    body = "Đoạn mở đầu bình thường.\n\nĐoạn hai có [liên kết](x).\n\n" + "[" * 3000 + "\n\nĐoạn cuối."
    articles, problems = _read(tmp_path, body)
    assert articles == []
    [error] = [str(p) for p in problems.errors]
    # front-matter is 6 lines, a blank line, then the body: the block of '[' starts on line 12
    assert error.startswith(f"{tmp_path / 'a.md'}:12: lỗi: đoạn này có quá nhiều dấu '['"), error
    assert "Cách sửa:" in error


def test_reader_refuses_many_blocks_together(tmp_path):
    # Each block stays under the limit; together they would still take minutes.
    block = "[" * 1200
    assert bracket_cost(block) < BRACKET_LIMIT
    articles, problems = _read(tmp_path, "Mở đầu.\n\n" + "\n\n".join(["[" * 1300] + [block] * 40))
    assert articles == []
    [error] = [str(p) for p in problems.errors]
    assert ":10: lỗi: cả bài" in error, error   # the costliest block: the first


def test_reader_accepts_long_ordinary_markup(tmp_path):
    rows = "".join(f"| {i} | [Xã {i}](xa-{i}/) | **{i * 7}** | _ghi chú_ |\n" for i in range(300))
    links = " ".join(f"[mục {i}](muc-{i}/) có *nhấn* và `mã`" for i in range(150))
    body = ("Đoạn mở đầu.\n\n| STT | Xã | Số hộ | Ghi chú |\n|---|---|---|---|\n" + rows
            + "\n" + links + "\n\n" + "Một đoạn dài không có ký hiệu. " * 3000)
    articles, problems = _read(tmp_path, body)
    assert problems.errors == [] and len(articles) == 1


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# The builds' CPU time is what is bounded: on a shared machine their wall time
# can be many times longer. The subprocess timeout only stops a build that hangs.
CPU_BOUND, HANG = 30, 240


@pytest.mark.slow
def test_build_refuses_hostile_article_quickly(tmp_path):
    """150 KB of '[' stalled `mkdocs build` for over 15 minutes."""
    cpu = _child_cpu()
    built = build(tmp_path, {"2022/a.md": article(body="Mở đầu.\n\n" + "[" * 150_000),
                             "2022/b.md": article(title="Bài thường", body="Đoạn [liên kết](x) thường.")},
                  timeout=HANG)
    assert built.returncode != 0
    assert re.search(r"articles/2022/a\.md:10: lỗi: đoạn này có quá nhiều dấu '\['", built.log), built.log
    assert _child_cpu() - cpu < CPU_BOUND


@pytest.mark.slow
def test_build_publishes_hostile_but_cheap_article(tmp_path):
    """Unpaired markup spread over many short paragraphs passes the check and renders inert, fast."""
    body = "Mở đầu.\n\n" + ("[[[[ <a *x " + "chữ thường " * 12 + "\n\n") * 1000   # 150 KB
    cpu = _child_cpu()
    built = build(tmp_path, {"2022/a.md": article(body=body)}, timeout=HANG)
    assert built.returncode == 0, built.log
    assert _child_cpu() - cpu < CPU_BOUND
    html = built.html("2022/01/tieu-de-thu-nghiem/")
    assert html.count("[[[[ &lt;a *x chữ") == 1000


def test_reader_refuses_too_much_markup_in_all(tmp_path):
    """Dense markup renders at a few tens of KB a second: a whole body of it is refused."""
    body = "Mở đầu.\n\n" + "".join(f"- [mục {i}](x/) **đậm** _nghiêng_\n" for i in range(6000))
    articles, problems = _read(tmp_path, body)
    [error] = [str(p) for p in problems.errors]
    assert ": lỗi: cả bài có quá nhiều ký hiệu Markdown" in error and articles == []
