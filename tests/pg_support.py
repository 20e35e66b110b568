"""A real PostgreSQL server for tests: Debian's `postgresql`, a new cluster in a temporary folder.

initdb and pg_ctl refuse to run as root, so as root the cluster belongs to the `postgres` system account
(which Debian's package creates) and runs as it; as anyone else it runs as that user. The server listens on a
free 127.0.0.1 port with password (SCRAM) authentication, and on a socket in its own folder only. If the
package is missing, root installs it with apt-get (as CI does); anyone else is told to.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

USER = "lederkurs"


def _bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def ensure_installed() -> Path:
    """The folder of initdb/pg_ctl, installing Debian's postgresql as root if it is missing."""
    if (found := _bin()) is not None:
        return found
    if os.geteuid() != 0:
        pytest.skip("needs Debian's postgresql package (apt-get install postgresql), or root to install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(["apt-get", "install", "-y", "-q", "postgresql"], env=env, capture_output=True, text=True)
    if done.returncode:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "postgresql"], env=env, capture_output=True, check=True)
    found = _bin()
    assert found is not None, "apt-get installed postgresql, but no initdb under /usr/lib/postgresql"
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Postgres:
    bin: Path
    folder: Path
    port: int
    password: str
    owner: str | None  # the system account it runs as (root only), else None: the current user

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{USER}:{self.password}@127.0.0.1:{self.port}/postgres"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.owner:
            cmd = ["runuser", "-u", self.owner, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.folder)

    def init(self) -> None:
        pwfile = self.folder / "pw"
        pwfile.write_text(self.password + "\n")
        if self.owner:
            shutil.chown(pwfile, self.owner)
        done = self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=scram-sha-256", f"--pwfile={pwfile}",
                         "--encoding=UTF8", "--locale=C")
        pwfile.unlink()
        assert done.returncode == 0, done.stderr

    def start(self) -> None:
        opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=on"
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", opts, "-w", "-t", "60",
                         "start")
        assert done.returncode == 0, done.stderr + self.log_tail()

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def log_tail(self) -> str:
        try:
            return (self.folder / "log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""


def start_postgres() -> Postgres:
    """A running server in a new temporary folder; call .stop() and remove .folder when done."""
    pg_bin = ensure_installed()
    owner = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="lk-pg-"))
    if owner:
        pw = pwd.getpwnam(owner)
        os.chown(folder, pw.pw_uid, pw.pw_gid)
    folder.chmod(0o700)
    pg = Postgres(pg_bin, folder, free_port(), secrets.token_urlsafe(16), owner)
    try:
        pg.init()
        pg.start()
    except BaseException:
        pg.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return pg


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    """One server for a test module (use: `postgres = pg_support.postgres` in the module), removed after it."""
    pg = start_postgres()
    try:
        yield pg
    finally:
        pg.stop("immediate")
        shutil.rmtree(pg.folder, ignore_errors=True)
