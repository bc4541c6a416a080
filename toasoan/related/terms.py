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


class TermMatrix:
    """``features`` of many articles at once, as a sparse articles × terms matrix.

    The same counts as ``features``, but only the split into syllables is
    Python work: syllables become numbers, and pairs, stop words and counting
    are numpy operations (a pair is the number a·S + b). ``vocab`` maps a
    term, spelled as ``features`` spells it, to its column.
    """

    def __init__(self, articles: list[Article]):
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
        per_field = np.asarray(field_rows, dtype=np.int64)
        names = list(dict.fromkeys(["|", *tokens]))
        index = {t: i for i, t in enumerate(names)}
        s = len(names)
        ids = np.array(list(map(index.__getitem__, tokens)), dtype=np.int64)
        docs = np.repeat(per_field, lengths)
        w = np.repeat(np.asarray(weights, dtype=np.float64), lengths)
        stop = np.zeros(s, dtype=bool)
        stop[0] = True
        stop[[index[t] for t in STOP if t in index]] = True
        single = ~stop[ids]
        a, b = ids[:-1], ids[1:]
        pair = (a != 0) & (b != 0) & ~(stop[a] & stop[b])
        pair_keys, pair_cols = np.unique(a[pair] * s + b[pair], return_inverse=True)
        tags = list(dict.fromkeys(tag_keys))
        tag_index = {t: i for i, t in enumerate(tags)}
        tag_cols = np.array([tag_index[t] for t in tag_keys], dtype=np.int64)
        cols = np.concatenate([ids[single], s + pair_cols.ravel(), s + len(pair_keys) + tag_cols])
        rows = np.concatenate([docs[single], docs[:-1][pair], np.asarray(tag_rows, dtype=np.int64)])
        data = np.concatenate([w[single], w[:-1][pair], np.full(len(tag_keys), float(TAG_WEIGHT))])
        shape = (len(articles), s + len(pair_keys) + len(tags))
        self.matrix = sparse.csr_matrix(sparse.coo_matrix((data, (rows, cols)), shape=shape))
        self.matrix.sum_duplicates()
        self._names, self._pairs, self._tags = names, pair_keys, tags

    @property
    def vocab(self) -> dict[str, int]:
        """Column of each term (made on demand: only a draft in preview needs it)."""
        names, s = self._names, len(self._names)
        terms = names + [names[k // s] + " " + names[k % s] for k in self._pairs.tolist()] + self._tags
        return {t: i for i, t in enumerate(terms)}
