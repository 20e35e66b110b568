"""matplotlib focus-shift charts: the guide's shift, a participant's own, and a cohort's.

Figures are built with the object API (no pyplot): no global state, nothing stacks up between redraws.
Meaning is carried by markers, arrows and text labels, never by colour alone (colours: lederkurs.theme).
Every text is drawn literally: a participant's "$x$" is two dollar signs, not mathematics.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import theme
from ..course.content import Course
from ..course.messages import msg
from .points import CohortArea, FocusPoint

FONT = 13
WIDTH = 10.0  # inches at 100 dpi: a 1000 px wide notebook
DPI = 100
VERDICT_X = 10.8  # where a participant chart's verdict column starts (data units; the scale ends at 10)


def literal(text: str) -> str:
    """Text that matplotlib draws as it is: its mathtext parser leaves escaped dollar signs alone."""
    return text.replace("$", r"\$")


def _wrapped(text: str, fontsize: float, share: float = 1.0) -> str:
    """`text` broken into lines that fit `share` of the figure's width (about 0.55 em per character)."""
    chars = max(20, int(WIDTH * DPI * share / (fontsize * 0.62)))
    return "\n".join(textwrap.wrap(literal(text), chars)) or literal(text)


def _figure(rows: int, extra_lines: int = 0) -> Figure:
    fig = Figure(figsize=(WIDTH, 1.6 + 0.55 * max(rows, 1) + 0.25 * extra_lines), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def area_label(label: str, direction: str | None, lang: str) -> str:
    return literal(f"{label} {msg(lang, 'chart_dir_' + direction)}" if direction else label)


def arrow(ax: Axes, y: float, start: float, end: float, colour: str, animated: bool = False) -> Any:
    return ax.annotate("", xy=(end, y), xytext=(start, y), animated=animated,
                       arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.2, "mutation_scale": 18,
                                   "shrinkA": 6, "shrinkB": 4})


def _rows_axes(fig: Figure, labels: list[str], xlim: tuple[float, float]) -> Axes:
    ax = fig.add_subplot()
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_yticks(range(len(labels)), labels, fontsize=FONT)
    ax.set_xlim(*xlim)
    ax.grid(axis="x", color=theme.GRID)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelsize=FONT - 1)
    return ax


def _titles_and_legend(fig: Figure, ax: Axes, lang: str, title: str, note: str, guide: bool = False) -> None:
    """Title with a note under it (direction arrows, source), wrapped to fit; markers explained below."""
    fig.suptitle(_wrapped(title, FONT + 3), fontsize=FONT + 3, x=0.01, ha="left")
    ax.set_title(_wrapped(note, FONT - 2, share=0.75), fontsize=FONT - 2, color=theme.INK_SOFT, loc="left")
    handles = [
        Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor=theme.INK_SOFT, linestyle="",
               markersize=10, label=literal(msg(lang, "chart_guide_before" if guide else "chart_before"))),
        Line2D([], [], marker="o", color=theme.INK_SOFT, linestyle="", markersize=10,
               label=literal(msg(lang, "chart_guide_now" if guide else "chart_now"))),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False, fontsize=FONT - 1)


def _note_lines(note: str, size: float = FONT - 2) -> int:
    return _wrapped(note, size, share=0.75).count("\n")


def guide_figure(course: Course) -> Figure:
    """The guide's shift: each area from 'leder for medarbeidere' to 'leder for ledere', with its direction."""
    lang, areas = course.lang, course.focus_areas
    caption = msg(lang, "chart_guide_caption")
    fig = _figure(len(areas), _note_lines(caption))
    ax = _rows_axes(fig, [area_label(a.label, a.direction, lang) for a in areas], (0, 12.5))
    ax.set_xticks([])
    ax.set_xlabel(literal(msg(lang, "chart_guide_axis")), fontsize=FONT - 1)
    for y, a in enumerate(areas):
        start, end = (3, 8) if a.direction == "more" else (8, 3)
        colour = theme.CHART[a.direction]
        ax.plot([start], [y], "o", markerfacecolor="white", markeredgecolor=colour, markersize=11)
        ax.plot([end], [y], "o", color=colour, markersize=11)
        arrow(ax, y, start, end, colour)
        ax.text(9.0, y, literal(msg(lang, "chart_guide_" + a.direction)), va="center", fontsize=FONT - 1,
                color=theme.INK)
    _titles_and_legend(fig, ax, lang, msg(lang, "chart_guide_title"), caption, guide=True)
    return fig


def guide_alt(course: Course) -> str:
    """The guide chart's text alternative."""
    areas = course.focus_areas
    return msg(course.lang, "chart_guide_alt", more=", ".join(a.label for a in areas if a.direction == "more"),
               less=", ".join(a.label for a in areas if a.direction == "less"))


def _points_axes(fig: Figure, points: list[FocusPoint], lang: str) -> Axes:
    """The parts of a participant's chart that stay when a slider moves: rows, scale, title, legend."""
    ax = _rows_axes(fig, [area_label(p.label, p.direction, lang) for p in points], (-0.5, 17))
    ax.set_xticks(range(0, 11, 2))
    ax.spines["bottom"].set_bounds(0, 10)
    ax.set_xlabel(literal(msg(lang, "chart_self_axis")), fontsize=FONT - 1, loc="left")
    _titles_and_legend(fig, ax, lang, msg(lang, "chart_self_title"), msg(lang, "chart_legend_direction"))
    return ax


def draw_points(ax: Axes, points: list[FocusPoint], lang: str, animated: bool = False) -> list[Any]:
    """Markers, arrows and verdicts: each area marked with, against or beside the guide."""
    artists: list[Any] = []
    for y, p in enumerate(points):
        verdict = p.verdict
        colour = theme.CHART[verdict]
        if p.before is not None:
            artists += ax.plot([p.before], [y], "o", markerfacecolor="white", markeredgecolor=colour,
                               markersize=11, markeredgewidth=2, animated=animated)
        if p.now is not None:
            artists += ax.plot([p.now], [y], "o", color=colour, markersize=11, animated=animated)
        if p.before is not None and p.now is not None and verdict != "unchanged":
            artists.append(arrow(ax, y, p.before, p.now, colour, animated))
        artists.append(ax.text(VERDICT_X, y, literal(msg(lang, "chart_verdict_" + verdict)), va="center",
                               fontsize=FONT - 1, color=colour if verdict != "missing" else theme.MUTED,
                               animated=animated))
    return artists


def points_figure_frame(points: list[FocusPoint], lang: str) -> tuple[Figure, Axes]:
    """A participant's chart without its markers: the rows, the scale, the titles and the legend."""
    fig = _figure(len(points), _note_lines(msg(lang, "chart_legend_direction")))
    return fig, _points_axes(fig, points, lang)


def points_figure(points: list[FocusPoint], lang: str) -> Figure:
    """A participant's own before/now per area."""
    fig, ax = points_figure_frame(points, lang)
    draw_points(ax, points, lang)
    return fig


def cohort_figure(areas: list[CohortArea], n: int, lang: str) -> Figure:
    """A cohort: median before and now per area, the middle half as a bar, n per area."""
    note = msg(lang, "chart_legend_direction")
    fig = _figure(len(areas), _note_lines(note))
    ax = _rows_axes(fig, [f"{area_label(a.label, a.direction, lang)} (n={a.n})" for a in areas], (-0.5, 10.5))
    ax.set_xticks(range(0, 11, 2))
    ax.set_xlabel(literal(msg(lang, "chart_cohort_axis")), fontsize=FONT - 1)
    for y, a in enumerate(areas):
        if a.before_median is None or a.now_median is None or not a.before_quartiles or not a.now_quartiles:
            continue
        colour = theme.CHART[a.direction]
        for quartiles, dy in ((a.before_quartiles, -0.15), (a.now_quartiles, 0.15)):
            ax.plot(list(quartiles), [y + dy] * 2, color=colour, lw=5, alpha=0.35, solid_capstyle="butt")
        ax.plot([a.before_median], [y - 0.15], "o", markerfacecolor="white", markeredgecolor=colour,
                markersize=10, markeredgewidth=2)
        ax.plot([a.now_median], [y + 0.15], "o", color=colour, markersize=10)
        if a.verdict != "unchanged":
            arrow(ax, y, a.before_median, a.now_median, colour)
    _titles_and_legend(fig, ax, lang, msg(lang, "chart_cohort_title", n=n), note)
    return fig


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def to_svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def save(fig: Figure, base: Path) -> list[Path]:
    """Write `base`.png and `base`.svg; return both paths."""
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, data in ((".png", to_png(fig)), (".svg", to_svg(fig))):
        path = base.with_suffix(suffix)
        path.write_bytes(data)
        written.append(path)
    return written
