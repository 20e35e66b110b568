"""A participant's chart redrawn in place: as sliders move, and for each participant of a cohort render.

The frame (rows, scale, legend) is drawn once and cached as pixels; a redraw paints only the markers,
arrows and verdicts over it. That keeps a redraw well under the 150 ms a slider can wait, and lets a render
worker draw a participant's chart in a third of a full draw.
"""

from __future__ import annotations

from typing import Any

from .figures import draw_points, encode, points_frame, quiet_warnings
from .points import FocusPoint


class LiveChart:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._rows: tuple[Any, ...] | None = None

    def _frame(self, points: list[FocusPoint]) -> None:
        self.frame = points_frame(points, self.lang)
        self.fig = self.frame.fig
        with quiet_warnings():
            self.fig.canvas.draw()  # the frame, once; later redraws paint over a copy of its pixels
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)  # type: ignore[attr-defined]
        self._rows = tuple((p.id, p.label, p.direction) for p in points)

    def png(self, points: list[FocusPoint]) -> bytes:
        if self._rows != tuple((p.id, p.label, p.direction) for p in points):
            self._frame(points)
        canvas = self.fig.canvas
        canvas.restore_region(self._background)  # type: ignore[attr-defined]
        artists = draw_points(self.frame, points, self.lang, animated=True)
        with quiet_warnings():
            for artist in artists:
                self.fig.draw_artist(artist)
        for artist in artists:
            artist.remove()
        return encode(canvas)
