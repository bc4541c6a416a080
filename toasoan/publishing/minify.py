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


def minify_html(html: str) -> str:
    """The page with each whitespace run that spans lines (outside raw text) cut to one line
    break, or to nothing between two block-level tags."""
    # [text, token or None (a line break run), element name, text, …]: one pass in C, then a
    # loop over the matches only (a function per match, as re.sub calls it, cost more).
    parts = _TOKEN.split(html)
    del parts[2::3]   # now texts at even places, tokens (None: a line break run) at odd ones
    last = len(parts) - 1
    for i in range(1, len(parts), 2):
        if parts[i] is not None:
            continue
        before = parts[i - 1] = parts[i - 1].rstrip(_BLANKS)   # the blanks before the line break
        # Only blanks between the tag before and the tag after, both block-level: nothing.
        # (A tag's "<" is always its own token's: the last "<" in the token before opens it.)
        tag = parts[i - 2] if i >= 3 else None
        if (not before and tag is not None and tag.endswith(">") and _block_tag_at(tag, tag.rfind("<"))
                and i + 2 <= last and parts[i + 1] == "" and parts[i + 2] is not None
                and _block_tag_at(parts[i + 2], 0)):
            parts[i] = ""
        else:
            parts[i] = "\n"
    return "".join(parts)
