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
