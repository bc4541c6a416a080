"""Whitespace out of a finished page: every run of blanks that holds a line break becomes one.

Only the text between tags changes, and only by whitespace a browser collapses anyway
(HTML's "inter-element whitespace" and runs of spaces in normal text). Left exactly as
they are: the inside of ``<pre>``, ``<textarea>``, ``<script>`` (JSON-LD and our own
scripts) and ``<style>``, of ``<code>`` and ``<kbd>`` (the theme shows them with
``white-space: pre-wrap``: a reporter's inline code keeps its line breaks and indent),
comments, and every tag with its attributes. A line break
stays a line break, so the page still reads line by line in "view source", and a space
between two inline elements (a link, a comma, the next link) is never lost.

Why not a full minifier (minify-html, measured): it also drops attribute quotes and
closing tags, which saved a further 1 % after gzip on an article page but rewrites
every tag a province's own partials, its tools and our tests read; its JavaScript
minifier is optional anyway. This one costs about as much (≈ 0.2 ms a page) and
cannot change what a page means, so it runs on every page, after the guard.
"""

from __future__ import annotations

import re

# Kept verbatim: raw-text and whitespace-keeping elements, comments, and tags (attribute
# values may hold ">" inside quotes). Otherwise a line break and the blanks after it; the
# blanks before it are cut from the text in front (see minify_html). HTML's whitespace is
# exactly these five characters (Python's \\s would also eat a no-break space).
#
# Written for speed, same result as the plain form (every run of blanks holding a line
# break, ``[ \t\r\f]*\n[ \t\n\r\f]*``, becomes one line break; checked against it on
# every page of a 2,000-article site and on random strings of tags, quotes and blanks):
# - a run starts at its line break, not at its first blank: with a blank allowed first,
#   the search tried a match at every space of the text and failed at most of them;
# - possessive quantifiers (``++``, ``*+``) in tags: a tag's end is found by one forward
#   scan (characters, or a whole quoted value), so backtracking into it can never find
#   another match; without them the engine kept a backtracking point for every character.
# Together ≈ 0.21 → 0.11 ms of CPU a page.
_TOKEN = re.compile(
    r"(<(pre|textarea|script|style|code|kbd)\b(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+>.*?</\2\s*>"
    r"|<!--.*?-->"
    r"|<[a-zA-Z/!?](?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+>)"
    r"|\n[ \t\n\r\f]*",
    re.S | re.I,
)
_BLANKS = " \t\r\f"


def minify_html(html: str) -> str:
    """The page with each whitespace run that spans lines (outside raw text) cut to one line break."""
    # [text, token or None (a line break run), element name, text, …]: one pass in C, then a
    # loop over the matches only (a function per match, as re.sub calls it, cost more).
    parts = _TOKEN.split(html)
    del parts[2::3]
    for i in range(1, len(parts), 2):
        if parts[i] is None:
            parts[i] = "\n"
            parts[i - 1] = parts[i - 1].rstrip(_BLANKS)   # the blanks before the line break
    return "".join(parts)
