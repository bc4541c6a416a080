"""Use both cores for a large index: the two heavy loops split over processes.

Forked workers inherit the documents and postings, so nothing big is sent to
them; each sends back only its part. Small archives (and platforms without
``fork``) run in this process: the result is byte-for-byte the same.
"""

from __future__ import annotations

import multiprocessing
import os
from array import array

PARALLEL_MIN = 3000  # documents; below this, starting processes costs more than it saves

_shared: dict = {}   # what forked workers read


def workers(count: int) -> int:
    """How many processes to use for ``count`` documents (1: stay in this one)."""
    if count < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _run(fn, n: int) -> list:
    with multiprocessing.get_context("fork").Pool(n) as pool:
        return pool.map(fn, range(n))


def _collect_part(k: int):
    collect, docs, n = _shared["collect"], _shared["docs"], _shared["n"]
    size = -(-len(docs) // n)
    postings, lengths = collect(docs, k * size, min(len(docs), (k + 1) * size))
    return {t: p.tobytes() for t, p in postings.items()}, lengths


def collect(fn, docs, n: int):
    """``fn(docs, start, end)`` over ``n`` contiguous parts, merged in document order."""
    if n == 1:
        return fn(docs, 0, len(docs))
    _shared.update(collect=fn, docs=docs, n=n)
    try:
        parts = _run(_collect_part, n)
    finally:
        _shared.clear()
    postings, lengths = {}, []
    for part, part_lengths in parts:
        lengths.extend(part_lengths)
        for term, data in part.items():
            plist = postings.get(term)
            if plist is None:
                plist = postings[term] = array("Q")
            plist.frombytes(data)
    return postings, lengths


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
