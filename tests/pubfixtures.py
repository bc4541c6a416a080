"""Small helpers shared by the publishing tests (feeds, sitemaps, meta)."""

from __future__ import annotations

from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

from toasoan.publishing.meta import Publication
from toasoan.core.model import Article

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
EVIL = "Tin <script>alert(1)</script> & \"kép\" 'đơn'"
EVIL_SUMMARY = "Tóm tắt </script><b>đậm</b> & \"x\" 'y'"


def jpeg(width=1600, height=900) -> bytes:
    """A real JPEG photo, drawn here (tests download nothing)."""
    import io

    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (width, height), (180, 40, 40)).save(out, "JPEG", quality=80)
    return out.getvalue()


def when(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def make(title="Bài thử", date="2026-11-24 09:00", slug=None, section="chinh-tri", tags=(),
         summary="Tóm tắt bài.", image=None, body="Đoạn một.", authors=("Xuân Nghiệp",),
         updated=None) -> Article:
    return Article(path=Path("articles/x.md"), rel_path="x.md", title=title, date=when(date),
                   authors=list(authors), location="Ba Bể", slug=slug or f"bai-{abs(hash(title)) % 10**8}",
                   body=body, body_line=1, section=section, tags=list(tags), summary=summary,
                   summary_given=True, image=image, updated=when(updated) if updated else None)


def many(count: int, start="2026-11-25 11:00", step=timedelta(hours=1), **fields) -> list[Article]:
    first = when(start)
    return [make(title=f"Bài số {i}", slug=f"bai-so-{i}",
                 date=(first - i * step).strftime("%Y-%m-%d %H:%M"), **fields) for i in range(count)]


def pub(**fields) -> Publication:
    base = dict(site_url="https://example.org/bao/", title="Báo Mẫu & Tin", name="Báo <Mẫu>",
                description="Tin tức", sections={"chinh-tri": "Chính trị", "xa-hoi": "Xã hội"},
                logo="assets/logo.png")
    base.update(fields)
    return Publication(**base)


class Head(HTMLParser):
    """Collects <meta>, <link> and JSON-LD blocks of an HTML page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.links: list[dict] = []
        self.json_ld: list[str] = []
        self._in_ld = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a):
            # One element may carry both (meta description and og:description): each reader sees its own.
            for key in (a.get("property"), a.get("name")):
                if key:
                    self.meta.append((key, a.get("content")))
        elif tag == "link":
            self.links.append(a)
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data

    def first(self, name: str) -> str | None:
        return next((c for n, c in self.meta if n == name), None)

    def all(self, name: str) -> list[str]:
        return [c for n, c in self.meta if n == name]
