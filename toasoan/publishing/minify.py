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
# values may hold ">" inside quotes). Otherwise a blank run with a line break: HTML's
# whitespace is exactly these five characters (Python's \\s would also eat a no-break space).
_TOKEN = re.compile(
    r"(<(pre|textarea|script|style|code|kbd)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?</\2\s*>"
    r"|<!--.*?-->"
    r"|<[a-zA-Z/!?](?:[^>\"']|\"[^\"]*\"|'[^']*')*>)"
    r"|[ \t\r\f]*\n[ \t\n\r\f]*",
    re.S | re.I,
)


def _keep_or_fold(m: re.Match) -> str:
    return m.group(1) or "\n"


def minify_html(html: str) -> str:
    """The page with each whitespace run that spans lines (outside raw text) cut to one line break."""
    return _TOKEN.sub(_keep_or_fold, html)
