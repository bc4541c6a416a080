"""The newsroom in a browser: Decap CMS configured from mkdocs.yml.

``cms_config`` turns the site's settings (sections, places, photo limits, the
``extra.bulletin.cms`` block) into Decap's ``config.yml``, so nothing is
written twice. ``write_admin`` puts ``admin/`` (the page, that config, our
editor script and the Decap bundle copied from ``cms/node_modules``) into a
built site: no script ever comes from another host. ``start_backend`` runs
``decap-server`` in git mode on a local checkout, which keeps each article
under review on its own branch ``cms/bai-viet-<year>/<month>/<slug>`` until
it is published.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from ..core.dates import now_in
from ..core.config import SiteConfig
from ..photos.images import PhotoSettings

ADMIN_DIR = Path(__file__).resolve().parent / "cms_admin"   # our admin page and scripts (package data)
# Decap CMS and decap-server from the npm registry, pinned in the generator's cms/package-lock.json and
# installed there by scripts/setup.sh (npm ci); TOASOAN_CMS_DIR points elsewhere (a province's own copy).
CMS_DIR = Path(os.environ.get("TOASOAN_CMS_DIR") or Path(__file__).resolve().parents[2] / "cms")
NODE_MODULES = CMS_DIR / "node_modules"
BUNDLE = NODE_MODULES / "decap-cms" / "dist"
SERVER = NODE_MODULES / "decap-server" / "dist" / "index.js"
COLLECTION = "bai-viet"                      # one collection a year: bai-viet-2026, bai-viet-2025 …
BACKENDS = ("local", "github", "gitea")


class CmsSettingsError(ValueError):
    """A mistake in ``extra.bulletin.cms``, in Vietnamese."""


@dataclass(frozen=True)
class CmsSettings:
    """``extra.bulletin.cms`` in mkdocs.yml, with the defaults below."""

    backend: str = "local"     # local (decap-server on this PC), github, gitea (also Forgejo)
    repo: str = ""             # owner/name, for github and gitea
    branch: str = ""           # default: the checkout's branch (local), else main
    base_url: str = ""         # gitea/Forgejo server, e.g. https://git.tinh.gov.vn
    app_id: str = ""           # gitea/Forgejo OAuth application id
    port: int = 8081           # local backend port on 127.0.0.1
    publish: bool = False      # keep /admin/ in the published site
    workflow: bool = True      # draft → review → ready, an editor publishes
    years: int = 2             # the editor lists this many years (Decap reads a whole year to list it)

    @classmethod
    def from_dict(cls, data: dict | None) -> "CmsSettings":
        data = dict(data or {})
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise CmsSettingsError(f"extra.bulletin.cms: khoá lạ {', '.join(sorted(unknown))} — "
                                   f"Cách sửa: dùng {', '.join(cls.__dataclass_fields__)}")
        settings = cls(**data)
        if not isinstance(settings.years, int) or settings.years < 1:
            raise CmsSettingsError(f"extra.bulletin.cms.years '{settings.years}' không hợp lệ — "
                                   "Cách sửa: một số từ 1 trở lên, ví dụ years: 2")
        if settings.backend not in BACKENDS:
            raise CmsSettingsError(f"extra.bulletin.cms.backend '{settings.backend}' không có — "
                                   f"Cách sửa: chọn một trong: {', '.join(BACKENDS)}")
        if settings.backend != "local" and "/" not in settings.repo:
            raise CmsSettingsError(f"extra.bulletin.cms.repo thiếu với backend {settings.backend} — "
                                   "Cách sửa: viết repo: chu-so-huu/ten-kho")
        if settings.backend == "gitea" and not settings.base_url:
            raise CmsSettingsError("extra.bulletin.cms.base_url thiếu với backend gitea — "
                                   "Cách sửa: viết địa chỉ máy chủ, ví dụ https://git.tinh.gov.vn")
        return settings


def places(bulletin: dict) -> list[dict]:
    """The configured places as ``{name, aliases}``, read by the build's own settings reader
    (``places:``, or its old name ``districts:``), so the editor offers exactly what ``check`` accepts."""
    return [{"name": p.name, "aliases": list(p.aliases)} for p in SiteConfig.from_dict(bulletin).places.places]


def current_branch(root: Path) -> str:
    """The checked-out branch of ``root`` ("main" when it cannot be told)."""
    try:
        out = subprocess.run(["git", "-C", str(root), "symbolic-ref", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "main"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "main"


def collection_name(year: int) -> str:
    return f"{COLLECTION}-{year}"


def cms_config(mkdocs: dict, root: Path | None = None, local_url: str | None = None,
               now: datetime | None = None) -> dict:
    """Decap CMS's configuration for the site described by ``mkdocs`` (mkdocs.yml as data).

    ``local_url`` (the local backend's API) is used by the local backend and,
    for the others, while previewing so that one PC can work without an account.
    Articles are offered one collection per year, newest year first, for the
    last ``cms.years`` years: Decap reads every file of a collection to list it
    (10,000 articles: 29 MB, 9.5 s from the local backend), so the list must
    not be the whole archive.
    """
    bulletin = (mkdocs.get("extra") or {}).get("bulletin") or {}
    site = SiteConfig.from_dict(bulletin)
    cms = CmsSettings.from_dict(bulletin.get("cms"))
    photos = PhotoSettings.from_dict(bulletin.get("photos"))
    branch = cms.branch or (current_branch(root) if root and cms.backend == "local" else "main")
    local_url = local_url or f"http://127.0.0.1:{cms.port}/api/v1"

    if cms.backend == "local":
        backend = {"name": "proxy", "proxy_url": local_url, "branch": branch}
    elif cms.backend == "github":
        backend = {"name": "github", "repo": cms.repo, "branch": branch}
    else:
        backend = {"name": "gitea", "repo": cms.repo, "branch": branch,
                   "base_url": cms.base_url.rstrip("/"), "api_root": cms.base_url.rstrip("/") + "/api/v1"}
        if cms.app_id:
            backend["app_id"] = cms.app_id
    backend["commit_messages"] = {
        "create": "Bài mới: {{path}}", "update": "Sửa bài: {{path}}", "delete": "Xoá bài: {{path}}",
        "uploadMedia": "Tải ảnh lên: {{path}}", "deleteMedia": "Xoá ảnh: {{path}}",
        "openAuthoring": "{{message}}",
    }

    max_bytes = int(photos.max_mb * 1024 * 1024)
    this_year = (now or now_in(site)).year
    collections = [_collection(site, bulletin, year, max_bytes)
                   for year in range(this_year, this_year - cms.years, -1)]
    config = {
        "locale": "vi",
        "backend": backend,
        "media_folder": site.images_dir,
        "public_folder": "",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "omit_empty_optional_fields": True,
        "collections": collections,
    }
    if cms.workflow and cms.backend != "gitea":  # Decap's Gitea backend refuses to start with it
        config["publish_mode"] = "editorial_workflow"
    if cms.backend != "local" and local_url:
        config["local_backend"] = {"url": local_url}
    if mkdocs.get("site_url"):
        config["site_url"] = str(mkdocs["site_url"])
    return config


def _collection(site: SiteConfig, bulletin: dict, year: int, max_bytes: int) -> dict:
    """The articles of one year: ``articles/<year>/<month>/<slug>.md``."""
    name = collection_name(year)
    media = {"config": {"max_file_size": max_bytes}}
    author = str(bulletin.get("default_author") or "").strip()
    fields = [
        {"name": "title", "label": "Tiêu đề", "widget": "string",
         "hint": "Đường dẫn của bài được tạo từ tiêu đề."},
        {"name": "date", "label": "Ngày giờ đăng (giờ Việt Nam)", "widget": "datetime",
         "format": "YYYY-MM-DD HH:mm", "date_format": "DD/MM/YYYY", "time_format": "HH:mm",
         "default": "{{now}}",
         "hint": "Ngày trong tương lai: bài hẹn giờ, lên trang ở lần dựng đầu tiên sau giờ đó."},
        {"name": "author", "label": "Tác giả", "widget": "list", "min": 1,
         "hint": "Nhiều tác giả: cách nhau bằng dấu phẩy.", **({"default": [author]} if author else {})},
        {"name": "location", "label": "Địa phương", "widget": "select",
         "options": [{"label": _place_label(p), "value": p["name"]} for p in places(bulletin)]},
        {"name": "category", "label": "Chuyên mục", "widget": "select",
         "options": [{"label": s.name, "value": s.name} for s in site.sections]},
        {"name": "tags", "label": "Chủ đề", "widget": "list", "required": False,
         "hint": "Cách nhau bằng dấu phẩy: nông nghiệp, OCOP"},
        {"name": "summary", "label": "Sa-pô", "widget": "text", "required": False,
         "hint": "Đoạn tóm tắt in đậm. Bỏ trống: đoạn đầu tiên của bài là sa-pô."},
        {"name": "image", "label": "Ảnh đại diện", "widget": "image", "required": False,
         "choose_url": False, "media_library": media,
         "hint": "Bỏ trống: ảnh đầu tiên trong bài là ảnh đại diện."},
        {"name": "related", "label": "Bài liên quan", "widget": "relation", "required": False,
         "collection": name, "search_fields": ["title"], "display_fields": ["title"],
         # The file's path (articles/2026/11/ten-bai): what `related:` accepts, whatever the slug.
         "value_field": "{{dirname}}/{{filename}}", "multiple": True, "options_length": 20},
        {"name": "draft", "label": "Bài nháp (không đăng)", "widget": "boolean", "required": False,
         "default": False},
        {"name": "body", "label": "Nội dung", "widget": "markdown",
         "buttons": ["bold", "italic", "link", "heading-two", "heading-three", "quote",
                     "bulleted-list", "numbered-list"],
         "editor_components": ["anh"], "modes": ["rich_text", "raw"], "sanitize_preview": True},
    ]
    return {
        "name": name, "label": f"Bài viết {year}", "label_singular": f"bài viết năm {year}",
        "folder": f"{site.articles_dir}/{year}", "create": True, "extension": "md", "format": "frontmatter",
        "path": "{{month}}/{{slug}}", "slug": "{{slug}}",
        "media_folder": f"/{site.images_dir}/{{{{year}}}}/{{{{month}}}}",
        "public_folder": "{{year}}/{{month}}",
        "identifier_field": "title", "summary": "{{title}} — {{date}}",
        "sortable_fields": ["date", "title"],
        "view_filters": [{"label": s.name, "field": "category", "pattern": f"^{s.name}$"}
                         for s in site.sections],
        "fields": fields,
    }


def _place_label(place: dict) -> str:
    return place["name"] + (f" ({', '.join(place['aliases'])})" if place["aliases"] else "")


def script_settings(mkdocs: dict, config: dict) -> dict:
    """What admin/toasoan-cms.js needs: the photo limits of `check`, the local backend."""
    bulletin = (mkdocs.get("extra") or {}).get("bulletin") or {}
    photos = PhotoSettings.from_dict(bulletin.get("photos"))
    backend = config["backend"]
    local = backend.get("proxy_url") or (config.get("local_backend") or {}).get("url", "")
    return {"max_photo_bytes": int(photos.max_mb * 1024 * 1024), "max_megapixels": photos.max_megapixels,
            "local_url": local, "branch": backend.get("branch", "main"),
            "collections": [c["name"] for c in config["collections"]]}


def write_admin(site_dir: Path, config: dict, settings: dict) -> Path:
    """Write ``admin/`` into ``site_dir``: page, config, our script, Decap's bundle."""
    if not BUNDLE.is_dir():
        raise FileNotFoundError(f"thiếu {BUNDLE} — Cách sửa: chạy bash scripts/setup.sh (cài Decap CMS bằng npm ci)")
    admin = Path(site_dir) / "admin"
    admin.mkdir(parents=True, exist_ok=True)
    for name in ("index.html", "newest-first.js", "toasoan-cms.js"):
        shutil.copyfile(ADMIN_DIR / name, admin / name)
    # Decap loads its code-split chunks and WebAssembly from next to its script.
    for path in _bundle_files():
        target = admin / path.name
        if not target.exists() or target.stat().st_size != path.stat().st_size:
            shutil.copyfile(path, target)
    (admin / "settings.js").write_text(f"window.TOASOAN_CMS = {json.dumps(settings)};\n", encoding="utf-8")
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    (admin / "config.yml").write_text("# Tạo từ mkdocs.yml bởi toasoan/cms.py — đừng sửa tay.\n" + text,
                                      encoding="utf-8")
    return admin


def _bundle_files() -> list[Path]:
    """decap-cms.js, its chunks (``123.decap-cms.js``) and WebAssembly; not the 25 MB source maps."""
    return sorted(p for p in BUNDLE.iterdir()
                  if re.fullmatch(r"(\d+\.)?decap-cms\.js|[0-9a-f]+\.wasm", p.name))


def bundle_size() -> int:
    """Bytes of Decap's files that ``write_admin`` copies (what /admin/ costs on disk)."""
    return sum(p.stat().st_size for p in _bundle_files())


def start_backend(root: Path, port: int, log=None) -> subprocess.Popen:
    """Start decap-server (git mode) on 127.0.0.1:``port`` for the checkout in ``root``.

    Git mode, not the plain file mode, because only it keeps the editorial
    workflow: each article under review lives on a branch until published.
    The process gets its own process group so callers can stop all of it.
    """
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        raise FileNotFoundError("thiếu node hoặc decap-server — Cách sửa: chạy bash scripts/setup.sh")
    env = {**os.environ, "MODE": "git", "PORT": str(port), "BIND_HOST": "127.0.0.1",
           "GIT_REPO_DIRECTORY": str(Path(root).resolve()), "LOG_LEVEL": "info"}
    return subprocess.Popen([node, str(SERVER)], cwd=str(CMS_DIR), env=env, stdout=log or subprocess.DEVNULL,
                            stderr=subprocess.STDOUT if log else subprocess.DEVNULL, start_new_session=True)


def stop_backend(proc: subprocess.Popen) -> None:
    """Stop decap-server and everything in its process group."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        except ProcessLookupError:
            pass


def backend_problem(root: Path) -> str:
    """Why the local backend cannot run for ``root`` ('' when it can)."""
    if shutil.which("node") is None or not SERVER.is_file():
        return "chưa cài node hoặc Decap CMS — Cách sửa: chạy bash scripts/setup.sh"
    inside = subprocess.run(["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
                            capture_output=True, text=True)
    if inside.returncode != 0:
        return f"{root} không phải một kho git — Cách sửa: git init, hoặc chạy trong bản sao (git clone) của kho"
    return ""
