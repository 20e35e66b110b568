"""Pages of participants no longer in the answers folder: a share withdrawn, a file taken away. The render
keeps a list of whom it wrote pages for (MANIFEST in --out); the next complete render removes the folders of
those no longer rendered, so a withdrawn share's answers do not stay on the trainer's pages, and names them."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from ..answers.model import check_participant
from ..errors import LederkursError
from .outfiles import inside, write_file
from .plan import MANIFEST

MAX_MANIFEST_BYTES = 1_000_000
log = logging.getLogger(__name__)


def previous(out: Path) -> list[str]:
    """Whom the last render in `out` wrote pages for; nothing when it left no readable list."""
    path = out / MANIFEST
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_MANIFEST_BYTES:
            return []
        names = json.loads(path.read_text(encoding="utf-8")).get("participants", [])
        return [check_participant(n) for n in names if isinstance(n, str)]
    except (OSError, ValueError, AttributeError, LederkursError):
        return []


def remove_gone(out: Path, now: list[str], reserved: set[str]) -> list[str]:
    """Remove the folder of each participant the last render had and this one has not; return their names."""
    removed = []
    for name in sorted(set(previous(out)) - set(now)):
        if name.casefold() in reserved:
            continue
        folder = inside(out / name, out)
        try:
            if folder.is_symlink():
                folder.unlink()
            elif folder.is_dir():
                shutil.rmtree(folder)
            else:
                continue
        except OSError:
            log.warning("the pages of %r could not be removed", name, exc_info=True)
            continue
        removed.append(name)
    return removed


def remember(out: Path, participants: list[str]) -> None:
    write_file(out / MANIFEST, json.dumps({"participants": participants}, ensure_ascii=False) + "\n", out)
