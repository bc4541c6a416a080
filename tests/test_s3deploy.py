"""Deploy to an S3-compatible bucket: a real S3 server (moto in server mode) on loopback.

The server enforces credentials (an IAM user and key made first), so wrong keys
are refused as on a real bucket. A small TCP relay in front of it can be cut
mid-deploy: that is a server going down, for the client.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import boto3
import pytest

from loopback import free_port, wait_for_port
from toasoan.publishing import manifest
from toasoan.tools import deploy, s3deploy

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent
BUCKET = "bao-thu"



@pytest.fixture
def s3(monkeypatch):
    """A moto S3 server on a free loopback port that checks keys; the test's environment holds a
    valid key (as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and the bucket exists. Stopped after."""
    port = free_port()
    env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "3"}   # three calls to make the key, then keys count
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, proc, "the S3 server",
                      detail=lambda: proc.stderr.read().decode(errors="replace")[-2000:])
        url = f"http://127.0.0.1:{port}"
        iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1",
                           aws_access_key_id="setup", aws_secret_access_key="setup")
        iam.create_user(UserName="toasoan")
        key = iam.create_access_key(UserName="toasoan")["AccessKey"]
        iam.put_user_policy(UserName="toasoan", PolicyName="site", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")   # never ask a cloud metadata service
        s3deploy.connect(url).create_bucket(Bucket=BUCKET)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def make_site(root: Path, mark: str, drop: str = "") -> dict[str, bytes]:
    """A small built site shaped like ours: assets, articles, listings, feed, search index."""
    page = f"<!doctype html><title>{mark}</title>" + "<p>Tin tức thử nghiệm.</p>\n" * 200
    files = {
        "index.html": page + "trang chủ",
        "chinh-tri/index.html": page + "chuyên mục",
        "chinh-tri/trang/2/index.html": page + "chuyên mục trang 2",
        "2026/11/30/index.html": page + "tin theo ngày",
        "2026/11/ba-be-khai-mac/index.html": page + "bài 1",
        "2026/11/cho-moi-trong-rung/index.html": page + "bài 2",
        "feed.xml": f"<?xml version='1.0'?><rss><channel><title>{mark}</title></channel></rss>",
        "search/manifest.json": json.dumps({"version": mark}),
        "search/d/0.json": json.dumps([{"title": mark}]),
        "assets/site.css": f"body {{ color: #222 }} /* {mark} */",
        "assets/stylesheets/main.8f2a1c9e.min.css": "body{margin:0}",
        "images/2026/11/cau.webp": "RIFF----WEBPVP8 " + mark,
    }
    files.pop(drop, None)
    data = {rel: text.encode("utf-8") for rel, text in files.items()}
    for rel, body in data.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)
    manifest.write(root)
    return data


def rebuild(root: Path, changes: dict[str, bytes], removed: tuple[str, ...] = ()) -> None:
    for rel, body in changes.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)
    for rel in removed:
        (root / rel).unlink()
    manifest.write(root)


def counting(url: str) -> tuple[object, list[tuple[str, str]]]:
    """A client whose S3 calls are recorded in order: (operation, key)."""
    client = s3deploy.connect(url)
    calls: list[tuple[str, str]] = []

    def record(model, params, **_):
        calls.append((model.name, params.get("Key", "")))

    client.meta.events.register("before-parameter-build.s3", record)
    return client, calls


def objects(url: str, prefix: str = "web/") -> dict[str, bytes]:
    """Every object below the prefix, decoded as a browser would (gzip undone)."""
    client = s3deploy.connect(url)
    out = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        for item in page.get("Contents", []):
            answer = client.get_object(Bucket=BUCKET, Key=item["Key"])
            body = answer["Body"].read()
            out[item["Key"][len(prefix):]] = gzip.decompress(body) if answer.get("ContentEncoding") == "gzip" else body
    return out


def test_upload_headers_and_only_changes(s3, tmp_path):
    site = tmp_path / "site"
    files = make_site(site, "A")
    client, calls = counting(s3)
    counts = s3deploy.deploy(site, f"s3://{BUCKET}/web", client=client)
    assert counts["uploaded"] == len(files) + 1 and counts["deleted"] == 0
    assert objects(s3) == {**files, manifest.NAME: (site / manifest.NAME).read_bytes()}

    def head(rel):
        h = s3deploy.connect(s3).head_object(Bucket=BUCKET, Key=f"web/{rel}")
        return h["ContentType"], h.get("ContentEncoding"), h["CacheControl"], h["Metadata"]["sha256"]

    sums = manifest.read(site).files
    assert head("index.html") == ("text/html; charset=utf-8", "gzip", "public, max-age=300", sums["index.html"][1])
    assert head("feed.xml")[:3] == ("application/xml; charset=utf-8", "gzip", "public, max-age=300")
    assert head("assets/site.css")[:3] == ("text/css; charset=utf-8", "gzip", "public, max-age=86400")
    assert head("assets/stylesheets/main.8f2a1c9e.min.css")[2] == "public, max-age=31536000, immutable"
    assert head("images/2026/11/cau.webp")[:3] == ("image/webp", None, "public, max-age=86400")
    assert head(manifest.NAME)[:2] == ("application/json; charset=utf-8", None)   # read back by the next deploy

    # The same build again: not one PUT, not one DELETE.
    calls.clear()
    assert s3deploy.deploy(site, f"s3://{BUCKET}/web", client=client)["uploaded"] == 0
    assert [op for op, _ in calls if op in ("PutObject", "DeleteObjects")] == []

    # One article changed, one added, one photo gone: exactly those, then the manifest.
    calls.clear()
    rebuild(site, {"2026/11/ba-be-khai-mac/index.html": b"<!doctype html><title>sua</title>",
                   "2026/11/bai-moi/index.html": b"<!doctype html><title>moi</title>"},
            removed=("images/2026/11/cau.webp",))
    counts = s3deploy.deploy(site, f"s3://{BUCKET}/web", client=client)
    puts = [key for op, key in calls if op == "PutObject"]
    assert sorted(puts) == sorted(["web/2026/11/ba-be-khai-mac/index.html", "web/2026/11/bai-moi/index.html",
                                   f"web/{s3deploy.PENDING}", f"web/{manifest.NAME}"])   # the list to delete
    assert counts == {"uploaded": 3, "unchanged": len(files) - 2, "deleted": 1, "bytes": counts["bytes"]}
    live = objects(s3)
    assert "images/2026/11/cau.webp" not in live
    assert live["2026/11/bai-moi/index.html"] == b"<!doctype html><title>moi</title>"
    assert live[manifest.NAME] == (site / manifest.NAME).read_bytes()


def test_assets_first_pages_after_manifest_last_deletes_at_the_end(s3, tmp_path):
    site = tmp_path / "site"
    make_site(site, "A", drop="images/2026/11/cau.webp")
    s3deploy.deploy(site, f"s3://{BUCKET}/web", client=s3deploy.connect(s3))
    make_site(site, "B")        # every file changes, and a photo comes back
    (site / "feed.xml").unlink()  # and the feed goes away
    manifest.write(site)
    client, calls = counting(s3)
    s3deploy.deploy(site, f"s3://{BUCKET}/web", client=client)
    order = [(op, key.removeprefix("web/")) for op, key in calls if op in ("PutObject", "DeleteObjects")]
    puts = [key for op, key in order if op == "PutObject"]
    first = {key: i for i, key in enumerate(puts)}
    assets = ["assets/site.css", "images/2026/11/cau.webp"]   # the fingerprinted CSS is the same: not sent
    articles = ["2026/11/ba-be-khai-mac/index.html", "2026/11/cho-moi-trong-rung/index.html", "search/d/0.json"]
    listings = ["index.html", "chinh-tri/index.html", "chinh-tri/trang/2/index.html", "2026/11/30/index.html",
                "search/manifest.json"]
    assert max(first[k] for k in assets) < min(first[k] for k in articles)
    assert max(first[k] for k in articles) < min(first[k] for k in listings)
    assert puts[-2:] == [s3deploy.PENDING, manifest.NAME] and len(puts) == len(assets + articles + listings) + 2
    assert order[-1][0] == "DeleteObjects" and order.index(("PutObject", manifest.NAME)) < len(order) - 1
    assert "feed.xml" not in objects(s3)


class Relay:
    """A TCP relay 127.0.0.1:port → upstream that can be cut: open connections reset, new ones refused."""

    def __init__(self, upstream: int):
        self.upstream, self.socks, self.lock, self.dead = upstream, [], threading.Lock(), False
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with self.lock:
                if self.dead:   # accepted in the instant of the cut: refuse it too
                    conn.close()
                    return
                up = socket.create_connection(("127.0.0.1", self.upstream))
                self.socks += [conn, up]
            for a, b in ((conn, up), (up, conn)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        with self.lock:
            self.dead = True
            try:
                self.server.shutdown(socket.SHUT_RDWR)   # wakes the blocked accept(); close() alone would not
            except OSError:
                pass
            self.server.close()
            for s in self.socks:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()


def test_server_down_midway_leaves_the_live_site_whole(s3, tmp_path):
    site = tmp_path / "site"
    old = make_site(site, "A")
    for i in range(60):   # enough objects that the cut falls midway
        (site / f"images/anh-{i}.webp").write_bytes(f"A {i}".encode())
    manifest.write(site)
    s3deploy.deploy(site, f"s3://{BUCKET}/web", client=s3deploy.connect(s3))
    before = objects(s3)
    assert len(before) == len(old) + 61

    make_site(site, "B", drop="images/2026/11/cau.webp")   # everything changes, a photo goes
    for i in range(60):
        (site / f"images/anh-{i}.webp").write_bytes(f"B {i}".encode())
    (site / "images/2026/11/cau.webp").unlink()
    manifest.write(site)
    relay = Relay(int(s3.rsplit(":", 1)[1]))
    client, calls = counting(f"http://127.0.0.1:{relay.port}")
    done = []

    def cut_after_some(**_):
        done.append(1)
        if len(done) == 20:
            relay.cut()

    client.meta.events.register("after-call.s3.PutObject", cut_after_some)
    with pytest.raises(deploy.DeployError) as refused:
        s3deploy.deploy(site, f"s3://{BUCKET}/web", client=client,
                        endpoint_url=f"http://127.0.0.1:{relay.port}")
    line = str(refused.value)
    assert "không kết nối được" in line and "vẫn nguyên" in line and "\n" not in line
    assert 20 <= len(done) < 60
    after = objects(s3)
    # Nothing deleted, the old manifest still the bucket's, every object old or new.
    assert set(after) == set(before)
    assert after[manifest.NAME] == before[manifest.NAME]
    new_files = {rel: (site / rel).read_bytes() for rel in manifest.read(site).files}
    assert all(after[rel] in (before[rel], new_files.get(rel)) for rel in after)
    assert any(after[rel] != before[rel] for rel in after)   # it did get midway
    # The next deploy (server back) finishes the job, uploading only what is still old.
    client, calls = counting(s3)
    counts = s3deploy.deploy(site, f"s3://{BUCKET}/web", client=client)
    assert counts["deleted"] == 1
    assert objects(s3) == {**new_files, manifest.NAME: (site / manifest.NAME).read_bytes()}


def cli(*args: str, env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess:
    """``python -m toasoan …`` in a real process; ``env`` values of None remove a variable."""
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "toasoan", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env={k: v for k, v in full.items() if v is not None})


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lỗi: ") and "Cách sửa:" in lines[0], result.stderr
    return lines[0]


def test_command_line_and_refusals(s3, tmp_path):
    site = tmp_path / "site"
    make_site(site, "A")
    ok = cli("deploy", f"s3://{BUCKET}/web/", "--endpoint-url", s3, "--site", str(site))
    assert ok.returncode == 0, ok.stderr
    assert f"tải lên {len(manifest.read(site).files) + 1} tệp" in ok.stdout
    before = objects(s3)

    make_site(site, "B")
    target = ("deploy", f"s3://{BUCKET}/web", "--endpoint-url", s3, "--site", str(site))
    assert "từ chối khoá" in one_line(cli(*target, env={"AWS_SECRET_ACCESS_KEY": "sai"}))
    assert "từ chối khoá" in one_line(cli(*target, env={"AWS_ACCESS_KEY_ID": "AKIAKHONGCO"}))
    nokeys = {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None, "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "x"),
              "AWS_CONFIG_FILE": str(tmp_path / "y")}
    assert "không có khoá" in one_line(cli(*target, env=nokeys))
    assert "không có bucket 'khong-co'" in one_line(
        cli("deploy", "s3://khong-co/web", "--endpoint-url", s3, "--site", str(site)))
    down = f"http://127.0.0.1:{free_port()}"
    assert "không kết nối được" in one_line(cli("deploy", f"s3://{BUCKET}/web", "--endpoint-url", down,
                                                "--site", str(site)))
    assert "kho S3 không giữ" in one_line(cli("rollback", f"s3://{BUCKET}/web"))
    assert "--endpoint-url chỉ dùng" in one_line(cli("deploy", str(tmp_path / "srv"), "--endpoint-url", s3,
                                                     "--site", str(site)))
    (site / "feed.xml").write_bytes(b"<rss/>")   # a half-built site/ is refused before any request
    assert "khác với bản kê" in one_line(cli(*target))
    assert objects(s3) == before


def test_deletions_left_by_a_deploy_cut_after_its_manifest_are_done_next_time(s3, tmp_path):
    site = tmp_path / "site"
    make_site(site, "A")
    s3deploy.deploy(site, f"s3://{BUCKET}/web", client=s3deploy.connect(s3))
    # A withdrawn article: the new build no longer has it.
    rebuild(site, {"index.html": b"<!doctype html><title>B</title>"}, removed=("2026/11/cho-moi-trong-rung/index.html",))
    relay = Relay(int(s3.rsplit(":", 1)[1]))
    client = s3deploy.connect(f"http://127.0.0.1:{relay.port}")
    client.meta.events.register("before-parameter-build.s3.DeleteObjects",
                                lambda **kw: relay.cut())   # dies between the manifest and the deletions
    with pytest.raises(deploy.DeployError, match="không kết nối được"):
        s3deploy.deploy(site, f"s3://{BUCKET}/web", client=client)
    live = objects(s3)
    assert live[manifest.NAME] == (site / manifest.NAME).read_bytes()   # the new site is live ...
    assert "2026/11/cho-moi-trong-rung/index.html" in live               # ... the old page still there
    client, calls = counting(s3)
    counts = s3deploy.deploy(site, f"s3://{BUCKET}/web", client=client)   # the same build, next hour
    assert counts["uploaded"] == 0 and counts["deleted"] == 1
    live = objects(s3)
    assert "2026/11/cho-moi-trong-rung/index.html" not in live and s3deploy.PENDING not in live


def test_names_with_unicode_or_spaces_and_files_already_compressed(s3, tmp_path):
    """A province's docs/ may hold downloads: Vietnamese names with spaces, .gz archives, .svgz maps."""
    site = tmp_path / "site"
    files = make_site(site, "A")
    csv = "tỉnh,dân số\nBắc Kạn,314000\n".encode("utf-8")
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>Bản đồ</title></svg>'.encode("utf-8")
    extra = {"tai-lieu/Văn bản số 1 (bản cuối).pdf": b"%PDF-1.4 thu",
             "tai-lieu/dan-so.csv.gz": gzip.compress(csv, mtime=0),
             "tai-lieu/ban-do.svgz": gzip.compress(svg, mtime=0)}
    rebuild(site, extra)
    client = s3deploy.connect(s3)
    s3deploy.deploy(site, f"s3://{BUCKET}/web", client=client)
    live = objects(s3)
    assert live["tai-lieu/Văn bản số 1 (bản cuối).pdf"] == b"%PDF-1.4 thu"
    assert {rel: body for rel, body in live.items() if rel in files} == files

    def get(rel):
        answer = client.get_object(Bucket=BUCKET, Key=f"web/{rel}")
        return answer["ContentType"], answer.get("ContentEncoding"), answer["Body"].read()

    # An archive is served as the archive it is: a browser saves the file the reporter put there.
    assert get("tai-lieu/dan-so.csv.gz") == ("application/gzip", None, extra["tai-lieu/dan-so.csv.gz"])
    # An SVG stored compressed: an image once the browser undoes the gzip the header names, once.
    kind, encoding, body = get("tai-lieu/ban-do.svgz")
    assert kind.startswith("image/svg+xml") and encoding == "gzip" and gzip.decompress(body) == svg
    assert get("tai-lieu/Văn bản số 1 (bản cuối).pdf")[:2] == ("application/pdf", None)
