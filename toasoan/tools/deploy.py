"""Deploy a built site to a folder that a web server serves, switching atomically.

Layout of the target folder (the web server's root is ``<target>/current``)::

    <target>/releases/20261125T120000Z/   one complete tree of site/ per deploy
    <target>/releases/.partial-…/         a copy in progress (never served)
    <target>/releases/.trash-…/           an old release being deleted (never served)
    <target>/current -> releases/…        a symlink: the live site

A deploy first checks site/ against the manifest the build wrote last
(:mod:`toasoan.manifest`): a site/ left by a crashed build is refused. It then
fills a hidden ``.partial-`` folder with exactly the listed files, writes the
marker ``.toasoan-complete`` (the manifest's hash) last, and renames the folder
to its timestamp: that rename is the moment a release exists, so a release is
always complete.

A file whose size and SHA-256 are the same in the live release's manifest is a
hard link to the live release's file (like ``rsync --link-dest``): five
releases of a site cost one site plus the changes. Every other file is copied
into a new file (created with O_EXCL, so no deploy ever writes into an existing
file, which could be a link shared with a served release) and its copy's hash
checked. site/ itself is never linked: the build rewrites its files in place.
A file system without hard links falls back to copies, with one warning.

Then ``current`` is replaced with ``os.replace`` (rename(2): a reader opens
either the old tree or the new one, never a mix or nothing). Old releases are
pruned by renaming them to a hidden ``.trash-`` name first, then deleting: a kill midway leaves nothing
that ``releases`` lists or ``rollback`` could make live. Leftovers are removed
by the next deploy.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import fcntl
import os
import re
import shutil
import stat
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from ..publishing import manifest as manifests

RELEASES = "releases"
CURRENT = "current"
PARTIAL = ".partial-"
TRASH = ".trash-"
MARKER = ".toasoan-complete"
LOCK = ".deploy.lock"
KEEP = 5
RELEASE_NAME = re.compile(r"\d{8}T\d{6}Z(-\d{3,})?")
FREE_DISK = ("giải phóng chỗ: chạy lại với --prune (xoá các bản cũ trước khi chép, chỉ giữ bản đang chạy "
             "và --keep − 1 bản mới nhất), giảm --keep (ví dụ --keep 2 --prune), hoặc xoá bớt tệp khác trên ổ đó")


class DeployError(Exception):
    """A deploy or rollback that was refused; the live site is unchanged."""

    def __init__(self, what: str, fix: str = ""):
        super().__init__(f"{what} — Cách sửa: {fix}" if fix else what)


def _warn(text: str) -> None:
    print(f"cảnh báo: {text}", file=sys.stderr)


def releases(target: Path) -> list[str]:
    """Complete releases, oldest first (names are UTC timestamps, so they sort).

    Complete means: named like a release and holding the marker, which is
    written before the folder gets its name. Anything else is never listed.
    """
    folder = Path(target) / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if RELEASE_NAME.fullmatch(p.name)
                  and not p.is_symlink() and (p / MARKER).is_file())


def strays(target: Path) -> list[str]:
    """One warning per entry of releases/ that is not a complete release (and not ours in progress)."""
    folder = Path(target) / RELEASES
    if not folder.is_dir():
        return []
    found = []
    for p in sorted(folder.iterdir()):
        if p.name.startswith("."):
            continue  # our own .partial-/.trash- leftovers, or the operator's hidden files
        if not RELEASE_NAME.fullmatch(p.name) or p.is_symlink() or not p.is_dir():
            found.append(f"{p} không phải bản do lệnh deploy tạo: bỏ qua (không liệt kê, không quay lại, "
                         f"không xoá) — Cách sửa: chuyển nó ra ngoài {folder} nếu không cần cảnh báo này")
        elif not (p / MARKER).is_file():
            found.append(f"{p} không có dấu hoàn tất {MARKER} (bản chép dở hoặc do phiên bản cũ tạo): "
                         "bỏ qua, không bao giờ quay lại bản này — Cách sửa: xoá nó nếu không cần")
    return found


def current(target: Path) -> str | None:
    """The name of the live release, or None before the first deploy."""
    link = Path(target) / CURRENT
    if not link.is_symlink():
        return None
    return Path(os.readlink(link)).name


def verify(target: Path, name: str) -> manifests.Manifest:
    """Check a release fully: marker matches its manifest, every file there with its size."""
    folder = Path(target) / RELEASES / name
    try:
        marker = (folder / MARKER).read_text(encoding="utf-8").strip()
        manifest = manifests.read(folder)
        if marker != manifest.digest:
            raise manifests.ManifestError("dấu hoàn tất không khớp bản kê", "")
        manifests.check(folder, manifest)
    except (OSError, manifests.ManifestError) as e:
        what = e.what if isinstance(e, manifests.ManifestError) else (e.strerror or str(e))
        raise DeployError(f"bản {name} không còn nguyên vẹn ({what})",
                          f"không dùng bản này; xem danh sách bằng lệnh releases, xoá {folder} "
                          "rồi triển khai lại") from None
    return manifest


def copy_new(src: Path, dst: Path) -> None:
    """Copy ``src`` into a file ``dst`` that must not exist yet (O_EXCL): never into an
    existing file, which could be a hard link that a served release shares."""
    with open(src, "rb") as source, open(dst, "xb") as out:
        try:
            # In the kernel, as shutil.copy2 does: no pass of the bytes through Python.
            offset, size = 0, os.fstat(source.fileno()).st_size
            while offset < size:
                sent = os.sendfile(out.fileno(), source.fileno(), offset, size - offset)
                if sent == 0:
                    break
                offset += sent
        except OSError as e:
            if e.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP) or offset:
                raise
            shutil.copyfileobj(source, out, 1 << 20)   # a file system without sendfile
    shutil.copystat(src, dst)


def deploy(site_dir: Path, target: Path, keep: int = KEEP, now: datetime | None = None,
           copy=copy_new, prune_first: bool = False, warn=_warn, link=os.link, tell=None) -> Path:
    """Put ``site_dir`` into a new release of ``target`` and make it live.

    Unchanged files are hard links to the live release's. ``copy`` and ``link``
    are the per-file functions (tests pass ones that fail midway, or a ``link``
    that fails like a file system without hard links); ``prune_first`` deletes
    old releases before copying, to make room. ``tell`` gets one line saying how
    much was copied and how much linked. Returns the new release folder.
    """
    site_dir, target = Path(site_dir), Path(target)
    if keep < 1:
        raise DeployError("phải giữ ít nhất 1 bản", "dùng --keep 1 trở lên")
    _check_places(site_dir, target)
    manifest = built(site_dir)
    _make_target(target)
    folder = target / RELEASES
    try:
        folder.mkdir(exist_ok=True)
    except OSError as e:
        raise _os_error(e, target) from None
    with _locked(target):
        _clean(target, warn)
        for line in strays(target):
            warn(line)
        if prune_first:
            prune(target, keep - 1, warn)
        base = _base(target)
        _check_space(folder, manifest, base)
        name = _new_name(folder, now or datetime.now(timezone.utc))
        partial = folder / (PARTIAL + name)
        try:
            copied = _copy_release(site_dir, partial, manifest, copy, base, link, warn)
            os.rename(partial, folder / name)   # from here on the release exists, complete
            _fsync_dir(folder)
        except BaseException as e:
            # Failed or interrupted (Ctrl-C): nothing was switched; drop the half copy.
            shutil.rmtree(partial, ignore_errors=True)
            if isinstance(e, OSError):
                raise _os_error(e, target) from None
            raise
        switch(target, name)
        prune(target, keep, warn)
    if tell is not None:
        files, size = copied
        tell(f"chép {files} tệp mới ({_mb(size)}), liên kết {len(manifest.files) - files} tệp không đổi "
             f"với bản trước (trang {_mb(manifest.size)})")
    return folder / name


def switch(target: Path, name: str) -> None:
    """Point ``current`` at the complete release ``name`` in one rename."""
    target = Path(target)
    if name not in releases(target):
        raise DeployError(f"không có bản hoàn chỉnh '{name}' trong {target / RELEASES}",
                          "xem danh sách bằng lệnh releases")
    temp = target / f".{CURRENT}-{os.getpid()}"
    if temp.is_symlink() or temp.exists():
        temp.unlink()
    # A relative link keeps working if the whole target folder is moved or mounted elsewhere.
    os.symlink(f"{RELEASES}/{name}", temp)
    os.replace(temp, target / CURRENT)
    _fsync_dir(target)


def rollback(target: Path, warn=_warn) -> str:
    """Make the complete release before the live one live again; returns its name."""
    target = Path(target)
    _existing(target)
    with _locked(target):
        for line in strays(target):
            warn(line)
        names, live = releases(target), current(target)
        if live is None:
            raise DeployError(f"chưa có bản nào đang chạy trong {target}", "triển khai trước bằng lệnh deploy")
        if not RELEASE_NAME.fullmatch(live):
            raise DeployError(f"{target / CURRENT} trỏ tới '{live}', không phải bản do lệnh deploy tạo",
                              "triển khai một bản mới bằng lệnh deploy")
        older = [n for n in names if n < live]
        if not older:
            raise DeployError(f"'{live}' là bản cũ nhất còn giữ: không còn bản nào trước nó",
                              "triển khai lại bản mong muốn bằng lệnh deploy")
        verify(target, older[-1])
        switch(target, older[-1])
        return older[-1]


def prune(target: Path, keep: int = KEEP, warn=_warn) -> list[str]:
    """Delete all but the newest ``keep`` releases; the live one is always kept.

    Each doomed release is first renamed to a hidden ``.trash-`` name (one atomic
    step: it stops being a release), then deleted; a kill midway leaves only a
    leftover that the next deploy removes.
    """
    folder = Path(target) / RELEASES
    names, live = releases(target), current(target)
    doomed = [n for n in names[:max(0, len(names) - keep)] if n != live]
    trash = []
    for name in doomed:
        bin_ = folder / f"{TRASH}{name}"
        if bin_.exists():
            shutil.rmtree(bin_)
        os.rename(folder / name, bin_)
        trash.append(bin_)
    if trash:
        _fsync_dir(folder)
    for bin_ in trash:
        _remove(bin_, warn)
    return doomed


def built(site_dir: Path) -> manifests.Manifest:
    """The manifest of a completely built site/, or DeployError (one line)."""
    if not site_dir.is_dir():
        raise DeployError(f"không thấy thư mục trang '{site_dir}'",
                          "dựng trang trước (bash scripts/build.sh) hoặc chỉ đúng thư mục bằng --site")
    try:
        manifest = manifests.read(site_dir)
        manifests.check(site_dir, manifest)
    except manifests.ManifestError as e:
        raise DeployError(e.what, e.fix) from None
    except OSError as e:
        raise DeployError(f"không đọc được '{site_dir}': {e.strerror or e}", "kiểm tra quyền đọc") from None
    return manifest


class Base:
    """The live release a new one links its unchanged files to: its folder and manifest."""

    def __init__(self, folder: Path, manifest: manifests.Manifest):
        self.folder, self.files = folder, manifest.files

    def same(self, rel: str, entry: tuple[int, str]) -> bool:
        return self.files.get(rel) == entry


def _base(target: Path) -> Base | None:
    """The live release, if it is one of ours with a readable manifest; else None (copy all).

    Its manifest says what each file holds: comparing hashes replaces re-reading the
    release. A file changed there by hand with the same size would be shared; the
    sizes are still checked, by stat, for each link.
    """
    live = current(target)
    if live is None or live not in releases(target):
        return None
    folder = target / RELEASES / live
    try:
        return Base(folder, manifests.read(folder))
    except (OSError, manifests.ManifestError):
        return None


def _link(base: Base, rel: str, size: int, dst: Path, link) -> bool:
    """Hard-link ``rel`` from the base release; False if its file is not there as listed."""
    src = base.folder / rel
    try:
        info = os.lstat(src)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size != size:
        return False
    link(src, dst)
    return True


# A file system that cannot link (FAT, some network shares, another device): copy instead.
NO_LINKS = {errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK}


def _copy_release(site_dir: Path, partial: Path, manifest: manifests.Manifest, copy,
                  base: Base | None = None, link=os.link, warn=_warn) -> tuple[int, int]:
    """Link the unchanged files, copy the others (each copy checked against its hash), then
    write the marker. Returns the number and bytes of the files copied."""
    partial.mkdir()
    made = {partial}
    copied = [0, 0]
    for rel, (size, digest) in manifest.files.items():
        dst = partial / rel
        if dst.parent not in made:
            dst.parent.mkdir(parents=True, exist_ok=True)
            made.add(dst.parent)
        if base is not None and base.same(rel, (size, digest)):
            try:
                if _link(base, rel, size, dst, link):
                    continue
            except OSError as e:
                if e.errno not in NO_LINKS:
                    raise
                if e.errno != errno.EMLINK:   # one file linked too often: copy just that one
                    warn(f"ổ chứa {partial.parent} không cho tạo liên kết cứng ({e.strerror or e}): "
                         "chép toàn bộ tệp, mỗi bản tốn trọn dung lượng trang — Cách sửa: dùng ổ ext4/xfs "
                         "nếu muốn tiết kiệm chỗ")
                    base = None
        copy(site_dir / rel, dst)
        copied[0] += 1
        copied[1] += size
        # Hashing the copy (still in the page cache) proves what will be served;
        # it also catches a build that replaced site/ while we were copying.
        if manifests.file_hash(dst) != digest:
            raise DeployError(f"tệp {rel} khác với bản kê sau khi chép (site/ bị thay trong lúc triển khai?)",
                              "chờ lần build xong rồi triển khai lại")
    copy(site_dir / manifests.NAME, partial / manifests.NAME)
    if manifests.file_hash(partial / manifests.NAME) != manifest.digest:
        raise DeployError("bản kê của site/ đổi trong lúc triển khai", "chờ lần build xong rồi triển khai lại")
    _sync(partial)   # the files are on disk before the marker says they are complete
    with open(partial / MARKER, "x", encoding="utf-8") as handle:
        handle.write(manifest.digest + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return copied[0], copied[1]


def _check_places(site_dir: Path, target: Path) -> None:
    site, dest = site_dir.resolve(), target.resolve()
    if dest == site or site in dest.parents:
        raise DeployError(f"ĐÍCH '{target}' nằm trong thư mục trang '{site_dir}'",
                          "chọn một thư mục ngoài site/, ví dụ /srv/bao")
    if dest in site.parents and site.relative_to(dest).parts[0] in (RELEASES, CURRENT):
        raise DeployError(f"thư mục trang '{site_dir}' nằm trong {target / RELEASES} hoặc {target / CURRENT}",
                          "triển khai từ site/ do lệnh build tạo")


def _make_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise DeployError(f"ĐÍCH '{target}' là một tệp, không phải thư mục", "chỉ một thư mục")
    if not target.exists():
        parent = target.absolute().parent
        if not parent.is_dir():
            # A missing parent is often a network drive that is not mounted: never
            # fill the local disk in its place.
            raise DeployError(f"không thấy thư mục {parent} (nơi chứa ĐÍCH '{target}')",
                              "kiểm tra đường dẫn; ổ mạng thì gắn ổ trước; hoặc tạo thư mục bằng mkdir -p")
        try:
            target.mkdir()
        except OSError as e:
            raise _os_error(e, target) from None
    link = target / CURRENT
    if link.exists() and not link.is_symlink():
        raise DeployError(f"'{link}' là thư mục thật, không phải liên kết (không ghi đè trang đang chạy)",
                          f"chuyển nó vào {target / RELEASES}/ rồi triển khai lại")


def _existing(target: Path) -> None:
    if not (target / RELEASES).is_dir():
        raise DeployError(f"'{target}' chưa có bản triển khai nào ({target / RELEASES} không có)",
                          "kiểm tra đường dẫn ĐÍCH, hoặc triển khai trước bằng lệnh deploy")


def _check_space(folder: Path, manifest: manifests.Manifest, base: Base | None = None) -> None:
    """Refuse up front when the new release cannot fit, instead of failing midway.
    Files linked to the live release take no space and no inode."""
    block = 4096
    new = [size for rel, (size, digest) in manifest.files.items()
           if base is None or not base.same(rel, (size, digest))]
    # Each folder takes an inode and a block; folders are never linked.
    folders = {rel.rpartition("/")[0] for rel in manifest.files}
    need = sum(-(-size // block) * block for size in new) + block * (64 + len(folders))
    try:
        usage = os.statvfs(folder)
    except OSError:
        return
    free = usage.f_bavail * usage.f_frsize
    inodes = len(new) + len(folders) + 2
    if free < need or (usage.f_files and usage.f_favail < inodes):
        raise DeployError(f"không đủ chỗ trên đĩa của {folder.parent}: bản mới cần khoảng {_mb(need)} và "
                          f"{inodes} tệp và thư mục, còn trống {_mb(free)} và {usage.f_favail}", FREE_DISK)


def _os_error(e: OSError, target: Path) -> DeployError:
    """One line for a failure of the file system; the live site is unchanged."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return DeployError(f"hết chỗ trên đĩa khi chép vào {target} (trang đang chạy không đổi)", FREE_DISK)
    if e.errno in (errno.EACCES, errno.EPERM):
        return DeployError(f"không có quyền ghi vào {e.filename or target}",
                           "chạy lệnh bằng người dùng có quyền ghi vào ĐÍCH")
    if e.errno == errno.EROFS:
        return DeployError(f"ổ chứa {target} chỉ cho đọc", "gắn lại ổ ở chế độ ghi")
    return DeployError(f"không chép được vào {target}: {e.strerror or e} (trang đang chạy không đổi)",
                       "kiểm tra ổ đĩa rồi chạy lại")


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _clean(target: Path, warn) -> None:
    """Remove what killed deploys left: half copies, half-deleted releases, temporary links."""
    for leftover in (target / RELEASES).iterdir():
        if leftover.name.startswith((PARTIAL, TRASH)):
            _remove(leftover, warn)
    for temp in target.glob(f".{CURRENT}-*"):
        if temp.is_symlink():
            temp.unlink()


def _remove(folder: Path, warn) -> None:
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        pass
    except OSError as e:
        warn(f"chưa xoá được {folder} ({e.strerror or e}) — Cách sửa: lần triển khai sau sẽ thử lại, "
             "hoặc xoá tay")


def _new_name(folder: Path, now: datetime) -> str:
    """A name that sorts after every release kept, even if the clock went back
    or several deploys happen in one second (then: -002, -003…), and that no
    folder already has."""
    name = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    names = releases(folder.parent)
    if names and name <= names[-1]:
        name = _next(names[-1])
    while os.path.lexists(folder / name):
        name = _next(name)
    return name


def _next(name: str) -> str:
    base, _, number = name.partition("-")
    return f"{base}-{int(number or 1) + 1:03d}"


@contextmanager
def _locked(target: Path):
    """One deploy at a time per target; the kernel drops the lock if we are killed."""
    try:
        handle = open(Path(target) / LOCK, "w")
    except OSError as e:
        raise _os_error(e, Path(target)) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeployError("một lần triển khai khác đang chạy trên thư mục này", "chờ nó xong") from None
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


try:
    _syncfs = ctypes.CDLL(None, use_errno=True).syncfs
except (OSError, AttributeError):
    _syncfs = None


def _sync(folder: Path) -> None:
    """Flush the new release's files to disk (only that file system: syncfs), so that a
    power cut after the switch cannot bring back empty files behind a complete marker."""
    if _syncfs is None:
        os.sync()
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        _syncfs(fd)
    finally:
        os.close(fd)


# --- command line -------------------------------------------------------------------

def register(subparsers) -> None:
    """Add the deploy, rollback and releases commands to an argparse subparsers object."""
    p = subparsers.add_parser(
        "deploy", help="đưa site/ lên thư mục máy chủ, chuyển sang bản mới tức thời",
        description="Kiểm tra site/ theo bản kê mà lệnh build ghi sau cùng (bản dựng dở bị từ chối), "
        "đặt site/ vào một bản mới <ĐÍCH>/releases/<thời-điểm>/ (tệp không đổi là liên kết cứng tới bản "
        "đang chạy, chỉ tệp đổi được chép), rồi chuyển liên kết <ĐÍCH>/current sang bản đó trong một bước. "
        "Máy chủ web (nginx…) phục vụ <ĐÍCH>/current. Lỗi hay bị ngắt giữa chừng không làm thay đổi trang "
        "đang chạy. Với ĐÍCH s3://…: chỉ tải lên tệp đổi (so mã băm với bản kê trong bucket), ảnh và CSS "
        "trước, trang sau, bản kê cuối cùng, rồi mới xoá tệp không còn dùng.\n\nVí dụ:\n"
        "  toasoan deploy /srv/bao --keep 5\n"
        "  toasoan deploy /srv/bao --keep 2 --prune    # đĩa gần đầy\n"
        "  toasoan deploy s3://bao-bac-kan/ --endpoint-url https://s3.example.vn   # kho S3, chỉ tải phần đổi")
    p.add_argument("target", metavar="ĐÍCH", help="thư mục trên máy chủ (hoặc ổ đĩa mạng đã gắn), "
                   "hoặc s3://BUCKET/thư-mục cho kho S3")
    p.add_argument("--site", default="site", metavar="THƯ-MỤC", help="trang đã dựng (mặc định: site)")
    p.add_argument("--endpoint-url", metavar="URL", help="địa chỉ máy chủ S3 khác AWS (MinIO, Ceph, "
                   "kho của nhà cung cấp trong nước…), ví dụ http://127.0.0.1:9000")
    p.add_argument("--keep", type=int, default=KEEP, metavar="N", help=f"số bản giữ lại (mặc định: {KEEP})")
    p.add_argument("--prune", action="store_true",
                   help="xoá các bản cũ TRƯỚC khi chép (khi đĩa không đủ chỗ cho bản mới)")
    p.set_defaults(run=_run_deploy)
    p = subparsers.add_parser("rollback", help="quay lại bản triển khai trước",
                              description="Chuyển <ĐÍCH>/current về bản hoàn chỉnh ngay trước bản đang chạy."
                              "\n\nVí dụ:\n  toasoan rollback /srv/bao")
    p.add_argument("target", metavar="ĐÍCH")
    p.set_defaults(run=lambda a: print(f"Đã quay lại bản {rollback(_folder_only(a.target))}."))
    p = subparsers.add_parser("releases", help="liệt kê các bản đã triển khai (* là bản đang chạy)")
    p.add_argument("target", metavar="ĐÍCH")
    p.set_defaults(run=_run_list)


def _run_deploy(args) -> None:
    from . import s3deploy
    if s3deploy.is_bucket(args.target):
        s3deploy.deploy(Path(args.site), args.target, endpoint_url=args.endpoint_url, tell=print)
        return
    if args.endpoint_url:
        raise DeployError("--endpoint-url chỉ dùng với ĐÍCH s3://…", "bỏ --endpoint-url, hoặc viết s3://BUCKET")
    release = deploy(Path(args.site), Path(args.target), keep=args.keep, prune_first=args.prune, tell=print)
    print(f"Đã triển khai {release.name}: {Path(args.target) / CURRENT} -> {RELEASES}/{release.name}")


def _folder_only(target: str) -> Path:
    if str(target).startswith("s3://"):
        raise DeployError("kho S3 không giữ các bản cũ: không liệt kê, không quay lại được",
                          "quay lại bằng cách dựng bản mong muốn rồi triển khai lại lên bucket")
    return Path(target)


def _run_list(args) -> None:
    target = _folder_only(args.target)
    _existing(target)
    for line in strays(target):
        _warn(line)
    live, names = current(target), releases(target)
    if not names:
        print("Chưa có bản hoàn chỉnh nào được triển khai vào thư mục này.")
    for name in names:
        print(("* " if name == live else "  ") + name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m toasoan.deploy",
                                     description="Triển khai trang đã build lên thư mục máy chủ.")
    register(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(argv))


def run(args) -> int:
    """Run a command added by ``register``; every error is one line in Vietnamese, exit 1."""
    try:
        args.run(args)
    except DeployError as e:
        print(f"lỗi: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"lỗi: {_os_error(e, Path(args.target))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("lỗi: đã dừng giữa chừng; trang đang chạy không đổi", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
