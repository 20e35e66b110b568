"""Charts as PNG, drawn once for the same data: a participant's focus chart and a cohort's.

Drawing needs matplotlib, whose import costs more than a kernel's start. So a chart is kept under the
fingerprint of everything it is drawn from (charts/source.py: its data, its words, the drawing code and its
versions) where the next kernel finds it:

* `lederkurs render` draws each participant's chart in its long-lived worker and points the kernels at that
  folder (LEDERKURS_CHART_CACHE), which lives as long as the render;
* a participant's own charts are kept in their own cache folder (lederkurs.paths.cache_dir, private to them):
  the chart the sliders of notebook 04 drew is the one notebook 09 shows for the same answers, without
  drawing it again. At most KEEP charts are kept.

A participant's chart and the chart over time are kept per layout (charts/layout.py: WIDE, NARROW); the cohort's
is drawn wide only (a trainer's screen or projector).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .. import paths
from .layout import LAYOUTS, WIDE, Layout
from .points import CohortArea, FocusPoint
from .rounds import OverTime
from .source import fingerprint

CACHE_ENV = "LEDERKURS_CHART_CACHE"
KEEP = 64


def points_key(points: list[FocusPoint], lang: str, layout: Layout = WIDE) -> str:
    return fingerprint("points", lang, [layout.name, [(p.id, p.label, p.direction, p.before, p.now) for p in points]])


def _folders() -> list[Path]:
    found = [Path(os.environ[CACHE_ENV])] if os.environ.get(CACHE_ENV) else []
    own = paths.cache_dir()
    return found + ([own / "charts"] if own else [])


def kept(key: str) -> bytes | None:
    for folder in _folders():
        try:
            return (folder / f"{key}.png").read_bytes()
        except OSError:
            continue
    return None


def keep(key: str, png: bytes) -> None:
    """Keep a chart in the user's cache (the oldest go beyond KEEP); a cache that cannot be written is no
    error: the chart is drawn again next time."""
    from ..files import atomic_write

    own = paths.cache_dir()
    if own is None:
        return
    folder = own / "charts"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(folder / f"{key}.png", png, mode=0o600)
        entries = sorted(folder.glob("*.png"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def participant_png(points: list[FocusPoint], lang: str, keep_drawn: bool = True, layout: Layout = WIDE) -> bytes:
    key = points_key(points, lang, layout)
    found = kept(key)
    if found is None:
        from .figures import points_figure, to_png

        found = to_png(points_figure(points, lang, layout))
        if keep_drawn and not os.environ.get(CACHE_ENV):  # a render's kernels: the render's folder is the cache
            keep(key, found)
    return found


def time_png(data: OverTime, lang: str, keep_drawn: bool = True, layout: Layout = WIDE) -> bytes:
    """The chart over time (rounds and goal), kept like a participant's chart: 09 shows the one 04 drew."""
    key = fingerprint("time", lang, [layout.name, [r.__dict__ for r in data.rounds], [a.__dict__ for a in data.areas]])
    found = kept(key)
    if found is None:
        from .figures import over_time_figure, to_png

        found = to_png(over_time_figure(data, lang, layout))
        if keep_drawn and not os.environ.get(CACHE_ENV):
            keep(key, found)
    return found


def cohort_png(areas: list[CohortArea], n: int, lang: str) -> bytes:
    key = fingerprint("cohort", lang, [n, [list(a.__dict__.values()) for a in areas]])
    found = kept(key)
    if found is None:
        from .figures import cohort_figure, to_png

        found = to_png(cohort_figure(areas, n, lang))
        keep(key, found)
    return found


_drawn: dict[tuple[str, Layout], Any] = {}  # a render worker's LiveChart per language and layout: one frame each


def prepare(points: list[FocusPoint], lang: str, folder: Path) -> None:
    """Draw a chart, in each layout, into a render's folder (in a batch worker) before a kernel asks for it."""
    from .live import LiveChart

    folder.mkdir(parents=True, exist_ok=True)
    for layout in LAYOUTS:
        path = folder / f"{points_key(points, lang, layout)}.png"
        if not path.exists():
            path.write_bytes(_drawn.setdefault((lang, layout), LiveChart(lang, layout)).png(points))
