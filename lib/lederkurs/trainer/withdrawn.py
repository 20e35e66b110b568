"""Pages of participants no longer in the answers folder: a share withdrawn, a file taken away. index.html
holds the list of whom the render wrote pages for (an attribute, KNOWN); the next complete render removes the
folders of those it does not render, so a withdrawn share's answers do not stay on the trainer's pages, and
names them. No file besides index.html is needed for it."""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
from pathlib import Path

from ..answers.model import check_participant
from ..errors import LederkursError
from .outfiles import inside

KNOWN = "data-lederkurs-participants"
MAX_INDEX_BYTES = 20_000_000
log = logging.getLogger(__name__)


def pages_made_by_last_render(out: Path) -> list[str]:
    """Whom the last render in `out` wrote pages for (from its index.html); nothing when it left none."""
    path = out / "index.html"
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_INDEX_BYTES:
            return []
        found = re.search(KNOWN + r'="([^"]*)"', path.read_text(encoding="utf-8", errors="replace"))
        names = json.loads(html.unescape(found.group(1))) if found else []
        return [check_participant(n) for n in names if isinstance(n, str)] if isinstance(names, list) else []
    except (OSError, ValueError, LederkursError):
        return []


def remove_gone(out: Path, gone: list[str], reserved: set[str]) -> list[str]:
    """Remove the folder of each of `gone` (participants of the last render not rendered now); return them."""
    removed = []
    for name in sorted(gone):
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
