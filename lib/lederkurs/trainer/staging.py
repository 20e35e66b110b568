"""A render's private staging folder: the answers' copies, the charts, the kernels' connection files.

The folder is made by mkdtemp (0700, the trainer's alone) in the system's temporary folder and holds a lock
(flock) for as long as its render runs. A render killed with SIGKILL cannot remove its folder; the next
render of the same user removes every such folder whose lock is free: its render is gone.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "lederkurs-render-"
LOCK = ".lock"

log = logging.getLogger(__name__)


def _held_elsewhere(folder: Path) -> bool:
    """Whether a running render holds `folder`'s lock (a folder without a lock was just made: left alone)."""
    try:
        fd = os.open(folder / LOCK, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases a lock taken here
    return False


def clean_leftovers(base: Path | None = None) -> list[Path]:
    """Remove the staging folders of this user's renders that ended without cleaning up; return them."""
    base = Path(base or tempfile.gettempdir())
    removed = []
    for folder in base.glob(f"{PREFIX}*"):
        try:
            info = os.lstat(folder)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or _held_elsewhere(folder):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        log.info("removed the staging folder of a render that was killed: %s", folder)
        removed.append(folder)
    return removed


@contextmanager
def staging_folder(base: Path | None = None) -> Iterator[Path]:
    """A new private folder, locked while the render runs, removed afterwards (what a killed render
    leaves, the next one removes)."""
    clean_leftovers(base)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=base))  # 0700: the answers' copies stay private
    fd = os.open(folder / LOCK, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)
