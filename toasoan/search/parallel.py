"""Use both cores for a large index: the two heavy loops split over processes.

Forked workers inherit the documents and postings, so nothing big is sent to
them; each sends back only its part. Small archives (and platforms without
``fork``) run in this process: the result is byte-for-byte the same.
"""

from __future__ import annotations

import gc
import multiprocessing
from array import array

from ..core.workers import can_fork, jobs, spans

PARALLEL_MIN = 3000  # documents; below this, starting processes costs more than it saves

_shared: dict = {}   # what forked workers read


def workers(count: int) -> int:
    """How many processes to use for ``count`` documents (1: stay in this one)."""
    if count < PARALLEL_MIN or not can_fork():
        return 1
    return jobs()


PART = 5000  # documents a worker indexes at a time: its memory holds one part's postings


def _pool(n: int, fresh: bool = False):
    # ``fresh``: a new worker per part. A worker copies every page of the parent
    # it writes to (a document's reference count is on its text's first page):
    # a long-lived worker would end up with a copy of half the archive.
    return multiprocessing.get_context("fork").Pool(n, maxtasksperchild=1 if fresh else None)


def _frozen(work):
    """Run ``work()`` with the garbage collector's objects frozen.

    A forked worker shares its parent's memory until it writes to a page; the
    collector would write to every object of the build (articles, pages) and
    so copy them all. Frozen objects are never collected, so the workers copy
    only what they touch.
    """
    gc.freeze()
    try:
        return work()
    finally:
        gc.unfreeze()


def _run(fn, n: int) -> list:
    def work():
        with _pool(n) as pool:
            return pool.map(fn, range(n))
    return _frozen(work)


def _collect_part(span: tuple[int, int]):
    postings, lengths, new = _shared["collect"](_shared["docs"], *span)
    return {t: p.tobytes() for t, p in postings.items()}, lengths, new


def collect(fn, docs, n: int):
    """``fn(docs, start, end)`` over contiguous parts of at most ``PART`` documents
    on ``n`` processes, merged in document order as each part arrives (so neither
    a worker nor this process ever holds more than one part's postings twice).

    ``fn`` returns (postings, lengths, new term records); so does this."""
    if n == 1:
        return fn(docs, 0, len(docs))
    parts = max(n, -(-len(docs) // PART))
    ranges = spans(len(docs), -(-len(docs) // parts))
    postings, lengths, new = {}, [], {}

    def work():
        with _pool(n, fresh=True) as pool:
            for part, part_lengths, part_new in pool.imap(_collect_part, ranges):
                lengths.extend(part_lengths)
                new.update(part_new)
                for term, data in part.items():
                    plist = postings.get(term)
                    if plist is None:
                        plist = postings[term] = array("Q")
                    plist.frombytes(data)
                del part

    _shared.update(collect=fn, docs=docs)
    try:
        _frozen(work)
    finally:
        _shared.clear()
    return postings, lengths, new


def _run_part(k: int):
    return _shared["fn"](k, _shared["n"])


def run(fn, n: int) -> list:
    """``[fn(k, n) for k in range(n)]``, each call in its own process when ``n > 1``."""
    if n == 1:
        return [fn(0, 1)]
    _shared.update(fn=fn, n=n)
    try:
        return _run(_run_part, n)
    finally:
        _shared.clear()
