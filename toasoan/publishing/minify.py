"""Whitespace out of a finished page: every run of blanks that holds a line break becomes one,
or none between two block-level tags.

Only the text between tags changes, and only by whitespace a browser collapses anyway
(HTML's "inter-element whitespace" and runs of spaces in normal text). Left exactly as
they are: the inside of ``<pre>``, ``<textarea>``, ``<script>`` (JSON-LD and our own
scripts) and ``<style>``, of ``<code>`` and ``<kbd>`` (the theme shows them with
``white-space: pre-wrap``: a reporter's inline code keeps its line breaks and indent),
comments, and every tag with its attributes. Between a block-level or head tag and the
next one (``</p>`` and ``<p>``, ``</li>`` and ``<li>``, ``<meta>`` and ``<link>``) the
run goes: no browser renders it (about 90 bytes an article). Anywhere else a line break
stays a line break, so a space between two inline elements (a link, a comma, the next
link) or after a word is never lost.

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


# Block-level and head elements: a blank run between two of these tags is never rendered
# (between block boxes, or in <head>), so it goes altogether. Between anything else (a link
# and the next, text and a tag) it stays one line break, which a browser shows as a space.
_BLOCK = frozenset("html head body meta link title script style p div ul ol li section article header "
                   "footer nav main h1 h2 h3 h4 h5 h6 address form table thead tbody tfoot tr td th figure "
                   "figcaption blockquote hr dl dt dd aside details summary".split())
_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def _block_tag_at(text: str, at: int) -> bool:
    m = _NAME.match(text, at) if at >= 0 else None
    return m is not None and m.group(1).lower() in _BLOCK


def _keep_or_fold(m: re.Match) -> str:
    if m.group(1):
        return m.group(1)
    text, start, end = m.string, m.start(), m.end()
    # The run ends a tag (">" just before it: the last "<" opened it, as a tag's "<" is always
    # its own token) and the next token is a tag: both block-level, the run goes.
    if start and text[start - 1] == ">" and _block_tag_at(text, end) \
            and _block_tag_at(text, text.rfind("<", 0, start)):
        return ""
    return "\n"


def minify_html(html: str) -> str:
    """The page with each whitespace run that spans lines (outside raw text) cut to one line
    break, or to nothing between two block-level tags."""
    return _TOKEN.sub(_keep_or_fold, html)
