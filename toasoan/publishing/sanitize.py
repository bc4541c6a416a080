"""The guard on what a browser runs: an allowlist over each article's rendered HTML.

Reporters write Markdown, but Markdown passes raw HTML through, and extensions
(``attr_list``, ``/// caption`` attributes) add attributes of the writer's
choosing. A check on the Markdown source can never know what the browser will
see, so the guard sits on the output: after every Markdown extension and the
photo figures have run, the HTML goes through ``nh3`` (Ammonia, an HTML5
parser with an allowlist) and keeps only

- the elements and attributes that Markdown and this project emit,
- URLs with the schemes ``http``, ``https``, ``mailto``, ``tel`` or relative ones,
- resources (``src``, ``srcset``) from the site itself, or from a host the
  province lists in ``embed_hosts`` (off by default),
- class names the site's own styles expect, ids that cannot clash with the page's.

No ``style``, no event handler, no ``script``/``iframe``/``object``/``form``/
``base``/``meta``. What was removed is listed too (``Removal``), so the reporter
hears about it with the line of the construct; that list comes from a cheap scan
with the same tables. The scan only explains: ``nh3`` is the guard either way.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "picture", "pre", "q", "s", "small", "source", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
})
# Removed together with what they hold: their text is code or chrome, not prose.
DROP_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "textarea", "select", "option",
    "svg", "math", "object", "embed", "applet", "noembed", "noframes", "xmp", "title",
})
EMBED_TAG = "iframe"

GENERIC_ATTRS = frozenset({"id", "class", "title", "lang", "dir"})
ATTRS = {
    "a": {"href", "aria-label"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding", "fetchpriority"},
    "source": {"type", "srcset", "sizes"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "col": {"span"}, "colgroup": {"span"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "details": {"open"},
    "abbr": set(),
}
EMBED_ATTRS = {"src", "width", "height", "title", "allow", "allowfullscreen", "loading", "referrerpolicy"}

URL_ATTRS = frozenset({"href", "src", "cite"})
RESOURCE_ATTRS = frozenset({"src", "srcset"})   # fetched by the browser without a click
SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Classes the site's stylesheet gives meaning to inside an article body, and the ones
# Markdown's extensions write; any other class could borrow the page's own chrome
# (a fixed header, a hidden panel) to dress up fake content.
CLASSES = frozenset({
    "footnote", "footnote-ref", "footnote-backref",
    "ts-figure", "ts-figure--missing", "ts-figure__zoom", "ts-figure__caption", "ts-figure__credit",
})
_LANGUAGE_CLASS = re.compile(r"language-[a-z0-9_+#-]{1,30}")
# Ids the page itself uses (skip link, masthead, search, Material's chrome) must stay unique.
_RESERVED_ID = re.compile(r"(?:md-|ts-|__|noi-dung$|tim-kiem$|dau-trang$)", re.IGNORECASE)
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_:.-]{0,80}")

# Browsers drop tabs and newlines anywhere in a URL and treat "\" as "/": compare what they do.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")

# Quoted values are bounded and a tag ends at the next "<" outside quotes, so one scan
# of a hostile page stays linear; a tag the scan cannot read is still cleaned by nh3.
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\"[^\"]{0,2000}\"|'[^']{0,2000}'|[^'\"<>])*)>")
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


@dataclass(frozen=True)
class Removal:
    """One thing the guard took out: what it was, and text to find it by in the source."""

    what: str          # e.g. "thẻ <iframe>", "thuộc tính onerror", "liên kết javascript:"
    needles: tuple[str, ...]  # lower-case strings that locate it in the Markdown source


class Sanitizer:
    """One allowlist for a site; ``clean`` is called once per article page."""

    def __init__(self, site_host: str = "", embed_hosts: list[str] | tuple[str, ...] = ()):
        self.site_host = site_host.lower()
        self.embed_hosts = frozenset(h.lower().strip() for h in embed_hosts if h and h.strip())
        self.tags = TAGS | ({EMBED_TAG} if self.embed_hosts else set())
        self.attrs = {tag: set(names) for tag, names in ATTRS.items()}
        if self.embed_hosts:
            self.attrs[EMBED_TAG] = set(EMBED_ATTRS)
        self._cleaner = nh3.Cleaner(
            tags=set(self.tags),
            clean_content_tags=set(DROP_WITH_CONTENT | ({EMBED_TAG} if not self.embed_hosts else set())),
            attributes={"*": set(GENERIC_ATTRS), **self.attrs},
            attribute_filter=self._filter,
            strip_comments=True,
            link_rel=None,
            url_schemes=set(SCHEMES),
        )

    def clean(self, text: str) -> tuple[str, list[Removal]]:
        """The safe HTML, and what was taken out of ``text`` (empty for a clean article)."""
        return self._cleaner.clean(text), self.inspect(text)

    # The guard: nh3 calls this for each attribute its allowlist kept.
    def _filter(self, tag: str, name: str, value: str) -> str | None:
        return value if self._attribute_problem(tag, name, value) is None else self._partial(tag, name, value)

    def _partial(self, tag: str, name: str, value: str) -> str | None:
        # A class list keeps its known names rather than losing every one of them.
        if name == "class":
            kept = [c for c in value.split() if _class_ok(c)]
            return " ".join(kept) or None
        return None

    def _attribute_problem(self, tag: str, name: str, value: str) -> str | None:
        """Why this allowed attribute's value is not kept (None: keep it)."""
        if name == "class":
            bad = [c for c in value.split() if not _class_ok(c)]
            return f"lớp (class) '{' '.join(bad)}'" if bad else None
        if name == "id":
            if not _ID.fullmatch(value) or _RESERVED_ID.match(value):
                return f"mã định danh (id) '{value}'"
            return None
        if name in URL_ATTRS:
            return self._url_problem(tag, name, value)
        if name == "srcset":
            for candidate in value.split(","):
                url = candidate.strip().split(" ")[0]
                if url and (problem := self._url_problem(tag, name, url)):
                    return problem
        return None

    def _url_problem(self, tag: str, name: str, value: str) -> str | None:
        url = _URL_NOISE.sub("", value).replace("\\", "/")
        m = _SCHEME.match(url)
        if m and m.group(1).lower() not in SCHEMES:
            return f"liên kết {m.group(1).lower()}:"
        foreign = url.startswith("//") or m is not None
        if not foreign:
            return None
        host = (urlsplit(url if m else "https:" + url).hostname or "").lower()
        if name in RESOURCE_ATTRS or tag == EMBED_TAG:
            if tag == EMBED_TAG and host in self.embed_hosts:
                return None
            if host and host == self.site_host:
                return None
            if m and m.group(1).lower() in ("mailto", "tel"):
                return f"liên kết {m.group(1).lower()}: làm nguồn ảnh"
            return f"tài nguyên từ máy chủ khác ({host or url[:40]})"
        return None

    def inspect(self, text: str) -> list[Removal]:
        """What ``clean`` takes out of ``text``, as the reporter should hear it.

        A regular-expression scan over start tags with the same tables as the guard:
        it explains, it does not protect.
        """
        found: list[Removal] = []
        seen: set[str] = set()

        def add(what: str, *needles: str) -> None:
            if what not in seen:
                seen.add(what)
                found.append(Removal(what, tuple(n.lower() for n in needles if n)))

        if "<" not in text:
            return found
        for m in _START_TAG.finditer(text):
            tag = m.group(1).lower()
            if tag not in self.tags:
                add(f"thẻ <{tag}>", f"<{tag}", tag)
                continue
            allowed = self.attrs.get(tag, set()) | GENERIC_ATTRS
            for a in _ATTR.finditer(m.group(2)):
                name = a.group(1).lower()
                value = html.unescape(next((v for v in a.group(2, 3, 4) if v is not None), ""))
                if name not in allowed:
                    add(f"thuộc tính {name}", f"{name}=", f"{name}:", name)
                elif problem := self._attribute_problem(tag, name, value):
                    scheme = _SCHEME.match(_URL_NOISE.sub("", value))
                    words = [c for c in value.split() if not _class_ok(c)] if name == "class" else []
                    add(problem, *words, value[:40], scheme.group(1) if scheme else "", name)
        return found


def _class_ok(name: str) -> bool:
    return name in CLASSES or bool(_LANGUAGE_CLASS.fullmatch(name))


def locate(body: str, needles: tuple[str, ...]) -> int:
    """0-based line of ``body`` where the first of ``needles`` appears (0 when none does).

    The rendered HTML has no line numbers; the construct is found again in the source
    by the text it was written with (a tag name, an attribute, the start of a URL).
    """
    lowered = body.lower()
    for needle in needles:
        at = lowered.find(needle)
        if at >= 0:
            return lowered.count("\n", 0, at)
    # Written with entities (java&#115;cript:) or with blanks the browser drops (java<tab>script:):
    # compare each line as the browser reads it.
    squeezed = [n for n in (_URL_NOISE.sub("", n) for n in needles) if n]
    for number, line in enumerate(lowered.split("\n")):
        seen = _URL_NOISE.sub("", html.unescape(line))
        if any(n in seen for n in squeezed):
            return number
    return 0
