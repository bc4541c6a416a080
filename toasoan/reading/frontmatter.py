"""Split a Markdown file into YAML front-matter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..core.text import nfc

try:  # libyaml is several times faster on large archives
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import BaseLoader as _Loader

_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


class FrontMatterError(ValueError):
    def __init__(self, line: int, message: str, fix: str = ""):
        super().__init__(message)
        self.line, self.message, self.fix = line, message, fix


@dataclass
class Parsed:
    data: dict
    lines: dict[str, int]      # top-level key -> 1-based line in the file
    item_lines: dict[str, list[int]]  # list-valued key -> line of each item
    body: str
    body_line: int


def decode(raw: bytes) -> str:
    """Bytes to NFC text with "\\n" line ends; a BOM is dropped.

    Raises FrontMatterError naming the line of the first byte that is not UTF-8.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise FrontMatterError(
            line, "tệp không phải văn bản UTF-8",
            "lưu lại tệp với bảng mã UTF-8 (trong trình soạn thảo: Save with Encoding → UTF-8)") from None
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def split(text: str) -> Parsed:
    """Parse the front-matter of ``text`` (already decoded) and return it with the body.

    Every value is kept as a string, list or dict: YAML's own guesses (``no`` is
    False, ``2022-01-13`` a date) are left to the article validator.
    """
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        raise FrontMatterError(
            1, "thiếu phần thông tin đầu bài (front-matter)",
            "bắt đầu tệp bằng một dòng '---', các dòng 'title: …', 'date: …', "
            "'author: …', 'location: …', rồi một dòng '---'")
    end = next((i for i in range(1, len(lines)) if _END.match(lines[i])), None)
    if end is None:
        raise FrontMatterError(
            1, "phần thông tin đầu bài không có dòng '---' kết thúc",
            "thêm một dòng '---' sau trường cuối cùng của phần đầu bài")
    yaml_text = "\n".join(lines[1:end]) + "\n"
    try:
        loader = _Loader(yaml_text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(e, "problem", None) or str(e)
        raise FrontMatterError(
            line, f"phần đầu bài viết sai cú pháp YAML ({problem})",
            "mỗi dòng có dạng 'tên: giá trị'; nếu giá trị có dấu ':' hoặc bắt đầu bằng "
            "'[', '{', '\"', '*', '&', '#' thì đặt nó trong ngoặc kép") from None
    if not isinstance(data, dict):
        raise FrontMatterError(
            2, "phần đầu bài phải là các dòng 'tên: giá trị'",
            "viết mỗi trường trên một dòng, ví dụ 'title: Tiêu đề bài viết'")
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    for key_node, value_node in node.value if node is not None else []:
        key = str(key_node.value)
        key_lines[key] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = [item.start_mark.line + 2 for item in value_node.value]
    body_lines = lines[end + 1:]
    return Parsed(data, key_lines, item_lines, "\n".join(body_lines), end + 2)
