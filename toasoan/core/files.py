"""Reading a file that may not be what its name says: one safe way for every stage.

Articles come from reporters and caches come back from CI or a technician's copy, so a
name may be a symlink, a FIFO (a plain ``open`` would wait forever) or a link to a device
(``/dev/zero`` would fill the memory). The final name is opened without following a link
and without blocking, then checked to be a regular file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def read_plain(path: Path, limit: int | None = None) -> bytes | None:
    """The bytes of a regular file, or None when it is not one (symlink, FIFO, device, folder).

    With ``limit``, at most ``limit + 1`` bytes are read, so a caller tells a file over the
    limit by its length without reading a huge one. OSError when it cannot be opened
    (missing, no permission; a final symlink gives ELOOP).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        # With a limit, one byte more than it (the file may have grown since fstat).
        return f.read() if limit is None else f.read(limit + 1)
