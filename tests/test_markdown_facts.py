"""One answer to "is this line code?" and "which photo leads this article?"."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubfixtures import make
from toasoan.core.problems import Problems
from toasoan.reading.reader import _check_html
from toasoan.reading.markup import blank_code, code_lines
from toasoan.reading.photorefs import find_refs, lead_source
from toasoan.publishing.meta import lead_image


def flags(text: str) -> list[int]:
    """Numbers (from 1) of the lines that are code."""
    lines = text.split("\n")
    return [n for n, code in enumerate(code_lines(lines), start=1) if code]


@pytest.mark.parametrize("text, code", [
    ("a\n```\nb\n```\nc", [2, 3, 4]),
    ("a\n~~~ python\nb\n~~~\nc", [2, 3, 4]),
    # A tilde fence is not closed by backticks, nor a long fence by a shorter one.
    ("~~~\n```\nb\n~~~\nc", [1, 2, 3, 4]),
    ("````\n```\nb\n````\nc", [1, 2, 3, 4]),
    # An unclosed fence runs to the end.
    ("a\n```\nb\n\nc", [2, 3, 4, 5]),
    # A closing fence takes no info string; "```x```" on a line is a code span, not a fence.
    ("```\nb\n``` x\nc\n```", [1, 2, 3, 4, 5]),
    ("```x``` y\nz", []),
    # Four spaces of indent up to three are still a fence; four are indented code.
    ("   ```\nb\n   ```\nc", [1, 2, 3]),
    # Indented code needs a blank line before it, and is no code inside a list.
    ("a\n\n    code\n\tcode too\n\nb", [3, 4]),
    ("a\n    continued", []),
    ("- item\n\n    more of the item", []),
    ("1. item\n\n    more\n\nparagraph\n\n    code", [7]),
])
def test_code_lines(text, code):
    assert flags(text) == code


def test_blank_code_keeps_lines_and_text_outside_code():
    text = "a `b` c\n```\n<script>\n```\nd"
    blanked = blank_code(text)
    assert blanked.split("\n") == ["a     c", "   ", "        ", "   ", "d"]


def _make(body, image):
    return make(body=body, image=image)


EXAMPLE = ('Cách chèn ảnh:\n\n```\n![](2022/01/vi-du.jpg "Ví dụ")\n```\n\n'
           '    ![](2022/01/thut-le.jpg)\n\n'
           'Viết `![](2022/01/trong-dong.jpg)` như sau.\n\n'
           '![](../ngoai.jpg)\n\n![](2022/01/that.jpg "Ảnh thật. Ảnh: A")\n')


def test_lead_photo_skips_code_and_refused_paths():
    article = _make(EXAMPLE, None)
    assert [r.src for r in find_refs(article.body, 1)] == ["../ngoai.jpg", "2022/01/that.jpg"]
    assert lead_source(article) == lead_image(article) == "2022/01/that.jpg"
    assert lead_image(_make(EXAMPLE, "2022/01/dai-dien.jpg")) == "2022/01/dai-dien.jpg"
    assert lead_image(_make("```\n![](a.jpg)\n```", None)) is None


@pytest.mark.parametrize("body, lines", [
    # Code shows HTML as text; the same HTML outside code is refused.
    ("```\n<iframe src=x>\n```\n\n<iframe src=x>", [5]),
    # A tilde fence is not closed by backticks: the old toggle counted three
    # fence lines here and let the script after them through.
    ("~~~\n```\n~~~\n<script>alert(1)</script>", [4]),
    ("a\n\n    <script>code</script>\n\n<script>x</script>", [5]),
    ("- item\n\n    <script>x</script>", [3]),
])
def test_reader_refuses_unsafe_html_outside_code_only(body, lines):
    problems = Problems()
    _check_html(Path("a.md"), body, 1, problems)
    assert [p.line for p in problems.errors] == lines
