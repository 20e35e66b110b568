"""Rounds of reflection in a notebook: which round is in use, a new round started (at a follow-up gathering),
the current round renamed."""

from __future__ import annotations

import ipywidgets as w

from ..answers.model import MAX_ROUND_NAME, MAX_ROUNDS, AnswersFile, check_round_name
from ..answers.store import AnswerStore
from ..charts.rounds import default_round_name, round_date, round_title
from ..course.messages import msg
from ..errors import LederkursError
from ..reports import html
from .widgets import Shared, save_failed, say


def round_line(doc: AnswersFile, lang: str) -> str:
    """«Runde i bruk: Oppfølging mars (startet 04.03.2027) – runde 2 av 2»: shown at the top of every notebook."""
    rounds = doc.rounds
    current = rounds[-1]
    when = round_date(current, lang)
    return msg(lang, "round_in_use", name=round_title(current, lang, len(rounds)), number=len(rounds),
               count=len(rounds)) + (" " + msg(lang, "round_started_on", date=when) if when else "")


class RoundsPanel(w.VBox):
    """The round in use, a field and a button to start a new round, and a field to rename the current one."""

    def __init__(self, store: AnswerStore, lang: str, shared: Shared) -> None:
        self.store, self.lang = store, lang
        doc = store.load()
        self._seen = doc.round_started
        self.line = shared.html()
        self.new_name = w.Text(placeholder=default_round_name(lang), description=msg(lang, "round_new_label"),
                               layout=w.Layout(width="32em", max_width="100%"), continuous_update=False,
                               style={"description_width": "initial"})
        self.start_button = w.Button(description=msg(lang, "round_start"), icon="plus",
                                     layout=w.Layout(width="auto"))
        self.start_button.on_click(lambda _b: self.start(self.new_name.value))
        self.rename_field = w.Text(value=doc.round_name, placeholder=round_title(doc.rounds[-1], lang),
                                   description=msg(lang, "round_rename_label"), continuous_update=False,
                                   layout=w.Layout(width="32em", max_width="100%"),
                                   style={"description_width": "initial"})
        self.rename_field.observe(lambda change: self.rename(change["new"]), names="value")
        self.status = shared.html()
        hint = msg(lang, "round_hint", limit=MAX_ROUNDS, chars=MAX_ROUND_NAME)
        super().__init__([self.line, shared.html(html.fragment("paragraph", hint)),
                          w.HBox([self.new_name, self.start_button], layout=w.Layout(flex_flow="row wrap")),
                          self.rename_field, self.status])
        self._show(doc)

    def _show(self, doc: AnswersFile) -> None:
        self.line.value = html.fragment("paragraph", html.fragment("strong", round_line(doc, self.lang)))

    def start(self, name: str) -> bool:
        """Start a new round; the box is cleared and the round in use shown."""
        try:
            name = check_round_name(name) or default_round_name(self.lang)
            self._seen = self.store.start_round(name, seen=self._seen)
        except LederkursError as e:
            say(self.status, save_failed(self.lang, e), alert=True)
            return False
        doc = self.store.load()
        self._show(doc)
        self.new_name.value = ""
        self.rename_field.unobserve_all("value")
        self.rename_field.value = doc.round_name
        self.rename_field.observe(lambda change: self.rename(change["new"]), names="value")
        say(self.status, msg(self.lang, "round_started", name=round_title(doc.rounds[-1], self.lang)))
        return True

    def rename(self, name: str) -> bool:
        try:
            self.store.rename_round(check_round_name(name))
        except LederkursError as e:
            say(self.status, save_failed(self.lang, e), alert=True)
            return False
        doc = self.store.load()
        self._show(doc)
        say(self.status, msg(self.lang, "round_renamed", name=round_title(doc.rounds[-1], self.lang)))
        return True

    def flush(self) -> None:
        """Nothing waits: a round is started or renamed at once."""
