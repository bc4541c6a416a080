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
from itertools import repeat
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
             records: dict[bytes, bytes] | None = None) -> tuple:
    """The terms of documents ``start`` to ``end``: (terms in order of first use, each
    term's postings count, postings packed as ``doc << 28 | spelling << 12 | tf``
    grouped by term in that order and by document within a term, the documents'
    lengths, new term records).

    A document's terms come from ``records`` (the term store) when its key is
    there; the others are made here and returned packed, to be stored. The loop
    runs once per document; what it does per (term, document) is done in C
    (dictionary look-ups through ``map``) or by numpy.
    """
    vocab: dict[str, int] = {}   # term -> number, in order of first use
    find = vocab.get
    numbers, values = array("i"), array("I")
    sizes: list[int] = []
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
        terms, term_values, length = found
        lengths.append(length)
        sizes.append(len(terms))
        ids = list(map(find, terms, repeat(-1)))
        if -1 in ids:   # terms not seen before in this part, numbered in the order the document uses them
            i = ids.index(-1)
            while True:
                ids[i] = vocab[terms[i]] = len(vocab)
                try:
                    i = ids.index(-1, i + 1)
                except ValueError:
                    break
        numbers.extend(ids)
        values.extend(term_values)
    term = np.frombuffer(numbers, dtype=np.int32) if numbers else np.zeros(0, dtype=np.int32)
    doc = np.repeat(np.arange(start, end, dtype=np.uint64), sizes)
    packed = doc << np.uint64(28) | np.frombuffer(values, dtype=np.uint32).astype(np.uint64) \
        if values else np.zeros(0, dtype=np.uint64)
    packed = packed[_stable_order(term)]
    return list(vocab), np.bincount(term, minlength=len(vocab)), packed, lengths, new


def _stable_order(term: np.ndarray) -> np.ndarray:
    """The order that groups ``term`` (numbers below 2**31), equal ones kept in their order.

    numpy sorts 16-bit numbers stably by radix, in linear time (about six times faster than
    32-bit ones at 10,000 articles): a 32-bit number is sorted as two 16-bit halves.
    """
    if not len(term) or term.max() < 1 << 16:
        return np.argsort(term.astype(np.uint16), kind="stable")
    order = np.argsort((term & 0xFFFF).astype(np.uint16), kind="stable")
    return order[np.argsort((term[order] >> 16).astype(np.uint16), kind="stable")]


class Postings:
    """Every term's postings (``lists[t]``: ``packed`` numbers by document) and the terms.

    Terms are numbered in order of first use (the oldest document first), the
    order of the entries in a shard.
    """

    def __init__(self, terms: list[str], lists: list):
        self.terms, self.lists = terms, lists

    def __len__(self) -> int:
        return len(self.terms)

    def df(self) -> np.ndarray:
        return np.fromiter(map(len, self.lists), dtype=np.int64, count=len(self.lists))

    def gather(self, ids: list[int]) -> np.ndarray:
        """The postings of terms ``ids``, one after the other."""
        if not ids:
            return np.zeros(0, dtype=np.uint64)
        return np.concatenate([np.frombuffer(self.lists[t], dtype=np.uint64) for t in ids])


def _merge(parts: list) -> tuple[Postings, list[int], dict[bytes, bytes]]:
    """The parts of ``_collect`` (in document order) as one ``Postings``; lengths; new records.

    Each part's postings are let go once added, so the merge holds the postings about
    once, not twice (at 100,000 articles they are 55 million: 440 MB).
    """
    lengths: list[int] = []
    new: dict[bytes, bytes] = {}
    if len(parts) == 1:   # views of the one part, no copy
        terms, counts, packed, lengths, new = parts[0]
        cuts = np.cumsum(counts)[:-1] if len(counts) else []
        return Postings(terms, np.split(packed, cuts) if len(counts) else []), lengths, new
    vocab: dict[str, int] = {}
    lists: list[array] = []
    for i in range(len(parts)):
        terms, counts, packed, part_lengths, part_new = parts[i]
        parts[i] = None
        lengths.extend(part_lengths)
        new.update(part_new)
        data = memoryview(packed).cast("B")
        at = 0
        # A part's terms in its order of first use: new ones take the next numbers, which
        # keeps the whole archive's order of first use.
        for term, n in zip(terms, counts.tolist()):
            t = vocab.get(term)
            if t is None:
                t = vocab[term] = len(lists)
                lists.append(array("Q"))
            lists[t].frombytes(data[at:at + 8 * n])
            at += 8 * n
        del data, packed
    return Postings(list(vocab), lists), lengths, new


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
        rows = _rows(packed.tolist() if isinstance(packed, np.ndarray) else packed, norms, c)
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


def _entries_short(terms: list[str], packed: np.ndarray, starts: np.ndarray, norms: np.ndarray,
                   count: int, scale: float) -> list[bytes]:
    """``_entry`` of many terms that keep all their postings (at most ``KEEP``), with numpy at once.

    ``packed[starts[i]:starts[i + 1]]`` are ``terms[i]``'s postings, by document. The
    same bytes as ``_entry`` (tests/test_search_index.py checks them against each other):
    every row kept, in document order; the same float operations in the same order.
    """
    if not terms:
        return []
    df = np.diff(starts)
    nterms, total = len(terms), int(starts[-1])
    term = np.repeat(np.arange(nterms), df)                    # each posting's term
    c = np.array([math.log(1 + (count - d + 0.5) / (d + 0.5)) * (K1 + 1) * scale for d in df.tolist()])
    doc = (packed >> np.uint64(28)).astype(np.int64)
    tf = (packed & np.uint64(0xFFF)).astype(np.float64)
    imp = np.clip((c[term] * tf / (tf + norms[doc]) + 0.5).astype(np.int64), 1, 255)
    spelling = ((packed >> np.uint64(12)) & np.uint64(0xFFFF)).astype(np.int64)
    # Spellings: each term's distinct ones, most used first, then first seen (Counter.most_common).
    key = term << 16 | spelling
    pairs, first, inverse, uses = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
    owner = pairs >> 16
    order = np.lexsort((first, -uses, owner))                  # by term, then most used, first seen
    distinct = np.bincount(owner, minlength=nterms)
    named_at = np.zeros(nterms + 1, dtype=np.int64)            # each term's first pair in ``order``
    np.cumsum(distinct, out=named_at[1:])
    rank = np.empty(len(pairs), dtype=np.int64)
    rank[order] = np.arange(len(pairs)) - np.repeat(named_at[:-1], distinct)
    several = distinct > 1
    index = np.where(rank < MAX_VARIANTS, rank, 255)[inverse.reshape(-1)]   # each posting's spelling index
    names = (pairs[order] & 0xFFFF).astype("<u2").tobytes()   # by term, then rank
    # Bodies: varint id delta, impact, and the spelling's index when a term has several.
    delta = doc.copy()
    delta[1:] -= doc[:-1]
    delta[starts[:-1]] = doc[starts[:-1]]                      # a term's first id counts from 0
    groups = np.ones(total, dtype=np.int64)
    for bits in range(7, 64, 7):
        more = delta >= (1 << bits)
        if not more.any():
            break
        groups += more
    width = groups + 1 + several[term]
    at = np.zeros(total + 1, dtype=np.int64)
    np.cumsum(width, out=at[1:])
    out = np.zeros(int(at[-1]), dtype=np.uint8)
    for g in range(int(groups.max())):
        has = groups > g
        byte = (delta[has] >> (7 * g)) & 0x7F
        byte |= np.where(groups[has] > g + 1, 0x80, 0)
        out[at[:-1][has] + g] = byte
    out[at[:-1] + groups] = imp.astype(np.uint8)
    tagged = several[term]
    out[(at[:-1] + groups + 1)[tagged]] = index[tagged].astype(np.uint8)
    body = out.tobytes()
    ends = at[starts].tolist()                                 # each term's body, in ``body``
    entries = []
    for t, rows, nvar, named, lo, hi in zip(terms, df.tolist(), np.minimum(distinct, MAX_VARIANTS).tolist(),
                                            named_at.tolist(), ends, ends[1:]):
        head = bytearray(term_check(t).to_bytes(3, "little"))
        put_varint(head, rows)
        put_varint(head, nvar)
        head += names[2 * named:2 * (named + nvar)]
        put_varint(head, hi - lo)
        entries.append(bytes(head + body[lo:hi]))
    return entries


_job: dict = {}  # what the shard writers read (inherited by forked workers)


def _shard_count(df: np.ndarray) -> int:
    """A power of two giving shards of about SHARD_TARGET bytes (estimated before encoding)."""
    # About 3.7 bytes a kept posting, plus each term's head and its spellings' extras.
    total = int(np.sum(10 + 4 * np.minimum(df, KEEP) + 200 * (df > KEEP)))
    shards = 1
    while shards * SHARD_TARGET < total and shards < 1 << 16:
        shards <<= 1
    return shards


BATCH = 1 << 20   # postings of short lists encoded at once (numpy's temporaries: ≈ 100 MB)


def _write_shards(k: int, n: int) -> list[tuple[int, int, int]]:
    """Write every shard and metadata chunk whose number is ``k`` modulo ``n``.

    Returns (file number, crc, size), chunks numbered after the shards.
    """
    job = _job
    folder, postings, shard_of = job["folder"], job["postings"], job["shard_of"]
    terms, lists, df = postings.terms, postings.lists, job["df"]
    mine = np.flatnonzero(shard_of % n == k)   # in order of first use: the order within a shard
    entries: list[bytes] = [b""] * len(mine)
    # (BATCH 0: every list through _entry, one at a time, as the tests compare.)
    together = df[mine] <= KEEP if BATCH else np.zeros(len(mine), dtype=bool)
    short = np.flatnonzero(together)   # (places in ``mine``)
    # Short lists (most terms, a quarter of the postings) all at once, a batch at a time.
    ends = np.cumsum(df[mine[short]])
    lo = 0
    while lo < len(short):
        hi = max(lo + 1, int(np.searchsorted(ends, (ends[lo - 1] if lo else 0) + BATCH, side="right")))
        ids = mine[short[lo:hi]].tolist()
        at = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(df[ids], out=at[1:])
        made = _entries_short([terms[t] for t in ids], postings.gather(ids), at, job["wide"], job["count"],
                              job["scale"])
        for place, entry in zip(short[lo:hi].tolist(), made):
            entries[place] = entry
        lo = hi
    for place in np.flatnonzero(~together).tolist():
        t = int(mine[place])
        entries[place] = _entry(terms[t], lists[t], job["norms"], job["count"], job["scale"], job["wide"])
    blobs: dict[int, list[bytes]] = {}
    for shard, entry in zip(shard_of[mine].tolist(), entries):
        blobs.setdefault(shard, []).append(entry)
    done = []
    for shard in range(k, job["shards"], n):
        blob = b"".join(blobs.get(shard, ()))
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
    postings, lengths, new = _merge(parallel.collect(partial(collect, docs), len(docs), procs))
    del collect   # it holds the store's records
    if store is not None:
        store.add(new)
        store.save()   # now: its records are let go before the terms are encoded
    del new
    count = len(docs)
    avg = (sum(lengths) / count) if count else 1.0
    norms = [K1 * (1 - B + B * n / avg) for n in lengths]
    df = postings.df()
    shards = _shard_count(df)
    out.mkdir(parents=True, exist_ok=True)
    (out / "t").mkdir(exist_ok=True)
    (out / "d").mkdir(exist_ok=True)
    shard_of = np.array([term_hash(t) & (shards - 1) for t in postings.terms], dtype=np.int64)
    _job.update(postings=postings, df=df, shard_of=shard_of, norms=norms, wide=np.asarray(norms, dtype=np.float64),
                count=count, shards=shards, folder=out, docs=docs,
                scale=255 / (math.log(1 + count + 1) * (K1 + 1)))
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
    return IndexStats(count, len(postings), int(df.sum()), shards, files, written)
