"""``toasoan init``: a new province's site, ready to build.

Copies ``site_template/`` (shipped inside the package) into a new folder and fills
in the bulletin's name, province, sections and places. The site holds only the
newsroom's content and settings; templates, styles and code stay in the package,
so upgrading is changing one pinned version. Never writes into an existing folder.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .. import __version__
from ..core.text import nfc, slugify

TEMPLATE = Path(__file__).resolve().parent / "site_template"
SECTIONS = ("Thời sự", "Chính trị", "Kinh tế", "Xã hội", "Văn hóa", "Thể thao", "Quốc phòng – An ninh")
RENAMED = {"gitignore": ".gitignore"}  # dot-files kept under plain names inside the package


class InitError(Exception):
    def __init__(self, message: str, fix: str = ""):
        super().__init__(message)
        self.message, self.fix = message, fix


@dataclass
class NewSite:
    folder: Path
    name: str
    province: str
    sections: list[str]
    places: list[str]
    url: str


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def plan(folder: Path, name: str, province: str, sections: list[str] | None = None,
         places: list[str] | None = None, url: str | None = None) -> NewSite:
    name, province = " ".join(nfc(name).split()), " ".join(nfc(province).split())
    if not name or not slugify(name):
        raise InitError("tên báo trống hoặc không có chữ", 'viết --name "Báo Thái Nguyên"')
    if not province or not slugify(province):
        raise InitError("tên tỉnh trống hoặc không có chữ", 'viết --province "Thái Nguyên"')
    sections = [" ".join(nfc(s).split()) for s in (sections or SECTIONS) if s.strip()]
    slugs = [slugify(s) for s in sections]
    if not sections or not all(slugs) or len(set(slugs)) != len(slugs):
        raise InitError("danh sách chuyên mục trống, có tên không có chữ, hoặc hai tên trùng nhau",
                        'viết --sections "Thời sự, Kinh tế, Văn hóa"')
    places = [" ".join(nfc(p).split()) for p in (places or [province]) if p.strip()]
    if province not in places:
        places.insert(0, province)  # the welcome article's place, and imported articles' default
    url = url or f"https://example.org/{slugify(name)}/"
    if not url.startswith(("http://", "https://")):
        raise InitError(f"địa chỉ trang '{url}' phải bắt đầu bằng https://", "viết --url https://baothainguyen.vn/")
    return NewSite(Path(folder), name, province, sections, places, url.rstrip("/") + "/")


def create(site: NewSite, now: datetime | None = None) -> list[Path]:
    """Write the new site; returns the files written. The folder must not exist (or be empty)."""
    folder = site.folder
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InitError(f"thư mục '{folder}' đã có, không ghi đè",
                        "chọn một tên thư mục mới, hoặc xoá thư mục cũ nếu chắc chắn không cần")
    values = {
        "{{NAME}}": site.name, "{{PROVINCE}}": site.province, "{{VERSION}}": __version__,
        "{{NAME_YAML}}": _yaml(site.name), "{{PROVINCE_YAML}}": _yaml(site.province),
        "{{URL_YAML}}": _yaml(site.url),
        "{{DESCRIPTION_YAML}}": _yaml(f"Tin tức, sự kiện của tỉnh {site.province}"),
        "{{COPYRIGHT_YAML}}": _yaml(f"© {site.name}"),
        "{{SECTIONS}}": "\n".join(f"      - {{slug: {slugify(s)}, name: {_yaml(s)}}}" for s in site.sections),
        "{{PLACES}}": "\n".join(f"      - {_yaml(p)}" for p in site.places),  # aliases: see README
    }
    # Everything is written into a temporary folder beside the target, then renamed:
    # a failure half-way leaves nothing behind.
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for source in sorted(TEMPLATE.rglob("*")):
            if source.is_dir() or "__pycache__" in source.parts:
                continue
            rel = source.relative_to(TEMPLATE)
            target = staging / rel.parent / RENAMED.get(rel.name, rel.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            for key, value in values.items():
                text = text.replace(key, value)
            target.write_text(text, encoding="utf-8")
        when = (now or datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))).replace(second=0, microsecond=0)
        welcome = staging / "articles" / f"{when:%Y}" / f"{when:%m}" / "chao-mung-ban-doc.md"
        welcome.parent.mkdir(parents=True)
        welcome.write_text(_welcome(site, when), encoding="utf-8")
        _logos(staging / "docs" / "assets", site.province)
        if folder.exists():
            folder.rmdir()  # empty: checked above
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _welcome(site: NewSite, when: datetime) -> str:
    return (
        "---\n"
        f"title: {_yaml(site.name + ' ra mắt trang tin điện tử')}\n"
        f"date: {when:%Y-%m-%d %H:%M}\n"
        f"author: {_yaml('Ban Biên tập')}\n"
        f"location: {_yaml(site.province)}\n"
        f"category: {_yaml(site.sections[0])}\n"
        "---\n\n"
        f"Trang tin điện tử của {site.name} bắt đầu hoạt động. Bài viết này được tạo cùng trang; "
        "tòa soạn sửa hoặc xoá nó khi đăng những bài đầu tiên.\n\n"
        "Mỗi bài là một tệp trong thư mục `articles/`; lệnh `toasoan new` tạo sẵn phần đầu bài.\n"
    )


def _initials(province: str) -> str:
    words = [w for w in slugify(province).split("-") if w]
    return "".join(w[0] for w in words[:3]).upper() or "TS"


def _logos(folder: Path, province: str) -> None:
    """Placeholder logos (SVG for the favicon, a 512 px PNG for search engines) until the real one."""
    folder.mkdir(parents=True, exist_ok=True)
    letters = _initials(province)
    (folder / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        '<rect width="64" height="64" rx="8" fill="#b3141b"/>'
        f'<text x="32" y="41" font-family="serif" font-size="24" font-weight="700" '
        f'text-anchor="middle" fill="#fff">{letters}</text></svg>\n', encoding="utf-8")
    from PIL import Image, ImageDraw, ImageFont  # only here: the other tools never load Pillow

    image = Image.new("RGB", (512, 512), (179, 20, 27))
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, 487, 487), outline=(255, 255, 255), width=12)
    font = ImageFont.load_default(size=200)  # Pillow's bundled font: nothing to download
    draw.text((256, 256), letters, font=font, fill=(255, 255, 255), anchor="mm")
    image.save(folder / "logo.png", optimize=True)
