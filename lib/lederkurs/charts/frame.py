"""The frame of a focus-shift chart, measured, not solved: rows, the scale, a column of words, the titles and the
legend, in either layout (charts/layout.py), and the text machinery that fits them.

The widest row label, the widest word in the right-hand column and the wrapped title and note decide the margins,
so no text can reach past the figure's edge in any language, and no layout engine runs on every draw. A row label
gets at most its layout's label width and two lines: longer ones are broken (at spaces where there are any,
between characters where there are none, as in CJK) and end in an ellipsis, so any label the answers file's
bounds allow fits. WIDE puts the labels left of the scale and the words right of it; NARROW puts each label on its
own line(s) above its row of markers and the word right-aligned on the label's last line (or on a line of its own
where the label leaves no room).

Every text is drawn literally: a participant's "$x$" is two dollar signs, not mathematics. A glyph the font lacks
(an emoji, CJK in DejaVu Sans) is drawn as a box; matplotlib's warning about it goes to the maintainers' log, made
visible, never raw to a terminal.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from .. import theme
from ..text import visible
from .layout import PAD, WIDE, Layout

FONT = 13
DPI = 100
WIDTH = WIDE.width  # px: a notebook's width
ROW = 55  # px per focus area
TICK_PAD = 12  # px between a row label and the axes (tick length and matplotlib's label pad)
LABEL_WIDTH = WIDE.label_width  # px at most for a row label; two lines of it fit in a ROW
LABEL_LINES = 2
ELLIPSIS = "…"
BAND = 36  # px: a row's markers in the narrow layout, under its label
WORD_GAP = 8  # px at least between a narrow row's label and its verdict on the same line

log = logging.getLogger(__name__)


@contextmanager
def quiet_warnings() -> Iterator[None]:
    """matplotlib's warnings while drawing (a missing glyph names the character, an ESC included) to the
    log, made visible: a trainer's terminal never gets a raw control character from a participant's label."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        log.debug("matplotlib: %s", visible(warning.message))


def literal(text: str) -> str:
    """Text that matplotlib draws as it is: its mathtext parser leaves escaped dollar signs alone."""
    return text.replace("$", r"\$")

def _px(points: float) -> float:
    return points * DPI / 72


class Measure:
    """Text widths in pixels, as the Agg renderer will draw them (the same font, size and hinting), with one
    font lookup per size: matplotlib's own measuring looks the font up again for every string."""

    def __init__(self) -> None:
        self._fonts: dict[float, Any] = {}

    def _font(self, size: float) -> Any:
        if size not in self._fonts:
            from matplotlib.font_manager import findfont, get_font

            font = get_font(findfont(FontProperties(size=size)))
            font.set_size(size, DPI)
            self._fonts[size] = font
        return self._fonts[size]

    def width(self, text: str, size: float) -> float:
        from matplotlib.backends.backend_agg import get_hinting_flag

        font = self._font(size)
        widths = [0.0]
        for line in text.split("\n"):
            if line:
                with quiet_warnings():
                    font.set_text(line, 0.0, flags=get_hinting_flag())
                widths.append(font.get_width_height()[0] / 64)
        return max(widths)


def _wrap(measure: Measure, text: str, size: float, width: float) -> str:
    """`text` broken at spaces into lines no wider than `width` pixels."""
    def fits(line: str) -> bool:
        return measure.width(line, size) <= width

    lines: list[str] = []
    for word in text.split():
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while not fits(word):  # a word longer than a line (a long name, CJK): broken between characters
            n = _longest_fitting(fits, word)
            lines.append(word[:n])
            word = word[n:]
        lines.append(word)
    return "\n".join(lines)


def _longest_fitting(fits: Callable[[str], bool], text: str) -> int:
    """How many leading characters of `text` fit (at least one: a line always moves on)."""
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if fits(text[:mid]):
            low = mid
        else:
            high = mid - 1
    return low


def fit_label(measure: Measure, text: str, size: float, width: float = LABEL_WIDTH,
              lines: int = LABEL_LINES) -> str:
    """`text` on at most `lines` lines no wider than `width` pixels: broken at a space where the line has
    one, else between characters; what does not fit is cut, and the last line ends in an ellipsis."""
    def fits(line: str) -> bool:
        return measure.width(line, size) <= width

    rest, out = " ".join(text.split()), list[str]()
    while rest and len(out) < lines:
        n = _longest_fitting(fits, rest)
        if n < len(rest) and (space := rest.rfind(" ", 0, n + 1)) > 0:
            n = space
        out.append(rest[:n].rstrip())
        rest = rest[n:].lstrip()
    if rest:
        last = out[-1]
        out[-1] = last[:_longest_fitting(lambda s: fits(s.rstrip() + ELLIPSIS), last)].rstrip() + ELLIPSIS
        if not fits(out[-1]):  # not even one character and the ellipsis: the ellipsis alone
            out[-1] = ELLIPSIS
    return "\n".join(out)


@dataclass(frozen=True)
class Frame:
    fig: Figure
    ax: Axes
    right: Any  # transform of the right-hand column: x in axes fraction (beyond 1), y in data
    layout: Layout = WIDE
    centres: tuple[float, ...] = ()  # each row's markers: y in data
    band: float = 1.0  # the height of a row's markers in data (a row, wide; under the label, narrow)
    word_at: tuple[float, ...] = ()  # narrow: y in data of each row's right-hand word (on its label's last line)
    word_x: float = 0.0  # narrow: x in figure fraction of the right-hand words' right edge
    spans: tuple[tuple[float, float], ...] = ()  # each row's top and bottom, y in data: all it draws lies within


def _legend_rows(measure: Measure, labels: list[str], width: float) -> int:
    """How many rows the legend needs to stay within `width` px (one, or one entry per row)."""
    em = _px(FONT - 1)
    entries = [2.8 * em + measure.width(label, FONT - 1) for label in labels]  # handle, pad, text
    return 1 if sum(entries) + 2 * em * (len(entries) - 1) <= width else len(entries)


def build_frame(rows: list[str], right_words: list[str], title: str, note: str, legend: tuple[str, str],
           xlim: tuple[float, float], xlabel: str, ticks: bool, handles: list[Any] | None = None,
           row: float = ROW, layout: Layout = WIDE, row_words: list[list[str]] | None = None,
           band: float = BAND) -> Frame:
    """A figure with one row per label, a column of words right of the axes (narrow: beside each label, above its
    row: `row_words` are the words a row can get), a title and a note above, and the x axis and the legend below:
    every margin measured from the texts it holds."""
    width = layout.width
    fig = Figure(figsize=(width / DPI, 4), dpi=DPI)
    FigureCanvasAgg(fig)
    measure = Measure()
    text_w = width - 2 * PAD
    title = _wrap(measure, literal(title), FONT + 3, text_w)
    note = _wrap(measure, literal(note), FONT - 2, text_w)
    xlabel = _wrap(measure, literal(xlabel), FONT - 1, text_w) if layout.labels_above else literal(xlabel)
    rows = [literal(fit_label(measure, r, FONT, layout.label_width)) for r in rows]
    handles = handles or [
        Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor=theme.INK_SOFT, linestyle="",
               markersize=10, label=literal(legend[0])),
        Line2D([], [], marker="o", color=theme.INK_SOFT, linestyle="", markersize=10, label=literal(legend[1]))]
    legend_rows = _legend_rows(measure, [h.get_label() for h in handles], text_w) if layout.labels_above else 1
    line_title, line_note, line_small = _px(FONT + 3) * 1.3, _px(FONT - 2) * 1.35, _px(FONT - 1) * 1.35
    top = PAD + line_title * (title.count("\n") + 1) + PAD / 2 + line_note * (note.count("\n") + 1) + PAD
    bottom = (PAD + line_small * 2 + PAD + (line_small + 10 if ticks else 0) + line_small * (xlabel.count("\n") + 1)
              + PAD + line_small * 1.25 * (legend_rows - 1))
    if layout.labels_above:
        left, right = float(PAD), PAD + 8.0  # a round's number may stand right of 10
        line_label = _px(FONT) * 1.25
        words = row_words or [[] for _ in rows]
        word_w = [max((measure.width(w, FONT - 1) for w in ws), default=0.0) for ws in words]
        tops, centres, word_at, lines = [], [], [], []
        y = 0.0
        for label, w in zip(rows, word_w, strict=True):
            n = label.count("\n") + 1
            last = measure.width(label.split("\n")[-1], FONT)
            own_line = w > 0 and last + WORD_GAP + w > text_w  # no room beside the label: a line of its own
            tops.append(y)
            word_at.append(y + PAD / 2 + line_label * ((n + 1 if own_line else n) - 0.5))
            lines.append(n + own_line)
            y += PAD / 2 + line_label * (n + own_line)
            centres.append(y + band / 2)
            y += band
        rows_h = max(y, band)
    else:
        left = PAD + max((measure.width(r, FONT) for r in rows), default=0.0) + TICK_PAD
        right = (PAD + max((measure.width(w, FONT - 1) for w in right_words), default=0.0)
                 + (TICK_PAD if right_words else 0))
        rows_h = row * max(len(rows), 1)
    height = top + rows_h + bottom
    fig.set_size_inches(width / DPI, height / DPI)
    ax = fig.add_axes((left / width, bottom / height, 1 - (left + right) / width, 1 - (top + bottom) / height))
    extra: dict[str, Any] = {}
    if layout.labels_above:
        beside = blended_transform_factory(fig.transFigure, ax.transData)
        ax.set_ylim(rows_h, 0)  # y in px from the top of the rows
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        for y0, label, n in zip(tops, rows, lines, strict=True):  # the label's lines hide the grid behind them
            ax.axhspan(y0, y0 + PAD / 2 + line_label * n, color="white", zorder=0.6, lw=0)
            ax.text(PAD / width, y0 + PAD / 2, label, transform=beside, fontsize=FONT, va="top", ha="left",
                    linespacing=1.1, zorder=2)
        for y0 in tops[1:]:
            ax.axhline(y0, color=theme.GRID, lw=1, zorder=0.7)
        extra = {"centres": tuple(centres), "band": band, "word_at": tuple(word_at), "word_x": 1 - PAD / width,
                 "spans": tuple(zip(tops, [*tops[1:], rows_h], strict=True))}
    else:
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks(range(len(rows)), rows, fontsize=FONT)
        extra = {"centres": tuple(float(i) for i in range(len(rows))), "band": 1.0,
                 "spans": tuple((i - 0.5, i + 0.5) for i in range(len(rows)))}
    ax.set_xlim(*xlim)
    ax.grid(axis="x", color=theme.GRID)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelsize=FONT - 1)
    ax.set_xlabel(xlabel, fontsize=FONT - 1, loc="left")
    fig.text(PAD / width, 1 - PAD / height, title, fontsize=FONT + 3, ha="left", va="top")
    fig.text(PAD / width, 1 - (PAD + line_title * (title.count("\n") + 1) + PAD / 2) / height, note,
             fontsize=FONT - 2, color=theme.INK_SOFT, ha="left", va="top")
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, PAD / height / 2),
               ncols=len(handles) if legend_rows == 1 else 1, frameon=False, fontsize=FONT - 1)
    return Frame(fig, ax, blended_transform_factory(ax.transAxes, ax.transData), layout, **extra)


def row_word(frame: Frame, y: int, text: str, **kwargs: Any) -> Any:
    """Row `y`'s right-hand word: right of the axes (wide), or right-aligned on its label's last line (narrow)."""
    if frame.layout.labels_above:
        return frame.ax.text(frame.word_x, frame.word_at[y], text, va="center", ha="right", fontsize=FONT - 1,
                             clip_on=False, zorder=2,
                             transform=blended_transform_factory(frame.fig.transFigure, frame.ax.transData), **kwargs)
    return frame.ax.text(right_x(frame), y, text, transform=frame.right, va="center", fontsize=FONT - 1,
                         clip_on=False, **kwargs)


def right_x(frame: Frame) -> float:
    """Where the right-hand column starts, in the axes' fraction (just right of the axes)."""
    return 1 + TICK_PAD / (frame.ax.get_position().width * frame.layout.width)
