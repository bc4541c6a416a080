"""One build at a time in a site's folder: an ``fcntl`` lock on ``.cache/build.lock``.

Two builds in one folder would clean and write the same ``site/`` and photo
cache at once. The second one waits (saying so), and gives up with a clear
message after ``wait`` seconds. The lock belongs to the process: the system
drops it when a build is killed, so a stale lock file never blocks anyone.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no fcntl; builds there are not locked
    fcntl = None

LOCK_FILE = ".cache/build.lock"
DEFAULT_WAIT = 600.0   # seconds; the environment variable TOASOAN_BUILD_WAIT changes it


class Busy(Exception):
    """Another build kept the folder for longer than we wait; ``holder`` is its PID (or "")."""

    def __init__(self, holder: str, waited: float):
        super().__init__(holder, waited)
        self.holder, self.waited = holder, waited


class BuildLock:
    """``acquire()`` … ``release()``; acquiring again in the same process is a no-op (mkdocs serve)."""

    def __init__(self, root: Path):
        self.path = Path(root) / LOCK_FILE
        self.file = None

    @property
    def held(self) -> bool:
        return self.file is not None

    def acquire(self, wait: float = DEFAULT_WAIT, waiting=None) -> bool:
        """Take the lock, waiting up to ``wait`` seconds; ``waiting(holder)`` is called once if we must wait.

        Returns False when the folder cannot hold a lock file (read-only checkout):
        the build goes on unlocked. Raises :class:`Busy` when the wait ran out.
        """
        if self.held or fcntl is None:
            return self.held
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            f = open(self.path, "a+", encoding="utf-8")
        except OSError:
            return False
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(f)
                if time.monotonic() >= deadline:
                    f.close()
                    raise Busy(holder, wait) from None
                if not told and waiting is not None:
                    waiting(holder)
                    told = True
                time.sleep(0.2)
        f.seek(0)
        f.truncate()
        f.write(f"{os.getpid()}\n")   # for the message of whoever waits
        f.flush()
        self.file = f
        return True

    def release(self) -> None:
        if self.file is not None:
            f, self.file = self.file, None
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
            f.close()


_locks: dict[Path, BuildLock] = {}


def lock_for(root: Path) -> BuildLock:
    """This process's lock of a folder: one object per folder, so that ``mkdocs serve``,
    which runs the hook modules afresh for each rebuild, still finds the lock it holds."""
    root = Path(root).resolve()
    return _locks.setdefault(root, BuildLock(root))


def release_all() -> None:
    for lock in _locks.values():
        lock.release()


def _holder(f) -> str:
    f.seek(0)
    return f.read(32).strip()


def wait_seconds() -> float:
    """How long a build waits for another one: TOASOAN_BUILD_WAIT, else DEFAULT_WAIT."""
    try:
        return max(0.0, float(os.environ.get("TOASOAN_BUILD_WAIT", DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT
