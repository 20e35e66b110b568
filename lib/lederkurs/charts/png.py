"""A participant's focus chart as PNG: drawn by the figures module or, in a batch run, taken from the
batch renderer's cache.

`lederkurs render` draws each participant's chart in its long-lived worker (matplotlib imported once per
worker) and points every kernel at that cache: a fresh kernel then skips matplotlib's import, which costs
more than the kernel start itself. The picture is the same bytes either way: same code, same data (a cache
lives only as long as one render, so the data alone is its key).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .points import FocusPoint

CACHE_ENV = "LEDERKURS_CHART_CACHE"


def _key(points: list[FocusPoint], lang: str) -> str:
    data = json.dumps([lang, [(p.id, p.label, p.direction, p.before, p.now) for p in points]], ensure_ascii=True)
    return hashlib.sha256(data.encode("ascii")).hexdigest()


def _draw(points: list[FocusPoint], lang: str) -> bytes:
    from .figures import points_figure, to_png

    return to_png(points_figure(points, lang))


def participant_png(points: list[FocusPoint], lang: str) -> bytes:
    folder = os.environ.get(CACHE_ENV)
    if folder:
        path = Path(folder) / f"{_key(points, lang)}.png"
        if path.is_file():
            return path.read_bytes()
    return _draw(points, lang)


def prepare(points: list[FocusPoint], lang: str, folder: Path) -> None:
    """Draw a chart into the cache (in a batch worker) before a kernel asks for it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_key(points, lang)}.png"
    if not path.exists():
        path.write_bytes(_draw(points, lang))
