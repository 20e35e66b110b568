"""The take-away at the end of every section: a link to the answers file that needs no file browser."""

from __future__ import annotations

import ipywidgets as w

from ..answers.model import read_bounded
from ..answers.store import AnswerStore
from ..course.messages import msg
from ..errors import LederkursError
from ..reports import html
from .widgets import Shared


class DownloadLink(w.HTML):
    """A link to the answers file exactly as it is on disk, refreshed after every save in this kernel."""

    def __init__(self, store: AnswerStore, lang: str, shared: Shared) -> None:
        self.store, self.lang = store, lang
        super().__init__(self._html(), layout=shared.layout)
        store.on_saved.append(self.refresh)

    def refresh(self) -> None:
        self.value = self._html()

    def _html(self) -> str:
        path = self.store.path
        try:
            data = read_bounded(path)
        except (OSError, LederkursError):
            return html.fragment("paragraph", msg(self.lang, "answers_location_empty"))
        link = html.data_link(data, path.name, "application/json", msg(self.lang, "download_answers", name=path.name))
        return html.fragment("paragraph", link, msg(self.lang, "download_hint"))
