"""Deploy a built site to an S3-compatible bucket, uploading only what changed.

The bucket holds the site below a prefix, and beside it the site's own manifest
(``<prefix>/.toasoan-manifest.json``, the file the build wrote last; it is
public on a folder deploy too). The manifest is what the bucket is known to
hold: a deploy reads that one object, compares its hashes with site/'s, and
uploads only the files whose hash differs. Each object also carries its hash
in its metadata (``x-amz-meta-sha256``), so anyone can check it.

Order, so that a reader never meets a page whose parts are not there yet:

1. assets (photos, CSS, JS, fonts): what pages point to;
2. article pages and the search index's shards;
3. every other page (home, sections, archives…), feeds, sitemaps, the search
   index's own manifest;
4. the site's manifest: from then on the bucket is known to hold the new site;
5. only then, objects the new site no longer has are deleted. Their list is put
   in ``<prefix>/.toasoan-deleting.json`` before step 4 and removed after step 5,
   so a deploy killed in between leaves the deletions to the next one.

Each PUT replaces one object whole, so a deploy that fails midway (server down,
wrong credentials, missing bucket) leaves every object old or new, deletes
nothing and keeps the old manifest: the next deploy uploads again whatever
differs from it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..publishing import manifest as manifests
from .deploy import DeployError, built

SCHEME = "s3://"
PENDING = ".toasoan-deleting.json"   # what is still to delete, kept until it is deleted
WORKERS = 16
DELETE_BATCH = 1000   # the most one DeleteObjects request takes
ARTICLE = re.compile(r"\d{4}/\d{2}/(?!\d{2}/)[^/]+/index\.html")   # articles live at YYYY/MM/slug/
FINGERPRINT = re.compile(r"\.[0-9a-f]{8,}\.")                     # main.8f2a1c9e.min.css: never changes
PAGES = (".html", ".xml", ".json", ".txt", ".webmanifest")
# Sent gzip-compressed (Content-Encoding: gzip): a bucket cannot compress on the fly.
COMPRESS = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".webmanifest", ".map")
TYPES = {".webmanifest": "application/manifest+json", ".js": "text/javascript", ".xml": "application/xml",
         ".bin": "application/octet-stream", ".woff2": "font/woff2"}
ARCHIVES = {"gzip": "application/gzip", "bzip2": "application/x-bzip2", "xz": "application/x-xz",
            "br": "application/x-brotli", "compress": "application/x-compress"}
SHORT = "public, max-age=300"                 # pages change every hour: a CDN asks again after 5 minutes
LONG = "public, max-age=86400"                # photos and assets, rarely replaced under the same name
FOREVER = "public, max-age=31536000, immutable"
CREDENTIALS = ("đặt AWS_ACCESS_KEY_ID và AWS_SECRET_ACCESS_KEY (hoặc AWS_PROFILE, tệp ~/.aws/credentials) "
               "đúng khoá của bucket")


def is_bucket(target: str) -> bool:
    return str(target).startswith(SCHEME)


def split(target: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` → ("bucket", "some/prefix")."""
    bucket, _, prefix = str(target)[len(SCHEME):].partition("/")
    if not bucket:
        raise DeployError(f"thiếu tên bucket trong '{target}'", "viết s3://TÊN-BUCKET/thư-mục")
    return bucket, prefix.strip("/")


@dataclass(frozen=True)
class Upload:
    """One object to PUT: where it comes from and how it is served."""
    rel: str
    size: int
    digest: str

    @property
    def phase(self) -> int:
        rel = self.rel
        if rel == manifests.NAME:
            return 3
        if ARTICLE.fullmatch(rel) or (rel.startswith("search/") and rel != "search/manifest.json"):
            return 1
        return 2 if rel.endswith(PAGES) else 0

    @property
    def content_type(self) -> str:
        suffix = Path(self.rel).suffix.lower()
        kind, encoding = mimetypes.guess_type(self.rel)
        if encoding is not None and suffix != ".svgz":
            # A compressed download (bao-cao.csv.gz, van-ban.tar.gz): mimetypes names what is inside, but the
            # bytes are the archive; labelled as its content without Content-Encoding, a browser shows garbage.
            return ARCHIVES.get(encoding, "application/octet-stream")
        kind = TYPES.get(suffix) or kind or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/xml", "image/svg+xml",
                                               "application/manifest+json"):
            kind += "; charset=utf-8"
        return kind

    @property
    def encoding(self) -> str | None:
        """The Content-Encoding of the file as it is on disk: .svgz is an SVG stored gzip-compressed."""
        return "gzip" if Path(self.rel).suffix.lower() == ".svgz" else None

    @property
    def compressed(self) -> bool:
        # The manifest stays plain: it is the state the next deploy reads back.
        return self.rel.endswith(COMPRESS) and self.rel != manifests.NAME

    @property
    def cache_control(self) -> str:
        if self.rel.endswith(PAGES) or self.rel.startswith("search/") or self.rel == manifests.NAME:
            return SHORT
        return FOREVER if FINGERPRINT.search(Path(self.rel).name) else LONG


def connect(endpoint_url: str | None = None):
    """A boto3 S3 client: credentials and region from the usual AWS variables or profile.

    Few, short retries: a server that is down must end the deploy in seconds with
    one line, not hang; a slow one still gets a minute per request.
    """
    import boto3
    from botocore.config import Config
    config = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=60,
                    max_pool_connections=WORKERS + 4,
                    # Only when a request needs it: some S3-compatible servers reject the new default checksums.
                    request_checksum_calculation="when_required", response_checksum_validation="when_required")
    session = boto3.session.Session()
    return session.client("s3", endpoint_url=endpoint_url, config=config,
                          region_name=session.region_name or "us-east-1")


def deploy(site_dir: Path, target: str, endpoint_url: str | None = None, client=None,
           tell=None, warn=None) -> dict[str, int]:
    """Upload what changed in ``site_dir`` to ``s3://bucket/prefix``, then delete what went away.

    Returns counts: uploaded, unchanged, deleted and bytes (as sent).
    """
    from botocore.exceptions import BotoCoreError, ClientError
    warn = warn or (lambda text: print(f"cảnh báo: {text}", file=sys.stderr))
    site_dir = Path(site_dir)
    bucket, prefix = split(target)
    manifest = built(site_dir)
    key = (lambda rel: f"{prefix}/{rel}") if prefix else (lambda rel: rel)
    try:
        client = client or connect(endpoint_url)
        client.head_bucket(Bucket=bucket)
        live = _live(client, bucket, key(manifests.NAME), warn)
        files = live.files if live else {}
        pending = _pending(client, bucket, key(PENDING))
        gone = sorted((set(files) | pending) - set(manifest.files))
        todo = [Upload(rel, size, digest) for rel, (size, digest) in manifest.files.items()
                if files.get(rel) != (size, digest)]
        if live is None or live.digest != manifest.digest:   # the same build deployed again: no PUT at all
            todo.append(Upload(manifests.NAME, (site_dir / manifests.NAME).stat().st_size, manifest.digest))
        sent = 0
        pool = ThreadPoolExecutor(WORKERS)
        try:
            for phase in range(4):
                if phase == 3 and gone:
                    # Written before the manifest: if we die between the manifest and the deletions,
                    # the next deploy still deletes them (a withdrawn article must not stay online).
                    client.put_object(Bucket=bucket, Key=key(PENDING), Body=json.dumps(gone).encode(),
                                      ContentType="application/json", CacheControl="no-store")
                # Each phase is whole before the next starts; the first failure stops the deploy.
                futures = [pool.submit(_put, client, bucket, key(u.rel), site_dir, u)
                           for u in todo if u.phase == phase]
                sent += sum(f.result() for f in futures)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)   # after a failure: no new PUT starts
        for start in range(0, len(gone), DELETE_BATCH):
            answer = client.delete_objects(Bucket=bucket, Delete={
                "Objects": [{"Key": key(rel)} for rel in gone[start:start + DELETE_BATCH]], "Quiet": True})
            for failed in answer.get("Errors", []):
                warn(f"chưa xoá được {failed.get('Key')} ({failed.get('Code')}) — Cách sửa: trang mới đã chạy; "
                     "xoá tay đối tượng đó hoặc bỏ qua")
        if gone or pending:
            client.delete_object(Bucket=bucket, Key=key(PENDING))
    except (BotoCoreError, ClientError) as e:
        raise _error(e, bucket, target, endpoint_url) from None
    counts = {"uploaded": len(todo), "unchanged": len(manifest.files) + 1 - len(todo),
              "deleted": len(gone), "bytes": sent}
    if tell is not None:
        tell(f"Đã triển khai lên {target}: tải lên {counts['uploaded']} tệp ({sent / 1e6:.1f} MB), "
             f"{counts['unchanged']} tệp không đổi, xoá {counts['deleted']} tệp cũ")
    return counts


def _live(client, bucket: str, key: str, warn) -> manifests.Manifest | None:
    """What the bucket holds, from its manifest; None before the first deploy (upload all)."""
    from botocore.exceptions import ClientError
    try:
        answer = client.get_object(Bucket=bucket, Key=key)
        text = answer["Body"].read()
        if answer.get("ContentEncoding") == "gzip":   # put there compressed by another tool
            text = gzip.decompress(text)
    except ClientError as e:
        if e.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise
    try:
        return manifests.parse(text, f"s3://{bucket}/{key}")
    except (manifests.ManifestError, OSError, EOFError) as e:
        warn(f"{getattr(e, 'what', e)}: tải lên toàn bộ trang — Cách sửa: không cần làm gì, lần này ghi lại bản kê")
        return None


def _pending(client, bucket: str, key: str) -> set[str]:
    """Objects a deploy that died after its manifest had still to delete."""
    from botocore.exceptions import ClientError
    try:
        text = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as e:
        if e.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return set()
        raise
    try:
        return {str(rel) for rel in json.loads(text)}
    except (ValueError, TypeError):
        return set()


def _put(client, bucket: str, key: str, site_dir: Path, upload: Upload) -> int:
    """PUT one file whole; its bytes are checked against the manifest first. Returns bytes sent."""
    data = (site_dir / upload.rel).read_bytes()
    if hashlib.sha256(data).hexdigest() != upload.digest:
        raise DeployError(f"tệp {upload.rel} khác với bản kê (site/ bị thay trong lúc triển khai?)",
                          "chờ lần build xong rồi triển khai lại")
    extra = {}
    if upload.compressed:
        data = gzip.compress(data, compresslevel=6, mtime=0)   # mtime=0: the same file, the same bytes
        extra["ContentEncoding"] = "gzip"
    elif upload.encoding:   # already compressed on disk: said, never compressed twice
        extra["ContentEncoding"] = upload.encoding
    client.put_object(Bucket=bucket, Key=key, Body=data, ContentType=upload.content_type,
                      CacheControl=upload.cache_control, Metadata={"sha256": upload.digest}, **extra)
    return len(data)


def _error(e: Exception, bucket: str, target: str, endpoint_url: str | None) -> DeployError:
    """One Vietnamese line for what went wrong; the live site is whole (old or new objects, none deleted)."""
    from botocore.exceptions import (ClientError, ConnectionClosedError, ConnectTimeoutError,
                                     EndpointConnectionError, NoCredentialsError, NoRegionError,
                                     ReadTimeoutError)
    kept = "trang đang chạy vẫn nguyên (không tệp nào bị xoá)"
    where = endpoint_url or "S3"
    if isinstance(e, NoCredentialsError):
        return DeployError(f"không có khoá truy cập bucket {bucket}; {kept}", CREDENTIALS)
    if isinstance(e, NoRegionError):
        return DeployError(f"chưa chọn vùng (region) cho {target}; {kept}", "đặt AWS_DEFAULT_REGION")
    if isinstance(e, ClientError):
        code = str(e.response.get("Error", {}).get("Code", ""))
        if code in ("NoSuchBucket", "404"):
            return DeployError(f"không có bucket '{bucket}' trên {where}; {kept}",
                               "kiểm tra tên bucket, hoặc tạo bucket trước")
        if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403",
                    "InvalidClientTokenId", "ExpiredToken"):
            return DeployError(f"bucket {bucket} từ chối khoá truy cập ({code}); {kept}", CREDENTIALS)
        return DeployError(f"{where} báo lỗi {code or type(e).__name__} khi triển khai lên {target}; {kept}",
                           "chạy lại; nếu lỗi còn, kiểm tra bucket và quyền của khoá")
    if isinstance(e, (EndpointConnectionError, ConnectionClosedError, ConnectTimeoutError, ReadTimeoutError)):
        return DeployError(f"không kết nối được tới {where}; {kept}",
                           "kiểm tra mạng và --endpoint-url, rồi chạy lại (chỉ tải lại phần còn thiếu)")
    return DeployError(f"lỗi khi gửi lên {where} ({type(e).__name__}); {kept}", "kiểm tra mạng rồi chạy lại")
