"""Writing inside a render's --out only: every file written beside its place and renamed into it, so neither a
link (symbolic or hard) standing there is written through nor a half-written file remains."""

from __future__ import annotations

from pathlib import Path

from ..errors import ParameterError
from ..files import atomic_write


def check_out(out: Path) -> None:
    """--out as a folder that exists (made if need be); ParameterError for a file or a folder that cannot be."""
    if out.exists() and not out.is_dir():
        raise ParameterError("render_out_not_folder", path=out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ParameterError("render_out_unwritable", path=out, reason=e) from None


def inside(path: Path, root: Path) -> Path:
    """`path`, checked to lie in a folder inside `root` (names are checked before; this is a guard). The
    entry itself is not resolved: a link standing there is replaced, never followed."""
    if not path.parent.resolve().is_relative_to(root.resolve()) or path.name in ("", ".", ".."):
        raise ParameterError("render_outside", path=path)
    return path


def own_file(path: Path, root: Path) -> Path:
    """`path` made ready to be written: a link standing there is removed, so writing cannot follow it."""
    inside(path, root)
    if path.is_symlink():
        path.unlink()
    return path


def own_folder(path: Path, root: Path) -> Path:
    """A real folder at `path` inside `root`: a link standing there is removed, never followed."""
    own_file(path, root).mkdir(exist_ok=True)
    return path


def write_file(path: Path, data: str | bytes, root: Path) -> Path:
    """Write a file inside `root` by a rename."""
    if isinstance(data, str):
        data = data.encode("utf-8", "backslashreplace")
    return atomic_write(inside(path, root), data, mode=0o644)
