"""matplotlib focus-shift charts: the guide's shift, a participant's own, a cohort's and hers over time.

Figures are built with the object API (no pyplot): no global state, nothing stacks up between redraws.
Meaning is carried by markers, arrows and text labels, never by colour alone (colours: lederkurs.theme).
Each is drawn on a frame (charts/frame.py: rows, scale, titles and legend, measured from their texts) in a
participant's two layouts (charts/layout.py), which the page picks by the screen's width (reports/html.chart).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, get_args

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import theme
from ..course.content import Course
from ..course.messages import msg
from ..text import visible
from .frame import BAND, FONT, ROW, Frame, build_frame, literal, quiet_warnings, row_word
from .layout import WIDE, Layout
from .points import CohortArea, FocusPoint, Verdict, join
from .rounds import OverTime, key_line


def area_label(label: str, direction: str | None, lang: str) -> str:
    """A row's label as a person reads it, made visible (not yet fitted or escaped for matplotlib)."""
    return f"{label} {msg(lang, 'chart_dir_' + direction)}" if direction else visible(label)


def arrow(ax: Axes, y: float, start: float, end: float, colour: str, animated: bool = False) -> Any:
    return ax.annotate("", xy=(end, y), xytext=(start, y), animated=animated,
                       arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.2, "mutation_scale": 18,
                                   "shrinkA": 6, "shrinkB": 4})


def guide_figure(course: Course) -> Figure:
    """The guide's shift: each area from 'leder for medarbeidere' to 'leder for ledere', with its direction."""
    lang, areas = course.lang, course.focus_areas
    words = {d: literal(msg(lang, "chart_guide_" + d)) for d in ("more", "less")}
    frame = build_frame([area_label(a.label, a.direction, lang) for a in areas], list(words.values()),
                   msg(lang, "chart_guide_title"), guide_caption(course),
                   (msg(lang, "chart_guide_before"), msg(lang, "chart_guide_now")), (0, 11),
                   msg(lang, "chart_guide_axis"), ticks=False)
    ax = frame.ax
    ax.set_xticks([])
    for y, a in enumerate(areas):
        start, end = (3, 8) if a.direction == "more" else (8, 3)
        colour = theme.CHART[a.direction]
        ax.plot([start], [y], "o", markerfacecolor="white", markeredgecolor=colour, markersize=11)
        ax.plot([end], [y], "o", color=colour, markersize=11)
        arrow(ax, y, start, end, colour)
        row_word(frame, y, words[a.direction], color=theme.INK)
    return frame.fig


def guide_caption(course: Course) -> str:
    """The guide chart's caption: not DFØ's illustration, and which areas rest on the guide's description of
    that illustration and which on its text (content/course.yml: rests_on)."""
    def labels(rests_on: str) -> str:
        return join([a.label for a in course.focus_areas if a.rests_on == rests_on], course.lang)

    return msg(course.lang, "chart_guide_caption", illustration=labels("illustration"), text=labels("text"))


def guide_alt(course: Course) -> str:
    """The guide chart's text alternative."""
    areas = course.focus_areas
    return msg(course.lang, "chart_guide_alt", more=", ".join(a.label for a in areas if a.direction == "more"),
               less=", ".join(a.label for a in areas if a.direction == "less"))


VERDICTS = get_args(Verdict)  # the right-hand column has room for each


GUIDE_VERDICTS: tuple[Verdict, ...] = ("with", "against", "unchanged", "missing")  # an area with a direction
OWN_VERDICTS: tuple[Verdict, ...] = ("own_up", "own_down", "unchanged", "missing")  # her own area


def points_frame(points: list[FocusPoint], lang: str, layout: Layout = WIDE) -> Frame:
    """A participant's chart without its markers: the rows, the scale, the titles, the legend, and room for any
    verdict (right of the scale, wide; beside each label, for the verdicts its row can get, narrow)."""
    def words(verdicts: tuple[Verdict, ...]) -> list[str]:
        return [literal(msg(lang, "chart_verdict_" + v)) for v in verdicts]

    frame = build_frame([area_label(p.label, p.direction, lang) for p in points], words(VERDICTS),
                   msg(lang, "chart_self_title"), msg(lang, "chart_legend_direction"),
                   (msg(lang, "chart_before"), msg(lang, "chart_now")), (-0.5, 10.5),
                   msg(lang, "chart_self_axis"), ticks=True, layout=layout,
                   row_words=[words(GUIDE_VERDICTS if p.direction else OWN_VERDICTS) for p in points])
    frame.ax.set_xticks(range(0, 11, 2))
    return frame


def draw_points(frame: Frame, points: list[FocusPoint], lang: str, animated: bool = False) -> list[Any]:
    """Markers, arrows and verdicts: each area marked with, against or beside the guide."""
    return [artist for i, p in enumerate(points) for artist in draw_point(frame, i, p, lang, animated)]


def draw_point(frame: Frame, i: int, p: FocusPoint, lang: str, animated: bool = False) -> list[Any]:
    """Row `i`'s markers, arrow and verdict, all within the row's span (frame.spans)."""
    ax = frame.ax
    artists: list[Any] = []
    y = frame.centres[i]
    verdict = p.verdict
    colour = theme.CHART[verdict]
    if p.before is not None:
        artists += ax.plot([p.before], [y], "o", markerfacecolor="white", markeredgecolor=colour,
                           markersize=11, markeredgewidth=2, animated=animated)
    if p.now is not None:
        artists += ax.plot([p.now], [y], "o", color=colour, markersize=11, animated=animated)
    if p.before is not None and p.now is not None and verdict != "unchanged":
        artists.append(arrow(ax, y, p.before, p.now, colour, animated))
    artists.append(row_word(frame, i, literal(msg(lang, "chart_verdict_" + verdict)), animated=animated,
                         color=colour if verdict != "missing" else theme.MUTED))
    return artists


def points_figure(points: list[FocusPoint], lang: str, layout: Layout = WIDE) -> Figure:
    """A participant's own before/now per area."""
    frame = points_frame(points, lang, layout)
    draw_points(frame, points, lang)
    return frame.fig


def cohort_figure(areas: list[CohortArea], n: int, lang: str) -> Figure:
    """A cohort: median before and now per area, the middle half as a bar, n per area."""
    frame = build_frame([f"{area_label(a.label, a.direction, lang)} (n={a.n})" for a in areas], [],
                   msg(lang, "chart_cohort_title", n=n), msg(lang, "chart_legend_direction"),
                   (msg(lang, "chart_before"), msg(lang, "chart_now")), (-0.5, 10.5),
                   msg(lang, "chart_cohort_axis"), ticks=True)
    ax = frame.ax
    ax.set_xticks(range(0, 11, 2))
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
    return frame.fig


SERIES_PX = 16  # px per line in an area's row of the chart over time: before, each round, the goal


def over_time_figure(data: OverTime, lang: str, layout: Layout = WIDE) -> Figure:
    """Per area, in order from top to bottom of its row: where she came from (open circle), where she put herself
    in each round (a square with the round's number beside it), and her goal (a star), joined by a thin line.
    Shapes and numbers carry the meaning, so it reads in black and white; the colour only echoes the guide's
    direction (↑/↓ after the area's name)."""
    lines = len(data.rounds) + 2
    row = max(ROW, SERIES_PX * lines)
    handles = [Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor=theme.INK, linestyle="",
                      markersize=10, label=literal(msg(lang, "chart_before"))),
               Line2D([], [], marker="s", color=theme.INK, linestyle="", markersize=9,
                      label=literal(msg(lang, "chart_time_round_legend"))),
               Line2D([], [], marker="*", color=theme.INK, linestyle="", markersize=14,
                      label=literal(msg(lang, "chart_time_goal")))]
    note = " ".join(filter(None, [key_line(data, lang), msg(lang, "chart_legend_direction")]))
    frame = build_frame([area_label(a.label, a.direction, lang) for a in data.areas], [],
                   msg(lang, "chart_time_title"), note, ("", ""), (-0.5, 10.5), msg(lang, "chart_self_axis"),
                   ticks=True, handles=handles, row=row, layout=layout, band=max(BAND, SERIES_PX * lines))
    ax = frame.ax
    ax.set_xticks(range(0, 11, 2))
    step = 0.8 * frame.band / max(lines - 1, 1)
    if not layout.labels_above:  # the narrow frame draws its own lines between rows
        for top, _bottom in frame.spans[1:]:  # between one row and the next
            ax.axhline(top, color=theme.GRID, lw=1)
    for n, a in enumerate(data.areas):
        y = frame.centres[n]
        colour = theme.CHART[a.direction] if a.direction else theme.CHART["own_up"]
        offsets = [y - 0.4 * frame.band + i * step for i in range(lines)]
        path: list[tuple[float, float]] = []
        if a.before is not None:
            ax.plot([a.before], [offsets[0]], "o", markerfacecolor="white", markeredgecolor=colour, markersize=9,
                    markeredgewidth=2)
            path.append((a.before, offsets[0]))
        for i, (info, value) in enumerate(zip(data.rounds, a.nows, strict=True)):
            if value is None:
                continue
            dy = offsets[i + 1]
            ax.plot([value], [dy], "s", color=colour, markersize=8)
            ax.text(value + 0.22, dy, str(info.number), va="center", ha="left", fontsize=FONT - 3, color=theme.INK)
            path.append((value, dy))
        if a.goal is not None:
            ax.plot([a.goal], [offsets[-1]], "*", color=colour, markersize=13, markeredgecolor=theme.INK,
                    markeredgewidth=0.6)
            path.append((a.goal, offsets[-1]))
        if len(path) > 1:
            ax.plot([x for x, _ in path], [v for _, v in path], color=theme.INK_SOFT, lw=1, ls=":", zorder=1)
    return frame.fig


def encode(canvas: Any) -> bytes:
    """The canvas's pixels as PNG: opaque (the figure's background is white), so RGB at a fast zlib level."""
    from PIL import Image

    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


def to_png(fig: Figure) -> bytes:
    with quiet_warnings():
        fig.canvas.draw()
    return encode(fig.canvas)


def to_svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with quiet_warnings():
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
