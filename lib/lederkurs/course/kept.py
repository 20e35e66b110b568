"""Parsed content kept between kernels, in the user's own cache folder (lederkurs.paths.cache_dir).

Every notebook's kernel needs the whole course and its messages; parsing them means importing PyYAML and
markdown-it and reading every content file, a sixth of a text notebook's time. So the parsed objects are kept
(pickled: the folder is the user's alone, 0700) under a fingerprint of every content file, the code that parses
them (this folder's modules) and the package's version; any edit of either is another fingerprint, and the old
entry is replaced.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from .. import __version__, paths
from ..files import atomic_write

T = TypeVar("T")


@lru_cache(maxsize=8)
def fingerprint(root: Path) -> str:
    digest = hashlib.sha256(f"lederkurs {__version__}".encode())
    for code in sorted(Path(__file__).parent.glob("*.py")):  # a changed parser or dataclass is another entry
        digest.update(code.name.encode() + b"\0" + code.read_bytes() + b"\0")
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".yml", ".md") and p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _private(path: Path) -> bool:
    """Owned by this user, and nobody else may write to it (else it is parsed again, never loaded)."""
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def kept(name: str, root: Path, parse: Callable[[], T]) -> T:
    """`parse()`'s result, from the cache when it was made from the content in `root` as it is now."""
    folder = paths.cache_dir()
    if folder is None:
        return parse()
    folder = folder / "content"
    path = folder / f"{name}-{fingerprint(root)}.pickle"
    try:
        if _private(folder) and _private(path):
            return pickle.loads(path.read_bytes())  # noqa: S301 - written by this user, writable by no one else
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    value = parse()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for old in folder.glob(f"{name}-*.pickle"):
            old.unlink(missing_ok=True)
        atomic_write(path, pickle.dumps(value), mode=0o600)
    except OSError:
        pass  # kept next time, perhaps: a cache that cannot be written is no error
    return value
