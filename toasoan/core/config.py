"""The bulletin's settings, read from ``extra.bulletin`` in mkdocs.yml."""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from ..core.colours import DEFAULT as DEFAULT_COLOUR, problem as colour_problem
from ..core.places import Places, read_places
from ..core.text import nfc, slugify


class ConfigError(ValueError):
    """A mistake in mkdocs.yml, worded for the technician who edits it."""


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
    embed_hosts: list[str] = field(default_factory=list)  # hosts an article may embed from (iframe, img)
    max_article_kb: int = 1024   # a bigger article file is refused before it is read
    brand_colour: str = DEFAULT_COLOUR   # the masthead bar, links, theme-color (core/colours.py)
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
        if data is not None and not isinstance(data, dict):
            raise ConfigError("extra.bulletin trong mkdocs.yml phải là các dòng 'tên: giá trị'")
        data = dict(data or {})
        sections = []
        for item in _strings_or_dicts(data.pop("sections", []) or [], "sections"):
            if isinstance(item, str):
                sections.append(Section(slugify(item), nfc(item)))
            else:
                name = item.get("name")
                if not isinstance(name, str):
                    raise ConfigError("mỗi chuyên mục trong extra.bulletin.sections cần 'name: Tên chuyên mục'")
                name = nfc(name)
                slug = item.get("slug") or slugify(name)
                sections.append(Section(slug if isinstance(slug, str) else "", name))
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", sections[-1].slug):
                raise ConfigError(f"chuyên mục '{sections[-1].name}' trong extra.bulletin.sections không có "
                                  "đường dẫn hợp lệ: thêm 'slug: ten-chuyen-muc' (chữ thường không dấu, số, '-')")
        notes: list[tuple[str, str, str, str]] = []
        problems: list[tuple[str, str, str]] = []
        places = read_places(_strings_or_dicts(data.pop("places", None) or [], "places"), problems)
        notes += [(level, "places", message, fix) for level, message, fix in problems]
        if "districts" in data:  # the setting's old name
            problems = []
            old = read_places(_strings_or_dicts(data.pop("districts") or [], "districts"), problems, "districts")
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
        notes += _check_types(kwargs, data)
        if "brand_colour" in kwargs and (why := colour_problem(kwargs["brand_colour"])):
            notes.append(("lỗi", "brand_colour", why, "chọn một màu đậm hơn, ví dụ 'brand_colour: \"#b3141b\"'"))
            del kwargs["brand_colour"]
        for key in data:
            if key not in EXTRA_SETTINGS:
                close = difflib.get_close_matches(key, sorted(known | set(EXTRA_SETTINGS) | {"sections", "places"}),
                                                  n=1, cutoff=0.6)
                notes.append(("lỗi", key, f"cài đặt lạ '{key}' trong extra.bulletin (bị bỏ qua thì không ai biết)",
                              f"có phải '{close[0]}'?" if close else
                              "xem bảng cài đặt trong README; xoá dòng này nếu không cần"))
        if "distinct_names" in kwargs:
            kwargs["distinct_names"] = [nfc(str(d)) for d in kwargs["distinct_names"] or []]
        if "name" in kwargs:
            if not isinstance(kwargs["name"], str):
                raise ConfigError("extra.bulletin.name trong mkdocs.yml phải là một dòng chữ")
            kwargs["name"] = nfc(kwargs["name"])
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


# The settings table in README, made from this by ``settings_table()`` (a test keeps README equal to it).
SETTINGS_DOC = {
    "name": "Tên cũ, còn đọc kèm cảnh báo: tên báo nay là `site_name` (đầu trang, chân trang, nguồn tin)",
    "province": "Tên tỉnh: địa phương của bài nhập không nêu xã, huyện nào",
    "sections": "Các chuyên mục: `{slug, name}`; mỗi chuyên mục một trang và một mục trên thanh đầu trang",
    "places": "Các địa phương (xã, phường, huyện cũ) kèm tên khác `aliases`; `location` của bài phải là một trong số đó",
    "distinct_names": "Những tên viết gần giống nhau nhưng đúng là hai người",
    "timezone": "Múi giờ của ngày giờ đăng",
    "page_size": "Số bài mỗi trang danh sách",
    "related_count": "Số bài trong \"Xem thêm\"",
    "section_count": "Số bài trong \"Tin cùng chuyên mục\"",
    "articles_dir": "Thư mục bài viết",
    "images_dir": "Thư mục ảnh",
    "max_article_kb": "Tệp bài lớn hơn (KB) là lỗi",
    "embed_hosts": "Máy chủ được nhúng (iframe, ảnh) vào bài; mặc định không máy chủ nào",
    "brand_colour": "Màu của báo (#rrggbb): thanh đầu trang, liên kết, màu thanh trình duyệt",
    "default_author": "Tác giả của `toasoan new` khi không ghi `--author`",
    "photos": "Ảnh: `widths`, `webp_quality`, `jpeg_quality`, `max_mb`, `max_megapixels`",
    "publisher": "Cơ quan báo ở chân trang: `logo`, `license`, `editor`, `address`, `phone`, `email`",
    "cms": "Trang viết bài /admin/: `backend` (local, github, gitea), `repo`, `publish`…",
}
_DEFAULTS_SHOWN = {"section_count": "5", "name": "site_name", "photos": "480/960/1600 px", "cms": "local"}


def settings_table() -> str:
    """The Markdown table of every ``extra.bulletin`` setting, with its default."""
    fields = SiteConfig.__dataclass_fields__
    rows = ["| Cài đặt | Mặc định | Ý nghĩa |", "|---|---|---|"]
    for key, text in SETTINGS_DOC.items():
        if key in _DEFAULTS_SHOWN:
            default = _DEFAULTS_SHOWN[key]
        elif key in fields and not isinstance(fields[key].default, type(dataclasses.MISSING)):
            default = str(fields[key].default)
        else:
            default = "—"
        rows.append(f"| `{key}` | {default} | {text} |")
    return "\n".join(rows) + "\n"


# Settings read from SiteConfig.extra by one stage each (their own defaults live there).
EXTRA_SETTINGS = {
    "province": str, "default_author": str, "section_count": int,
    "photos": dict, "publisher": dict, "cms": dict,
}
_TYPES = {"page_size": int, "related_count": int, "max_article_kb": int, "timezone": str,
          "articles_dir": str, "images_dir": str, "embed_hosts": list, "distinct_names": list}
_TYPE_WORDS = {int: "một số nguyên dương, ví dụ 20", str: "một dòng chữ", list: "một danh sách [a, b]",
               dict: "một khối các dòng 'tên: giá trị'"}


def _check_types(kwargs: dict, extra: dict) -> list[tuple[str, str, str, str]]:
    """A wrong type is an error at its line (``related_count: "5"`` used to crash much later).

    The wrong value is replaced by the default, so the rest of the run can still report
    every other problem before the build stops on this one.
    """
    notes = []
    for source, types in ((kwargs, _TYPES), (extra, EXTRA_SETTINGS)):
        for key, want in types.items():
            if key not in source:
                continue
            value = source[key]
            ok = isinstance(value, want) and not isinstance(value, bool)
            if ok and want is int:
                ok = value >= 1
            if ok and want is list:
                ok = all(isinstance(v, str) for v in value)
            if ok and key == "timezone":
                try:
                    ZoneInfo(value)
                except (ValueError, KeyError, OSError):
                    ok = False
                    notes.append(("lỗi", key, f"múi giờ '{value}' không có", "viết 'timezone: Asia/Ho_Chi_Minh'"))
                    del source[key]
                    continue
            if not ok:
                notes.append(("lỗi", key, f"'{key}' phải là {_TYPE_WORDS[want]}, không phải {_shown(value)}",
                              f"sửa dòng '{key}:' trong extra.bulletin của mkdocs.yml"))
                del source[key]
    return notes


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _strings_or_dicts(items, key: str) -> list:
    """Check a list setting before anything prints it: an alias bomb printed is gigabytes."""
    if not isinstance(items, list) or not all(isinstance(i, (str, dict)) for i in items):
        raise ConfigError(f"extra.bulletin.{key} trong mkdocs.yml phải là một danh sách")
    return items


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
            try:
                text = path.read_text(encoding="utf-8-sig")
                _check_depth(text, path)
                data = yaml.load(text, Loader=_TolerantLoader) or {}
            except yaml.YAMLError as e:
                mark = getattr(e, "problem_mark", None)
                where = f":{mark.line + 1}" if mark else ""
                raise ConfigError(f"{path}{where}: mkdocs.yml sai cú pháp YAML "
                                  f"({getattr(e, 'problem', None) or 'không đọc được'})") from None
            except (RecursionError, UnicodeDecodeError):
                raise ConfigError(f"{path}: mkdocs.yml lồng nhau quá sâu hoặc không phải văn bản UTF-8") from None
            if not isinstance(data, dict):
                raise ConfigError(f"{path}: mkdocs.yml phải là các dòng 'tên: giá trị'")
            return data
    raise FileNotFoundError(f"không thấy mkdocs.yml trong thư mục {root}")


def _check_depth(text: str, path: Path, limit: int = 50) -> None:
    """Refuse absurd nesting before loading: libyaml's C loader crashes the
    process (segmentation fault) on some tens of thousands of levels.

    Parser events come one at a time, so this stops at the first level too many.
    """
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)(text)
    try:
        depth = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limit:
                    raise ConfigError(f"{path}:{event.start_mark.line + 1}: mkdocs.yml lồng nhau quá {limit} tầng")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def load_site(root: Path | str) -> SiteConfig:
    """The SiteConfig of the site in ``root``, read from its mkdocs.yml."""
    extra = load_mkdocs(root).get("extra") or {}
    if not isinstance(extra, dict):
        raise ConfigError("extra trong mkdocs.yml phải là các dòng 'tên: giá trị'")
    return SiteConfig.from_dict(extra.get("bulletin"))
