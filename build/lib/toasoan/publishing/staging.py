"""Build into a staging folder next to ``site/``; swap it in only once complete.

MkDocs empties ``site_dir`` when a build starts, so a build that fails (a bad
article, a photo that cannot be read, Ctrl-C, a killed process) used to leave
an empty or half-written ``site/``. The build writes into
``.site.staging-<pid>`` beside it instead, and only at the very end, with the
manifest written, exchanges the two folders in one ``renameat2(RENAME_EXCHANGE)``
(atomic: ``site/`` is always a whole build, old or new). Where the kernel or
file system cannot exchange, two renames are used (a brief moment without
``site/``, never a half one).
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from pathlib import Path

from ..publishing.manifest import NAME as MANIFEST

STAGING = ".staging-"
ASIDE = ".old-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2

try:
    _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
except (OSError, AttributeError):
    _renameat2 = None


def staging_folder(site: Path, pid: int | None = None) -> Path:
    """The hidden sibling a build writes into: same file system, so the swap is a rename."""
    return site.parent / f".{site.name}{STAGING}{pid or os.getpid()}"


def create(site: Path) -> Path:
    """Make a fresh, empty staging folder for ``site`` (after removing dead builds' leftovers)."""
    clean_leftovers(site)
    folder = staging_folder(site)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()   # with the umask's mode, like the site/ MkDocs would make
    return folder


def clean_leftovers(site: Path) -> list[Path]:
    """Remove staging folders of builds that are no longer running (killed, crashed).

    A leftover can hold the previous site (killed right after the swap): its
    hidden entries that MkDocs keeps in site/ (a ``.git``, say) are moved back
    first, and a missing site/ is restored from it.
    """
    removed = []
    for prefix in (ASIDE, STAGING):
        for folder in sorted(site.parent.glob(f".{site.name}{prefix}*")):
            pid = folder.name.rpartition("-")[2]
            if not pid.isdigit() or (int(pid) != os.getpid() and _alive(int(pid))):
                continue
            if prefix == ASIDE and not os.path.lexists(site):
                os.rename(folder, site)   # killed between the two renames of the fallback
                continue
            if site.is_dir() and not _carry_hidden(folder, site):
                continue   # never delete a .git we could not put back; the next build tries again
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def swap(staging: Path, site: Path) -> None:
    """Put the complete build in ``staging`` at ``site``; the old site is deleted."""
    if not os.path.lexists(site):
        os.rename(staging, site)
        return
    if _exchange(staging, site):
        old = staging              # the two names traded places
    else:
        old = site.parent / f".{site.name}{ASIDE}{os.getpid()}"
        os.rename(site, old)
        try:
            os.rename(staging, site)
        except OSError:
            os.rename(old, site)
            raise
    # The new site is in place: what follows must not fail the build. A leftover
    # is handled by the next build's clean_leftovers.
    if _carry_hidden(old, site):
        shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path | None) -> None:
    """Remove a failed build's staging folder; site/ was never touched."""
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


def _carry_hidden(old: Path, site: Path) -> bool:
    """Keep what MkDocs itself keeps when it cleans site/: top-level hidden entries.
    False when one could not be moved (it stays in ``old``)."""
    try:
        for entry in old.iterdir():
            if entry.name.startswith(".") and not entry.name.startswith(MANIFEST) \
                    and not os.path.lexists(site / entry.name):
                os.rename(entry, site / entry.name)
    except OSError:
        return False
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot (then rename twice)."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True   # someone else's process
    return True
