"""Serve a built site on 127.0.0.1 for browser tests and benchmarks.

    with serve(site_dir, prefix="/bao/", gzip=True) as base:
        page.goto(base + "2022/01/slug/")

Threaded (a browser opens several connections at once) and, with ``gzip=True``,
compresses text files the way a static host such as nginx does (only when the
browser sends ``Accept-Encoding: gzip``), so transferred bytes are realistic.
Python's own ``http.server`` never compresses.
"""

from __future__ import annotations

import gzip as gzip_module
import mimetypes
import threading
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Text types worth compressing; images, fonts (woff2 is already compressed)
# and Pagefind's pre-gzipped fragments are sent as they are.
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".webmanifest", ".map"}
TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".webp": "image/webp", ".avif": "image/avif",
         ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
         ".xml": "application/xml", ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json"}
GZIP_LEVEL = 6  # what most hosts use; nginx's default is 1 (a little larger)


class _Handler(BaseHTTPRequestHandler):
    server_version = "toasoan-test"
    protocol_version = "HTTP/1.1"  # keep-alive, like a real host

    def log_message(self, format, *args):  # quiet: tests read their own output
        pass

    def do_HEAD(self):
        self._serve(body=False)

    def do_GET(self):
        self._serve(body=True)

    def _serve(self, body: bool):
        root: Path = self.server.root
        prefix: str = self.server.prefix
        path = unquote(urlsplit(self.path).path)
        self.server.requests.append(path)
        if not path.startswith(prefix):
            if path + "/" == prefix:
                return self._redirect(prefix)
            return self._send(404, b"Not found", "text/plain; charset=utf-8", body)
        rel = path[len(prefix):]
        target = (root / rel).resolve()
        if root not in target.parents and target != root:
            return self._send(404, b"Not found", "text/plain; charset=utf-8", body)
        if target.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/")
            target = target / "index.html"
        if not target.is_file():
            page = root / "404.html"
            data = page.read_bytes() if page.is_file() else b"Not found"
            return self._send(404, data, "text/html; charset=utf-8", body)
        suffix = target.suffix.lower()
        ctype = TYPES.get(suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or suffix in {".json", ".svg", ".xml", ".js"}:
            ctype += "; charset=utf-8"
        data = target.read_bytes()
        encoding = None
        if (self.server.gzip and suffix in COMPRESSIBLE
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            data, encoding = self.server.compressed(target, data), "gzip"
        self._send(200, data, ctype, body, encoding)

    def _redirect(self, location: str):
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, data: bytes, ctype: str, body: bool, encoding: str | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", formatdate(usegmt=True))
        self.send_header("Cache-Control", "no-cache")
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if body:
            self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, prefix: str, gzip: bool):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root, self.prefix, self.gzip = root, prefix, gzip
        self.requests: list[str] = []
        self._cache: dict[Path, bytes] = {}
        self._lock = threading.Lock()

    def compressed(self, path: Path, data: bytes) -> bytes:
        with self._lock:
            if path not in self._cache:
                # mtime=0: the same file always compresses to the same bytes.
                self._cache[path] = gzip_module.compress(data, GZIP_LEVEL, mtime=0)
            return self._cache[path]


class BaseURL(str):
    """The site's base URL, carrying the server it came from."""

    def __new__(cls, url: str, server: _Server):
        self = super().__new__(cls, url)
        self.server = server
        return self


@contextmanager
def serve(directory, prefix: str = "/", gzip: bool = False):
    """Serve ``directory`` at ``http://127.0.0.1:<free port><prefix>``; yields that base URL.

    The URL is a ``str`` whose ``.server.requests`` lists the paths asked for.
    """
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    server = _Server(Path(directory).resolve(), prefix, gzip)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield BaseURL(f"http://127.0.0.1:{server.server_address[1]}{prefix}", server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


if __name__ == "__main__":  # python tests/webserver.py site [/prefix/] — for a quick look
    import sys
    import time

    with serve(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "/", gzip=True) as url:
        print(url, flush=True)
        while True:
            time.sleep(3600)
