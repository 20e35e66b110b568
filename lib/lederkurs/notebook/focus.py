"""Sliders for the focus areas, bound to the answer store, with the participant's chart redrawn in place."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import ipywidgets as w
from markupsafe import Markup

from ..answers.model import MAX_LABEL, MAX_OWN_AREAS, free_own_area_id, label_fits
from ..answers.store import AnswerStore
from ..charts.layout import LAYOUTS
from ..charts.png import keep, kept, points_key
from ..charts.points import FocusPoint, describe, focus_points
from ..course.content import Course
from ..course.messages import msg
from ..errors import LederkursError
from ..reports import html
from ..text import visible
from . import workshop
from .area_row import AreaRow
from .autosave import Debouncer
from .idle import when_idle
from .widgets import Shared, initial_status, save_failed, saved_status, say, status_line


def _auto_width(shared: Shared) -> w.Layout:
    return shared.get("auto_width", lambda: w.Layout(width="auto"))


class FocusRow(AreaRow):
    """One area: its name, the «before», «now» and «in a year» sliders, and a status; saves like an answer box."""

    def __init__(self, point: FocusPoint, panel: FocusPanel, stamp: str = "", goal: int | None = None) -> None:
        self.point, self.panel = point, panel
        lang = panel.lang
        labels = [msg(lang, key) for key in ("slider_before", "slider_now", "goal_slider")]
        name = visible(point.label)
        is_set = point.before is not None or point.now is not None
        own = point.direction is None  # her own area, which she can remove
        # Each slider is its own answer: one left untouched stays None (not saved, not drawn, not counted). The
        # goal («om et år») belongs to the file, not to a round: one per area, in every round.
        super().__init__(
            title=name + (f" {msg(lang, 'chart_dir_' + point.direction)}" if point.direction else ""),
            labels=labels, names=[f"{name} – {label}" for label in labels],
            unset_text=msg(lang, "slider_unset"), before=point.before, now=point.now, goal=goal,
            status=initial_status(lang, stamp, is_set, "slider_row_unset"),
            remove_text=msg(lang, "own_area_remove") if own else "",
            remove_name=msg(lang, "own_area_remove_name", label=name) if own else "",
            layout=panel.shared.layout)
        self._saver = Debouncer(self._save)
        self.observe(self._moved, names=["before", "now"])
        self._goal_saver = Debouncer(self._save_goal)
        self.observe(self._goal_moved, names="goal")
        self.on_msg(self._message)

    def _message(self, _widget: w.Widget, content: dict[str, Any], _buffers: Any) -> None:
        if content == {"event": "remove"} and self.point.direction is None:
            self.panel.remove_area(self)

    def _moved(self, _change: dict) -> None:
        self.status = status_line(msg(self.panel.lang, "status_saving"))
        self._saver.touch()
        workshop.positions_changed(self.panel.points)  # a live workshop she joined: handed over, never waited on
        self.panel.redraw()

    def _goal_moved(self, _change: dict) -> None:
        self.status = status_line(msg(self.panel.lang, "status_saving"))
        self._goal_saver.touch()

    def _save_goal(self) -> None:
        if self.goal is not None:
            area, goal = self.point.id, self.goal
            self.status = saved_status(self.panel.lang, lambda: self.panel.store.set_goal(area, goal))
        self.panel.redraw_time()

    @property
    def current(self) -> FocusPoint:
        p = self.point
        return FocusPoint(p.id, p.label, p.direction, self.before, self.now)

    def _save(self) -> None:
        point = self.current
        self.status = saved_status(self.panel.lang, lambda: self.panel.store.set_focus(
            point.id, point.before, point.now, point.label if point.direction is None else None))
        self.panel.redraw_time()

    def flush(self) -> None:
        self._saver.flush()
        self._goal_saver.flush()


class FocusPanel(w.VBox):
    """All focus areas with sliders, a field to add one's own, and the live before/after chart."""

    def __init__(self, course: Course, store: AnswerStore, lang: str, shared: Shared) -> None:
        self.course, self.store, self.lang, self.shared = course, store, lang, shared
        doc = store.load()
        self.rows_box = w.VBox([FocusRow(p, self, doc.focus[p.id].updated if p.id in doc.focus else "",
                                         doc.goals[p.id].value if p.id in doc.goals else None)
                                for p in focus_points(course, doc)], layout=shared.layout)
        # The label reaches the kernel when the field is left (Tab, Enter, a click on the button), whole: sent
        # while typing, its last letters could arrive after the button's click and be cut off.
        self.new_label = w.Text(placeholder=msg(lang, "own_area_placeholder"),
                                description=msg(lang, "own_area_label"), layout=w.Layout(width="32em"),
                                style={"description_width": "initial"}, continuous_update=False)
        add = w.Button(description=msg(lang, "own_area_add"), icon="plus", layout=_auto_width(shared))
        add.on_click(lambda _b: self.add_area(self.new_label.value))
        self._enter = False
        self.new_label.on_msg(self._label_message)
        self.new_label.observe(self._label_changed, names="value")
        self.add_status = shared.html()
        self.undo_box = w.HBox(layout=shared.layout)  # «"X" er fjernet. [Angre]» after a removal
        self.chart_view = shared.html(classes=("lk-chart",))
        save = w.Button(description=msg(lang, "chart_save"), icon="download", layout=_auto_width(shared))
        save.on_click(lambda _b: self.save_chart())
        self.save_status = shared.html()
        self._live: Any = None  # a LiveChart per layout (wide, narrow), made when first needed (it brings matplotlib)
        self._live_lock = threading.Lock()
        self.time_view = shared.html(classes=("lk-chart",))  # the chart over time: rounds and goal, per area
        super().__init__([shared.html(html.fragment("heading", msg(lang, "focus_heading"), 3)), self.rows_box,
                          w.HBox([self.new_label, add], layout=shared.layout), self.add_status, self.undo_box,
                          self.chart_view, w.HBox([save], layout=shared.layout), self.save_status,
                          self.time_view], layout=shared.layout)
        self._first_draw()

    def redraw_time(self) -> None:
        """The chart over time from the saved file (after each save; drawn whole, off the slider's path)."""
        with self._live_lock:
            self.time_view.value = html.time_chart(self.course, self.store.load())

    @property
    def rows(self) -> list[FocusRow]:
        return list(self.rows_box.children)

    def points(self) -> list[FocusPoint]:
        return [row.current for row in self.rows]

    def _live_pngs(self, points: list[FocusPoint]) -> list[bytes]:
        """The chart in each layout (charts/layout.LAYOUTS: wide, then narrow), kept for notebook 09."""
        with self._live_lock:  # slider events and the warm-up thread share the figures
            pngs = [live.png(points) for live in self._live_charts()]
        for layout, png in zip(LAYOUTS, pngs, strict=True):
            keep(points_key(points, self.lang, layout), png)  # notebook 09 shows this chart for the same answers
        return pngs

    def _live_charts(self) -> Any:
        if self._live is None:
            from ..charts.live import LiveChart

            self._live = [LiveChart(self.lang, layout) for layout in LAYOUTS]
        return self._live

    def redraw(self) -> None:
        points = self.points()
        wide, narrow = self._live_pngs(points)
        self.chart_view.value = html.chart(wide, describe(points, self.lang), narrow)

    def _first_draw(self) -> None:
        """The chart as the panel opens, without waiting for matplotlib where that can be helped: nothing
        placed yet gives the sentence alone (a picture of nothing tells her nothing), and answers drawn before
        come from the participant's cache. Then, once the notebook's cells have run (notebook/idle.py), matplotlib
        is loaded and the chart's frame drawn in the background, while she reads, so the first slider move
        redraws as fast as the others."""
        points = self.points()
        placed = any(p.before is not None or p.now is not None for p in points)
        shown = [kept(points_key(points, self.lang, layout)) for layout in LAYOUTS] if placed else [None, None]
        if placed and None in shown:
            self.redraw()
        else:
            self.chart_view.value = html.chart(shown[0], describe(points, self.lang), shown[1])

        # The chart over time is drawn before the cell ends: Voilà can lose a widget change a thread makes
        # before the page has connected (only a file with rounds or a goal has one).
        self.redraw_time()
        if self._live is None:
            when_idle(lambda: self._warm_up(points))

    def _warm_up(self, points: list[FocusPoint]) -> None:
        """Loads matplotlib and draws the frame; changes no widget (see _first_draw)."""
        with self._live_lock:
            for live in self._live_charts():
                live.png(points)

    def _label_message(self, _widget: w.Widget, content: dict[str, Any], _buffers: Any) -> None:
        """Enter in «Eget område» adds the area. The browser sends Enter before the field's new value (which
        comes with the field's change event right after it); a value the kernel has already (the field was left
        and came back to unchanged) brings no change event, so it is added at once."""
        if content.get("event") != "submit":
            return
        if self.new_label.value.strip():
            self.add_area(self.new_label.value)
        else:
            self._enter = True

    def _label_changed(self, change: dict[str, Any]) -> None:
        if self._enter and change["new"].strip():
            self._enter = False
            self.add_area(change["new"])

    def add_area(self, label: str) -> FocusRow | None:
        self._enter = False
        label = label.strip()
        if not label_fits(label):
            say(self.add_status, msg(self.lang, "own_area_invalid", limit=MAX_LABEL), alert=True)
            return None
        saved = self.store.load().focus
        own = {row.point.id for row in self.rows if row.point.direction is None}
        if len(own | {k for k, r in saved.items() if r.label}) >= MAX_OWN_AREAS:
            say(self.add_status, msg(self.lang, "own_area_limit", limit=MAX_OWN_AREAS), alert=True)
            return None
        point = FocusPoint(free_own_area_id({row.point.id for row in self.rows} | set(saved)),
                           label, None, None, None)
        try:
            stamp = self.store.set_focus(point.id, None, None, label)
        except LederkursError as e:
            say(self.add_status, save_failed(self.lang, e), alert=True)
            return None
        row = FocusRow(point, self, stamp)
        self.rows_box.children = (*self.rows, row)
        self.new_label.value, self.add_status.value, self.undo_box.children = "", "", ()
        self.redraw()
        return row

    def remove_area(self, row: FocusRow) -> None:
        """Removes an own area at once, and offers it back («Angre») until the next area is added or removed."""
        row.flush()
        try:
            self.store.remove_focus(row.point.id)
        except LederkursError as e:
            row.status = status_line(save_failed(self.lang, e), error=True)
            return
        index = self.rows.index(row)
        self.rows_box.children = tuple(r for r in self.rows if r is not row)
        point = row.current
        undo = w.Button(description=msg(self.lang, "own_area_undo"), icon="undo", layout=_auto_width(self.shared))
        undo.on_click(lambda _b: self.undo_remove(point, index))
        self.undo_box.children = (self.shared.html(status_line(
            msg(self.lang, "own_area_removed", label=visible(point.label)))), undo)
        self.redraw()

    def undo_remove(self, point: FocusPoint, index: int) -> FocusRow | None:
        """Puts a removed own area back where it was, with its slider values."""
        try:
            stamp = self.store.set_focus(point.id, point.before, point.now, point.label)
        except LederkursError as e:
            say(self.add_status, save_failed(self.lang, e), alert=True)
            return None
        row = FocusRow(point, self, stamp)
        rows = self.rows
        self.rows_box.children = (*rows[:index], row, *rows[index:])
        self.undo_box.children = ()
        self.redraw()
        return row

    def flush(self) -> None:
        for row in self.rows:
            row.flush()

    def save_chart(self) -> list[Path]:
        """PNG and SVG beside the answers file, plus download links that need no file browser."""
        from ..charts.figures import points_figure, save

        self.flush()
        base = self.store.folder / f"{self.store.participant}-{msg(self.lang, 'file_chart')}"
        try:
            files = save(points_figure(self.points(), self.lang), base)
        except OSError as e:
            say(self.save_status, save_failed(self.lang, e), alert=True)
            return []
        links = Markup(" · ").join(html.data_link(p.read_bytes(), p.name, mime, msg(self.lang, key))
                                   for p, mime, key in ((files[0], "image/png", "chart_download_png"),
                                                        (files[1], "image/svg+xml", "chart_download_svg")))
        names = Markup(", ").join(html.fragment("code", str(p)) for p in files)
        self.save_status.value = html.t(self.lang, "chart_saved", files=names, links=links)
        return files
