"""ipywidgets bound to the answer store: one answer box per question group."""

from __future__ import annotations

from datetime import datetime
from html import escape

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
        self._set_status(saved_status(lang, stamp) if stamp and text else msg(lang, "status_not_answered"))
        self._saver = Debouncer(self._save)
        self.text.observe(self._changed, names="value")
        super().__init__([self.questions, self.text, self.status], layout=w.Layout(margin="0 0 1em 0"))

    def _set_status(self, text: str, error: bool = False) -> None:
        colour = "#a61b1b" if error else "#2f4f2f"
        self.status.value = f'<span role="status" style="color:{colour}">{escape(text)}</span>'

    def _changed(self, _change: dict) -> None:
        self._set_status(msg(self.store.lang, "status_saving"))
        self._saver.touch()

    def _save(self) -> None:
        try:
            stamp = self.store.set_answer(self.group.id, self.text.value)
        except CourseError as e:
            self._set_status(e.message, error=True)
        except OSError as e:
            self._set_status(msg(self.store.lang, "status_save_failed",
                                 reason=msg(self.store.lang, "error_write_failed", reason=e.strerror or e)),
                             error=True)
        else:
            self._set_status(saved_status(self.store.lang, stamp))

    def flush(self) -> None:
        """Save now if a save is pending (tests, and before a summary is drawn)."""
        self._saver.flush()
