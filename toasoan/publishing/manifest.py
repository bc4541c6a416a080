"""The build's manifest: every file of ``site/`` with its size and SHA-256.

The build writes ``site/.toasoan-manifest.json`` as its very last step, so a
``site/`` counts as built only when the manifest is there and every file it
lists is present with the listed size (and, checked while copying, the listed
content). A build that crashed or was killed leaves no manifest, or one that
does not match, and ``deploy`` refuses it.

The manifest holds only what anyone can already fetch from the public site
(relative paths, sizes, hashes) plus the generator's version and the build
time: no absolute path, user or host name. It is published with the site.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__

NAME = ".toasoan-manifest.json"
FORMAT = 1
CHUNK = 1 << 20


class ManifestError(Exception):
    """A ``site/`` that is not a complete build; ``what`` and ``fix`` in Vietnamese."""

    def __init__(self, what: str, fix: str):
        super().__init__(f"{what} — Cách sửa: {fix}")
        self.what, self.fix = what, fix


@dataclass(frozen=True)
class Manifest:
    files: dict[str, tuple[int, str]]   # POSIX path relative to site/ -> (size, sha256 hex)
    generator: str
    built: str
    digest: str                          # sha256 of the manifest file itself

    @property
    def size(self) -> int:
        return sum(size for size, _ in self.files.values())


def file_hash(path: Path) -> str:
    """SHA-256 of a file, read in chunks (photos can be large)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write(folder: Path, skip: frozenset[str] = frozenset(), now: datetime | None = None) -> Manifest:
    """List every file below ``folder`` (except top-level names in ``skip``) and write the
    manifest, atomically: it either exists complete or not at all."""
    folder = Path(folder)
    files: dict[str, tuple[int, str]] = {}
    for rel, entry in _walk(folder, skip | {NAME}):
        files[rel] = (entry.stat().st_size, file_hash(entry.path))
    data = {
        "format": FORMAT,
        "generator": f"toasoan {__version__}",
        "built": (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds"),
        "count": len(files),
        "bytes": sum(size for size, _ in files.values()),
        "files": {rel: [size, digest] for rel, (size, digest) in sorted(files.items())},
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    temp = folder / f"{NAME}.tmp-{os.getpid()}"
    with open(temp, "wb") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, folder / NAME)
    return Manifest(files, data["generator"], data["built"], hashlib.sha256(text).hexdigest())


def read(folder: Path) -> Manifest:
    """The manifest of a built ``site/``; ManifestError if it is missing or damaged."""
    folder = Path(folder)
    path = folder / NAME
    rebuild = "dựng lại trang (bash scripts/build.sh) cho đến khi lệnh build báo xong, rồi chạy lại"
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        raise ManifestError(f"'{folder}' không có bản kê {NAME}: trang chưa dựng xong "
                            "(lần build bị lỗi, bị ngắt, hoặc chưa build)", rebuild) from None
    return parse(text, str(path))


def parse(text: bytes, path: str) -> Manifest:
    """A manifest from its bytes (read from a folder, or from a bucket); ``path`` names it in errors."""
    rebuild = "dựng lại trang (bash scripts/build.sh) cho đến khi lệnh build báo xong, rồi chạy lại"
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
        files = {str(rel): (int(size), str(digest)) for rel, (size, digest) in data["files"].items()}
        manifest = Manifest(files, str(data["generator"]), str(data["built"]),
                            hashlib.sha256(text).hexdigest())
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise ManifestError(f"bản kê {path} hỏng ({type(e).__name__})", rebuild) from None
    for rel in files:
        parts = rel.split("/")
        if rel.startswith("/") or ".." in parts or "" in parts or "\\" in rel:
            raise ManifestError(f"bản kê {path} có đường dẫn không hợp lệ '{rel}'", rebuild)
    return manifest


def check(folder: Path, manifest: Manifest, hashes: bool = False) -> None:
    """Every listed file present with its size (and hash), nothing unlisted; else ManifestError.

    Top-level hidden entries that the build did not write (a ``.git`` that MkDocs
    keeps in site/) are neither checked nor ever deployed.
    """
    folder = Path(folder)
    missing, wrong = [], []
    for rel, (size, digest) in manifest.files.items():
        path = folder / rel
        try:
            info = path.stat()
        except OSError:
            missing.append(rel)
            continue
        if not stat.S_ISREG(info.st_mode):
            missing.append(rel)
        elif info.st_size != size or (hashes and file_hash(path) != digest):
            wrong.append(rel)
    rebuild = "dựng lại trang (bash scripts/build.sh), không sửa tay site/, rồi chạy lại"
    total = len(manifest.files)
    if missing:
        raise ManifestError(f"'{folder}' thiếu {len(missing)}/{total} tệp có trong bản kê "
                            f"(ví dụ {missing[0]}): bản dựng dở dang", rebuild)
    if wrong:
        raise ManifestError(f"'{folder}' có {len(wrong)} tệp khác với bản kê (ví dụ {wrong[0]})", rebuild)
    hidden = frozenset(p.name for p in folder.iterdir() if p.name.startswith(".")) - set(
        rel.split("/", 1)[0] for rel in manifest.files)
    extra = [rel for rel, _ in _walk(folder, hidden | {NAME}) if rel not in manifest.files]
    if extra:
        raise ManifestError(f"'{folder}' có {len(extra)} tệp không có trong bản kê (ví dụ {extra[0]}): "
                            "tệp thêm tay hoặc từ một lần build khác", rebuild)


def _walk(folder: Path, skip: frozenset[str]):
    """(relative POSIX path, os.DirEntry) of every file below ``folder``, in a stable order.

    With ``os.scandir``, not pathlib: a site has tens of thousands of files, and an
    entry already knows whether it is a file, and its size, without asking the system
    again. Links are not followed into folders; a link to a file counts as that file.
    """
    stack = [("", str(folder))]
    while stack:
        prefix, top = stack.pop()
        try:
            with os.scandir(top) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            continue
        folders = []
        for entry in entries:
            if not prefix and entry.name in skip:
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry)
            elif entry.is_file():
                yield prefix + entry.name, entry
        stack.extend((f"{prefix}{d.name}/", d.path) for d in reversed(folders))
