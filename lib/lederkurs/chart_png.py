"""A participant's focus chart as PNG and inline HTML, drawn by the chart module or, in a batch run,
taken from the batch renderer's cache.

`lederkurs render` draws each participant's chart in its long-lived worker (matplotlib imported once per
worker) and points every kernel at that cache: a fresh kernel then skips matplotlib's import, which costs
more than the kernel start itself. The picture is the same bytes either way: same code, same data.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from functools import cache
from html import escape
from pathlib import Path

from .answers import AnswersFile
from .content import Course
from .focus import FocusPoint, describe, focus_points

CACHE_ENV = "LEDERKURS_CHART_CACHE"


@cache
def _chart_code() -> bytes:
    """The drawing code is part of the key: a changed chart is never taken from an old cache."""
    return (Path(__file__).parent / "chart.py").read_bytes()


def _key(points: list[FocusPoint], lang: str) -> str:
    code = _chart_code()
    data = json.dumps([lang, [(p.id, p.label, p.direction, p.before, p.now) for p in points]], ensure_ascii=False)
    return hashlib.sha256(code + data.encode("utf-8")).hexdigest()


def _draw(points: list[FocusPoint], lang: str) -> bytes:
    from . import chart

    return chart.to_png(chart.points_figure(points, lang))


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


def img_html(png: bytes, alt: str) -> str:
    """An inline image with its text alternative: self-contained, no widget JavaScript needed."""
    data = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}" '
            f'style="max-width:100%;height:auto">')


def participant_html(course: Course, doc: AnswersFile) -> str:
    """The participant's chart with its one-sentence summary under it."""
    points = focus_points(course, doc)
    sentence = describe(points, course.lang)
    return f'{img_html(participant_png(points, course.lang), sentence)}<p>{escape(sentence)}</p>'
