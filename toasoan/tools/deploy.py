"""Deploy a built site to a folder that a web server serves, switching atomically.

Layout of the target folder (the web server's root is ``<target>/current``)::

    <target>/releases/20261125T120000Z/   one complete copy of site/ per deploy
    <target>/releases/.partial-…/         a copy in progress (never served)
    <target>/current -> releases/…        a symlink: the live site

A deploy copies site/ into a new release folder under a hidden name, renames
it once complete, then replaces the ``current`` symlink with ``os.replace``
(rename(2): atomic, so a reader opens either the old tree or the new one,
never a mix or nothing). Until that rename the live site is untouched, so a
copy that fails or is killed midway changes nothing that is served; its
leftover is removed by the next deploy.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

RELEASES = "releases"
CURRENT = "current"
PARTIAL = ".partial-"
LOCK = ".deploy.lock"
KEEP = 5


class DeployError(Exception):
    """A deploy or rollback that was refused; the live site is unchanged."""


def releases(target: Path) -> list[str]:
    """Complete releases, oldest first (names are UTC timestamps, so they sort)."""
    folder = Path(target) / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def current(target: Path) -> str | None:
    """The name of the live release, or None before the first deploy."""
    link = Path(target) / CURRENT
    if not link.is_symlink():
        return None
    return Path(os.readlink(link)).name


def deploy(site_dir: Path, target: Path, keep: int = KEEP, now: datetime | None = None,
           copy=shutil.copy2) -> Path:
    """Copy ``site_dir`` into a new release of ``target`` and make it live.

    ``copy`` is the per-file copy function (tests pass one that fails midway).
    Returns the new release folder.
    """
    site_dir, target = Path(site_dir), Path(target)
    if not (site_dir / "index.html").is_file():
        raise DeployError(f"'{site_dir}' không có index.html: hãy build trang trước "
                          "(bash scripts/build.sh) rồi triển khai lại.")
    if keep < 1:
        raise DeployError("phải giữ ít nhất 1 bản (--keep 1 trở lên).")
    target.mkdir(parents=True, exist_ok=True)
    _check_link(target)
    folder = target / RELEASES
    folder.mkdir(exist_ok=True)
    with _locked(target):
        for leftover in folder.glob(PARTIAL + "*"):
            shutil.rmtree(leftover, ignore_errors=True)  # from a deploy that was killed
        name = _new_name(folder, now or datetime.now(timezone.utc))
        partial = folder / (PARTIAL + name)
        try:
            shutil.copytree(site_dir, partial, symlinks=False, copy_function=copy)
            os.rename(partial, folder / name)
        except BaseException:
            # Failed or interrupted (Ctrl-C): nothing was switched; drop the half copy.
            shutil.rmtree(partial, ignore_errors=True)
            raise
        switch(target, name)
        prune(target, keep)
    return folder / name


def switch(target: Path, name: str) -> None:
    """Point ``current`` at release ``name`` in one rename."""
    target = Path(target)
    if not (target / RELEASES / name).is_dir():
        raise DeployError(f"không có bản '{name}' trong {target / RELEASES}.")
    temp = target / f".{CURRENT}-{os.getpid()}"
    if temp.is_symlink() or temp.exists():
        temp.unlink()
    # A relative link keeps working if the whole target folder is moved or mounted elsewhere.
    os.symlink(f"{RELEASES}/{name}", temp)
    os.replace(temp, target / CURRENT)
    _fsync_dir(target)


def rollback(target: Path) -> str:
    """Make the release before the live one live again; returns its name."""
    target = Path(target)
    with _locked(target):
        names, live = releases(target), current(target)
        if live not in names:
            raise DeployError("chưa có bản nào đang chạy để quay lại.")
        position = names.index(live)
        if position == 0:
            raise DeployError(f"'{live}' là bản cũ nhất còn giữ: không còn bản nào trước nó.")
        switch(target, names[position - 1])
        return names[position - 1]


def prune(target: Path, keep: int = KEEP) -> list[str]:
    """Delete all but the newest ``keep`` releases; the live one is always kept."""
    names, live = releases(target), current(target)
    doomed = [n for n in names[:-keep] if n != live]
    for name in doomed:
        shutil.rmtree(Path(target) / RELEASES / name)
    return doomed


def _new_name(folder: Path, now: datetime) -> str:
    """A name that sorts after every release kept, even if the clock went back
    or several deploys happen in one second (then: -002, -003…)."""
    name = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    names = releases(folder.parent)
    if names and name <= names[-1]:
        base, _, number = names[-1].partition("-")
        name = f"{base}-{int(number or 1) + 1:03d}"
    return name


def _check_link(target: Path) -> None:
    link = target / CURRENT
    if link.exists() and not link.is_symlink():
        raise DeployError(f"'{link}' là thư mục thật, không phải liên kết: chuyển nó vào "
                          f"{target / RELEASES}/ rồi triển khai lại (không ghi đè trang đang chạy).")


@contextmanager
def _locked(target: Path):
    """One deploy at a time per target; the kernel drops the lock if we are killed."""
    with open(Path(target) / LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeployError("một lần triển khai khác đang chạy trên thư mục này; chờ nó xong.") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(folder: Path) -> None:
    """Make the switch durable: without it a power cut could bring back the old link."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- command line -------------------------------------------------------------------

def register(subparsers) -> None:
    """Add the deploy, rollback and releases commands to an argparse subparsers object."""
    p = subparsers.add_parser(
        "deploy", help="đưa site/ lên thư mục máy chủ, chuyển sang bản mới tức thời",
        description="Chép site/ vào một bản mới <ĐÍCH>/releases/<thời-điểm>/, rồi chuyển liên kết "
        "<ĐÍCH>/current sang bản đó trong một bước. Máy chủ web (nginx…) phục vụ <ĐÍCH>/current. "
        "Lỗi giữa chừng không làm thay đổi trang đang chạy.\n\nVí dụ:\n"
        "  toasoan deploy /srv/bao --keep 5")
    p.add_argument("target", metavar="ĐÍCH", help="thư mục trên máy chủ (hoặc ổ đĩa mạng đã gắn)")
    p.add_argument("--site", default="site", metavar="THƯ-MỤC", help="trang đã dựng (mặc định: site)")
    p.add_argument("--keep", type=int, default=KEEP, metavar="N", help=f"số bản giữ lại (mặc định: {KEEP})")
    p.set_defaults(run=_run_deploy)
    p = subparsers.add_parser("rollback", help="quay lại bản triển khai trước",
                              description="Chuyển <ĐÍCH>/current về bản ngay trước bản đang chạy."
                              "\n\nVí dụ:\n  toasoan rollback /srv/bao")
    p.add_argument("target", metavar="ĐÍCH")
    p.set_defaults(run=lambda a: print(f"Đã quay lại bản {rollback(Path(a.target))}."))
    p = subparsers.add_parser("releases", help="liệt kê các bản đã triển khai (* là bản đang chạy)")
    p.add_argument("target", metavar="ĐÍCH")
    p.set_defaults(run=_run_list)


def _run_deploy(args) -> None:
    release = deploy(Path(args.site), Path(args.target), keep=args.keep)
    print(f"Đã triển khai {release.name}: {Path(args.target) / CURRENT} -> {RELEASES}/{release.name}")


def _run_list(args) -> None:
    live, names = current(Path(args.target)), releases(Path(args.target))
    if not names:
        print("Chưa có bản nào được triển khai vào thư mục này.")
    for name in names:
        print(("* " if name == live else "  ") + name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m toasoan.deploy",
                                     description="Triển khai trang đã build lên thư mục máy chủ.")
    register(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(argv))


def run(args) -> int:
    """Run a command added by ``register``; errors are printed in Vietnamese, exit 1."""
    try:
        args.run(args)
    except (DeployError, OSError) as e:
        print(f"Lỗi: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
