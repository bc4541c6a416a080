"""Split a Markdown file into YAML front-matter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..core.controls import CONTROL, code
from ..core.text import nfc

try:  # libyaml is several times faster on large archives
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import BaseLoader as _Loader

_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")

# Bounds on what a reporter's file can make the reader do. A real front-matter
# is a dozen short lines two levels deep (a list inside the mapping); these
# leave plenty of room and keep every file's cost small and linear.
MAX_CHARS = 20_000
MAX_DEPTH = 6
_CONTROL_FIX = "gõ lại dòng này (ký tự ẩn thường lẫn vào khi chép từ Word, PDF hay trang web cũ)"


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
    if len(yaml_text) > MAX_CHARS:
        raise FrontMatterError(
            yaml_text.count("\n", 0, MAX_CHARS) + 2,
            f"phần đầu bài dài quá {MAX_CHARS:,} ký tự".replace(",", "."),
            "phần đầu bài chỉ giữ các trường ngắn (tiêu đề, ngày, tác giả…); "
            "đưa nội dung dài vào thân bài, sau dòng '---' thứ hai")
    if bad := CONTROL.search(yaml_text):
        raise FrontMatterError(
            yaml_text.count("\n", 0, bad.start()) + 2,
            f"phần đầu bài có ký tự điều khiển ẩn {code(bad.group())}",
            _CONTROL_FIX)
    try:
        loader = _Loader(yaml_text)
        try:
            data, key_lines, item_lines = _load(loader)
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
    body_lines = lines[end + 1:]
    return Parsed(data, key_lines, item_lines, "\n".join(body_lines), end + 2)


class _Frame:
    """A mapping or list being filled while the YAML events stream past."""

    __slots__ = ("value", "line", "key", "seen")

    def __init__(self, value, line: int):
        self.value, self.line, self.key = value, line, _NO_KEY
        self.seen: dict[str, int] = {}   # key -> its line, to name both lines of a duplicate


_NO_KEY = object()


def _load(loader) -> tuple[object, dict[str, int], dict[str, list[int]]]:
    """Build plain data (str, list, dict) from the loader's events, one pass.

    Done here rather than by PyYAML's composer so that an anchor or alias
    (a few hundred bytes of aliases expand to millions of values), a
    duplicate key (``draft: true`` … ``draft: false`` silently publishes)
    and deep nesting are refused at their line before anything is built.
    Tags are ignored, as PyYAML's BaseLoader does: every scalar is a string.
    """
    root = None
    stack: list[_Frame] = []
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    documents = 0
    # Dispatch on the exact event type, most frequent first: this loop runs for
    # every value of every article.
    scalar, seq_start, map_start = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    while loader.check_event():
        event = loader.get_event()
        kind = type(event)
        line = event.start_mark.line + 2
        if kind is yaml.AliasEvent or (kind is scalar or kind is seq_start or kind is map_start) \
                and event.anchor is not None:
            raise FrontMatterError(
                line, "phần đầu bài dùng neo hoặc bí danh YAML ('&…', '*…')",
                "viết thẳng giá trị của trường; nếu giá trị bắt đầu bằng '&' hoặc '*' "
                "thì đặt nó trong ngoặc kép")
        if kind is scalar:
            value = event.value
            # split() scanned the raw text; only a double-quoted escape ("\0") can add one.
            if event.style == '"' and (bad := CONTROL.search(value)):
                raise FrontMatterError(line, f"giá trị có ký tự điều khiển ẩn {code(bad.group())}",
                                       _CONTROL_FIX)
        elif kind is seq_start or kind is map_start:
            if len(stack) >= MAX_DEPTH:
                raise FrontMatterError(
                    line, f"phần đầu bài lồng nhau quá {MAX_DEPTH} tầng",
                    "mỗi trường là một giá trị hoặc một danh sách, ví dụ 'tags: [nông nghiệp, Ba Bể]'")
            stack.append(_Frame([] if kind is seq_start else {}, line))
            continue
        elif kind in ends:
            frame = stack.pop()
            value, line = frame.value, frame.line
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise FrontMatterError(line, "phần đầu bài có nhiều hơn một khối YAML",
                                       "chỉ giữ một khối 'tên: giá trị' giữa hai dòng '---'")
            continue
        else:  # stream start and end, document end
            continue
        if not stack:
            root = value
            continue
        parent = stack[-1]
        if isinstance(parent.value, list):
            parent.value.append(value)
            if len(stack) == 2 and isinstance(stack[0].value, dict):
                item_lines.setdefault(stack[0].key, []).append(line)
        elif parent.key is _NO_KEY:
            if not isinstance(value, str):
                raise FrontMatterError(line, "tên trường phải là một chữ",
                                       "viết mỗi trường dạng 'tên: giá trị', ví dụ 'title: …'")
            if value in parent.seen:
                first = parent.seen[value]
                where = f"dòng {first} và dòng {line}" if first != line else f"cả hai ở dòng {line}"
                raise FrontMatterError(
                    line, f"trường '{_short(value)}' được viết hai lần ({where})",
                    f"giữ một lần '{_short(value)}: …' và xoá lần kia")
            parent.seen[value] = line
            parent.key = value
            if len(stack) == 1:
                key_lines[value] = line
        else:
            parent.value[parent.key] = value
            parent.key = _NO_KEY
    return ({} if root is None else root), key_lines, item_lines


def _short(text: str, limit: int = 40) -> str:
    """A reporter's text cut short enough to quote in a one-line message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
