"""Markdown extension: a reporter's photo becomes a responsive ``<figure>``.

A paragraph holding only ``![alt](2022/01/hoi-nghi.jpg "Chú thích. Ảnh: Tác giả")``
becomes a figure: a ``<picture>`` (WebP, JPEG fallback, every width) inside a
link to the largest rendition (tapping shows the photo large, no script), and
a ``<figcaption>`` with the caption, then the credit. ``alt`` is the reporter's
bracket text, else the caption. A photo inside a sentence, a link or a table
becomes a ``<picture>`` only. A list's thumbnail is a single ``<img>``
(``thumb_img_html``), made here too so both share their widths and fallback.

The figure HTML goes through Markdown's HTML stash, so MkDocs' link checker
(which knows only docs/ files) never sees the published image paths.
"""

from __future__ import annotations

from html import escape

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from ..photos.images import Photo
from ..reading.photorefs import ILLUSTRATIVE, shown, split_caption

# The article column is 35rem (bulletin.css), at most 770 px; photos run edge to edge on a phone.
BODY_SIZES = "(min-width: 800px) 770px, 100vw"
# Lists (bulletin.css): the lead story takes 2/3 of the grid, other cards a
# column of at least 16rem or a third of a row; on a phone about half the width.
LEAD_THUMB_SIZES = "(min-width: 960px) 780px, 100vw"
THUMB_SIZES = "(min-width: 960px) 400px, 50vw"
FALLBACK_WIDTH = 960


def _attr(value) -> str:
    return escape(str(value), quote=True)


def _srcset(photo: Photo, base: str, fmt: str) -> str:
    return ", ".join(f"{_attr(base + photo.url(w, fmt))} {w}w" for w in photo.widths)


def _fallback(photo: Photo) -> int:
    """The width of the plain ``src``: the one nearest FALLBACK_WIDTH (the wider on a tie)."""
    return min(photo.widths, key=lambda w: (abs(w - FALLBACK_WIDTH), -w))


def _loading(lazy: bool) -> str:
    return ' loading="lazy"' if lazy else ' fetchpriority="high"'


def picture_html(photo: Photo, base: str, alt: str, sizes: str, lazy: bool = True) -> str:
    """``<picture>`` with every width in WebP and JPEG; ``base`` leads from the page to the site root."""
    default = _fallback(photo)
    return (f'<picture><source type="image/webp" srcset="{_srcset(photo, base, "webp")}" sizes="{_attr(sizes)}">'
            f'<img src="{_attr(base + photo.url(default, "jpg"))}" srcset="{_srcset(photo, base, "jpg")}" '
            f'sizes="{_attr(sizes)}" width="{default}" height="{photo.height_for(default)}" '
            f'alt="{_attr(alt)}"{_loading(lazy)} decoding="async"></picture>')


def thumb_img_html(photo: Photo, base: str, sizes: str, lazy: bool = True) -> str:
    """A list's thumbnail: ONE ``<img>``, its ``srcset`` the WebP widths, its ``src`` a JPEG.

    No ``<picture>`` with a JPEG ``srcset`` as well: that is half the bytes of every card.
    WebP-only ``srcset`` is safe because every browser the site supports decodes WebP:
    the lists' layout already needs CSS ``:has()`` (Chromium 105, Safari 15.4, Firefox 121),
    and WebP came earlier in each (Chromium 32, Safari 14, Firefox 65). The JPEG ``src``
    is for clients that read no ``srcset`` at all (feed readers, old mail clients).
    The alt text is empty: the title next to it says what the story is.
    """
    default = _fallback(photo)
    return (f'<img src="{_attr(base + photo.url(default, "jpg"))}" srcset="{_srcset(photo, base, "webp")}" '
            f'sizes="{_attr(sizes)}" width="{default}" height="{photo.height_for(default)}" '
            f'alt=""{_loading(lazy)} decoding="async">')


def figure_html(photo: Photo, base: str, alt: str, title: str, lazy: bool = True,
                wrap: bool = True) -> str:
    """The figure of one photo: zoom link, picture, caption and credit."""
    caption, credit = split_caption(title)
    alt = alt or caption
    label = f"Xem ảnh cỡ lớn: {alt}" if alt else "Xem ảnh cỡ lớn"
    inner = (f'<a class="ts-figure__zoom" href="{_attr(base + photo.url(photo.largest, "jpg"))}" '
             f'aria-label="{_attr(label)}">{picture_html(photo, base, alt, BODY_SIZES, lazy)}</a>')
    if not wrap:
        return inner
    parts = []
    if caption:
        parts.append(f'<span class="ts-figure__caption">{escape(caption)}</span>')
    if credit:
        text = "Ảnh minh họa" if credit == ILLUSTRATIVE else f"Ảnh: {escape(credit)}"
        parts.append(f'<span class="ts-figure__credit">{text}</span>')
    text = f"<figcaption>{' '.join(parts)}</figcaption>" if parts else ""
    return f'<figure class="ts-figure">{inner}{text}</figure>'


def missing_html(src: str, block: bool = True) -> str:
    """What a photo that could not be published shows in a preview."""
    text = f"Ảnh lỗi, chưa đăng được: {escape(shown(src))}"   # no NUL or 5,000 characters in a page
    if not block:
        return f'<span class="ts-figure--missing">{text}</span>'
    return f'<figure class="ts-figure ts-figure--missing"><figcaption>{text}</figcaption></figure>'



class FigureTreeprocessor(Treeprocessor):
    """Turns ``img`` elements into figures or pictures (runs after attr_list)."""

    def __init__(self, md, ext: "FigureExtension"):
        super().__init__(md)
        self.ext = ext

    def run(self, root):
        find = self.ext.find
        if find is None:
            return  # not an article page: its images stay as MkDocs renders them
        parents = {child: parent for parent in root.iter() for child in parent}
        order = {img: i for i, img in enumerate(root.iter("img"))}
        base, lead = self.ext.base, self.ext.lead

        def render(img, as_figure: bool, wrap: bool = True) -> str:
            photo = find(img.get("src", ""))
            if photo is None:
                self.ext.misses.append(img.get("src", ""))
                return missing_html(img.get("src", ""), as_figure)
            lazy = not (order[img] == 0 or photo.src == lead)
            alt, title = img.get("alt", ""), img.get("title", "")
            if as_figure:
                return figure_html(photo, base, alt, title, lazy, wrap)
            return picture_html(photo, base, alt or split_caption(title)[0], BODY_SIZES, lazy)

        done = set()
        for p in [el for el in root.iter("p") if self._alone(el)]:
            imgs = [c for c in p if c.tag == "img"]
            wrap = parents[p].tag != "figure"  # already captioned with `/// caption`
            self._replace_block(p, "".join(render(img, True, wrap) for img in imgs))
            done.update(imgs)
        for img in order:
            if img not in done and img in parents:
                self._replace_inline(parents[img], img, render(img, False))

    @staticmethod
    def _alone(p) -> bool:
        """True when a paragraph holds images and nothing else."""
        if (p.text or "").strip() or len(p) == 0:
            return False
        return any(c.tag == "img" for c in p) and all(c.tag in ("img", "br") and not (c.tail or "").strip() for c in p)

    def _replace_block(self, p, html: str) -> None:
        p.clear()
        p.text = self.md.htmlStash.store(html)  # "<p>placeholder</p>" is swapped for the figure

    def _replace_inline(self, parent, img, html: str) -> None:
        text = self.md.htmlStash.store(html) + (img.tail or "")
        children = list(parent)
        i = children.index(img)
        if i == 0:
            parent.text = (parent.text or "") + text
        else:
            children[i - 1].tail = (children[i - 1].tail or "") + text
        parent.remove(img)


class FigureExtension(Extension):
    """``find(src) -> Photo | None`` resolves a path; ``base`` leads from the page to the site root.

    ``lead`` (a path below images/) is never lazy-loaded. Without ``find`` the
    extension leaves images alone (pages that are not articles). The MkDocs
    hook calls ``page()`` before each page is rendered.
    """

    def __init__(self, find=None, base: str = "", lead: str = ""):
        super().__init__()
        self.misses: list[str] = []
        self.page(find, base, lead)

    def page(self, find=None, base: str = "", lead: str = "") -> None:
        self.find, self.base, self.lead = find, base, lead or ""

    def extendMarkdown(self, md):
        md.registerExtension(self)
        # After attr_list (8), before MkDocs' link rewriting (0).
        md.treeprocessors.register(FigureTreeprocessor(md, self), "toasoan_figures", 6)


def makeExtension(**kwargs):  # noqa: N802 - Markdown's naming
    return FigureExtension(**kwargs)
