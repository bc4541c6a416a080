"""The page cache: each page's final HTML, kept between builds under a key of what it shows.

The hourly build redoes only the pages whose content changed. A page's key hashes
everything its render reads: for an article, its own fields and photos, the
listings its links point to, and the fields of every article in its "Xem thêm" and
"Tin cùng chuyên mục" lists; for a listing page, the fields of the articles it
shows and its pager and calendar links. A *site key* covers the rest: the
generator's own source and library versions, the templates and theme files,
mkdocs.yml and the province's hooks, the navigation and the masthead's date.

Entries live in ``<cache>/<site key>/<2 chars>/<page key>``: a new generator
version or other settings find an empty folder (old folders are removed), and a
build forgets the entries it no longer used. An entry is the page's HTML after a
SHA-256 of it; a damaged entry (short, altered) fails the check and the page is
rendered again. Nothing MkDocs-specific here.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zlib
from importlib import metadata
from pathlib import Path

import toasoan

from ..core.files import read_plain

PACKAGE = Path(toasoan.__file__).resolve().parent
# Libraries whose version changes the HTML of a page.
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "nh3", "pygments")
_DIGEST = 32   # bytes of SHA-256 before the compressed HTML


def digest(*parts) -> str:
    """A short hex key of values whose ``repr`` is stable (str, int, tuples, datetimes…)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def files_digest(paths) -> str:
    """Hash of files' names and bytes (sorted), e.g. templates or the package's source."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(set(paths)):
        try:
            data = Path(path).read_bytes()
        except OSError:
            data = b"\0missing"
        h.update(str(path).encode("utf-8", "surrogatepass") + b"\0" + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def tree_files(folder: Path, skip_dirs=("__pycache__",)) -> list[Path]:
    """Every file below ``folder`` (none when it does not exist)."""
    out = []
    for base, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in skip_dirs and not d.startswith(".")]
        out.extend(Path(base) / n for n in names)
    return out


def generator_key() -> str:
    """The generator itself: toasoan's source files and the libraries that shape HTML."""
    versions = []
    for name in LIBRARIES:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, None))
    return digest(toasoan.__version__, files_digest(tree_files(PACKAGE)), tuple(versions))


def _pack(html: str) -> bytes:
    data = html.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).digest() + zlib.compress(data, 1)


def _unpack(blob: bytes) -> str | None:
    """The HTML of an entry, or None when it is damaged in any way."""
    if len(blob) <= _DIGEST:
        return None
    try:
        data = zlib.decompress(blob[_DIGEST:])
    except zlib.error:
        return None
    if hashlib.sha256(data).digest() != blob[:_DIGEST]:
        return None
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None


class PageCache:
    """One build's view of the cache folder: look pages up, store new ones, forget unused ones."""

    def __init__(self, root: Path, site_key: str):
        self.root = root
        self.site_key = site_key
        self.folder = root / site_key
        self.used: set[str] = set()
        self.hits = 0
        self.stored = 0
        self.damaged = 0
        # Folders checked (not a link) and made by this process: 256 of them, and a build
        # stores thousands of pages; two system calls a page less.
        self.ready: set[str] = set()
        # Paths as plain strings: pathlib's objects (three a page stored, one a page looked
        # up) cost more CPU than the system calls they name.
        self._folder = os.fspath(self.folder)

    def _path(self, key: str) -> str:
        return f"{self._folder}/{key[:2]}/{key}"

    def get(self, key: str) -> str | None:
        """The cached HTML of a page key (None: not cached, or the entry is damaged)."""
        self.used.add(key)
        try:
            blob = read_entry(self._path(key))
        except OSError:
            return None
        if blob is None:
            self.damaged += 1
            return None
        html = _unpack(blob)
        if html is None:
            self.damaged += 1
            return None
        self.hits += 1
        return html

    def put(self, key: str, html: str) -> None:
        """Keep a page's final HTML; written beside and renamed, so a crash leaves no half entry."""
        self.used.add(key)
        folder = f"{self._folder}/{key[:2]}"
        tmp = f"{folder}/.{key}.{os.getpid()}.tmp"
        try:
            if folder not in self.ready:
                if os.path.islink(folder):   # never write through a link out of the cache
                    os.unlink(folder)
                os.makedirs(folder, exist_ok=True)
                self.ready.add(folder)
            with open(tmp, "wb") as f:
                f.write(_pack(html))
            os.replace(tmp, f"{folder}/{key}")
            self.stored += 1
        except OSError:   # a full or read-only disk costs the next build time, never this one
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass

    def prune(self) -> int:
        """Remove other site keys' folders and this one's unused entries; returns entries removed."""
        removed = 0
        try:
            others = [p for p in self.root.iterdir() if p.is_dir() and p.name != self.site_key]
        except OSError:
            return 0
        for other in others:
            shutil.rmtree(other, ignore_errors=True)
        try:
            subs = list(os.scandir(self.folder)) if self.folder.is_dir() else []
        except OSError:   # a read-only or vanished cache: the next build tidies it
            return removed
        for sub in subs:
            try:
                if sub.is_symlink():   # never ours: going in would delete files outside the cache
                    os.unlink(sub.path)
                    continue
                if not sub.is_dir():
                    continue
                for entry in os.scandir(sub.path):
                    if entry.name not in self.used or not entry.is_file(follow_symlinks=False):
                        if entry.is_dir(follow_symlinks=False):
                            shutil.rmtree(entry.path, ignore_errors=True)
                        else:
                            os.unlink(entry.path)
                        removed += 1
            except OSError:
                pass
        return removed


def read_entry(path: Path | str) -> bytes | None:
    """An entry's bytes; None when it is not a plain file (a symlink, a FIFO, /dev/zero…).

    The cache folder comes back from CI's cache or a technician's copy (see
    :func:`toasoan.core.files.read_plain`).
    """
    return read_plain(path)
