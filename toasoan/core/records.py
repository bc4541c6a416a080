"""A store of records kept between builds: one file of opaque blobs, each under a 16-byte key.

The hourly build keeps what it made of each article (its terms, its parsed
fields) under a hash of what that depends on, and redoes only the new or edited
articles. One file format for every such store: a header line naming the store
and the generator that wrote it, then ``key (16 bytes), size (4 bytes), blob``
records. A file whose header differs (another store, another generator version,
another machine's byte order) is ignored; a cut file keeps its whole records;
a blob is checked by whoever decodes it (zlib checks its data).

A build reads the file once, marks the records it uses, adds the ones it makes,
and writes back only the used ones, so a deleted article's record goes too.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from .files import read_plain

_HEAD = struct.Struct("<16sI")


def header(name: str, key: str = "") -> bytes:
    """The first line of a store: its name, its generator key, the byte order of the machine."""
    return f"toasoan-{name} {key} {sys.byteorder}\n".encode()


class RecordStore:
    """The records of one build: those read from the file, those made anew, those used."""

    def __init__(self, path: Path, magic: bytes):
        self.path, self.magic = path, magic
        self.records: dict[bytes, bytes] = {}
        self.loaded = 0
        self.made = 0
        self.used: set[bytes] = set()
        self.saved = False
        try:
            data = read_plain(path)   # a plain file only: the folder comes from CI's cache
        except OSError:
            return
        if data is None or not data.startswith(magic):
            return
        pos, view = len(magic), memoryview(data)
        while pos + _HEAD.size <= len(data):
            key, size = _HEAD.unpack_from(data, pos)
            pos += _HEAD.size
            if pos + size > len(data):
                break   # a cut file: the records before are whole
            self.records[key] = bytes(view[pos:pos + size])
            pos += size
        self.loaded = len(self.records)

    def get(self, key: bytes) -> bytes | None:
        """The blob kept under ``key`` (marked used: it is written back), or None."""
        self.used.add(key)
        return self.records.get(key)

    def add(self, new: dict[bytes, bytes]) -> None:
        """Keep records made by this build (used, so written back)."""
        self.records.update(new)
        self.used.update(new)
        self.made += len(new)

    def save(self) -> None:
        """Write the records this build used (written beside and renamed; nothing when nothing
        changed), then let them go: once per build."""
        if self.saved:
            return
        self.saved = True
        try:
            self._write()
        finally:
            self.records = {}

    def _write(self) -> None:
        if not self.made and self.used == self.records.keys():
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as out:
                out.write(self.magic)
                for key in sorted(self.used):   # sorted: the same records give the same file
                    blob = self.records.get(key)
                    if blob is not None:
                        out.write(_HEAD.pack(key, len(blob)))
                        out.write(blob)
            os.replace(tmp, self.path)
        except OSError:   # a full or read-only disk costs the next build time, never this one
            tmp.unlink(missing_ok=True)
