"""Problems found in reporters' input, collected and reported together."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .controls import CONTROL

ERROR = "lỗi"
WARNING = "cảnh báo"


@dataclass(frozen=True)
class Problem:
    """One problem in one file: where it is, what is wrong, how to fix it."""

    path: str
    line: int
    message: str
    fix: str = ""
    level: str = ERROR

    def __str__(self) -> str:
        text = f"{_one_line(self.path)}:{self.line}: {self.level}: {_one_line(self.message)}"
        return f"{text} — Cách sửa: {_one_line(self.fix)}" if self.fix else text

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "level": self.level,
                "message": self.message, "fix": self.fix}


@dataclass
class Problems:
    """A list of problems that every stage appends to; nothing stops at the first one."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path, line: int, message: str, fix: str = "") -> None:
        self.items.append(Problem(shown_path(path), line, message, fix, ERROR))

    def warning(self, path, line: int, message: str, fix: str = "") -> None:
        self.items.append(Problem(shown_path(path), line, message, fix, WARNING))

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.path, p.line, p.message))


# A newline (or another line end) quoted from a file name or a YAML value would let a
# reporter start a log line of their choosing, e.g. a fake error about another file.
_BREAKS = re.compile(f"\n|{CONTROL.pattern}")


def _one_line(text: str) -> str:
    """``text`` on one line: line ends and control characters written as escapes."""
    return _BREAKS.sub(lambda m: "\\n" if m.group() == "\n" else
                       (f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"),
                       str(text))


def shown_path(path) -> str:
    """Show a path relative to the working folder when it is inside it."""
    p = Path(path)
    try:  # the folder only: a symlinked article is named by its own path, not its target's
        return (p.parent.resolve() / p.name).relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()
