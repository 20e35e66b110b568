"""A participant's chart redrawn in place: as sliders move, and for each participant of a cohort render.

The frame (rows, scale, legend) is drawn once and cached as pixels; a redraw paints only the markers,
arrows and verdicts over it, and only for the rows whose values changed: each row's pixels (all a row draws lies
within its own strip of the figure) are kept with the values they show, and put back as they are while those
values stay. A slider moves one row, so a redraw draws one row and encodes the picture. That keeps a redraw of
both layouts (charts/layout.py; one LiveChart draws one) under the 100 ms a slider can wait, and lets a render
worker draw a participant's chart in a fraction of a full draw.
"""

from __future__ import annotations

from typing import Any

from matplotlib.transforms import Bbox

from .figures import draw_point, encode, points_frame
from .frame import quiet_warnings
from .layout import WIDE, Layout
from .points import FocusPoint


class LiveChart:
    def __init__(self, lang: str, layout: Layout = WIDE) -> None:
        self.lang, self.layout = lang, layout
        self._rows: tuple[Any, ...] | None = None
        self._strips: dict[int, tuple[Any, Any]] = {}  # row -> (its values, its pixels)

    def _frame(self, points: list[FocusPoint]) -> None:
        self.frame = points_frame(points, self.lang, self.layout)
        self.fig = self.frame.fig
        with quiet_warnings():
            self.fig.canvas.draw()  # the frame, once; later redraws paint over a copy of its pixels
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)  # type: ignore[attr-defined]
        self._rows = tuple((p.id, p.label, p.direction) for p in points)
        self._strips = {}

    def _strip(self, i: int) -> Bbox:
        """Row `i`'s strip of the figure in pixels, the whole width: a pixel inside its span at top and bottom,
        so that no two strips share a pixel."""
        top, bottom = (self.frame.ax.transData.transform((0, y))[1] for y in self.frame.spans[i])
        low, high = sorted((top, bottom))
        return Bbox.from_extents(0, low + 1, self.fig.bbox.width, high - 1)

    def png(self, points: list[FocusPoint]) -> bytes:
        if self._rows != tuple((p.id, p.label, p.direction) for p in points):
            self._frame(points)
        canvas = self.fig.canvas
        canvas.restore_region(self._background)  # type: ignore[attr-defined]
        for i, p in enumerate(points):
            values = (p.before, p.now)
            kept = self._strips.get(i)
            if kept is not None and kept[0] == values:
                canvas.restore_region(kept[1])  # type: ignore[attr-defined]
                continue
            artists = draw_point(self.frame, i, p, self.lang, animated=True)
            with quiet_warnings():
                for artist in artists:
                    self.fig.draw_artist(artist)
            for artist in artists:
                artist.remove()
            self._strips[i] = (values, canvas.copy_from_bbox(self._strip(i)))  # type: ignore[attr-defined]
        return encode(canvas)
