"""ipywidgets bound to the answer store: one answer box per question group, and its saved-status line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import ipywidgets as w

from ..answers.store import AnswerStore
from ..course.content import QuestionGroup
from ..course.messages import msg, worded
from ..errors import LederkursError
from ..reports import html
from .autosave import Debouncer


def saved_text(lang: str, stamp: str) -> str:
    """"Lagret kl. HH:MM" for a stored time; the time is left out if the file's time cannot be read."""
    try:
        time = datetime.fromisoformat(stamp).astimezone().strftime("%H:%M")
    except ValueError:
        return msg(lang, "status_saved_no_time")
    return msg(lang, "status_saved", time=time)


def status_line(text: str, error: bool = False) -> str:
    """A saved-status line's HTML: "Lagrer …", "Lagret kl. HH:MM", or (error) why not."""
    return html.fragment("status", text, error=error)


def say(target: w.HTML, text: str, alert: bool = False) -> None:
    """A sentence under a control: what was done, or (alert) what went wrong."""
    target.value = html.fragment("alert" if alert else "said", text)


def save_failed(lang: str, error: Exception) -> str:
    """"Kunne ikke lagre: …" with the reason in the participant's words (ours, or the file system's)."""
    return msg(lang, "status_save_failed", reason=worded(error, lang))


def initial_status(lang: str, stamp: str, is_set: bool, unset_key: str) -> str:
    """What is saved (with its time, when the file has one), or that nothing is yet: a status line's HTML."""
    return status_line(saved_text(lang, stamp) if is_set else msg(lang, unset_key))


def shared_status(lang: str, when: datetime) -> str:
    """«Delt med kursholderen 6.12.2026 kl. 14:05 …»: when her share was made, in the reader's language."""
    from babel.dates import format_date

    day = format_date(when.date(), msg(lang, "date_pattern"), locale=lang)
    return html.fragment("paragraph", msg(lang, "share_status_shared", date=day, time=when.strftime("%H:%M")))


class Shared:
    """One model of each layout that a notebook's widgets use and never change: a widget made without one gets
    a Layout of its own, one more model for the front end. Only for layouts nothing changes afterwards (a
    widget that is hidden and shown has its own)."""

    def __init__(self) -> None:
        self._models: dict[str, w.Widget] = {}

    def get(self, name: str, make: Callable[[], w.Widget]) -> Any:
        if name not in self._models:
            self._models[name] = make()
        return self._models[name]

    @property
    def layout(self) -> w.Layout:
        """The plain layout, for every widget that needs no other."""
        return self.get("layout", w.Layout)

    def html(self, value: str = "", classes: tuple[str, ...] = ()) -> w.HTML:
        widget = w.HTML(value, layout=self.layout)
        for name in classes:
            widget.add_class(name)
        return widget


def saved_status(lang: str, write: Callable[[], str]) -> str:
    """Run one store write and say how it went: "Lagret kl. HH:MM", or why it failed (a status line's HTML)."""
    try:
        stamp = write()
    except LederkursError as e:
        return status_line(save_failed(lang, e), error=True)
    return status_line(saved_text(lang, stamp))


class AnswerBox(w.VBox):
    """A multi-line text box and a saved-status line, under the questions (a Markdown cell of the notebook).

    The box's label is "Ditt svar" on screen and, for a screen reader, the questions too (hidden text inside
    the same <label>): the Markdown cell above is another cell's DOM, which JupyterLab may not render while
    it is off screen, so a reference by id (aria-labelledby) could point at nothing."""

    def __init__(self, group: QuestionGroup, store: AnswerStore, lang: str, shared: Shared, text: str = "",
                 stamp: str = "", earlier: str = "") -> None:
        """`earlier`: the earlier rounds' answers (HTML, collapsed), shown under the status line."""
        self.group, self.store, self.lang = group, store, lang
        self.text = w.Textarea(value=text, placeholder=msg(lang, "answer_placeholder"),
                               description=html.fragment("answer_label", group, lang), description_allow_html=True,
                               rows=6,
                               layout=shared.get("answer_layout", lambda: w.Layout(width="100%")),
                               style={"description_width": "initial"}, continuous_update=True)
        self.text.add_class("lk-answer-box")
        self.status = shared.html(initial_status(lang, stamp, bool(text.strip()), "status_not_answered"),
                                  classes=("lk-status",))
        self._saver = Debouncer(self._save)
        self.text.observe(self._changed, names="value")
        super().__init__([self.text, self.status] + ([shared.html(earlier)] if earlier else []),
                         layout=shared.get("box_layout", lambda: w.Layout(margin="0 0 1em 0")))

    def _changed(self, _change: dict) -> None:
        self.status.value = status_line(msg(self.lang, "status_saving"))
        self._saver.touch()

    def _save(self) -> None:
        self.status.value = saved_status(self.lang, lambda: self.store.set_answer(self.group.id, self.text.value))

    def flush(self) -> None:
        """Save now if a save is pending (tests, and before a summary is drawn)."""
        self._saver.flush()
