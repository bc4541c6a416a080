"""Related articles ("Xem thêm"): editor's links first, then the archive's own ranking.

The ranking is computed once per build for every article, through an inverted
index (Hugo's related-content index is the model): each article becomes a
weighted vector of terms — folded syllables, syllable pairs and tags — and only
articles that share a term are ever compared. Two limits keep the work about
linear in the archive's size: a term found in more than ``max_df`` of the
archive is dropped, and a term's posting list keeps only the ``posting_cap``
articles where that term weighs most (a common word costs no more than a rare one);
each article keeps its ``terms`` strongest terms and reads at most
``query_budget`` postings.

Then a second step: two articles whose own nearest neighbours overlap are
about the same subject even where their words differ ("shared neighbours").
This costs ``neighbours``² per article, whatever the archive's size.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter

from .model import Article
from .terms import features


@dataclass
class Options:
    """Tuning knobs, chosen with bench/bench_related.py (quality on real news
    against time on a 10,000-article archive). More ``terms``, ``query_budget``
    and ``neighbours`` buy a little quality for time: see that script's notes."""

    terms: int = 250           # strongest terms kept per article
    posting_cap: int = 50      # articles kept per term in the inverted index
    query_budget: int = 5000   # postings read per article, strongest terms first
    levels: int = 4            # weights are rounded to 1…levels (see RelatedIndex)
    min_df: int = 2            # a term in one article alone links nothing
    max_df: float = 0.1        # share of the archive above which a term is dropped …
    k1: float = 1.2            # BM25 term-frequency saturation
    b: float = 0.75            # BM25 length normalisation
    section_boost: float = 0.15   # same section: score × (1 + boost)
    location_boost: float = 0.15  # same district or place
    time_boost: float = 0.5       # up to this much for articles close in time …
    time_scale_days: float = 7.0  # … half of it at this many days apart
    neighbours: int = 40          # nearest neighbours compared in the second step
    shared_weight: float = 1.0    # weight of the shared-neighbour similarity


Row = list[tuple[int, float]]


class RelatedIndex:
    """An inverted index over the published articles, for ranking related ones."""

    def __init__(self, pool: list[Article], options: Options | None = None):
        self.options = opt = options or Options()
        # A stable order makes every tie break the same way, whatever the file order.
        self.pool = sorted(pool, key=lambda a: (a.date, a.slug))
        self._pos = {a: i for i, a in enumerate(self.pool)}
        self._stamp = [a.date.timestamp() / 86400 for a in self.pool]
        self._places = [_place(a.location) for a in self.pool]
        counts = [features(a) for a in self.pool]
        n = len(counts)
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())   # counted in C
        # … but never below the posting cap, so a small archive keeps its words.
        limit = max(opt.max_df * n, opt.posting_cap)
        # BM25's idf; terms outside [min_df, limit] can never help, so they get none.
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5))
                    for t, d in df.items() if opt.min_df <= d <= limit}
        self.avg_len = (sum(sum(c.values()) for c in counts) / n) if n else 1.0
        vectors = [self._weights(c) for c in counts]
        # Weights are rounded to 1…levels, and a posting of level q is the
        # article's number written q times: reading postings is then list
        # copying and counting (collections.Counter, in C), many times faster
        # than a Python loop of multiply-adds, for the same benchmark quality.
        # (a sample of the weights is enough to place the levels)
        self._scale = opt.levels / _percentile([w for vec in vectors[::7] for _, w in vec], 0.99)
        self.vectors = [self._levels(vec) for vec in vectors]
        postings: dict[str, list[tuple[float, int, int]]] = {}
        for i, (vec, levels) in enumerate(zip(vectors, self.vectors)):
            for (t, w), (_, q) in zip(vec, levels):
                plist = postings.get(t)
                if plist is None:
                    postings[t] = [(-w, i, q)]
                else:
                    plist.append((-w, i, q))
        self.postings: dict[str, list[int]] = {}
        for t, plist in postings.items():
            if len(plist) > 1:
                plist.sort()  # strongest first; ties by article order
                self.postings[t] = [i for _, i, q in plist[: opt.posting_cap] for i in (i,) * q]
        # The first step for every article, then who lists whom (for the second step).
        self.rows = [self._first(self.pool[i], self.vectors[i], i) for i in range(n)]
        self.listed_by: list[list[int]] = [[j] for j in range(n)]
        for i, row in enumerate(self.rows):
            for j, _ in row[: opt.neighbours]:
                self.listed_by[j].append(i)

    def _weights(self, counts: dict[str, float]) -> list[tuple[str, float]]:
        """BM25-weighted, unit-length vector of an article's terms, strongest first."""
        opt, idf = self.options, self.idf
        norm = opt.k1 * (1 - opt.b + opt.b * sum(counts.values()) / (self.avg_len or 1.0))
        k1 = opt.k1 + 1
        get = idf.get
        weights = [(w * tf * k1 / (tf + norm), t) for t, tf in counts.items() if (w := get(t))]
        length = math.sqrt(sum(w * w for w, _ in weights)) or 1.0
        weights.sort(reverse=True)
        return [(t, w / length) for w, t in weights[: opt.terms]]

    def _levels(self, vector: list[tuple[str, float]]) -> list[tuple[str, int]]:
        top, scale = self.options.levels, self._scale
        return [(t, min(top, int(w * scale) + 1)) for t, w in vector]

    def _first(self, article: Article, vector: list[tuple[str, int]], me: int | None) -> Row:
        """Text similarity raised for section, place and time: the best ``neighbours * 2``.

        The article's terms are looked up strongest first, until ``query_budget``
        postings have been read: the cost per article stays fixed.
        """
        opt, pool, stamps, places = self.options, self.pool, self._stamp, self._places
        postings = self.postings
        budget = opt.query_budget
        found: list[int] = []
        for t, q in vector:
            plist = postings.get(t)
            if plist is not None:
                found += plist * q
                budget -= len(plist)
                if budget <= 0:
                    break
        acc = Counter(found)
        acc.pop(me, None)
        # Boosts raise a score by less than double: candidates far below the
        # best cannot reach the list, so only the head is looked at.
        keep = 2 * opt.neighbours
        # Ties keep the order of the postings, which is fixed: the result is deterministic.
        top = heapq.nlargest(keep * 2, acc.items(), key=itemgetter(1))
        place = _place(article.location)
        stamp = article.date.timestamp() / 86400
        scale, section = opt.time_scale_days, article.section
        out = []
        for i, s in top:
            boost = 1.0 + opt.time_boost * scale / (scale + abs(stamps[i] - stamp))
            if section and pool[i].section == section:
                boost += opt.section_boost
            if place and places[i] == place:
                boost += opt.location_boost
            out.append((i, s * boost))
        return _best(out, keep)

    def _row(self, article: Article) -> tuple[Row, int | None]:
        i = self._pos.get(article)
        if i is not None:
            return self.rows[i], i
        return self._first(article, self._levels(self._weights(features(article))), None), None

    def similar(self, article: Article, count: int, skip=()) -> list[Article]:
        """The ``count`` pool articles most related to ``article``, best first.

        Never ``article`` itself nor anything in ``skip``.
        """
        if count <= 0:
            return []
        row, me = self._row(article)
        # First-step scores relative to the best one, so both steps weigh alike.
        top = row[0][1] if row and row[0][1] > 0 else 1.0
        scores = {i: s / top for i, s in row}
        # Second step: the share of first-step neighbours two articles have in common.
        k = self.options.neighbours
        weight = self.options.shared_weight / (k + 1)
        if weight:
            mine = [j for j, _ in row[:k]] + ([me] if me is not None else [])
            listed_by = self.listed_by
            near: list[int] = []
            for j in mine:
                near += listed_by[j]
            # Only the articles sharing the most neighbours can make the list.
            for l, c in heapq.nlargest(k, Counter(near).items(), key=itemgetter(1)):
                scores[l] = scores.get(l, 0.0) + weight * c
        scores.pop(me, None)
        for other in skip:
            scores.pop(self._pos.get(other), None)
        return [self.pool[i] for i, _ in _best(list(scores.items()), count)]


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 1.0
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))] or 1.0


def _best(scored: list[tuple[int, float]], count: int) -> list[tuple[int, float]]:
    """The ``count`` best (index, score) pairs; ties go to the older article."""
    return heapq.nsmallest(count, scored, key=lambda p: (-p[1], p[0]))


def _place(location: str) -> str:
    return " ".join(location.lower().split())


def relate_all(shown: list[Article], pool: list[Article], chosen: dict[int, list[Article]],
               count: int, options: Options | None = None) -> dict[Article, list[Article]]:
    """Every shown article's "Xem thêm" list: the editor's links, then the best of the rest.

    ``pool`` is what may be linked automatically: published articles only,
    never drafts or scheduled ones (which ``shown`` holds in preview).
    """
    index = RelatedIndex([a for a in pool if a.published], options)
    out: dict[Article, list[Article]] = {}
    for article in shown:
        picked = list(chosen.get(id(article), []))
        picked += index.similar(article, count - len(picked), skip=picked)
        out[article] = picked
    return out


def same_section(section_articles: list[Article], article: Article, count: int,
                 skip=()) -> list[Article]:
    """The latest published articles of a section but ``article`` and ``skip``.

    ``section_articles`` is the Archive's list, newest first: only its head is read.
    """
    out, skipped = [], set(map(id, skip)) | {id(article)}
    for other in section_articles:
        if len(out) >= count:
            break
        if other.published and id(other) not in skipped:
            out.append(other)
    return out
