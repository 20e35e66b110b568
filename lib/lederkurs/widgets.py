"""ipywidgets bound to the answer store: one answer box per question group."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Callable

import ipywidgets as w

from .answers import AnswerStore
from .autosave import Debouncer
from .content import QuestionGroup
from .errors import CourseError
from .messages import msg
from .static_html import questions_html


def saved_status(lang: str, stamp: str) -> str:
    time = datetime.fromisoformat(stamp).astimezone().strftime("%H:%M")
    return msg(lang, "status_saved", time=time)


def show_status(status: w.HTML, text: str, error: bool = False) -> None:
    colour = "#a61b1b" if error else "#2f4f2f"
    status.value = f'<span role="status" style="color:{colour}">{escape(text)}</span>'


def save_with_status(status: w.HTML, lang: str, write: Callable[[], str]) -> None:
    """Run one store write and say how it went: "Lagret kl. HH:MM", or why it failed."""
    try:
        stamp = write()
    except CourseError as e:
        show_status(status, e.message, error=True)
    except OSError as e:
        show_status(status, msg(lang, "status_save_failed",
                                reason=msg(lang, "error_write_failed", reason=e.strerror or e)), error=True)
    else:
        show_status(status, saved_status(lang, stamp))


class AnswerBox(w.VBox):
    """The questions as a visible label, a multi-line text box, and a saved-status line."""

    def __init__(self, group: QuestionGroup, store: AnswerStore, text: str = "", stamp: str = "") -> None:
        self.group, self.store, lang = group, store, store.lang
        self.questions = w.HTML(questions_html(group))
        self.text = w.Textarea(value=text, placeholder=msg(lang, "answer_placeholder"),
                               description=msg(lang, "answer_label"), rows=6,
                               layout=w.Layout(width="100%"), style={"description_width": "initial"},
                               continuous_update=True)
        self.text.add_class("lk-answer-box")
        self.status = w.HTML()
        self.status.add_class("lk-status")
        show_status(self.status, saved_status(lang, stamp) if stamp and text else msg(lang, "status_not_answered"))
        self._saver = Debouncer(self._save)
        self.text.observe(self._changed, names="value")
        super().__init__([self.questions, self.text, self.status], layout=w.Layout(margin="0 0 1em 0"))

    def _changed(self, _change: dict) -> None:
        show_status(self.status, msg(self.store.lang, "status_saving"))
        self._saver.touch()

    def _save(self) -> None:
        save_with_status(self.status, self.store.lang, lambda: self.store.set_answer(self.group.id, self.text.value))

    def flush(self) -> None:
        """Save now if a save is pending (tests, and before a summary is drawn)."""
        self._saver.flush()
