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
WHY_MISSING = (
    "Xapian is not installed: .ci/run installs it (apt-get install xapian-tools; the bindings come with pip install -e '.[test]')"
)


def require_xapian() -> None:
    """Skip (with the reason) only when the server or the Python bindings are truly absent."""
    pytest.importorskip("xapian", reason=WHY_MISSING)
    if shutil.which(TCPSRV) is None:
        pytest.skip(WHY_MISSING, allow_module_level=True)


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


class Servers:
    """One xapian-tcpsrv per shard database, each on its own port; ``stop`` and ``start`` one by position."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        self.ports = [free_port() for _ in self.paths]
        self.procs: list[subprocess.Popen | None] = [None] * len(self.paths)
        self.addresses = [f"127.0.0.1:{port}" for port in self.ports]

    def start(self, i: int) -> None:
        # a session of its own: on SIGTERM xapian-tcpsrv signals its whole process group (its forked children)
        proc = subprocess.Popen(
            [TCPSRV, "--interface", "127.0.0.1", "--port", str(self.ports[i]), str(self.paths[i])],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.procs[i] = proc
        _wait_listening(self.ports[i], proc)

    def stop(self, i: int) -> None:
        proc, self.procs[i] = self.procs[i], None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def serving(paths: Sequence[Path]) -> Iterator[Servers]:
    """Servers for ``paths``, all started, all stopped at the end."""
    servers = Servers(paths)
    try:
        for i in range(len(paths)):
            servers.start(i)
        yield servers
    finally:
        for i in range(len(paths)):
            servers.stop(i)


@contextmanager
def serve(paths: Sequence[Path]) -> Iterator[list[str]]:
    """One server per shard database; yields their host:port addresses, shard order kept."""
    with serving(paths) as servers:
        yield servers.addresses
