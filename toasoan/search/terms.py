"""Each document's terms, and a store that keeps them between builds.

Turning an article into terms (plain text, syllables, pairs, folding, the
spelling each term uses most) is most of the index's work, and it depends on
the article alone. The hourly build keeps each article's terms in one file
beside the page cache, keyed by a hash of its title and text, and redoes only
the new or edited articles. What depends on the whole archive (document numbers,
BM25 weights, which postings are kept) is computed again every build, so the
index written is the one a build without the store writes.

A record: 16-byte key, 4-byte size, then (zlib) the document's length, its term
count, one 32-bit ``spelling << 12 | tf`` per term, and the folded terms joined
by ``\\x1f`` (never part of a term: terms are letters, digits and single spaces).
A damaged record (zlib checks its data) is made again; a damaged file is ignored.
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
import zlib
from array import array
from collections import Counter
from pathlib import Path

from ..core.text import fold_syllable
from ..core.files import read_plain
from .tokens import exact_terms, variant_hash

TITLE_WEIGHT = 5      # a title word counts as five body words
# The byte order is part of the name: a store is never read on a machine that would misread it.
MAGIC = f"toasoan-search-terms 1 {sys.byteorder}\n".encode()
_HEAD = struct.Struct("<16sI")
_COUNTS = struct.Struct("<II")
SEP = "\x1f"


def doc_key(title: str, text: str) -> bytes:
    """What a document's terms depend on: its title and its text (plain or as written)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(title.encode("utf-8", "surrogatepass") + b"\0" + text.encode("utf-8", "surrogatepass"))
    return h.digest()


def _spelling(exact: str) -> tuple[str, int]:
    """(folded term, hash of the exact spelling)."""
    return " ".join(fold_syllable(s) for s in exact.split(" ")), variant_hash(exact)


def doc_terms(title: str, text: str, known: dict) -> tuple[list[str], array, int]:
    """A document's folded terms in order of first use, each with ``spelling << 12 | tf``, and its length.

    The spelling is the exact form the document uses most for that term
    (titles count ``TITLE_WEIGHT`` times), so "Đảng" can rank above "đang".
    ``known`` memoises spellings across the documents of one build.
    """
    body, length = exact_terms(text)
    counts = Counter(body)
    title_terms, title_length = exact_terms(title)
    for key in title_terms:
        counts[key] += TITLE_WEIGHT
    merged: dict[str, int] = {}
    for exact, n in counts.items():
        info = known.get(exact)
        if info is None:
            info = known[exact] = _spelling(exact)
        last = merged.get(info[0])
        if last is None:
            merged[info[0]] = info[1] << 12 | (n if n < 0xFFF else 0xFFF)
        else:
            # Another spelling of a term this document already has ("đảng", "đang"):
            # add up, and keep the spelling used more.
            tf = min((last & 0xFFF) + n, 0xFFF)
            spelling = info[1] if n > (last & 0xFFF) else (last >> 12) & 0xFFFF
            merged[info[0]] = spelling << 12 | tf
    return list(merged), array("I", merged.values()), max(1, length + TITLE_WEIGHT * title_length)


def pack(terms: list[str], values: array, length: int) -> bytes:
    data = SEP.join(terms).encode("utf-8")
    return zlib.compress(_COUNTS.pack(length, len(terms)) + values.tobytes() + data, 1)


def unpack(blob: bytes) -> tuple[list[str], array, int] | None:
    """A record's terms, or None when it is damaged in any way."""
    try:
        raw = zlib.decompress(blob)
        length, count = _COUNTS.unpack_from(raw)
        end = _COUNTS.size + 4 * count
        values = array("I", raw[_COUNTS.size:end])
        terms = raw[end:].decode("utf-8").split(SEP) if count else []
    except (zlib.error, struct.error, UnicodeDecodeError, ValueError):
        return None
    if len(terms) != count or len(values) != count:
        return None
    return terms, values, length


class TermStore:
    """The records of one build: those read from the file, those made anew, those used."""

    def __init__(self, path: Path):
        self.path = path
        self.records: dict[bytes, bytes] = {}
        self.read = 0
        self.made = 0
        self.used: set[bytes] = set()
        self.saved = False
        try:
            data = read_plain(path)   # a plain file only: the folder comes from CI's cache
        except OSError:
            return
        if data is None or not data.startswith(MAGIC):
            return
        pos, view = len(MAGIC), memoryview(data)
        while pos + _HEAD.size <= len(data):
            key, size = _HEAD.unpack_from(data, pos)
            pos += _HEAD.size
            if pos + size > len(data):
                break   # a cut file: the records before are whole
            self.records[key] = bytes(view[pos:pos + size])
            pos += size
        self.read = len(self.records)

    def add(self, new: dict[bytes, bytes]) -> None:
        self.records.update(new)
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
                out.write(MAGIC)
                # In key order: a set's order changes with each process's hash seed, and two builds
                # of the same articles must write the same file (tests compare them byte for byte).
                for key in sorted(self.used):
                    blob = self.records.get(key)
                    if blob is not None:
                        out.write(_HEAD.pack(key, len(blob)))
                        out.write(blob)
            os.replace(tmp, self.path)
        except OSError:   # a full or read-only disk costs the next build time, never this one
            tmp.unlink(missing_ok=True)
