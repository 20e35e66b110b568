"""Writing a file so that no reader ever sees half of it, and nothing but the file's own entry changes."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> Path:
    """Write to a temporary file beside `path`, fsync, then rename it over `path`.

    The rename replaces whatever entry stands at `path` (a link included, which is never followed).
    `mode` sets the file's permissions; without it an existing file keeps its mode and a new one is readable
    by its owner only.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if mode is None:
            try:
                mode = stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)
            except FileNotFoundError:
                mode = 0o600
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
