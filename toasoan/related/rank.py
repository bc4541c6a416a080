"""Related articles ("Xem thêm"): editor's links first, then the archive's own ranking.

The ranking is computed once per build for every article, through an inverted
index (Hugo's related-content index is the model), done as sparse matrix
products in toasoan.related_matrix: each article is a weighted vector of terms
(folded syllables, syllable pairs and tags, toasoan.terms) and only articles
sharing a term are ever compared. Limits keep the work linear in the archive's
size: each article keeps its ``terms`` strongest terms, each term's posting list
its ``posting_cap`` strongest articles, and a term found in more than
``max_df`` of the archive is dropped.

Then a second step over the graph of each article's ``neighbours`` nearest:
two articles whose nearest neighbours overlap ("shared neighbours"), or that
sit in the same well-linked region of that graph (its spectral embedding), are
about the same subject even where their words differ. Measured on real news
(bench/bench_related.py): 0.83 of links stay in the article's section with
the text alone, 0.856 with the second step.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from ..related import matrix as rm
from ..core.model import Article
from ..related.terms import TermMatrix, TermStore, features


@dataclass
class Options:
    """Tuning knobs, chosen with bench/bench_related.py (quality on real news
    against time on a 10,000-article archive)."""

    terms: int = 1000          # strongest terms kept per article
    posting_cap: int = 100     # articles kept per term in the inverted index
    query_budget: int = 15000  # postings read per article, strongest terms first (0: all)
    min_df: int = 2            # a term in one article alone links nothing
    max_df: float = 0.1        # share of the archive above which a term is dropped …
    k1: float = 1.2            # BM25 term-frequency saturation
    b: float = 0.75            # BM25 length normalisation
    section_boost: float = 0.15   # same section: score × (1 + boost)
    location_boost: float = 0.15  # same district or place
    time_boost: float = 0.5       # up to this much for articles close in time …
    time_scale_days: float = 7.0  # … half of it at this many days apart
    neighbours: int = 40          # nearest neighbours in the second step's graph
    shared_weight: float = 3.0    # weight of the shared-neighbour similarity
    soft: bool = False            # neighbours weigh by their score, not 1 each
    min_shared: int = 2           # fewer neighbours in common than this count as none
    graph_dims: int = 10          # dimensions of the neighbour-graph embedding …
    graph_weight: float = 4.0     # … and the weight of closeness in it


class RelatedIndex:
    """Every published article's best related articles, ranked once (see
    toasoan.related_matrix for the sparse products doing the work); ``workers``
    forked processes share the row blocks of its two steps (the same result)."""

    def __init__(self, pool: list[Article], options: Options | None = None, store: TermStore | None = None,
                 workers: int = 1):
        self.options = opt = options or Options()
        # A stable order makes every tie break the same way, whatever the file order.
        self.pool = sorted(pool, key=lambda a: (a.date, a.slug))
        self._pos = {a: i for i, a in enumerate(self.pool)}
        n = len(self.pool)
        self._codes: dict[str, dict[str, int]] = {"section": {}, "place": {}}
        self.info = self._info(self.pool)
        terms = TermMatrix(self.pool, store)   # ``store``: each article's terms from earlier builds
        raw, self._terms = terms.matrix, terms
        terms.matrix = None   # only the vocabulary stays (for a draft in preview)
        df = np.bincount(raw.indices, minlength=raw.shape[1])
        # Terms in one article alone link nothing; terms in more than max_df of
        # the archive link everything (but never below the posting cap, so a
        # small archive keeps its words). BM25's idf; outside that range none.
        limit = max(opt.max_df * n, opt.posting_cap)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        self.idf = np.where((df >= opt.min_df) & (df <= limit), idf, 0.0)
        self.avg_len = float(raw.sum(dtype=np.float64) / n) if n else 1.0
        self.x = rm.bm25(raw, self.idf, self.avg_len, opt)
        del raw
        self.pt = rm.postings(self.x, opt.posting_cap)
        self.keep = max(2 * opt.neighbours, 20)
        me = np.arange(n)
        self.cost = np.diff(self.pt.indptr)
        q = rm.within_budget(self.x, self.cost, opt.query_budget)
        cols, scores = rm.first_step(q, self.pt, me, self.info, self.info, opt, self.keep, workers)
        # The second step needs a graph with regions: at most a tenth of the
        # archive as neighbours, and none at all in a small archive.
        k = min(opt.neighbours, n // 10)
        self.options = opt = replace(opt, neighbours=k) if k >= 5 else replace(
            opt, neighbours=0, shared_weight=0.0, graph_weight=0.0)
        self.a = rm.neighbour_matrix(cols, scores, n, opt.neighbours, me, opt.soft)
        self.a_t = sparse.csr_matrix(self.a.T)
        self.e = rm.spectral(self.a, opt.graph_dims if opt.graph_weight else 0)
        self.best, _ = rm.second_step(cols, scores, self.a, self.a_t, me, opt, self.keep, self.e, self.e,
                                      workers)

    def _info(self, articles: list[Article]) -> dict[str, np.ndarray]:
        """Per article: day number, section and place as codes (-1: none)."""
        def code(kind: str, value: str) -> int:
            table = self._codes[kind]
            return table.setdefault(value, len(table)) if value else -1
        return {"stamp": np.array([a.date.timestamp() / 86400 for a in articles], dtype=np.float64),
                "section": np.array([code("section", a.section or "") for a in articles], dtype=np.int64),
                "place": np.array([code("place", _place(a.location)) for a in articles], dtype=np.int64)}

    def _outside(self, article: Article) -> np.ndarray:
        """The ranking of an article outside the pool (a draft in preview)."""
        raw, _ = rm.term_matrix([features(article)], self._terms.vocab)
        q = rm.bm25(raw, self.idf, self.avg_len, self.options)
        q = rm.within_budget(q, self.cost, self.options.query_budget)
        none = np.array([-1])
        cols, scores = rm.first_step(q, self.pt, none, self.info, self._info([article]),
                                     self.options, self.keep)
        a_q = rm.neighbour_matrix(cols, scores, len(self.pool), self.options.neighbours, None,
                                   self.options.soft)
        # Its place in the graph: the mean of its neighbours' places.
        e_q = np.asarray(a_q @ self.e)
        e_q /= max(float(np.linalg.norm(e_q)), 1e-12)
        best, _ = rm.second_step(cols, scores, a_q, self.a_t, none, self.options, self.keep, e_q, self.e)
        return best[0]

    def similar(self, article: Article, count: int, skip=()) -> list[Article]:
        """The ``count`` pool articles most related to ``article``, best first.

        Never ``article`` itself nor anything in ``skip``.
        """
        if count <= 0 or not self.pool:
            return []
        i = self._pos.get(article)
        row = self.best[i] if i is not None else self._outside(article)
        skipped = {self._pos.get(other) for other in skip}
        out = []
        for j in row.tolist():
            if j >= 0 and j not in skipped:
                out.append(self.pool[j])
                if len(out) == count:
                    break
        return out


def _place(location: str) -> str:
    return " ".join(location.lower().split())


def relate_all(shown: list[Article], pool: list[Article], chosen: dict[int, list[Article]],
               count: int, options: Options | None = None,
               store: TermStore | None = None, workers: int = 1) -> dict[Article, list[Article]]:
    """Every shown article's "Xem thêm" list: the editor's links, then the best of the rest.

    ``pool`` is what may be linked automatically: published articles only,
    never drafts or scheduled ones (which ``shown`` holds in preview). ``store``
    keeps each article's terms between builds (the hourly build's cache); ``workers``:
    forked processes for the ranking (only where forking is safe: no other threads).
    """
    index = RelatedIndex([a for a in pool if a.published], options, store, workers)
    out: dict[Article, list[Article]] = {}
    for article in shown:
        picked = list(chosen.get(id(article), []))
        picked += index.similar(article, count - len(picked), skip=picked)
        out[article] = picked
    return out


def same_section(section_articles: list[Article], article: Article, count: int,
                 skip=()) -> list[Article]:
    """The section's published articles posted just before ``article``, newest first.

    Older neighbours rather than the section's latest, so that a new article
    changes no older article's page: the hourly build re-renders and the deploy
    uploads only the pages that really changed. An article with fewer than
    ``count`` older ones is topped up with those posted just after it.
    ``section_articles`` is the Archive's list, newest first (by date, then
    slug): the article's place is found by bisection and only its
    neighbourhood is read, whatever the archive's size.
    """
    skipped = set(map(id, skip)) | {id(article)}
    at = _older_from(section_articles, (article.date, article.slug))
    older = _take(section_articles, range(at, len(section_articles)), count, skipped)
    newer = _take(section_articles, range(at - 1, -1, -1), count - len(older), skipped)
    return newer[::-1] + older


def _older_from(newest_first: list[Article], key) -> int:
    """The index of the first article older than ``key`` (the list is sorted newest first)."""
    lo, hi = 0, len(newest_first)
    while lo < hi:
        mid = (lo + hi) // 2
        other = newest_first[mid]
        if (other.date, other.slug) >= key:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _take(articles: list[Article], order: range, count: int, skipped: set[int]) -> list[Article]:
    out: list[Article] = []
    for i in order:
        if len(out) >= count:
            break
        other = articles[i]
        if other.published and id(other) not in skipped:
            out.append(other)
    return out
