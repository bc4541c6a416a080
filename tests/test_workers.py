"""The forked workers shared by the page render and the "Xem thêm" ranking (toasoan.core.workers)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from toasoan.core.workers import Background, Runner, WorkerFailed, spans


def _runner(work) -> Runner:
    return Runner(2, work, "thử", lambda part: f"làm phần {part}")


def _children() -> set[int]:
    """This process's child processes still there (reaped ones are gone from /proc)."""
    found = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found |= {int(pid) for pid in (task / "children").read_text().split()}
    return found


def test_results_come_back_in_the_parts_order_from_other_processes():
    parent, before = os.getpid(), _children()
    results = _runner(lambda part: (part * part, os.getpid())).run(list(range(9)))
    assert [square for square, _ in results] == [k * k for k in range(9)]
    assert parent not in {pid for _, pid in results}
    assert _children() == before


def test_a_killed_worker_is_a_clear_error_not_a_hang():
    before = _children()

    def work(part):
        if part == 3:   # as the kernel's OOM killer does
            os.kill(os.getpid(), signal.SIGKILL)
        return part
    with pytest.raises(WorkerFailed) as failed:
        _runner(work).run(list(range(8)))
    message = str(failed.value)
    assert message.startswith("Dừng: tiến trình thử ") and "bị dừng bởi tín hiệu 9 khi đang làm phần 3" in message
    assert "TOASOAN_JOBS=1" in message
    assert _children() == before   # the other worker stopped and reaped


def test_an_exception_in_a_worker_names_the_part():
    before = _children()

    def work(part):
        if part == 2:
            raise ValueError("hỏng")
        return part
    with pytest.raises(WorkerFailed, match="Dừng: lỗi khi làm phần 2: ValueError: hỏng"):
        _runner(work).run(list(range(5)))
    assert _children() == before


def test_spans_cover_every_item_once():
    assert spans(10, 4) == [(0, 4), (4, 8), (8, 10)]
    assert spans(0, 4) == [] and spans(3, 0) == [(0, 1), (1, 2), (2, 3)]


def _background(work) -> Background:
    return Background(work, "thử", "làm việc nền")


def test_a_background_job_runs_beside_this_process_and_hands_its_log_back(caplog):
    import logging
    import time
    parent, before = os.getpid(), _children()
    started = time.perf_counter()

    def work():
        logging.getLogger("mkdocs.test").warning("cảnh báo từ tiến trình nền")
        time.sleep(0.5)
        return os.getpid()
    job = _background(work)
    assert time.perf_counter() - started < 0.4   # it did not wait for the work
    assert job.pid in _children()
    with caplog.at_level(logging.WARNING, logger="mkdocs.test"):
        pid = job.result()
    assert pid == job.pid != parent
    assert "cảnh báo từ tiến trình nền" in caplog.text   # replayed here, as if logged here
    assert _children() == before


def test_a_background_job_that_fails_or_dies_is_a_clear_error():
    before = _children()

    def raises():
        raise ValueError("hỏng")
    with pytest.raises(WorkerFailed, match="Dừng: lỗi khi làm việc nền: ValueError: hỏng"):
        _background(raises).result()

    def dies():
        os.kill(os.getpid(), signal.SIGKILL)
    with pytest.raises(WorkerFailed) as failed:
        _background(dies).result()
    assert "bị dừng bởi tín hiệu 9 khi đang làm việc nền" in str(failed.value)
    assert _children() == before


def test_a_stopped_background_job_leaves_no_process():
    import time
    before = _children()
    job = _background(lambda: time.sleep(60))
    job.stop()
    assert _children() == before
    job.stop()   # twice: nothing left to do


# A build killed outright: the workers of a background job that itself has workers.
KILLED_BUILD = """
import os, sys, time
from pathlib import Path
from toasoan.core.workers import Background, Runner

out = Path(sys.argv[1])

def part(_):
    (out / "worker").write_text(str(os.getpid()))
    time.sleep(120)

def job():
    (out / "job").write_text(str(os.getpid()))
    Runner(1, part, "thử", lambda _: "thử").run([None])

Background(job, "thử", "thử")
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    """Whether the process is there and not a zombie (an orphan waits for init to reap it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_build_takes_its_workers_and_their_workers_with_it(tmp_path, sig):
    import subprocess
    import sys
    import time
    build = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(tmp_path)])
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "worker").exists():
            assert time.monotonic() < deadline and build.poll() is None, "the workers did not start"
            time.sleep(0.05)
        time.sleep(0.1)   # the file is written before the pid is read back
        pids = [int((tmp_path / name).read_text()) for name in ("job", "worker")]
        assert all(map(_alive, pids))
        build.send_signal(sig)   # no clean-up runs: Python ends at once on either
        build.wait(10)
        deadline = time.monotonic() + 10
        while any(map(_alive, pids)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in pids if _alive(pid)], "a worker outlived the build"
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        for name in ("job", "worker"):   # never leave one behind, even when the test fails
            try:
                os.kill(int((tmp_path / name).read_text()), signal.SIGKILL)
            except (OSError, ValueError):
                pass
