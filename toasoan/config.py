"""The bulletin's settings, read from ``extra.bulletin`` in mkdocs.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from .places import Places, read_places
from .text import nfc, slugify


@dataclass(frozen=True)
class Section:
    slug: str
    name: str


@dataclass
class SiteConfig:
    """Everything about the bulletin that a province changes without touching code."""

    name: str = "Bản tin"
    sections: list[Section] = field(default_factory=list)
    places: Places = field(default_factory=Places)
    distinct_names: list[str] = field(default_factory=list)  # look-alike names that are really two
    timezone: str = "Asia/Ho_Chi_Minh"
    page_size: int = 20
    articles_dir: str = "articles"
    images_dir: str = "images"
    related_count: int = 5
    extra: dict = field(default_factory=dict)
    # Mistakes in the settings: (level, setting, message, fix), reported against mkdocs.yml.
    notes: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def find_section(self, value: str) -> Section | None:
        """Find a section by its name or slug, ignoring case and diacritics."""
        # Built once: every article asks, and slugifying names each time was 15% of `check`.
        if getattr(self, "_section_keys", None) is None:
            self._section_keys = {}
            for section in reversed(self.sections):
                self._section_keys[slugify(section.name)] = section
            for section in reversed(self.sections):
                self._section_keys[section.slug] = section
        return self._section_keys.get(slugify(value))

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
        notes: list[tuple[str, str, str, str]] = []
        problems: list[tuple[str, str, str]] = []
        places = read_places(data.pop("places", None), problems)
        notes += [(level, "places", message, fix) for level, message, fix in problems]
        if "districts" in data:  # the setting's old name
            problems = []
            old = read_places(data.pop("districts"), problems, "districts")
            notes += [(level, "districts", message, fix) for level, message, fix in problems]
            if places:
                notes.append(("lỗi", "districts", "có cả 'places' và 'districts' (tên cũ của 'places')",
                              "chuyển các địa phương trong 'districts' sang 'places' rồi xoá 'districts'"))
            else:
                places = old
                notes.append(("cảnh báo", "districts", "'districts' là tên cũ của 'places' và sẽ bị bỏ",
                              "đổi 'districts:' thành 'places:' trong extra.bulletin (xem README)"))
        places = Places(places)
        for written, first, second in places.clashes:
            notes.append(("lỗi", "places", f"'{written}' được dùng cho cả '{first.name}' và '{second.name}'",
                          "mỗi tên hoặc tên khác (alias) chỉ thuộc một địa phương"))
        known = {f for f in cls.__dataclass_fields__} - {"sections", "extra", "places", "notes"}
        kwargs = {k: data.pop(k) for k in list(data) if k in known}
        if "distinct_names" in kwargs:
            kwargs["distinct_names"] = [nfc(str(d)) for d in kwargs["distinct_names"] or []]
        if "name" in kwargs:
            kwargs["name"] = nfc(str(kwargs["name"]))
        return cls(sections=sections, places=places, extra=data, notes=notes, **kwargs)

    def report(self, root: Path | str, problems) -> None:
        """Add the settings' mistakes to ``problems``, at their line of mkdocs.yml."""
        if not self.notes:
            return
        path, text = Path(root) / "mkdocs.yml", ""
        if path.is_file():
            text = path.read_text(encoding="utf-8-sig")
        for level, key, message, fix in self.notes:
            line = next((n for n, l in enumerate(text.split("\n"), 1)
                         if l.strip().startswith(key + ":")), 1)
            (problems.error if level == "lỗi" else problems.warning)(path, line, message, fix)


class _TolerantLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML that reads MkDocs' ``!!python/name:`` and ``!ENV`` tags as plain values."""


def _untagged(loader, node):
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


_TolerantLoader.add_constructor(None, _untagged)


def load_mkdocs(root: Path | str) -> dict:
    """mkdocs.yml of the site in ``root`` as plain data (tools that run without MkDocs)."""
    root = Path(root)
    for name in ("mkdocs.yml", "mkdocs.yaml"):
        path = root / name
        if path.is_file():
            return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_TolerantLoader) or {}
    raise FileNotFoundError(f"không thấy mkdocs.yml trong thư mục {root}")


def load_site(root: Path | str) -> SiteConfig:
    """The SiteConfig of the site in ``root``, read from its mkdocs.yml."""
    extra = load_mkdocs(root).get("extra") or {}
    return SiteConfig.from_dict(extra.get("bulletin"))
