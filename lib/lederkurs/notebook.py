"""What a notebook's cells call: `start()` once, then one method per question or block."""

from __future__ import annotations

import getpass
import os
from html import escape
from pathlib import Path
from typing import Any

from IPython.display import HTML, display

from . import paths
from .answers import AnswerStore, check_participant
from .chart_png import participant_html
from .content import Course, Section, available_languages, load_course
from .errors import CourseError
from .messages import msg
from .static_html import STYLE, group_html, note_html, summary_html

PARTICIPANT_ENV = "LEDERKURS_PARTICIPANT"
SOURCE_LANGUAGE = "nb"


def default_participant(lang: str = SOURCE_LANGUAGE) -> str:
    """The participant on this machine: set by the environment (a hub), else the login name."""
    for candidate in (os.environ.get(PARTICIPANT_ENV, ""), _login()):
        try:
            return check_participant(candidate)
        except CourseError:
            continue
    return msg(lang, "default_participant")


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def check_language(lang: Any) -> str:
    langs = available_languages()
    if not isinstance(lang, str) or lang not in langs:
        raise CourseError.of(SOURCE_LANGUAGE, "error_unknown_language", lang=lang, available=", ".join(langs))
    return lang


class Session:
    """One section of the course opened for one participant."""

    def __init__(self, course: Course, section: Section, store: AnswerStore) -> None:
        self.course, self.section, self.store, self.lang = course, section, store, course.lang
        self.boxes: dict[str, Any] = {}

    def question(self, group_id: str) -> Any:
        """The answer box of one question group (static HTML when read-only)."""
        group = self.course.group(group_id)
        doc = self.store.load()
        if not self.store.writable:
            return HTML(STYLE + group_html(group, doc, self.lang))
        from .widgets import AnswerBox  # ipywidgets only where a widget is shown

        saved = doc.answers.get(group_id)
        box = AnswerBox(group, self.store, saved.text if saved else "", saved.updated if saved else "")
        self.boxes[group_id] = box
        return box

    def answers_location(self) -> HTML:
        doc = self.store.load()
        lines = [msg(self.lang, "answers_location", path=escape(str(self.store.path)),
                     participant=escape(self.store.participant))]
        count = sum(1 for a in doc.answers.values() if a.text.strip())
        lines.append(msg(self.lang, "answers_location_count", count=count) if count
                     else msg(self.lang, "answers_location_empty"))
        return HTML(note_html("<br>".join(lines)))

    def focus_self(self) -> Any:
        """Sliders for each focus area and the participant's own chart (the chart alone when read-only)."""
        if not self.store.writable:
            return HTML(participant_html(self.course, self.store.load()))
        from .focus_widgets import FocusPanel

        panel = FocusPanel(self.course, self.store)
        self.boxes["focus"] = panel
        return panel

    def _summary_html(self) -> str:
        doc = self.store.load()
        return participant_html(self.course, doc) + summary_html(self.course, doc, self.lang)

    def summary(self) -> Any:
        """Downloads, report and upload; then all answers in one place, the progress of each section,
        and the focus-shift chart."""
        for box in self.boxes.values():
            box.flush()
        if not self.store.writable:
            return HTML(self._summary_html())
        import ipywidgets as w

        from .transfer import DownloadLink, ReportLinks, Upload

        view = w.HTML(self._summary_html())
        link = DownloadLink(self.store)
        refresh = w.Button(description=msg(self.lang, "summary_refresh"), icon="refresh")

        def update(_b: object = None) -> None:
            view.value = self._summary_html()
            link.refresh()
        refresh.on_click(update)
        self.upload = Upload(self.course, self.store)
        self.report = ReportLinks(self.course, self.store)
        return w.VBox([w.HTML(f"<h2>{escape(msg(self.lang, 'take_away_heading'))}</h2>"), link, self.report,
                       self.upload, w.HBox([refresh]), view])

    def take_away(self) -> Any:
        """The short version at the end of a section: a download link to the answers file."""
        if not self.store.writable:
            return HTML("")
        from .transfer import DownloadLink

        return DownloadLink(self.store)


def start(section: str, participant: Any = "", answers_dir: Any = "", read_only: Any = False,
          lang: Any = SOURCE_LANGUAGE) -> Session:
    """Check the notebook's parameters, open the participant's answers, and tell them of any problem."""
    lang = check_language(lang)
    if not isinstance(read_only, bool):
        raise CourseError.of(lang, "error_parameter_type", name="read_only",
                             expected=msg(lang, "type_bool"), value=read_only)
    for name, value in (("participant", participant), ("answers_dir", answers_dir)):
        if not isinstance(value, (str, os.PathLike)):
            raise CourseError.of(lang, "error_parameter_type", name=name, expected=msg(lang, "type_text"),
                                 value=value)
    participant = check_participant(participant, lang) if participant else default_participant(lang)
    folder = Path(answers_dir) if answers_dir else paths.default_answers_dir()
    if read_only and not folder.is_dir():
        raise CourseError.of(lang, "error_answers_dir_missing", path=folder)
    course = load_course(lang)
    try:
        part = course.section(section)
    except KeyError:
        raise CourseError.of(lang, "error_unknown_section", section=section) from None
    store = AnswerStore(folder, participant, lang, read_only)
    store.load()
    notes = list(store.problems) + ([msg(lang, "read_only_for", participant=participant)] if read_only else [])
    if notes:
        display(HTML(note_html("<br>".join(escape(n) for n in notes))))
    return Session(course, part, store)
