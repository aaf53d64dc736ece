"""A real, throwaway PostgreSQL cluster on 127.0.0.1 for the state tests: started once per session with
Debian's binaries (initdb, pg_ctl), one fresh database per test, stopped by pg_ctl (or by process id)."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from xapian_servers import free_port

WHY_MISSING = "PostgreSQL is not installed: .ci/run installs it (apt-get install postgresql; the driver comes with pip install -e '.[test]')"


def binaries() -> Path | None:
    """Debian's versioned folder (the newest), or initdb on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    """One server; ``new_database()`` gives each test an empty database of its own."""

    def __init__(self, bin_dir: Path, folder: Path, port: int, as_user: list[str]) -> None:
        self.bin_dir, self.folder, self.port, self.as_user = bin_dir, folder, port, as_user
        self.data = folder / "data"
        self.names = itertools.count()
        self.admin_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.as_user, str(self.bin_dir / tool), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode:
            log = self.folder / "log"
            server_log = log.read_text(errors="replace")[-2000:] if log.is_file() else ""
            raise subprocess.CalledProcessError(done.returncode, tool, stderr=done.stderr.decode(errors="replace") + server_log)

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off -c full_page_writes=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        """pg_ctl's fast stop; the postmaster killed by its process id if that fails."""
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "20", "stop")
        except subprocess.CalledProcessError:
            pid_file = self.data / "postmaster.pid"
            if pid_file.is_file():
                with suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)

    def new_database(self) -> str:
        """An empty database's URL (CREATE DATABASE from template0 takes about 0.1 s)."""
        import psycopg

        name = f"t{os.getpid()}_{next(self.names)}"
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name} TEMPLATE template0")
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"


@contextmanager
def cluster() -> Iterator[Cluster]:
    """A started cluster in a fresh folder, stopped and removed at the end; skips (saying why) when
    PostgreSQL or its driver is missing. As root the server runs as the postgres user, as Debian's does."""
    pytest.importorskip("psycopg", reason=WHY_MISSING)
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip(WHY_MISSING)
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="paperbot-pg-"))  # short: the socket path must fit in 107 bytes
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the PostgreSQL server as")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    server = Cluster(bin_dir, folder, free_port(), as_user)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
