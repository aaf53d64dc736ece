"""Real ``xapian-tcpsrv`` processes serving shard databases on 127.0.0.1, started and stopped by process id."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

TCPSRV = "xapian-tcpsrv"
WHY_MISSING = "Xapian is not installed: .ci/run installs it (apt-get install xapian-tools; pip install -e '.[xapian]')"


def require_xapian() -> None:
    """Skip (with the reason) only when the server or the Python bindings are truly absent."""
    pytest.importorskip("xapian", reason=WHY_MISSING)
    if shutil.which(TCPSRV) is None:
        pytest.skip(WHY_MISSING)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(port: int, proc: subprocess.Popen, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{TCPSRV} on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"{TCPSRV} on port {port} did not start listening")


@contextmanager
def serve(paths: Sequence[Path]) -> Iterator[list[str]]:
    """One server per shard database; yields their host:port addresses, shard order kept."""
    procs: list[subprocess.Popen] = []
    addresses: list[str] = []
    try:
        for path in paths:
            port = free_port()
            # a session of its own: on SIGTERM xapian-tcpsrv signals its whole process group (its forked children)
            proc = subprocess.Popen(
                [TCPSRV, "--interface", "127.0.0.1", "--port", str(port), str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
            procs.append(proc)
            _wait_listening(port, proc)
            addresses.append(f"127.0.0.1:{port}")
        yield addresses
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
