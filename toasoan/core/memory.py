"""Give freed memory back to the system after a big stage.

CPython and numpy free memory through the C library's malloc, which keeps
freed blocks for later instead of returning them. After the related ranking
(hundreds of megabytes of temporary arrays and strings at 100,000 articles)
the build's memory would stay at its peak through every page that follows;
``malloc_trim`` hands the unused blocks back. Measured at 10,000 articles:
345 → 171 MB right after the ranking.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None   # glibc only
    except OSError:
        return None


_LIBC = _libc()


def give_back() -> None:
    """Collect garbage, then return the freed memory to the system (glibc; elsewhere a no-op)."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
