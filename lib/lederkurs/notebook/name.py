"""The name a participant gives herself: shown in her report and to the trainer. The login name stays the
answers file's key; this is only what she is called."""

from __future__ import annotations

import ipywidgets as w

from ..answers.model import MAX_DISPLAY_NAME, check_display_name
from ..answers.store import AnswerStore
from ..course.messages import msg
from ..errors import LederkursError
from ..reports import html
from .widgets import Shared, save_failed, saved_text, say


class NameField(w.VBox):
    """A one-line field; the name is saved when she leaves the field or presses Enter."""

    def __init__(self, store: AnswerStore, lang: str, shared: Shared) -> None:
        self.store, self.lang = store, lang
        doc = store.load()
        self.field = w.Text(value=doc.name, description=msg(lang, "name_label"),
                            placeholder=msg(lang, "name_placeholder"), continuous_update=False,
                            layout=w.Layout(width="32em", max_width="100%"),
                            style={"description_width": "initial"}).add_class("lk-name")
        self.status = shared.html()
        self.field.observe(self._changed, names="value")
        hint = msg(lang, "name_hint", participant=store.participant, limit=MAX_DISPLAY_NAME)
        super().__init__([shared.html(html.fragment("paragraph", hint)), self.field, self.status])

    def _changed(self, change: dict) -> None:
        try:
            name = check_display_name(change["new"])
            stamp = self.store.set_name(name)
        except LederkursError as e:
            return say(self.status, save_failed(self.lang, e), alert=True)
        say(self.status, saved_text(self.lang, stamp))

    def flush(self) -> None:
        """Nothing waits: the name is saved as soon as it reaches the kernel."""
