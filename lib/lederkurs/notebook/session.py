"""What a notebook's cells call: `start()` once, then one method per question or block.

This is an edge: errors from below (a bad parameter, a file that cannot be saved) are worded here, in the
notebook's language, and shown without a traceback.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from IPython.display import HTML, display

from .. import paths
from ..answers.model import AnswersFile, check_participant
from ..answers.store import AnswerStore
from ..course.content import Course, Section, load_course
from ..course.messages import describe, msg
from ..course.parameters import check_bool, check_text, opened
from ..errors import ParameterError
from ..reports import html
from ..text import visible
from .autosave import save_on_sigterm

PARTICIPANT_ENV = "LEDERKURS_PARTICIPANT"
HUB_USER_ENV = "JUPYTERHUB_USER"


def default_participant(lang: str | None = None) -> str:
    """The participant on this machine: set by the environment (a hub's user), else the login name."""
    for candidate in (os.environ.get(PARTICIPANT_ENV, ""), os.environ.get(HUB_USER_ENV, ""), _login()):
        try:
            return check_participant(candidate)
        except ParameterError:
            continue
    return msg(lang or paths.source_language(), "default_participant")


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class Session:
    """One section of the course opened for one participant."""

    def __init__(self, course: Course, section: Section, store: AnswerStore) -> None:
        self.course, self.section, self.store, self.lang = course, section, store, course.lang
        self.boxes: dict[str, Any] = {}
        self._shared: Any = None  # the widgets' shared layouts and styles, made with the first widget

    def question(self, group_id: str) -> Any:
        """The answer box of one question group (static HTML when nothing can be written)."""
        group = self.course.group(group_id)
        doc = self.store.load()
        earlier = html.earlier(doc, group_id, self.lang)  # the earlier rounds' answers, collapsed, under the box
        if not self.store.writable:  # the questions are the Markdown cell above: the answer alone
            saved = doc.answer(group_id)
            return HTML(html.fragment("answer", saved.text if saved else None, self.lang) + earlier)
        from .widgets import AnswerBox  # ipywidgets only where a widget is shown

        saved = doc.answer(group_id)
        box = AnswerBox(group, self.store, self.lang, self.shared, saved.text if saved else "",
                        saved.updated if saved else "", earlier=earlier)
        self.boxes[group_id] = box
        return box

    @property
    def shared(self) -> Any:
        if self._shared is None:
            from .widgets import Shared

            self._shared = Shared()
        return self._shared

    def answers_location(self) -> Any:
        """Where her answers are kept, and (when they can be written) the name she wants to be called."""
        doc = self.store.load()
        count = sum(1 for a in doc.answers.values() if a.given)
        where = HTML(html.note([
            html.t(self.lang, "answers_location", path=html.fragment("code", str(self.store.path)),
                   participant=html.fragment("strong", doc.shown_name)),
            msg(self.lang, "answers_location_count", count=count) if count
            else msg(self.lang, "answers_location_empty")]))
        if not self.store.writable:
            return where
        import ipywidgets as w

        from .name import NameField
        from .rounds import RoundsPanel

        box = NameField(self.store, self.lang, self.shared)
        self.boxes["name"] = box
        rounds = self.boxes["rounds"] = RoundsPanel(self.store, self.lang, self.shared)
        return w.VBox([self.shared.html(where.data), box, rounds])

    def focus_self(self) -> Any:
        """Sliders for each focus area and the participant's own chart (the chart alone when read-only)."""
        if not self.store.writable:
            doc = self.store.load()
            return HTML(self._chart_html(doc) + html.time_chart(self.course, doc))
        from .focus import FocusPanel

        panel = FocusPanel(self.course, self.store, self.lang, self.shared)
        self.boxes["focus"] = panel
        return panel

    def workshop(self) -> Any:
        """The live workshop's invitation, on a hub with the course's service; nothing anywhere else."""
        from .workshop import participant_panel

        return participant_panel(self.course, self.store, self.lang)

    def _chart_html(self, doc: AnswersFile) -> str:
        # charts only where a notebook shows one: a text notebook does not pay for their import
        from ..charts.layout import NARROW
        from ..charts.png import participant_png
        from ..charts.points import describe as describe_points
        from ..charts.points import focus_points

        points = focus_points(self.course, doc)
        return html.chart(participant_png(points, self.lang), describe_points(points, self.lang),
                          participant_png(points, self.lang, layout=NARROW))

    def summary_html(self, time_chart: bool = True) -> str:
        """`time_chart`: with the chart over time (a live 09 draws it apart, off the opening's path)."""
        doc = self.store.load()  # one read for the charts and the answers: all show the same file
        return (self._chart_html(doc) + (html.time_chart(self.course, doc) if time_chart else "")
                + html.summary(self.course, doc, self.lang, self.store.writable))

    def flush(self) -> None:
        """Save what is typed and not yet saved, in every box of this notebook."""
        for box in self.boxes.values():
            box.flush()

    def summary(self) -> Any:
        """Downloads, report and upload (and sharing, on a course server); then all answers in one place,
        the progress of each section, and the focus-shift chart."""
        self.flush()
        if not self.store.writable:
            return HTML(self.summary_html())
        import threading

        import ipywidgets as w

        from .rounds import RoundsPanel
        from .transfer import SummaryPanel

        panel = SummaryPanel(self.course, self.store, self.lang, self.shared, self.flush,
                             lambda: self.summary_html(time_chart=False))
        rounds = self.boxes["rounds"] = RoundsPanel(self.store, self.lang, self.shared)
        # The chart over time, drawn in the background (kept from 04 when it drew the same): 09 opens at once.
        time_view = w.HTML().add_class("lk-chart")

        def draw() -> None:
            time_view.value = html.time_chart(self.course, self.store.load())
        threading.Thread(target=draw, name="lederkurs-time-chart", daemon=True).start()
        panel.children = (rounds, time_view, *panel.children)  # the round in use first; a new round starts here
        return panel

    def take_away(self) -> Any:
        """The short version at the end of a section: a download link to the answers file."""
        if not self.store.writable:
            return HTML("")
        from .download import DownloadLink

        return DownloadLink(self.store, self.lang, self.shared)


def start(section: str, *, participant: Any = "", answers_dir: Any = "", read_only: Any = False,
          lang: Any = None) -> Session:
    """Check the notebook's parameters, open the participant's answers, and tell them of any problem."""
    return opened(lang, lambda checked: _start(section, participant, answers_dir, read_only, checked))


def _start(section: str, participant: Any, answers_dir: Any, read_only: Any, lang: str) -> Session:
    save_on_sigterm()
    read_only = check_bool("read_only", read_only)
    participant, answers_dir = check_text("participant", participant), check_text("answers_dir", answers_dir)
    participant = check_participant(participant) if participant else default_participant(lang)
    folder = Path(answers_dir) if answers_dir else paths.default_answers_dir()
    if read_only and not folder.is_dir():
        raise ParameterError("error_answers_dir_missing", path=folder)
    course = load_course(lang)
    try:
        part = course.section(section)
    except KeyError:
        raise ParameterError("error_unknown_section", section=section) from None
    store = AnswerStore(folder, participant, read_only, kept_aside=msg(lang, "file_unreadable"),
                        backup=msg(lang, "file_backup"))
    doc = store.load()
    notes = [describe(p, lang) for p in store.problems]
    if len(doc.rounds) > 1:  # the round in use, at the top of every notebook, once she has more than one
        from .rounds import round_line

        notes.append(round_line(doc, lang))
    if read_only:
        who = f"{visible(doc.name)} ({participant})" if doc.name else participant  # the name she gave, if any
        notes.append(msg(lang, "read_only_for", participant=who))
    display(HTML(html.style() + (html.note(notes) if notes else "")))
    return Session(course, part, store)
