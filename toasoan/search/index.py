"""Build the static search index: small shard files of impact-ranked postings.

Layout below ``<site>/search/`` (all static, cacheable, fetched on demand):

- ``manifest.json`` — version, counts, sections, year → document-id ranges;
- ``t/<n>.bin`` — shard ``n`` of the terms (``crc32(term) % shards``). A term
  entry is: 3-byte check hash, varint postings count, varint variant count,
  2 bytes per variant (hash of an exact spelling, e.g. "tổ chức"), varint
  byte length, then postings sorted by document: varint id delta, 1 byte
  impact, and 1 byte variant index when the term has several spellings;
- ``d/<n>.json`` — title, URL, date, section and excerpt of ``CHUNK``
  documents, fetched only for the results shown;
- ``sections.bin`` — one byte per document (section index + 1), for the filter.

Documents are numbered oldest first: a new article takes the next number and
the files of the others stay the same bytes, so an hourly build's deploy uploads
the few shards holding the new article's terms, not the whole index (numbered
newest first, every id moved and every file changed). A year is a range of ids;
a tie goes to the newer article, the higher id. Each term keeps only its best ``KEEP`` postings
(a reader looks at the first results, not the 5,000th): that caps every
shard, whatever the size of the archive.
"""

from __future__ import annotations

import json
import math
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from . import parallel
from .encoding import put_varint
from ..reading.plain import plain_text
from .terms import TermStore, doc_key, doc_terms, pack, unpack
from .tokens import term_check, term_hash

K1, B = 1.2, 0.5      # BM25 saturation and (mild) length normalisation
KEEP = 300            # postings kept per term, best first
KEEP_VARIANT = 64     # … plus the best few of every spelling ("đảng" beside "đang")
MAX_VARIANTS = 254    # variant index 255 means "another spelling"
CHUNK = 4             # documents per metadata file
SHARD_TARGET = 3000   # aimed average shard size, bytes
FORMAT = 1
# Terms with more postings than a term keeps are encoded with numpy (_rows_wide, _body_wide):
# at 10,000 articles they are 3 % of the terms but 75 % of the Python encoder's time
# (3.9 s → 0.7 s on bench_build's archive); below it numpy's cost per call is more than the loop.
WIDE = KEEP + 1


@dataclass
class SearchDoc:
    """What the index knows of one article."""

    title: str
    url: str          # site-relative, e.g. "2022/01/slug/"
    date: str         # YYYY-MM-DD
    section: int      # index into the sections list, -1 for none
    excerpt: str
    text: str = ""       # plain body text; or else
    markdown: str = ""   # the body as written, made plain while indexing


@dataclass
class IndexStats:
    documents: int
    terms: int
    postings: int
    shards: int
    files: int
    bytes: int


def _collect(docs: list[SearchDoc], start: int, end: int, keys: list[bytes] | None = None,
             records: dict[bytes, bytes] | None = None) -> tuple[dict[str, array], list[int], dict[bytes, bytes]]:
    """Every folded term's postings, packed as ``doc << 28 | spelling << 12 | tf``.

    A document's terms come from ``records`` (the term store) when its key is
    there; the others are made here and returned packed, to be stored.
    This loop runs once per (term, document): it is kept lean on purpose.
    """
    postings: dict[str, array] = {}
    lengths: list[int] = []
    known: dict[str, tuple[str, int]] = {}
    new: dict[bytes, bytes] = {}
    for doc_id in range(start, end):
        doc = docs[doc_id]
        found = None
        if keys is not None:
            blob = records.get(keys[doc_id]) if records else None
            found = unpack(blob) if blob is not None else None
        if found is None:
            found = doc_terms(doc.title, doc.text or plain_text(doc.markdown), known)
            if keys is not None:
                new[keys[doc_id]] = pack(*found)
        terms, values, length = found
        lengths.append(length)
        base = doc_id << 28
        for term, value in zip(terms, values):
            plist = postings.get(term)
            if plist is None:
                plist = postings[term] = array("Q")
            plist.append(base | value)
    return postings, lengths, new


_IMP = 52                       # a row: (255 - impact) << _IMP | (_LAST - doc) << 16 | spelling
_DOC = (1 << _IMP) - 1          # … so plain integer order is best first, then newest first
_LAST = (1 << (_IMP - 16)) - 1  # the highest document id a row holds


def _by_doc(row: int) -> int:
    return row & _DOC


def _entry(term: str, packed: array, norms: list[float], count: int, scale: float,
           wide: np.ndarray | None = None) -> bytes:
    """Encode one term: choose its best postings and write them by document id.

    ``norms``: the documents' length norms; ``wide``, the same as a numpy array,
    encodes a long posting list (``WIDE``) with numpy. Both paths write the same
    bytes (tests/test_search_index.py checks them against each other).
    """
    df = len(packed)
    # BM25 with the document's length folded into ``norms``; quantised to one byte.
    c = math.log(1 + (count - df + 0.5) / (df + 0.5)) * (K1 + 1) * scale
    if df >= WIDE and wide is not None:
        rows = _rows_wide(packed, wide, c)
        variants = _variants_wide(rows)
        body = _body_wide(rows, variants)
    else:
        rows = _rows(packed, norms, c)
        variants = _variants(rows)
        body = _body(rows, variants)
    out = bytearray(term_check(term).to_bytes(3, "little"))
    put_varint(out, len(rows))
    put_varint(out, len(variants))
    for v in variants:
        out += int(v).to_bytes(2, "little")
    put_varint(out, len(body))
    return bytes(out + body)


def _rows(packed: array, norms: list[float], c: float) -> list[int]:
    """The kept postings as rows, by document: the best ``KEEP``, then the best few of each spelling."""
    # Rows are single integers, not tuples: this loop runs once per posting (millions),
    # and integers sort without a key function.
    rows = []
    for p in packed:
        doc, tf = p >> 28, p & 0xFFF
        imp = int(c * tf / (tf + norms[doc]) + 0.5)
        imp = imp if 0 < imp < 256 else (1 if imp < 1 else 255)
        rows.append((255 - imp) << _IMP | (_LAST - doc) << 16 | (p >> 12) & 0xFFFF)
    if len(rows) > KEEP:
        rows.sort()
        kept = rows[:KEEP]
        per_variant: Counter = Counter()
        for r in rows[KEEP:]:
            v = r & 0xFFFF
            if per_variant[v] < KEEP_VARIANT:
                per_variant[v] += 1
                kept.append(r)
        kept.sort(key=_by_doc, reverse=True)   # by document id, lowest first
        rows = kept
    # Otherwise rows are in document order already (postings are).
    return rows


def _variants(rows: list[int]) -> list[int]:
    """The spellings to name, most used first (ties: the first seen), at most MAX_VARIANTS."""
    spellings = {r & 0xFFFF for r in rows}
    if len(spellings) == 1:
        return list(spellings)
    return [v for v, _ in Counter(r & 0xFFFF for r in rows).most_common(MAX_VARIANTS)]


def _body(rows: list[int], variants: list[int]) -> bytearray:
    """Each row: varint id delta, impact byte, and the spelling's index when there are several."""
    index_of = {v: i for i, v in enumerate(variants)}
    several = len(variants) > 1
    body = bytearray()
    last = 0
    for r in rows:
        doc = _LAST - ((r & _DOC) >> 16)
        delta = doc - last
        if delta < 0x80:
            body.append(delta)
        else:
            put_varint(body, delta)
        last = doc
        body.append(255 - (r >> _IMP))
        if several:
            body.append(index_of.get(r & 0xFFFF, 255))
    return body


def _rows_wide(packed: array, norms: np.ndarray, c: float) -> np.ndarray:
    """_rows for a long posting list, with numpy (the same float operations, in the same order)."""
    p = np.frombuffer(packed, dtype=np.uint64)
    doc = (p >> np.uint64(28)).astype(np.int64)
    tf = (p & np.uint64(0xFFF)).astype(np.float64)
    imp = np.clip((c * tf / (tf + norms[doc]) + 0.5).astype(np.int64), 1, 255).astype(np.uint64)
    rows = ((np.uint64(255) - imp) << np.uint64(_IMP)) | ((_LAST - doc).astype(np.uint64) << np.uint64(16)) \
        | ((p >> np.uint64(12)) & np.uint64(0xFFFF))
    if len(rows) <= KEEP:
        return rows
    rows = np.sort(rows)
    rest = rows[KEEP:]
    spelling = rest & np.uint64(0xFFFF)
    # Rank of each row among the rest of its spelling (best first): keep the first KEEP_VARIANT.
    order = np.argsort(spelling, kind="stable")
    grouped = spelling[order]
    first = np.searchsorted(grouped, grouped, side="left")
    keep = np.empty(len(rest), dtype=bool)
    keep[order] = (np.arange(len(rest)) - first) < KEEP_VARIANT
    kept = np.concatenate((rows[:KEEP], rest[keep]))
    return kept[np.argsort(kept & np.uint64(_DOC))[::-1]]   # by document id, lowest first (ids are unique)


def _variants_wide(rows: np.ndarray) -> list[int]:
    spelling = rows & np.uint64(0xFFFF)
    values, first, counts = np.unique(spelling, return_index=True, return_counts=True)
    if len(values) == 1:
        return [int(values[0])]
    order = np.lexsort((first, -counts))[:MAX_VARIANTS]   # most used first, then first seen
    return [int(v) for v in values[order]]


def _body_wide(rows: np.ndarray, variants: list[int]) -> bytes:
    """_body for a long posting list: every row's bytes placed at once."""
    doc = _LAST - ((rows & np.uint64(_DOC)) >> np.uint64(16)).astype(np.int64)
    delta = np.diff(doc, prepend=0)
    groups = np.ones(len(rows), dtype=np.int64)   # 7-bit groups of each delta's varint
    for bits in range(7, 64, 7):
        more = delta >= (1 << bits)
        if not more.any():
            break
        groups += more
    several = len(variants) > 1
    width = groups + (2 if several else 1)
    start = np.concatenate(([0], np.cumsum(width)[:-1]))
    out = np.zeros(int(width.sum()), dtype=np.uint8)
    for g in range(int(groups.max())):
        has = groups > g
        byte = (delta[has] >> (7 * g)) & 0x7F
        byte |= np.where(groups[has] > g + 1, 0x80, 0)
        out[start[has] + g] = byte
    out[start + groups] = (255 - (rows >> np.uint64(_IMP))).astype(np.uint8)
    if several:
        named = np.array(variants, dtype=np.uint64)
        sorter = np.argsort(named)
        spelling = rows & np.uint64(0xFFFF)
        at = np.minimum(np.searchsorted(named[sorter], spelling), len(named) - 1)
        found = named[sorter][at] == spelling
        out[start + groups + 1] = np.where(found, sorter[at], 255).astype(np.uint8)
    return out.tobytes()


_job: dict = {}  # what the shard writers read (inherited by forked workers)


def _shard_count(postings: dict[str, array]) -> int:
    """A power of two giving shards of about SHARD_TARGET bytes (estimated before encoding)."""
    # About 3.7 bytes a kept posting, plus each term's head and its spellings' extras.
    total = sum(10 + 4 * min(len(p), KEEP) + (200 if len(p) > KEEP else 0) for p in postings.values())
    shards = 1
    while shards * SHARD_TARGET < total and shards < 1 << 16:
        shards <<= 1
    return shards


def _write_shards(k: int, n: int) -> list[tuple[int, int, int]]:
    """Write every shard and metadata chunk whose number is ``k`` modulo ``n``.

    Returns (file number, crc, size), chunks numbered after the shards.
    """
    job = _job
    mask, folder = job["shards"] - 1, job["folder"]
    blobs: dict[int, bytearray] = {}
    for term, packed in job["postings"].items():
        shard = term_hash(term) & mask
        if shard % n == k:
            blob = blobs.get(shard)
            if blob is None:
                blob = blobs[shard] = bytearray()
            blob += _entry(term, packed, job["norms"], job["count"], job["scale"], job["wide"])
    done = []
    for shard in range(k, job["shards"], n):
        blob = bytes(blobs.get(shard, b""))
        (folder / "t" / f"{shard}.bin").write_bytes(blob)
        done.append((shard, zlib.crc32(blob), len(blob)))
    docs = job["docs"]
    for chunk in range(k, -(-len(docs) // CHUNK), n):
        rows = [[d.title, d.url, d.date, d.section, d.excerpt] for d in docs[chunk * CHUNK:(chunk + 1) * CHUNK]]
        data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (folder / "d" / f"{chunk}.json").write_bytes(data)
        done.append((job["shards"] + chunk, zlib.crc32(data), len(data)))
    return done


def write_index(out: Path, docs: list[SearchDoc], sections: list[tuple[str, str]],
                store: TermStore | None = None) -> IndexStats:
    """Write the index of ``docs`` (oldest first: see above) into ``out``; return its figures.

    With a ``store``, documents already in it are not made into terms again,
    and the store keeps this build's documents for the next one.
    """
    procs = parallel.workers(len(docs))
    collect = _collect
    if store is not None:
        # Text as written and plain text give other terms: the key says which it is.
        keys = [doc_key(d.title, "t" + d.text if d.text else "m" + d.markdown) for d in docs]
        store.used.update(keys)
        collect = partial(_collect, keys=keys, records=store.records)
    postings, lengths, new = parallel.collect(collect, docs, procs)
    del collect   # it holds the store's records
    if store is not None:
        store.add(new)
        store.save()   # now: its records are let go before the terms are encoded
    del new
    count = len(docs)
    avg = (sum(lengths) / count) if count else 1.0
    norms = [K1 * (1 - B + B * n / avg) for n in lengths]
    shards = _shard_count(postings)
    out.mkdir(parents=True, exist_ok=True)
    (out / "t").mkdir(exist_ok=True)
    (out / "d").mkdir(exist_ok=True)
    _job.update(postings=postings, norms=norms, wide=np.asarray(norms, dtype=np.float64), count=count,
                shards=shards, folder=out, docs=docs, scale=255 / (math.log(1 + count + 1) * (K1 + 1)))
    try:
        done = sorted(d for part in parallel.run(_write_shards, procs) for d in part)
    finally:
        _job.clear()
    version = zlib.crc32(b"".join(crc.to_bytes(4, "little") for _, crc, _ in done))
    written = sum(size for _, _, size in done)
    section_bytes = bytes(d.section + 1 for d in docs)
    (out / "sections.bin").write_bytes(section_bytes)
    years: dict[str, list[int]] = {}
    for doc_id, doc in enumerate(docs):
        span = years.setdefault(doc.date[:4], [doc_id, doc_id])
        span[1] = doc_id
    manifest = {
        "format": FORMAT, "v": f"{zlib.crc32(section_bytes, version):08x}", "documents": count,
        "shards": shards, "chunk": CHUNK, "keep": KEEP,
        "sections": [list(s) for s in sections],
        # Newest year first (the search page's menu lists them in this order), whatever the ids' order.
        "years": [[int(y), a, b] for y, (a, b) in sorted(years.items(), reverse=True)],
    }
    data = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    (out / "manifest.json").write_bytes(data)
    written += len(data) + len(section_bytes)
    files = shards + -(-count // CHUNK) + 2
    return IndexStats(count, len(postings), sum(len(p) for p in postings.values()), shards, files, written)
