"""The CMS configuration is generated from mkdocs.yml: every section and place
offered, nothing else; the settings block is checked; `toasoan serve` runs the
local backend beside the preview and leaves nothing running."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo
from pathlib import Path

import pytest
import yaml

from loopback import free_port
import sitebuild
from toasoan.tools import cms

REPO = Path(__file__).resolve().parent.parent

SECTIONS = [{"slug": "thoi-su", "name": "Thời sự"}, {"slug": "nong-nghiep", "name": "Nông nghiệp"}]


def _mkdocs(**bulletin) -> dict:
    return {"site_url": "https://example.org/bao/",
            "extra": {"bulletin": {"sections": SECTIONS, "districts": ["Ba Bể", "Chợ Đồn"], **bulletin}}}


NOW = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _config(mkdocs: dict, **kwargs) -> dict:
    return cms.cms_config(mkdocs, now=NOW, **kwargs)


def _field(config: dict, name: str) -> dict:
    return next(f for f in config["collections"][0]["fields"] if f["name"] == name)


def test_every_section_and_place_and_nothing_else():
    config = _config(_mkdocs())
    assert [o["value"] for o in _field(config, "category")["options"]] == ["Thời sự", "Nông nghiệp"]
    assert [o["value"] for o in _field(config, "location")["options"]] == ["Ba Bể", "Chợ Đồn"]
    filters = [v["label"] for v in config["collections"][0]["view_filters"]]
    assert filters == ["Thời sự", "Nông nghiệp"]


def test_the_sample_sites_settings():
    data = yaml.safe_load((REPO / "tests" / "fixtures" / "site" / "mkdocs.yml").read_text(encoding="utf-8"))
    config = _config(data, local_url="http://127.0.0.1:9/api/v1")
    bulletin = data["extra"]["bulletin"]
    assert [o["value"] for o in _field(config, "category")["options"]] == [s["name"] for s in bulletin["sections"]]
    assert [o["value"] for o in _field(config, "location")["options"]] == [
        p["name"] if isinstance(p, dict) else p for p in bulletin["places"]]


def test_places_with_aliases():
    config = _config(_mkdocs(places=[
        {"name": "Thành phố Bắc Kạn", "aliases": ["TP. Bắc Kạn", "thành phố Bắc Kạn"]}, "Ba Bể"]))
    options = _field(config, "location")["options"]
    assert [o["value"] for o in options] == ["Thành phố Bắc Kạn", "Ba Bể"]
    # The aliases are in the label, so typing one in the list finds the place.
    assert "TP. Bắc Kạn" in options[0]["label"] and options[1]["label"] == "Ba Bể"


def test_fields_match_what_check_reads():
    from toasoan.reading.reader import OPTIONAL, REQUIRED
    config = _config(_mkdocs(default_author="Xuân Nghiệp"))
    fields = {f["name"]: f for f in config["collections"][0]["fields"]}
    assert set(fields) - {"body"} <= set(REQUIRED) | set(OPTIONAL)
    for key in REQUIRED:
        assert fields[key].get("required", True), key
    assert fields["date"]["format"] == "YYYY-MM-DD HH:mm"
    assert fields["author"]["default"] == ["Xuân Nghiệp"]
    assert fields["related"]["collection"] == "bai-viet-2026"
    assert fields["related"]["value_field"] == "{{dirname}}/{{filename}}"  # articles/2026/11/ten-bai
    assert config["locale"] == "vi" and config["publish_mode"] == "editorial_workflow"
    col = config["collections"][0]
    assert (col["folder"], col["path"]) == ("articles/2026", "{{month}}/{{slug}}")
    assert (col["media_folder"], col["public_folder"]) == ("/images/{{year}}/{{month}}", "{{year}}/{{month}}")
    assert fields["image"]["media_library"]["config"]["max_file_size"] == 10 * 1024 * 1024
    limit = _config(_mkdocs(photos={"max_mb": 4}))
    assert _field(limit, "image")["media_library"]["config"]["max_file_size"] == 4 * 1024 * 1024


def test_one_collection_per_recent_year():
    assert [c["name"] for c in _config(_mkdocs())["collections"]] == ["bai-viet-2026", "bai-viet-2025"]
    three = _config(_mkdocs(cms={"years": 3}))["collections"]
    assert [c["folder"] for c in three] == ["articles/2026", "articles/2025", "articles/2024"]


def test_backends():
    local = _config(_mkdocs(cms={"port": 8123, "branch": "main"}))
    assert local["backend"]["name"] == "proxy"
    assert local["backend"]["proxy_url"] == "http://127.0.0.1:8123/api/v1"
    github = _config(_mkdocs(cms={"backend": "github", "repo": "tinh/bao"}))
    assert github["backend"]["name"] == "github" and github["backend"]["repo"] == "tinh/bao"
    assert github["local_backend"]["url"].startswith("http://127.0.0.1:")
    gitea = _config(_mkdocs(cms={"backend": "gitea", "repo": "tinh/bao",
                                        "base_url": "https://git.tinh.vn/", "app_id": "abc"}))
    assert gitea["backend"]["api_root"] == "https://git.tinh.vn/api/v1"
    assert gitea["backend"]["app_id"] == "abc"
    assert "publish_mode" not in gitea  # decap-cms-backend-gitea throws on editorial workflow
    assert "publish_mode" not in _config(_mkdocs(cms={"workflow": False}))


@pytest.mark.parametrize("settings, words", [
    ({"backend": "wordpress"}, "backend 'wordpress'"),
    ({"backend": "github"}, "repo thiếu"),
    ({"backend": "gitea", "repo": "a/b"}, "base_url thiếu"),
    ({"prot": 1}, "khoá lạ prot"),
    ({"years": 0}, "years '0'"),
])
def test_bad_settings_are_reported_in_vietnamese(settings, words):
    with pytest.raises(cms.CmsSettingsError) as e:
        _config(_mkdocs(cms=settings))
    assert words in str(e.value) and "Cách sửa:" in str(e.value)


def test_admin_is_published_only_when_asked(tmp_path):
    art = {"2026/11/a.md": sitebuild.article(date="2026-11-10 08:00", category="Thời sự")}
    off = sitebuild.build(tmp_path / "off", art)
    assert off.returncode == 0, off.log
    assert not (off.site / "admin").exists()
    on = sitebuild.build(tmp_path / "on", art, cms={"backend": "github", "repo": "tinh/bao", "publish": True})
    assert on.returncode == 0, on.log
    admin = on.site / "admin"
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["name"] == "github"
    names = {p.name for p in admin.iterdir()}
    assert {"index.html", "decap-cms.js", "toasoan-cms.js", "settings.js", "config.yml"} <= names
    assert not any(n.endswith(".map") for n in names)
    html = (admin / "index.html").read_text(encoding="utf-8")
    assert "://" not in html.replace('content="width', "")  # no script from another host
    # The article pages did not change: nothing of the CMS is linked from them.
    assert "admin" not in on.html("2026/11/tieu-de-thu-nghiem/")
    bad = sitebuild.build(tmp_path / "bad", art, cms={"backend": "svn"})
    assert bad.returncode != 0 and "extra.bulletin.cms.backend 'svn'" in bad.log



def _get(url: str, data: bytes | None = None) -> bytes:
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.read()


@pytest.mark.slow
def test_serve_runs_the_local_backend_and_stops_it(tmp_path):
    root = tmp_path / "site"
    built = sitebuild.build(root, {"2026/11/a.md": sitebuild.article(date="2026-11-10 08:00")})
    assert built.returncode == 0, built.log
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    web, api = free_port(), free_port()
    proc = subprocess.Popen([sys.executable, "-m", "toasoan", "serve", "--root", str(root), "--cms-port", str(api),
                             "--", "-a", f"127.0.0.1:{web}"], cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        config = None
        while time.monotonic() < deadline:
            try:
                config = yaml.safe_load(_get(f"http://127.0.0.1:{web}/bao-thu/admin/config.yml"))
                break
            except OSError:
                time.sleep(0.5)
        assert config, "toasoan serve did not serve /admin/"
        assert config["backend"]["proxy_url"] == f"http://127.0.0.1:{api}/api/v1"
        info = json.loads(_get(f"http://127.0.0.1:{api}/api/v1", b'{"action": "info"}'))
        assert info["publish_modes"] == ["simple", "editorial_workflow"]
        proc.terminate()  # serve alone, as a service manager would
        proc.wait(30)
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", api), timeout=1).close()
        assert not (root / ".cache" / "decap-server.pid").exists()
    finally:
        # On failure, whatever is left: serve's group, then the backend's own group.
        pid_file = root / ".cache" / "decap-server.pid"
        groups = [proc.pid] + ([int(pid_file.read_text())] if pid_file.exists() else [])
        for group in groups:
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait(10)
