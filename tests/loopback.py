"""Ports on 127.0.0.1 for the servers tests start (nginx, S3, decap-server, serve)."""

from __future__ import annotations

import socket
import subprocess
import time
from typing import Callable

import pytest


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 30,
                  detail: Callable[[], str] = lambda: "") -> None:
    """Return once ``proc`` accepts connections on ``port``; fail the test if it stops or never does.

    ``detail`` says why (the server's own error output), read only on failure.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"{what} did not start: {detail()}")
            time.sleep(0.05)
