"""The bulletin's settings, read from ``extra.bulletin`` in mkdocs.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .text import fold, nfc, slugify


@dataclass(frozen=True)
class Section:
    slug: str
    name: str


@dataclass
class SiteConfig:
    """Everything about the bulletin that a province changes without touching code."""

    name: str = "Bản tin"
    sections: list[Section] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    timezone: str = "Asia/Ho_Chi_Minh"
    page_size: int = 20
    articles_dir: str = "articles"
    images_dir: str = "images"
    related_count: int = 5
    extra: dict = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def find_section(self, value: str) -> Section | None:
        """Find a section by its name or slug, ignoring case and diacritics."""
        key = slugify(value)
        for section in self.sections:
            if key in (section.slug, slugify(section.name)):
                return section
        return None

    @classmethod
    def from_dict(cls, data: dict | None) -> "SiteConfig":
        data = dict(data or {})
        sections = []
        for item in data.pop("sections", []) or []:
            if isinstance(item, str):
                sections.append(Section(slugify(item), nfc(item)))
            else:
                name = nfc(str(item["name"]))
                sections.append(Section(str(item.get("slug") or slugify(name)), name))
        known = {f for f in cls.__dataclass_fields__} - {"sections", "extra"}
        kwargs = {k: data.pop(k) for k in list(data) if k in known}
        if "districts" in kwargs:
            kwargs["districts"] = [nfc(str(d)) for d in kwargs["districts"] or []]
        if "name" in kwargs:
            kwargs["name"] = nfc(str(kwargs["name"]))
        return cls(sections=sections, extra=data, **kwargs)


def same_text(a: str, b: str) -> bool:
    """True when two names differ only in case or diacritics."""
    return fold(a) == fold(b)
