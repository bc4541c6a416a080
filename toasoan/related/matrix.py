"""The related-articles ranking as sparse matrix products (numpy + scipy.sparse).

Hugo's related-content index, done in C: the archive is a matrix X of
articles × terms (BM25 weights, unit rows, each article's ``terms`` strongest
terms). The inverted index is P, the same matrix where every term keeps only
its ``posting_cap`` strongest articles; one product X·Pᵀ then scores every
article against the articles sharing its terms. The work per article is at
most terms × posting_cap, whatever the archive's size, so the whole ranking
grows linearly. Rows go in blocks so that memory stays bounded too.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import eigsh

from ..core.workers import Runner, can_fork, env_int

# Entries of one block's score matrix: bounds the memory of a block (≈ 16 bytes each).
BLOCK_ENTRIES = 4_000_000
PARTS_PER_WORKER = 4
# The eigensolver's tolerance for the graph embedding. Its default (machine precision)
# spends half of its iterations on digits the ranking never sees: at 1e-6 the embedding's
# cosines agree to 4 decimals and the solver takes half the time (30,000 articles: 5.5 -> 2.8 s),
# the step of the ranking that grows fastest with the archive.
TOL = 1e-6   # parts of the row blocks per worker: a slow last part leaves a core idle less long


def term_matrix(counts: list[dict[str, float]], vocab: dict[str, int] | None = None):
    """Raw term counts as a CSR matrix; a new vocabulary is made unless one is given
    (then its unknown terms are left out)."""
    terms: list[str] = []
    vals: list[float] = []
    for c in counts:   # list.extend and dict building run in C, term by term
        terms += c
        vals += c.values()
    indptr = np.cumsum([0] + [len(c) for c in counts], dtype=np.int64)
    if vocab is None:
        vocab = {t: i for i, t in enumerate(dict.fromkeys(terms))}
    cols = np.fromiter(map(vocab.get, terms, [-1] * len(terms)), dtype=np.int64, count=len(terms))
    m = sparse.csr_matrix((np.asarray(vals, dtype=np.float64), np.maximum(cols, 0), indptr),
                          shape=(len(counts), len(vocab)))
    if (cols < 0).any():   # terms the vocabulary does not know
        m.data[cols < 0] = 0.0
        m.eliminate_zeros()
    return m, vocab


def product(a: sparse.csr_matrix, b: sparse.csr_matrix) -> sparse.csr_matrix:
    """``a @ b`` for CSR matrices, in one pass instead of scipy's two.

    scipy first runs a whole symbolic pass (``csr_matmat_maxnnz``) only to size the
    result, nearly as long as the product itself (1.8 of 4.5 s of the ranking's
    first step at 10,000 articles). The number of multiplications bounds the
    result's entries and costs one gather here: arrays of that size are handed to
    the same kernel, so the result is the same matrix, entry for entry and in the
    same order. Falls back to ``a @ b`` where that kernel is not what we expect.
    """
    flops = int(np.diff(b.indptr)[a.indices].sum(dtype=np.int64)) if a.nnz else 0
    if _matmat is None or flops == 0 or flops >= np.iinfo(np.int32).max or \
            a.indices.dtype != np.int32 or b.indices.dtype != np.int32:
        return sparse.csr_matrix(a @ b)
    dtype = np.result_type(a.dtype, b.dtype)
    indptr = np.empty(a.shape[0] + 1, dtype=np.int32)
    indices = np.empty(flops, dtype=np.int32)
    data = np.empty(flops, dtype=dtype)
    _matmat(a.shape[0], b.shape[1], a.indptr.astype(np.int32, copy=False), a.indices, a.data.astype(dtype, copy=False),
            b.indptr.astype(np.int32, copy=False), b.indices, b.data.astype(dtype, copy=False), indptr, indices, data)
    nnz = int(indptr[-1])
    return sparse.csr_matrix((data[:nnz], indices[:nnz], indptr), shape=(a.shape[0], b.shape[1]))


try:   # scipy's own kernel behind ``@`` (internal, unchanged since scipy 0.x)
    from scipy.sparse._sparsetools import csr_matmat as _matmat
except ImportError:   # pragma: no cover - a scipy that moved it: ``@`` as usual
    _matmat = None


def row_ids(m: sparse.csr_matrix) -> np.ndarray:
    return np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))


def keep_top_per_row(m: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """The ``k`` largest (positive) entries of each row; ties to the smaller column."""
    counts = np.diff(m.indptr)
    if k <= 0 or counts.max(initial=0) <= k:
        return m
    rows = row_ids(m)
    # Only the rows over the limit are sorted: by row, then largest first; a
    # stable sort keeps column order among equals (indices are sorted).
    over = counts[rows] > k
    idx = np.nonzero(over)[0]
    top = m.data[idx].max(initial=1.0)
    order = idx[np.argsort(rows[idx] * 2.0 - m.data[idx] / top, kind="stable")]
    rank = np.arange(len(order)) - np.searchsorted(rows[order], rows[order], side="left")
    keep = over.copy()
    keep[:] = ~over
    keep[order[rank < k]] = True
    out = sparse.csr_matrix((m.data[keep], m.indices[keep], np.concatenate(
        [[0], np.cumsum(np.minimum(counts, k))])), shape=m.shape)
    return out


def within_budget(x: sparse.csr_matrix, cost: np.ndarray, budget: int) -> sparse.csr_matrix:
    """Each row's strongest terms, as long as their postings (``cost`` per term)
    add up to no more than ``budget``: the work of one article's query is
    then bounded, however large the archive (the strongest term always stays)."""
    if budget <= 0 or x.nnz == 0:
        return x
    rows = row_ids(x)
    top = x.data.max(initial=1.0)
    order = np.argsort(rows * 2.0 - x.data / top, kind="stable")
    spent = np.cumsum(cost[x.indices[order]])
    first = x.indptr[rows[order]]   # where each row starts in ``order``
    before = spent - cost[x.indices[order]] - np.concatenate([[0], spent])[first]
    keep = np.zeros(x.nnz, dtype=bool)
    keep[order[before < budget]] = True
    out = sparse.csr_matrix((x.data[keep], x.indices[keep], np.concatenate(
        [[0], np.cumsum(np.bincount(rows[keep], minlength=x.shape[0]))])), shape=x.shape)
    return out


def bm25(raw: sparse.csr_matrix, idf: np.ndarray, avg_len: float, opt) -> sparse.csr_matrix:
    """BM25 weights, unit rows, each row cut to its ``opt.terms`` strongest terms.

    (The length is taken before the cut: an article with many terms is not
    made to look as focused as a short one.) Rows go in blocks: the float64
    arrays of the formula then stay small whatever the archive's size."""
    step = max(1, BLOCK_ENTRIES // max(1, raw.nnz // max(1, raw.shape[0])))
    parts = [_bm25_rows(raw[lo:hi], idf, avg_len, opt) for lo in range(0, raw.shape[0], step)
             for hi in [min(raw.shape[0], lo + step)]]
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return sparse.csr_matrix(raw.shape, dtype=np.float32)
    return sparse.csr_matrix(sparse.vstack(parts, format="csr"), dtype=np.float32)


def _bm25_rows(raw: sparse.csr_matrix, idf: np.ndarray, avg_len: float, opt) -> sparse.csr_matrix:
    lengths = np.asarray(raw.sum(axis=1, dtype=np.float64)).ravel()
    # Terms without weight (too rare, too common) are dropped first: most entries.
    live = (idf > 0)[raw.indices]
    kept = np.concatenate([[0], np.cumsum(live)])[raw.indptr]
    raw = sparse.csr_matrix((raw.data[live].astype(np.float64), raw.indices[live], kept), shape=raw.shape)
    norm = opt.k1 * (1 - opt.b + opt.b * lengths / (avg_len or 1.0))
    tf = raw.data
    w = idf[raw.indices] * tf * (opt.k1 + 1) / (tf + norm[row_ids(raw)])
    m = sparse.csr_matrix((w, raw.indices, raw.indptr), shape=raw.shape)
    m.eliminate_zeros()
    length = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    length[length == 0] = 1.0
    # float32: the products move half the bytes, and scores need no more digits.
    m = sparse.csr_matrix(sparse.diags(1 / length) @ m, dtype=np.float32)
    return keep_top_per_row(m, opt.terms)


def postings(x: sparse.csr_matrix, cap: int) -> sparse.csr_matrix:
    """The inverted index: terms × articles, each term keeping its ``cap``
    strongest articles (ties: the older article)."""
    xt = sparse.csr_matrix(x.T)   # rows are terms, columns articles in order
    return keep_top_per_row(xt, cap)


def top_per_row(m: sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` best positive (column, score), best first, ties to the
    smaller column; padded with column -1 and score 0."""
    n = m.shape[0]
    counts = np.diff(m.indptr)
    width = max(int(counts.max(initial=0)), k, 1)
    rows = row_ids(m)
    pos = np.arange(len(rows)) - m.indptr[rows]
    scores = np.zeros((n, width), dtype=m.dtype)   # 0: no entry
    scores[rows, pos] = m.data
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k] if width > k else np.indices((n, width))[1]
    best = np.take_along_axis(scores, part, axis=1)
    found = best > 0
    at = np.minimum(m.indptr[:-1, None] + part, max(len(m.indices) - 1, 0))
    cols = np.where(found, m.indices[at] if len(m.indices) else -1, -1)
    # Best first; equal scores by column (article order), so ties never depend on memory.
    tie = np.where(found, cols, np.iinfo(np.int64).max)
    order = np.lexsort((tie, -best), axis=1) if best.size else np.zeros_like(cols)
    return np.take_along_axis(cols, order, axis=1), np.take_along_axis(best, order, axis=1)


def blocks(n: int, width) -> list[tuple[int, int]]:
    """Row ranges of about BLOCK_ENTRIES score entries each (``TOASOAN_RELATED_BLOCK`` in
    tests); ``width``: the entries of any row at most, or of each row (an array)."""
    most = max(1, env_int("TOASOAN_RELATED_BLOCK", BLOCK_ENTRIES))
    if np.ndim(width) == 0:
        step = max(1, most // max(1, int(width)))
        return [(start, min(n, start + step)) for start in range(0, n, step)]
    # A block ends where the entries before a row reach the next multiple of ``most``.
    block = (np.cumsum(width, dtype=np.int64) - width) // most
    cuts = [0, *(np.flatnonzero(np.diff(block)) + 1).tolist(), n]
    return [(lo, hi) for lo, hi in zip(cuts, cuts[1:]) if hi > lo]


def over_blocks(ranges: list, block, keep: int, workers: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """``block(lo, hi)`` -> (columns, scores) of rows lo..hi, for every row block, stacked.

    With ``workers`` > 1 the blocks go, a run of them at a time, to forked processes: the
    matrices ``block`` reads are the parent's (copy-on-write, never pickled) and only each
    block's ``keep`` best per row come back. The blocks are the same whatever the number
    of workers, and each row is ranked on its own: the result is the same too.
    """
    if workers < 2 or len(ranges) < 2 or not can_fork():
        done = [block(lo, hi) for lo, hi in ranges]
    else:
        per = -(-len(ranges) // (workers * PARTS_PER_WORKER))
        parts = [ranges[i:i + per] for i in range(0, len(ranges), per)]
        runner = Runner(workers, lambda part: [block(lo, hi) for lo, hi in part], "xếp Xem thêm",
                        lambda part: f"xếp Xem thêm cho bài {part[0][0] + 1}–{part[-1][1]}")
        done = [result for part in runner.run(parts) for result in part]
    if not done:
        return np.zeros((0, keep), dtype=np.int64), np.zeros((0, keep))
    return np.vstack([c for c, _ in done]), np.vstack([s for _, s in done])


def first_step(q: sparse.csr_matrix, pt: sparse.csr_matrix, me: np.ndarray, info: dict,
               q_info: dict, opt, keep: int, workers: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Text similarity through the index, raised for section, place and time:
    each row's ``keep`` best (article, score), never the article itself."""
    def block(lo: int, hi: int):
        s = product(q[lo:hi], pt)
        s.data[s.indices == me[lo:hi][row_ids(s)]] = 0.0   # never itself
        # The boosts raise a score less than twofold: only the head of each
        # row can reach the list, so it alone is boosted.
        cols, sc = top_per_row(s, 3 * keep)
        rows = np.arange(lo, hi)[:, None]
        safe = np.maximum(cols, 0)
        days = np.abs(info["stamp"][safe] - q_info["stamp"][rows])
        scale = opt.time_scale_days
        boost = 1.0 + opt.time_boost * scale / (scale + days)
        for key, gain in (("section", opt.section_boost), ("place", opt.location_boost)):
            mine = q_info[key][rows]
            boost += gain * ((mine >= 0) & (info[key][safe] == mine))
        sc = sc * boost
        tie = np.where(cols >= 0, cols, np.iinfo(np.int64).max)
        order = np.lexsort((tie, -sc), axis=1)[:, :keep]
        return np.take_along_axis(cols, order, axis=1), np.take_along_axis(sc, order, axis=1)
    return over_blocks(blocks(q.shape[0], min(pt.shape[1], opt.terms * opt.posting_cap)), block, keep, workers)


def neighbour_matrix(cols: np.ndarray, scores: np.ndarray, n: int, k: int,
                     me: np.ndarray | None, soft: bool) -> sparse.csr_matrix:
    """Each row's first ``k`` neighbours, and the article itself when it has one:
    1 each, or (``soft``) the score relative to the row's best."""
    c = cols[:, :k]
    top = scores[:, :1].copy()
    top[~(top > 0)] = 1.0
    v = (scores[:, :k] / top).ravel() if soft else np.ones(c.size)
    rows = np.repeat(np.arange(len(c)), c.shape[1])
    c = c.ravel()
    ok = c >= 0
    rows, c, v = rows[ok], c[ok], v[ok]
    if me is not None:
        own = me >= 0
        rows = np.concatenate([rows, np.nonzero(own)[0]])
        c = np.concatenate([c, me[own]])
        v = np.concatenate([v, np.ones(int(own.sum()))])
    return sparse.csr_matrix((v, (rows, c)), shape=(len(cols), n))


def spectral(a: sparse.csr_matrix, dims: int) -> np.ndarray:
    """Where each article sits in the neighbour graph: its row in the graph's
    ``dims`` leading eigenvectors (unit rows). Articles of one broad subject
    form a well-linked region of the graph and get close rows even when they
    share few words (spectral embedding; a sparse eigensolver, about linear)."""
    n = a.shape[0]
    if n == 0 or dims <= 0:
        return np.zeros((n, max(dims, 0)))
    s = sparse.csr_matrix(a + a.T)
    s.setdiag(0)
    s.eliminate_zeros()
    s.data[:] = 1.0
    deg = np.asarray(s.sum(axis=1)).ravel()
    deg[deg == 0] = 1.0
    scale = sparse.diags(1 / np.sqrt(deg))
    graph = sparse.csr_matrix(scale @ s @ scale)
    dims = min(dims, n)
    if n <= max(300, 4 * dims):
        vecs = np.linalg.eigh(graph.toarray())[1][:, -dims:]
    else:   # a fixed start vector: the same result on every run
        start = np.random.default_rng(0).random(n)
        vecs = eigsh(graph, k=dims, which="LA", v0=start, tol=TOL)[1]
    length = np.linalg.norm(vecs, axis=1, keepdims=True)
    length[length == 0] = 1.0
    return vecs / length


def pair_dots(e_q: np.ndarray, e_pool: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """e_q[rows[i]] · e_pool[cols[i]] for every i, a million at a time (bounded memory)."""
    out = np.empty(len(rows))
    for lo in range(0, len(rows), 1_000_000):
        hi = lo + 1_000_000
        out[lo:hi] = np.einsum("ij,ij->i", e_q[rows[lo:hi]], e_pool[cols[lo:hi]])
    return out


def second_step(cols: np.ndarray, scores: np.ndarray, a_q: sparse.csr_matrix,
                a_pool_t: sparse.csr_matrix, me: np.ndarray, opt, keep: int,
                e_q: np.ndarray, e_pool: np.ndarray, workers: int = 1):
    """First-step scores (relative to each row's best) plus, for every article,
    the share of nearest neighbours it has in common ("shared neighbours"),
    plus closeness in the neighbour graph (``spectral``)."""
    n = a_pool_t.shape[1]
    weight = opt.shared_weight / (opt.neighbours + 1)

    def block(lo: int, hi: int):
        c, s = cols[lo:hi], scores[lo:hi]
        top = s[:, :1].copy()
        top[~(top > 0)] = 1.0
        ok = c >= 0
        rows = np.nonzero(ok)[0]
        first = sparse.csr_matrix(((s / top)[ok], (rows, c[ok])), shape=(hi - lo, n))
        if weight:
            shared = product(a_q[lo:hi], a_pool_t)
            if opt.min_shared > 1:   # one neighbour in common is often chance
                shared.data[shared.data < opt.min_shared] = 0.0
                shared.eliminate_zeros()
            total = first + weight * shared
        else:
            total = first
        total = sparse.csr_matrix(total)
        r = row_ids(total)
        if opt.graph_weight:   # (1 + cosine) / 2: a candidate's score stays positive
            total.data += opt.graph_weight * (1 + pair_dots(e_q, e_pool, r + lo, total.indices)) / 2
        total.data[total.indices == me[lo:hi][r]] = 0.0   # never itself
        return top_per_row(total, keep)
    # A row's shared-neighbour entries: at most the articles that have one of its neighbours
    # as theirs. Far more than (neighbours + 1)² where the graph has hubs (articles many
    # others count as near), and more the larger the archive: blocks are cut on these counts
    # so that their memory stays bounded.
    paths = np.bincount(row_ids(a_q), weights=np.diff(a_pool_t.indptr)[a_q.indices], minlength=len(cols))
    return over_blocks(blocks(len(cols), paths.astype(np.int64) + keep), block, keep, workers)
