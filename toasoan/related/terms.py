"""The terms an article is compared by: folded syllables, syllable pairs, tags.

Vietnamese writes words as spaced syllables and most words have two of them
("tổ chức", "nông thôn"), so a pair of neighbouring syllables often is a word,
and carries a meaning that its syllables alone do not.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse

from ..reading.plain import words_text
from ..core.model import Article
from ..core.records import RecordStore, header
from ..core.text import fold_fast

TITLE_WEIGHT = 3     # a title word counts like this many body words
TAG_WEIGHT = 3       # weight of a whole tag as a term of its own


# Punctuation and numbers (dates, amounts: noise here) end a run of syllable pairs.
_BREAK = re.compile(r"[^a-z\s]+")

# Function syllables that link everything to everything (folded). Pairs made
# only of them are dropped too; a pair with one content syllable is kept
# ("không khí", "có thể" weigh little anyway through their frequency).
STOP = frozenset("""
va la cua cac nhung mot duoc co trong cho voi da de khi thi tai tu ve nay nhu cung se theo
den ra vao lai con nhieu rat hon khong o tren duoi sau truoc nen ma neu vi bi boi hay hoac
do day kia ay nao gi the nhat moi cu deu van luc viec chi nua ca hien tung qua bang
""".split())


def add_terms(counts: dict[str, float], text: str, weight: float = 1.0) -> None:
    """Count the syllables and syllable pairs of ``text`` into ``counts``."""
    stop = STOP
    tokens: list[str] = []
    for run in _BREAK.split(fold_fast(text)):
        syls = run.split()
        tokens += [s for s in syls if s not in stop]
        tokens += [a + " " + b for a, b in zip(syls, syls[1:]) if a not in stop or b not in stop]
    get = counts.get
    for term, n in Counter(tokens).items():   # counted in C, merged once per term
        counts[term] = get(term, 0) + n * weight


def features(article: Article) -> dict[str, float]:
    """Term counts of an article: title (weighted), summary if written, body, tags."""
    counts: dict[str, float] = {}
    add_terms(counts, article.title, TITLE_WEIGHT)
    if article.summary_given:
        add_terms(counts, article.summary)
    add_terms(counts, words_text(article.body))
    for tag in article.tags:
        add_terms(counts, tag)
        key = "#" + fold_fast(tag).strip()
        counts[key] = counts.get(key, 0) + TAG_WEIGHT
    return counts


def _fields(article: Article):
    """(text, weight) of everything ``features`` reads, tags' own terms aside."""
    yield article.title, TITLE_WEIGHT
    if article.summary_given:
        yield article.summary, 1
    yield words_text(article.body), 1
    for tag in article.tags:
        yield tag, 1


# Articles assembled at a time: their syllable strings (tens of bytes each) live
# only while their chunk is counted, so memory follows the counts, not the text.
CHUNK = 2000
_PAIR_KEY = 1 << 32
_TAG_KEY = 1 << 62   # tag keys sort after every pair key (a << 32 | b)
FORMAT = 1   # of a record: a new one ignores stores of the old
_SIZES = struct.Struct("<III")
SEP = "\x1f"


def record_key(article: Article) -> bytes:
    """What an article's terms depend on: title, summary if written, body, tags."""
    h = hashlib.blake2b(digest_size=16)
    parts = (article.title, article.summary if article.summary_given else "\0", article.body, *article.tags)
    h.update(SEP.join(parts).encode("utf-8", "surrogatepass"))
    return h.digest()


def record(article: Article) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """An article's terms in its own numbering, what the store keeps of it.

    Its distinct syllables in order of first use ("|", the end of a run, first),
    its distinct tag terms, then each term's key and count: a syllable is its
    number, a pair ``a << 32 | b``, a tag ``_TAG_KEY`` + its number; keys increase.
    """
    tokens: list[str] = []
    lengths: list[int] = []
    weights: list[float] = []
    for text, weight in _fields(article):
        # "|" ends a run: punctuation, numbers, and the end of a field.
        run = _BREAK.sub(" | ", fold_fast(text)).split()
        run.append("|")
        tokens += run
        lengths.append(len(run))
        weights.append(weight)
    names = list(dict.fromkeys(["|", *tokens]))
    number = {t: i for i, t in enumerate(names)}
    ids = np.fromiter(map(number.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    w = np.repeat(np.asarray(weights, dtype=np.float32), lengths)
    stop = np.fromiter((t in STOP for t in names), dtype=bool, count=len(names))
    stop[0] = True
    single = ~stop[ids]
    a, b = ids[:-1], ids[1:]
    pair = (a != 0) & (b != 0) & ~(stop[a] & stop[b])
    tag_terms = ["#" + fold_fast(tag).strip() for tag in article.tags]
    tag_names = list(dict.fromkeys(tag_terms))
    tag_number = {t: i for i, t in enumerate(tag_names)}
    keys = np.concatenate([ids[single], a[pair] << 32 | b[pair],
                           _TAG_KEY + np.array([tag_number[t] for t in tag_terms], dtype=np.int64)])
    data = np.concatenate([w[single], w[:-1][pair], np.full(len(tag_terms), TAG_WEIGHT, dtype=np.float32)])
    uniq, inverse = np.unique(keys, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights=data, minlength=len(uniq)).astype(np.float32)
    return names, tag_names, uniq, counts


def pack(rec) -> bytes:
    names, tag_names, keys, counts = rec
    text = SEP.join(names + tag_names).encode("utf-8", "surrogatepass")
    return zlib.compress(_SIZES.pack(len(names), len(tag_names), len(keys)) + keys.astype("<i8").tobytes()
                         + counts.astype("<f4").tobytes() + text, 1)


def unpack(blob: bytes):
    """A record from its bytes, or None when it is damaged in any way."""
    try:
        raw = zlib.decompress(blob)
        n_names, n_tags, n_keys = _SIZES.unpack_from(raw)
        at = _SIZES.size
        keys = np.frombuffer(raw, dtype="<i8", count=n_keys, offset=at).astype(np.int64)
        at += 8 * n_keys
        counts = np.frombuffer(raw, dtype="<f4", count=n_keys, offset=at).astype(np.float32)
        words = raw[at + 4 * n_keys:].decode("utf-8", "surrogatepass").split(SEP)
    except (zlib.error, struct.error, UnicodeDecodeError, ValueError):
        return None
    if len(words) != n_names + n_tags or n_names == 0 or words[0] != "|":
        return None
    names, tag_names = words[:n_names], words[n_names:]
    if n_keys:   # numbers out of range would index another article's terms
        ends = np.searchsorted(keys, [_PAIR_KEY, _TAG_KEY])
        pairs = keys[ends[0]:ends[1]]
        if (keys[0] < 0 or not (keys[1:] > keys[:-1]).all()
                or (ends[0] and keys[ends[0] - 1] >= n_names)
                or (len(pairs) and (pairs[-1] >> 32 >= n_names or (pairs & 0xFFFFFFFF).max() >= n_names))
                or (ends[1] < n_keys and keys[-1] - _TAG_KEY >= n_tags)):
            return None
    return names, tag_names, keys, counts


class TermStore(RecordStore):
    """Each article's ``record``, kept between builds (see toasoan.core.records)."""

    def __init__(self, path: Path, key: str = ""):
        super().__init__(path, header("related-terms", f"{FORMAT} {key}"))


class TermMatrix:
    """``features`` of many articles at once, as a sparse articles × terms matrix.

    The same counts as ``features``: each article's terms are counted in its own
    numbering (``record``, kept in a ``store`` between builds, so the hourly build
    tokenises only new and edited articles), then renumbered for the archive, as
    numpy operations. ``vocab`` maps a term, spelled as ``features`` spells it, to
    its column.

    Articles go ``CHUNK`` at a time; columns are given at the end, in the order a
    single pass would give them (syllables by first use, pairs by their two
    syllables, tags by first use), so the result depends on neither the chunk size
    nor the store. ``matrix`` holds float32 counts (whole numbers, exact) and int32 columns.
    """

    def __init__(self, articles: list[Article], store: TermStore | None = None):
        index: dict[str, int] = {"|": 0}   # syllable -> number, by first use
        tags: dict[str, int] = {}
        counts, keys, values = [], [], []
        pair_keys = []
        for lo in range(0, len(articles), CHUNK):
            c, k, v = self._chunk([self._record(a, store) for a in articles[lo:lo + CHUNK]], index, tags)
            counts.append(c)
            keys.append(k)
            values.append(v)
            pair_keys.append(k[(k >= _PAIR_KEY) & (k < _TAG_KEY)])
        s = len(index)
        if s >= 1 << 31:
            raise ValueError("too many distinct syllables")
        pairs = np.unique(np.concatenate(pair_keys)) if pair_keys else np.zeros(0, dtype=np.int64)
        del pair_keys
        # Key -> column, chunk by chunk (each chunk's keys are freed once mapped).
        for i, k in enumerate(keys):
            col = k.copy()
            pair = (k >= _PAIR_KEY) & (k < _TAG_KEY)
            col[pair] = s + np.searchsorted(pairs, k[pair])
            tag = k >= _TAG_KEY
            col[tag] = s + len(pairs) + (k[tag] - _TAG_KEY)
            keys[i] = col.astype(np.int32)
        indptr = np.concatenate([[0], np.cumsum(np.concatenate(counts))]) if counts else np.zeros(1, np.int64)
        shape = (len(articles), s + len(pairs) + len(tags))
        self.matrix = sparse.csr_matrix(
            (np.concatenate(values) if values else np.zeros(0, np.float32),
             np.concatenate(keys) if keys else np.zeros(0, np.int32), indptr), shape=shape)
        self.matrix.has_sorted_indices = False
        self.matrix.sort_indices()   # each row's columns increasing (ties break by column later)
        self._names, self._pairs, self._tags = list(index), pairs, list(tags)

    @staticmethod
    def _record(article: Article, store: TermStore | None):
        if store is None:
            return record(article)
        key = record_key(article)
        blob = store.get(key)
        found = unpack(blob) if blob is not None else None
        if found is None:
            found = record(article)
            store.add({key: pack(found)})
        return found

    @staticmethod
    def _chunk(records: list, index: dict[str, int], tag_index: dict[str, int]):
        """(terms per article, term keys, counts) of some articles' records in the
        archive's numbering (a row's keys in any order); ``index`` and ``tag_index``
        grow with their new syllables and tags."""
        names = [t for r in records for t in r[0]]
        new = [t for t in dict.fromkeys(names) if t not in index]
        index.update(zip(new, range(len(index), len(index) + len(new))))
        for r in records:
            for t in r[1]:
                tag_index.setdefault(t, len(tag_index))
        glob = np.fromiter(map(index.__getitem__, names), dtype=np.int64, count=len(names))
        del names
        tag_glob = np.array([tag_index[t] for r in records for t in r[1]], dtype=np.int64)
        lengths = np.array([len(r[2]) for r in records], dtype=np.int64)
        rows = np.repeat(np.arange(len(records)), lengths)
        name_at = np.concatenate([[0], np.cumsum([len(r[0]) for r in records])])[:-1][rows]
        tag_at = np.concatenate([[0], np.cumsum([len(r[1]) for r in records])])[:-1][rows]
        local = np.concatenate([r[2] for r in records]) if records else np.zeros(0, np.int64)
        data = np.concatenate([r[3] for r in records]) if records else np.zeros(0, np.float32)
        out = np.empty_like(local)
        single = local < _PAIR_KEY
        tag = local >= _TAG_KEY
        pair = ~single & ~tag
        out[single] = glob[name_at[single] + local[single]]
        lp = local[pair]
        out[pair] = glob[name_at[pair] + (lp >> 32)] << 32 | glob[name_at[pair] + (lp & 0xFFFFFFFF)]
        out[tag] = _TAG_KEY + tag_glob[tag_at[tag] + (local[tag] - _TAG_KEY)]
        return lengths, out, data   # rows in order; within a row, sorted once the matrix is made

    @property
    def vocab(self) -> dict[str, int]:
        """Column of each term (made on demand: only a draft in preview needs it)."""
        names = self._names
        terms = names + [names[k >> 32] + " " + names[k & 0xFFFFFFFF] for k in self._pairs.tolist()] + self._tags
        return {t: i for i, t in enumerate(terms)}
