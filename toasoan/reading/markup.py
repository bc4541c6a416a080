"""Pieces of regular expressions for Markdown markup that run in linear time.

A pattern like ``\\[[^\\]]*\\]\\(`` looks harmless, but on a body of 150 KB of
``[`` every ``[`` starts a scan to the end of the text: quadratic, minutes of
work. The pieces here never let two failed attempts scan the same text: a
bracket's text stops at the next bracket, a destination at the next
unbalanced parenthesis, a tag at the next ``<``. On ordinary articles they
match what the older, looser patterns matched.
"""

from __future__ import annotations

import bisect
import re

# The text of a link or image: up to the next bracket of either kind.
TEXT = r"[^\[\]]*"
# A link's destination with its title, in parentheses; one level of nested
# parentheses is allowed ("Ba_Bể_(huyện)"), as Markdown allows.
DEST = r"\((?:[^()]|\([^()]*\))*\)"
# A photo's path up to its title: no spaces, balanced parentheses ("a(1).jpg").
SRC = r"(?:[^()\s]|\([^()\s]*\))*"
# An HTML tag or comment, as far as the next "<".
TAG = r"<[^<>]*>"
# An attribute list "{: .class }", as far as the next brace.
ATTRS = r"\{[^{}]*\}"
# One character of a line that is not the start of the next image "![".
BEFORE_IMAGE = r"(?:[^\n!]|!(?!\[))"

_TICKS = re.compile(r"`+")


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every inline code span, as Python-Markdown finds them.

    Markdown's own rule, a run of backticks closed by the next run of the same
    length, tried again one backtick further on when nothing closes it; done
    here with an index of runs by length instead of a regular expression,
    which is quadratic on a long run of backticks.
    """
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for i, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(i)
    spans = []
    done = 0            # text before this is inside a span already found
    for i, (start, end) in enumerate(runs):
        if end <= done:
            continue
        for opener in range(max(start, done), end):   # the whole run, then one backtick less…
            closers = by_length.get(end - opener, ())
            j = bisect.bisect_right(closers, i)
            if j < len(closers):
                close_end = runs[closers[j]][1]
                spans.append((opener, close_end))
                done = close_end
                break
    return spans


# --- How much work Python-Markdown does on a body ------------------------------
#
# Python-Markdown reads each "[" by walking, in Python, to its closing "]"
# (several times: link, image, reference, footnote), and each "](" to its
# closing ")"; an unclosed one walks to the end of its paragraph. Its other
# inline patterns, nested quotes and HTML blocks cost about (unpaired markup
# characters) × (length) of a paragraph. Beyond those quadratic paths, it
# renders dense markup (long tables, lists) at a few tens of KB a second, so
# the markup of a whole article is bounded too. All of it is measured here in
# one linear pass, so that the reader can refuse a body before Markdown sees it.

# Characters that start Markdown's inline patterns besides brackets.
MARKS = "<>*_`&~^{"
# Where a unit that Markdown formats on its own ends: a blank line, or the
# line break before a list item, table row, quote, heading or "///" block line.
_ITEM = r"[ \t]*(?:[|>#]|///|[-*+][ \t]|\d{1,9}[.)][ \t])"   # "///": a pymdownx block (caption)
_UNIT_BREAK = re.compile(rf"\n[ \t]*\n|\n(?={_ITEM})")
_ITEM_START = re.compile(_ITEM)
# An escaped character ("\\[") is text to Markdown, never a bracket.
_SQUARE = re.compile(r"\\.|[\[\]]", re.DOTALL)
_ROUND = re.compile(r"\\.|[()]", re.DOTALL)

# Limits per unit; a whole article may have twice as much. Python-Markdown
# walks about a million bracket characters a second; the markup limit is a
# 7,000-character paragraph that is all markup (about a second for "<a <a …",
# the worst); MARKS_LIMIT markup characters (see ``marks``: 5,000 list items
# or table rows) render in a few seconds. An ordinary article stays far below.
BRACKET_LIMIT = 1_000_000
MARKUP_LIMIT = 50_000_000
MARKS_LIMIT = 50_000
ITEM_WEIGHT = 10


def bracket_cost(block: str, limit: int = BRACKET_LIMIT) -> int:
    """Characters Python-Markdown walks to pair this block's "[" with "]" and "](" with ")".

    Stops counting, and returns a number above ``limit``, as soon as the
    walks already found (open ones up to here included) pass ``limit``; and
    after MARKS_LIMIT brackets, returning what it found so far (a body with
    that many is refused for its markup as a whole: see ``marks``).
    """
    cost = 0
    for pattern, opener, closer in ((_SQUARE, "[", "]"), (_ROUND, "(", ")")):
        if opener not in block or (opener == "(" and "](" not in block):
            continue
        stack: list[int] = []          # open brackets; -1: a "(" that starts no link
        opened = started = 0           # how many real ones are open, and the sum of their starts
        for n, m in enumerate(pattern.finditer(block)):
            at, c = m.start(), m.group()
            if c == opener:
                if opener == "(" and not (at and block[at - 1] == "]"):
                    stack.append(-1)
                    continue
                stack.append(at)
                opened, started = opened + 1, started + at
            elif c == closer and stack:
                start = stack.pop()
                if start >= 0:
                    cost += at - start
                    opened, started = opened - 1, started - start
            if n % 1024 == 0:
                if cost + opened * at - started > limit:
                    return cost + opened * at - started
                if n > MARKS_LIMIT:
                    break
        cost += opened * len(block) - started
    return cost


def marks(unit: str) -> int:
    """Markup characters of a unit (brackets, parentheses, list markers included), and
    ITEM_WEIGHT more when it is a list item, table row, quote or heading: Python-Markdown
    takes about as long on one of those (a millisecond) as on ITEM_WEIGHT markup characters."""
    return sum(map(unit.count, MARKS + "[]()|!-+")) + (ITEM_WEIGHT if _ITEM_START.match(unit) else 1)


def markup_cost(unit: str) -> int:
    """(markup characters) × (length): the work of Markdown's other patterns, as an upper bound."""
    return sum(map(unit.count, MARKS)) * len(unit)


def units(body: str):
    """(offset, text) of each unit of ``body`` that Markdown formats on its own.

    A paragraph, or one list item, table row, quote line or heading: smaller
    units than Markdown's at times (quote lines are joined again), which the
    limit on a whole article covers.
    """
    start = len(body) - len(body.lstrip("\n"))   # a unit starts on its first line
    for m in _UNIT_BREAK.finditer(body, start):
        if m.start() > start:
            yield start, body[start:m.start()]
        start = m.end()
    if start < len(body):
        yield start, body[start:]


# --- Code blocks: the one answer to "is this line code?" ------------------------
#
# The reader (unsafe HTML), the photo catalog (which images exist) and the lead
# photo all ask it; a second, looser copy let an image example in a code block
# become the og:image while the listing showed another photo.

_FENCE_LINE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_LIST_LINE = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


def _indent(line: str) -> int:
    """Columns of leading white space (a tab counts four, as Markdown counts it)."""
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def code_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it is in a code block.

    A fenced block opens with three or more backticks or tildes (indented at
    most three spaces; a backtick fence's info string holds no backtick) and
    closes with a fence of the same character, at least as long, or at the end
    of the text; its fence lines count as code. An indented block is a line
    indented four columns after a blank line (or after another such line),
    outside a list, where an indented line continues the list item instead.
    """
    flags: list[bool] = []
    fence = ""             # the open fence, "" outside one
    blank_before = True    # the previous line was blank (or there was none)
    indented = False       # the previous non-blank line was indented code
    in_list = False
    for line in lines:
        if fence:
            m = _FENCE_LINE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
                fence = ""
            flags.append(True)
            blank_before = False
            continue
        if not line.strip():
            flags.append(False)   # nothing to hide on a blank line, inside code or not
            blank_before = True
            continue
        if _indent(line) >= 4 and (indented or (blank_before and not in_list)):
            flags.append(indented := True)
            blank_before = False
            continue
        indented = False
        m = _FENCE_LINE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = m.group(1)
            flags.append(True)
            blank_before = False
            continue
        if _LIST_LINE.match(line):
            in_list = True
        elif blank_before and _indent(line) < 4:
            in_list = False   # a paragraph at the margin ends the list
        flags.append(False)
        blank_before = False
    return flags


def blank_code(text: str) -> str:
    """``text`` with code blocks and inline code spans made spaces (line breaks kept),
    so that what is found in the rest is what Markdown shows as text and images."""
    if "`" not in text and "~~~" not in text and "    " not in text and "\t" not in text:
        return text
    lines = text.split("\n")
    flags = code_lines(lines)
    if any(flags):
        text = "\n".join(" " * len(line) if code else line for line, code in zip(lines, flags))
    spans = code_spans(text) if "`" in text else []
    if not spans:
        return text
    parts, done = [], 0
    for start, end in spans:
        parts += [text[done:start], re.sub(r"[^\n]", " ", text[start:end])]
        done = end
    parts.append(text[done:])
    return "".join(parts)
