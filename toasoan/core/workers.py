"""Forked worker processes for the stages that use every core (page render, "Xem thêm", search index).

The parent's data (pages, matrices) reaches a worker by ``fork``, copy-on-write: nothing
big is pickled to it; only each part's result comes back, over the worker's own pipe.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import traceback
from multiprocessing.connection import wait


class WorkerFailed(Exception):
    """A worker raised or died; the message (Vietnamese) says what it was doing and what to do."""


def jobs() -> int:
    """Processes a build may keep busy: ``TOASOAN_JOBS`` when set, else the cores it may run on (at most 4).

    One answer for every parallel stage (the page render, "Xem thêm", the search index);
    1 keeps a build in one process.
    """
    given = os.environ.get("TOASOAN_JOBS", "").strip()
    if given.isdigit():
        return max(1, int(given))
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def spans(count: int, size: int) -> list[tuple[int, int]]:
    """[lo, hi) ranges of at most ``size`` items covering ``count``."""
    size = max(1, size)
    return [(lo, min(count, lo + size)) for lo in range(0, count, size)]


def cpu(children: bool = False) -> float:
    """CPU seconds of this process (and, ``children``, of its children reaped so far)."""
    t = os.times()
    return t.user + t.system + (t.children_user + t.children_system if children else 0.0)


# --- in a worker --------------------------------------------------------------------------

class _Collect(logging.Handler):
    """Keeps a worker's log records to send to the parent, which prints and counts them."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        record.msg, record.args = record.getMessage(), None   # plain data: it crosses a pipe
        if record.exc_info:
            record.exc_text = record.exc_text or "".join(traceback.format_exception(*record.exc_info))
            record.exc_info = None
        self.records.append(record)


_collector: _Collect | None = None


def collected() -> list[logging.LogRecord]:
    """A worker's log records so far (handed over: the next call starts empty)."""
    records, _collector.records = _collector.records, []
    return records


_PR_SET_PDEATHSIG = 1   # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this worker when the process that forked it dies.

    A build killed outright (SIGKILL, or SIGTERM, which Python does not turn into an
    exception) runs none of its own clean-up: without this its workers went on to the end
    of their part, and the search index's forked job to the end of the index, holding the
    build lock. Each worker watches its own parent, so a worker's workers go too.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):   # not Linux: the parent's stop() still covers failures and Ctrl-C
        return
    if os.getppid() != parent:   # the parent died before the request was made
        os._exit(1)


def _in_worker() -> None:
    """Once per worker: the console and --strict's counter are the parent's; the records go to it."""
    global _collector
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C: the parent stops the workers
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):
        # The console, and MkDocs' counter of warnings (a NullHandler): both the parent's.
        if isinstance(handler, (logging.StreamHandler, logging.NullHandler)):
            logger.removeHandler(handler)
    _collector = _Collect()
    logger.addHandler(_collector)


class Runner:
    """At most ``workers`` forked processes at a time, a fresh one for each part, each sending
    its part's result back over its own pipe; the next part starts as soon as one ends.

    A fresh process per part: a worker copies every memory page of the parent it writes to
    (reference counts, Pages filled in), so a long-lived one would end up with a copy of half
    the archive. Not multiprocessing.Pool: a worker killed by the kernel (out of memory) would
    leave a Pool waiting for ever; here its pipe closes and ``run`` raises WorkerFailed.

    ``role`` names the workers and ``doing(part)`` a part's work in the messages ("tiến trình
    dựng trang … khi đang dựng trang 1–37"); ``failed(error, part)``, when given, words an
    exception raised in a worker.
    """

    def __init__(self, workers: int, work, role: str, doing, failed=None):
        self.count, self.work, self.role, self.doing = workers, work, role, doing
        self.failed = failed or self._failed

    def _failed(self, error: Exception, part) -> str:
        return (f"Dừng: lỗi khi {self.doing(part)}: {type(error).__name__}: {error} "
                "— Cách sửa: dựng lại với TOASOAN_JOBS=1 để thấy đủ chi tiết")

    def run(self, parts: list) -> list:
        """``[work(part) for part in parts]``, computed in the workers."""
        results: list = [None] * len(parts)
        todo = list(range(len(parts)))[::-1]
        running: dict = {}   # parent's end of the pipe -> (pid, part)
        # A worker copies only the memory it writes to; the collector would write to every object.
        gc.freeze()
        try:
            while todo or running:
                while todo and len(running) < self.count:
                    k = todo.pop()
                    parent, child = multiprocessing.Pipe(duplex=False)
                    me = os.getpid()
                    pid = os.fork()
                    if pid == 0:   # the worker: never returns
                        die_with_parent(me)
                        parent.close()
                        for other in running:
                            other.close()
                        self._serve(child, parts[k])
                    child.close()
                    running[parent] = (pid, k)
                for conn in wait(list(running)):
                    pid, k = running[conn]
                    try:
                        ok, value = conn.recv()
                    except (EOFError, OSError):
                        raise WorkerFailed(self._died(pid, parts[k])) from None
                    del running[conn]
                    conn.close()
                    os.waitpid(pid, 0)
                    if not ok:
                        message, records = value
                        for record in records:   # what the worker logged before it failed
                            logging.getLogger(record.name).handle(record)
                        raise WorkerFailed(message)
                    results[k] = value
        finally:
            self._stop(running)
            gc.unfreeze()
        return results

    def _serve(self, conn, part) -> None:
        code = 0
        try:
            _in_worker()
            try:
                result = (True, self.work(part))
            except Exception as e:   # named for the reporter; the parent stops the build
                result = (False, (self.failed(e, part), collected()))
            conn.send(result)
        except BaseException:
            code = 1
        finally:
            os._exit(code)   # no atexit handlers, no finalizers of the parent's objects

    def _died(self, pid: int, part) -> str:
        try:
            _, status = os.waitpid(pid, 0)
            how = (f"bị dừng bởi tín hiệu {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
                   else f"thoát với mã {os.WEXITSTATUS(status)}")
        except ChildProcessError:
            how = "đã dừng"
        return (f"Dừng: tiến trình {self.role} {pid} {how} khi đang {self.doing(part)} "
                "(thiếu bộ nhớ?) — site/ cũ giữ nguyên. Cách sửa: dựng lại; nếu lặp lại, "
                "dựng với TOASOAN_JOBS=1 (một tiến trình, ít bộ nhớ hơn)")

    @staticmethod
    def _stop(running: dict) -> None:
        """After a failure (or Ctrl-C): the other workers are stopped and reaped."""
        for conn, (pid, _) in running.items():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            conn.close()
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


class Background:
    """One piece of work in a forked process while the build goes on; ``result()`` waits for it.

    For a stage that needs only what is read already and writes files of its own (the search
    index): it runs beside the stages that do not keep both cores busy. The same worker as
    Runner's (pipe, messages, a death named); the work returns its value and its log records,
    which ``result`` hands to this process's log, in order, as if it had run here.
    """

    def __init__(self, work, role: str, doing: str):
        self._runner = Runner(1, lambda _: (work(), collected()), role, lambda _: doing)
        parent, child = multiprocessing.Pipe(duplex=False)
        gc.freeze()   # as Runner: the worker copies only what it writes to
        me = os.getpid()
        try:
            pid = os.fork()
        finally:
            gc.unfreeze()   # in the worker too: harmless, it only runs ``work``
        if pid == 0:   # the worker: never returns
            die_with_parent(me)
            parent.close()
            os.setpgid(0, 0)   # a group of its own: its own workers (the index's) stop with it
            self._runner._serve(child, None)
        try:
            os.setpgid(pid, pid)   # here too: stop() may come before the worker ran at all
        except OSError:
            pass
        child.close()
        self.conn, self.pid = parent, pid

    def result(self):
        """The work's value (its log records replayed here); WorkerFailed if it raised or died."""
        if self.conn is None:
            raise WorkerFailed("Dừng: kết quả của tiến trình nền đã được lấy")
        conn, self.conn = self.conn, None
        try:
            ok, value = conn.recv()
        except (EOFError, OSError):
            self._stop_group()   # it died: its own workers must not go on without it
            raise WorkerFailed(self._runner._died(self.pid, None)) from None
        finally:
            conn.close()
        os.waitpid(self.pid, 0)
        value, records = value   # (the work's value, or the failure's message; its log records)
        for record in records:
            logging.getLogger(record.name).handle(record)
        if not ok:
            raise WorkerFailed(value)
        return value

    def stop(self) -> None:
        """Stop and reap it (a failed or interrupted build); nothing once its result is taken."""
        if self.conn is not None:
            self._stop_group()
            self._runner._stop({self.conn: (self.pid, None)})
            self.conn = None

    def _stop_group(self) -> None:
        """Kill the worker and the processes it started (its group; it is not reaped yet, so the
        group is still its): left running, they would write into a staging folder being removed
        and hold the build's output open until they end."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
