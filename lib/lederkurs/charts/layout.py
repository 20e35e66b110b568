"""The two layouts of a participant's charts, as plain data (no matplotlib: the chart cache keys on them).

WIDE is a notebook's width, with the row labels left of the scale; NARROW is a phone's width with the same font
sizes, each label above its row (charts/frame.py and charts/figures.py draw both; reports/html.chart lets the
browser pick).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """A chart's width, the room for a row label's line, and where the labels go (left of the scale, or above
    each row). The name goes into the chart's cache key."""

    name: str
    width: int  # px
    label_width: int  # px at most for a line of a row label
    labels_above: bool


PAD = 10  # px between blocks, and at the figure's edges
WIDE = Layout("wide", 1000, 340, labels_above=False)  # a notebook's width; the trainer's projector
NARROW = Layout("narrow", 390, 390 - 2 * PAD, labels_above=True)  # a phone: shown at its own size up to 390 px
LAYOUTS = (WIDE, NARROW)
