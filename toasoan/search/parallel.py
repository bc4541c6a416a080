"""Use every core for a large index: its two heavy stages split over forked workers.

The workers are the shared runner's (toasoan.core.workers.Runner): a fresh process
per part, forked, so the documents and postings reach it without being sent; each
sends back only its part's result over its own pipe. Small archives (and platforms
without ``fork``) run in this process: the result is byte-for-byte the same.
"""

from __future__ import annotations

from ..core.workers import Runner, can_fork, jobs, spans

PARALLEL_MIN = 3000  # documents; below this, starting processes costs more than it saves


def workers(count: int) -> int:
    """How many processes to use for ``count`` documents (1: stay in this one)."""
    if count < PARALLEL_MIN or not can_fork():
        return 1
    return jobs()


PART = 5000  # documents indexed at a time: a worker (or this process) holds one part's terms


def collect(fn, count: int, n: int) -> list:
    """``[fn(start, end) for each part]``: contiguous parts of at most ``PART`` of ``count``
    documents (at least ``n`` parts), in document order, on ``n`` processes."""
    if n == 1:
        return [fn(lo, hi) for lo, hi in spans(count, PART)]
    parts = max(n, -(-count // PART))
    runner = Runner(n, lambda span: fn(*span), "lập chỉ mục tìm kiếm",
                    lambda span: f"lập chỉ mục tìm kiếm cho bài {span[0] + 1}–{span[1]}")
    return runner.run(spans(count, -(-count // parts)))


def run(fn, n: int) -> list:
    """``[fn(k, n) for k in range(n)]``, each call in its own process when ``n > 1``."""
    if n == 1:
        return [fn(0, 1)]
    runner = Runner(n, lambda k: fn(k, n), "ghi chỉ mục tìm kiếm",
                    lambda k: f"ghi phần {k + 1}/{n} của chỉ mục tìm kiếm")
    return runner.run(list(range(n)))
