"""The terms an article is compared by: folded syllables, syllable pairs, tags.

Vietnamese writes words as spaced syllables and most words have two of them
("tổ chức", "nông thôn"), so a pair of neighbouring syllables often is a word,
and carries a meaning that its syllables alone do not.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from scipy import sparse

from ..reading.plain import words_text
from ..core.model import Article
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


# Articles tokenised at a time: their syllable strings (tens of bytes each) live
# only while their chunk is counted, so memory follows the counts, not the text.
CHUNK = 2000
_TAG_KEY = 1 << 62   # tag keys sort after every pair key (a << 32 | b)


class TermMatrix:
    """``features`` of many articles at once, as a sparse articles × terms matrix.

    The same counts as ``features``, but only the split into syllables is
    Python work: syllables become numbers, and pairs, stop words and counting
    are numpy operations (a pair is the number a << 32 | b). ``vocab`` maps a
    term, spelled as ``features`` spells it, to its column.

    Articles go ``CHUNK`` at a time, each chunk counted as (article, term key,
    count) at once; columns are given at the end, in the order a single pass
    would give them (syllables by first use, pairs by their two syllables,
    tags by first use), so the result does not depend on the chunk size.
    ``matrix`` holds float32 counts (whole numbers, exact) and int32 columns.
    """

    def __init__(self, articles: list[Article]):
        index: dict[str, int] = {"|": 0}   # syllable -> number, by first use
        tags: dict[str, int] = {}
        counts, keys, values = [], [], []
        pair_keys = []
        for lo in range(0, len(articles), CHUNK):
            c, k, v = self._chunk(articles[lo:lo + CHUNK], index, tags)
            counts.append(c)
            keys.append(k)
            values.append(v)
            pair_keys.append(k[(k >= 1 << 32) & (k < _TAG_KEY)])
        s = len(index)
        if s >= 1 << 31:
            raise ValueError("too many distinct syllables")
        pairs = np.unique(np.concatenate(pair_keys)) if pair_keys else np.zeros(0, dtype=np.int64)
        del pair_keys
        # Key -> column, chunk by chunk (each chunk's keys are freed once mapped).
        # The map is increasing, so every row's columns stay sorted.
        for i, k in enumerate(keys):
            col = k.copy()
            pair = (k >= 1 << 32) & (k < _TAG_KEY)
            col[pair] = s + np.searchsorted(pairs, k[pair])
            tag = k >= _TAG_KEY
            col[tag] = s + len(pairs) + (k[tag] - _TAG_KEY)
            keys[i] = col.astype(np.int32)
        indptr = np.concatenate([[0], np.cumsum(np.concatenate(counts))]) if counts else np.zeros(1, np.int64)
        shape = (len(articles), s + len(pairs) + len(tags))
        self.matrix = sparse.csr_matrix(
            (np.concatenate(values) if values else np.zeros(0, np.float32),
             np.concatenate(keys) if keys else np.zeros(0, np.int32), indptr), shape=shape)
        self.matrix.has_sorted_indices = True
        self._names, self._pairs, self._tags = list(index), pairs, list(tags)

    @staticmethod
    def _chunk(articles: list[Article], index: dict[str, int], tag_index: dict[str, int]):
        """(terms per article, term keys, counts) of some articles, each row's keys
        increasing; ``index`` and ``tag_index`` grow with their new syllables and tags."""
        tokens: list[str] = []
        lengths: list[int] = []
        weights: list[float] = []
        tag_rows: list[int] = []
        tag_keys: list[str] = []
        field_rows: list[int] = []
        for d, article in enumerate(articles):
            for text, weight in _fields(article):
                field_rows.append(d)
                # "|" ends a run: punctuation, numbers, and the end of a field.
                run = _BREAK.sub(" | ", fold_fast(text)).split()
                run.append("|")
                tokens += run
                lengths.append(len(run))
                weights.append(weight)
            tag_keys += ["#" + fold_fast(tag).strip() for tag in article.tags]
            tag_rows += [d] * len(article.tags)
        new = [t for t in dict.fromkeys(tokens) if t not in index]
        index.update(zip(new, range(len(index), len(index) + len(new))))
        for t in tag_keys:
            tag_index.setdefault(t, len(tag_index))
        ids = np.fromiter(map(index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        del tokens
        docs = np.repeat(np.asarray(field_rows, dtype=np.int64), lengths)
        w = np.repeat(np.asarray(weights, dtype=np.float32), lengths)
        stop = np.zeros(len(index), dtype=bool)
        stop[0] = True
        stop[[index[t] for t in STOP if t in index]] = True
        single = ~stop[ids]
        a, b = ids[:-1], ids[1:]
        pair = (a != 0) & (b != 0) & ~(stop[a] & stop[b])
        keys = np.concatenate([ids[single], a[pair] << 32 | b[pair],
                               _TAG_KEY + np.array([tag_index[t] for t in tag_keys], dtype=np.int64)])
        rows = np.concatenate([docs[single], docs[:-1][pair], np.asarray(tag_rows, dtype=np.int64)])
        data = np.concatenate([w[single], w[:-1][pair], np.full(len(tag_keys), TAG_WEIGHT, dtype=np.float32)])
        uniq, cols = np.unique(keys, return_inverse=True)
        m = sparse.csr_matrix((data, (rows, cols.ravel())), shape=(len(articles), len(uniq)))
        m.sum_duplicates()   # sorted columns, so each row's keys increase
        return np.diff(m.indptr), uniq[m.indices], m.data

    @property
    def vocab(self) -> dict[str, int]:
        """Column of each term (made on demand: only a draft in preview needs it)."""
        names = self._names
        terms = names + [names[k >> 32] + " " + names[k & 0xFFFFFFFF] for k in self._pairs.tolist()] + self._tags
        return {t: i for i, t in enumerate(terms)}
