"""matplotlib focus-shift charts: the guide's shift, a participant's own, and a cohort's.

Figures are built with the object API (no pyplot): no global state, nothing stacks up between redraws.
Meaning is carried by markers, arrows and text labels, never by colour alone; the palette is Okabe–Ito.
"""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .answers import AnswersFile
from .content import Course
from .focus import CohortArea, FocusPoint, cohort, focus_points
from .messages import msg

# Okabe–Ito colours, safe for the common colour-vision deficiencies.
COLOURS = {"with": "#0072B2", "against": "#D55E00", "unchanged": "#555555", "missing": "#999999",
           "own_up": "#CC79A7", "own_down": "#CC79A7", "more": "#0072B2", "less": "#D55E00"}
FONT = 13
WIDTH = 10.0  # inches at 100 dpi: a 1000 px wide notebook


def _figure(rows: int) -> Figure:
    fig = Figure(figsize=(WIDTH, 1.6 + 0.55 * max(rows, 1)), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _area_label(label: str, direction: str | None, lang: str) -> str:
    return f"{label} {msg(lang, 'chart_dir_' + direction)}" if direction else label


def _arrow(ax, y: float, start: float, end: float, colour: str) -> None:
    ax.annotate("", xy=(end, y), xytext=(start, y),
                arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.2, "mutation_scale": 18,
                            "shrinkA": 6, "shrinkB": 4})


def _rows_axes(fig: Figure, labels: list[str], xlim: tuple[float, float]):
    ax = fig.add_subplot()
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_yticks(range(len(labels)), labels, fontsize=FONT)
    ax.set_xlim(*xlim)
    ax.grid(axis="x", color="#dddddd")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelsize=FONT - 1)
    return ax


def _titles_and_legend(fig: Figure, ax, lang: str, title: str, note: str, guide: bool = False) -> None:
    """Title with a one-line note under it (direction arrows, source); markers explained below the chart."""
    fig.suptitle(title, fontsize=FONT + 3, x=0.01, ha="left")
    ax.set_title(note, fontsize=FONT - 2, color="#333333", loc="left")
    handles = [
        Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor="#333333", linestyle="",
               markersize=10, label=msg(lang, "chart_guide_before" if guide else "chart_before")),
        Line2D([], [], marker="o", color="#333333", linestyle="", markersize=10,
               label=msg(lang, "chart_guide_now" if guide else "chart_now")),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False, fontsize=FONT - 1)


def guide_figure(course: Course) -> Figure:
    """The guide's shift: each area from 'leder for medarbeidere' to 'leder for ledere', with its direction."""
    lang, areas = course.lang, course.focus_areas
    fig = _figure(len(areas))
    ax = _rows_axes(fig, [_area_label(a.label, a.direction, lang) for a in areas], (0, 12.5))
    ax.set_xticks([])
    ax.set_xlabel(msg(lang, "chart_guide_axis"), fontsize=FONT - 1)
    for y, a in enumerate(areas):
        start, end = (3, 8) if a.direction == "more" else (8, 3)
        colour = COLOURS[a.direction]
        ax.plot([start], [y], "o", markerfacecolor="white", markeredgecolor=colour, markersize=11)
        ax.plot([end], [y], "o", color=colour, markersize=11)
        _arrow(ax, y, start, end, colour)
        ax.text(9.0, y, msg(lang, "chart_guide_" + a.direction), va="center", fontsize=FONT - 1, color="#222222")
    _titles_and_legend(fig, ax, lang, msg(lang, "chart_guide_title"), msg(lang, "chart_guide_caption"), guide=True)
    return fig


def guide_alt(course: Course) -> str:
    """The guide chart's text alternative."""
    areas = course.focus_areas
    return msg(course.lang, "chart_guide_alt", more=", ".join(a.label for a in areas if a.direction == "more"),
               less=", ".join(a.label for a in areas if a.direction == "less"))


def participant_figure(course: Course, doc: AnswersFile) -> Figure:
    return points_figure(focus_points(course, doc), course.lang)


def _points_axes(fig: Figure, points: list[FocusPoint], lang: str):
    """The parts of a participant's chart that stay when a slider moves: rows, scale, title, legend."""
    ax = _rows_axes(fig, [_area_label(p.label, p.direction, lang) for p in points], (-0.5, 17))
    ax.set_xticks(range(0, 11, 2))
    ax.spines["bottom"].set_bounds(0, 10)
    ax.set_xlabel(msg(lang, "chart_self_axis"), fontsize=FONT - 1, loc="left")
    _titles_and_legend(fig, ax, lang, msg(lang, "chart_self_title"), msg(lang, "chart_legend_direction"))
    return ax


def _draw_points(ax, points: list[FocusPoint], lang: str, animated: bool = False) -> list:
    """Markers, arrows and verdicts: each area marked with, against or beside the guide."""
    artists = []
    for y, p in enumerate(points):
        verdict = p.verdict
        colour = COLOURS[verdict]
        if p.before is not None:
            artists += ax.plot([p.before], [y], "o", markerfacecolor="white", markeredgecolor=colour,
                               markersize=11, markeredgewidth=2, animated=animated)
        if p.now is not None:
            artists += ax.plot([p.now], [y], "o", color=colour, markersize=11, animated=animated)
        if verdict not in ("missing", "unchanged"):
            artists.append(ax.annotate("", xy=(p.now, y), xytext=(p.before, y), animated=animated,
                                       arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.2,
                                                   "mutation_scale": 18, "shrinkA": 6, "shrinkB": 4}))
        artists.append(ax.text(10.8, y, msg(lang, "chart_verdict_" + verdict), va="center", fontsize=FONT - 1,
                               color=colour if verdict != "missing" else "#555555", animated=animated))
    return artists


def points_figure(points: list[FocusPoint], lang: str) -> Figure:
    """A participant's own before/now per area."""
    fig = _figure(len(points))
    _draw_points(_points_axes(fig, points, lang), points, lang)
    return fig


class LiveChart:
    """A participant's chart redrawn in place as sliders move.

    The frame (rows, scale, legend) is drawn once and cached as pixels; a redraw paints only the markers,
    arrows and verdicts over it. That keeps a redraw well under the 150 ms a slider can wait.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._rows: tuple | None = None

    def _frame(self, points: list[FocusPoint]) -> None:
        self.fig = _figure(len(points))
        self.ax = _points_axes(self.fig, points, self.lang)
        self.fig.canvas.draw()  # lays the frame out once; later redraws reuse that layout
        self.fig.set_layout_engine("none")
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self._rows = tuple((p.id, p.label, p.direction) for p in points)

    def png(self, points: list[FocusPoint]) -> bytes:
        if self._rows != tuple((p.id, p.label, p.direction) for p in points):
            self._frame(points)
        canvas = self.fig.canvas
        canvas.restore_region(self._background)
        artists = _draw_points(self.ax, points, self.lang, animated=True)
        for artist in artists:
            self.fig.draw_artist(artist)
        for artist in artists:
            artist.remove()
        from PIL import Image

        width, height = canvas.get_width_height()
        buf = io.BytesIO()
        Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(
            buf, format="png", compress_level=1)
        return buf.getvalue()


def cohort_figure(course: Course, docs: list[AnswersFile]) -> Figure:
    """The cohort: median before and now per area, the middle half as a bar, n participants."""
    lang = course.lang
    areas: list[CohortArea] = cohort(course, docs)
    n = len(docs)
    fig = _figure(len(areas))
    ax = _rows_axes(fig, [f"{_area_label(a.label, a.direction, lang)} (n={a.n})" for a in areas], (-0.5, 10.5))
    ax.set_xticks(range(0, 11, 2))
    ax.set_xlabel(msg(lang, "chart_cohort_axis"), fontsize=FONT - 1)
    for y, a in enumerate(areas):
        if a.before_median is None or a.now_median is None:
            continue
        colour = COLOURS[a.direction]
        for quartiles, dy, fill in ((a.before_quartiles, -0.15, "white"), (a.now_quartiles, 0.15, colour)):
            ax.plot(list(quartiles), [y + dy] * 2, color=colour, lw=5, alpha=0.35, solid_capstyle="butt")
        ax.plot([a.before_median], [y - 0.15], "o", markerfacecolor="white", markeredgecolor=colour,
                markersize=10, markeredgewidth=2)
        ax.plot([a.now_median], [y + 0.15], "o", color=colour, markersize=10)
        if a.before_median != a.now_median:
            _arrow(ax, y, a.before_median, a.now_median, colour)
    _titles_and_legend(fig, ax, lang, msg(lang, "chart_cohort_title", n=n), msg(lang, "chart_legend_direction"))
    return fig


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
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


