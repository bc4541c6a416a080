"""Golden output: the figure HTML and the whole file tree of a small fixture site.

A change in what the generator writes shows here as a diff to review, not as a
surprise on a province's site. After a deliberate change, rewrite the golden
files with ``TOASOAN_UPDATE_GOLDEN=1`` and commit them with the change.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image

import sitebuild

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("TOASOAN_UPDATE_GOLDEN") == "1"


def _photo() -> bytes:
    """The same JPEG bytes on every run: two flat colours, no EXIF."""
    im = Image.new("RGB", (1200, 800), (200, 40, 30))
    im.paste((30, 60, 180), (0, 400, 1200, 800))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


ARTICLES = {
    "2026/11/khai-mac.md": sitebuild.article(
        title="Ba Bể khai mạc Tuần văn hóa", date="2026-11-20 08:30", author="Xuân Nghiệp",
        location="Ba Bể", category="Văn hóa", tags=["du lịch"],
        body='Sáng 20/11, huyện khai mạc tuần lễ văn hóa.\n\n'
             '![Thuyền độc mộc trên hồ](2026/11/thuyen.jpg "Đua thuyền trên hồ Ba Bể. Ảnh: Minh Đức")\n\n'
             'Đoạn thứ hai.'),
    "2026/11/hoi-nghi.md": sitebuild.article(
        title="Hội nghị Ban Chấp hành mở rộng", date="2026-11-21 14:00", author="Hoàng Anh",
        location="Chợ Đồn", category="Chính trị", body="Chiều 21/11, hội nghị bàn nhiệm vụ năm tới."),
    "2026/10/mua-vu.md": sitebuild.article(
        title="Nông dân Na Rì vào vụ miến dong", date="2026-10-05 07:00", author="Xuân Nghiệp",
        location="Na Rì", category="Kinh tế", tags=["nông nghiệp", "du lịch"], body="Những ngày đầu tháng 10."),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = sitebuild.build(tmp_path_factory.mktemp("golden"), ARTICLES, images={"2026/11/thuyen.jpg": _photo()})
    assert built.returncode == 0, built.log
    return built


def _compare(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with TOASOAN_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path} (TOASOAN_UPDATE_GOLDEN=1 rewrites it)"


def test_figure_html(site):
    page = site.html("2026/11/ba-be-khai-mac-tuan-van-hoa/")
    [figure] = re.findall(r'<figure class="ts-figure">.*?</figure>', page, re.S)
    _compare("figure.html", figure.replace("><", ">\n<") + "\n")


def test_site_tree(site):
    """Every file the build writes, by path (the manifest's build time aside, names are stable)."""
    files = sorted(p.relative_to(site.site).as_posix() for p in site.site.rglob("*") if p.is_file())
    # The one stylesheet is named by its content, which changes with every edit of bulletin.css:
    # its name is checked in test_lean.py (the hash of what it holds), its place here.
    files = [re.sub(r"^(assets/stylesheets/site\.)[0-9a-f]{10}(\.css)$", r"\1<hash>\2", f) for f in files]
    _compare("site-tree.txt", "\n".join(files) + "\n")
