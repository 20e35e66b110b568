"""The cohort notebook's controls, so the trainer never edits code: which answers folder (inside the course
folder, the sample cohort, or on a hub the shares sent through the course's service), names on or off (only
once he has ticked that the participants agreed), and «Oppdater» to read the folder again."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Protocol

import ipywidgets as w

from .. import paths
from ..answers import service_client
from ..course.messages import describe, msg
from ..errors import LederkursError
from ..reports import html
from ..text import visible
from .folders import answers_folders, course_folder, fetch_shares


class CohortView(Protocol):
    """What the controls need of the view (lederkurs.trainer.view.CohortView, which imports this module)."""

    show_names: bool
    n: int

    def show(self, folder: Path, show_names: bool) -> None: ...


class RoundsView(Protocol):
    """What the rounds chooser needs of the view."""

    lang: str
    rounds_shown: tuple[int, int]

    def round_count(self) -> int: ...

    def cohort_rounds(self, first: int = 1, second: int = 0) -> None: ...


def _said_elsewhere(bundle: Any, lang: str) -> Any:
    """A control's display data where no widget can be drawn (a notebook run by papermill, read later): a
    sentence, not a repr."""
    if isinstance(bundle, dict):
        bundle["text/plain"] = msg(lang, "cohort_controls_elsewhere")
    return bundle


SHARED = "\x00shared"  # the option «Delte svar»: fetched when chosen
log = logging.getLogger(__name__)


def folder_options(root: Path, current: Path, lang: str, shared: bool) -> list[tuple[str, str]]:
    """(label, value) for the chooser: the sample cohort, the course folder's answers folders, the shares."""
    demo = paths.demo_cohort_dir().resolve()
    options = [(msg(lang, "cohort_folder_demo"), str(demo))]
    if shared:
        options.append((msg(lang, "cohort_folder_shared"), SHARED))
    for folder in answers_folders(root):
        if folder.resolve() != demo:
            options.append((visible(folder.relative_to(root).as_posix()), str(folder)))
    if str(current.resolve()) not in {v for _, v in options}:  # a folder given as a parameter
        options.append((visible(current), str(current.resolve())))
    return options


class CohortControls(w.VBox):
    def __init__(self, view: CohortView, folder: Path, lang: str) -> None:
        self.view, self.lang = view, lang
        self.client = service_client.configured()
        root = course_folder()
        self.folder = w.Dropdown(options=folder_options(root, folder, lang, self.client is not None),
                                 value=str(folder.resolve()), description=msg(lang, "cohort_folder_label"),
                                 style={"description_width": "initial"}, layout=w.Layout(width="min(40em, 100%)"))
        self.consent = w.Checkbox(value=view.show_names, description=msg(lang, "cohort_consent"), indent=False,
                                  layout=w.Layout(width="auto"))
        self.names = w.Checkbox(value=view.show_names, description=msg(lang, "cohort_names"), indent=False,
                                disabled=not view.show_names, layout=w.Layout(width="auto"))
        self.refresh_button = w.Button(description=msg(lang, "cohort_refresh"), icon="refresh",
                                       button_style="primary",
                                       layout=w.Layout(width="auto", align_self="flex-start"))
        self.said = w.HTML()
        self.folder.observe(lambda _c: self.refresh(), "value")
        self.consent.observe(lambda _c: self.consented(), "value")
        self.names.observe(lambda _c: self.refresh(), "value")
        self.refresh_button.on_click(lambda _b: self.refresh())
        intro = html.fragment("paragraph", msg(lang, "cohort_controls_intro", root=visible(root.name)))
        super().__init__([w.HTML(html.style() + intro), self.folder, self.consent, self.names,
                          self.refresh_button, self.said])

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return _said_elsewhere(super()._repr_mimebundle_(**kwargs), self.lang)

    def consented(self) -> None:
        self.names.disabled = not self.consent.value
        if not self.consent.value and self.names.value:
            self.names.value = False  # refreshes

    def refresh(self) -> None:
        show_names = bool(self.consent.value and self.names.value)
        try:
            if self.folder.value == SHARED and self.client is not None:
                folder = fetch_shares(self.client)
            else:
                folder = Path(self.folder.value)
            self.view.show(folder, show_names)
        except LederkursError as e:
            self.said.value = html.fragment("alert", describe(e, self.lang))
            return
        except OSError as e:
            log.warning("the cohort could not be read", exc_info=True)
            self.said.value = html.fragment("alert", msg(self.lang, "cohort_folder_failed", reason=visible(e)))
            return
        self.said.value = html.fragment("said", msg(self.lang, "cohort_shown", n=self.view.n,
                                                    folder=self.folder.label or ""))


class RoundsChooser(w.HBox):
    """«Fra runde» and «Til runde» above the cohort's shift between two rounds: choosing one shows that shift in
    place. Hidden while the cohort has fewer than two rounds."""

    def __init__(self, view: RoundsView) -> None:
        self.view, self._syncing = view, False
        lang = view.lang
        style = {"description_width": "initial"}
        self.first = w.Dropdown(description=msg(lang, "cohort_rounds_from"), style=style,
                                layout=w.Layout(width="auto", margin="0 1.5em 0.5em 0"))
        self.second = w.Dropdown(description=msg(lang, "cohort_rounds_to"), style=style,
                                 layout=w.Layout(width="auto", margin="0 0 0.5em 0"))
        super().__init__([self.first, self.second], layout=w.Layout(flex_flow="row wrap", max_width="100%"))
        self.sync()
        self.first.observe(lambda _c: self.chosen(), "value")
        self.second.observe(lambda _c: self.chosen(), "value")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return _said_elsewhere(super()._repr_mimebundle_(**kwargs), self.view.lang)

    def sync(self) -> None:
        """Offer the rounds the cohort has; keep the rounds shown where they still exist, else first and last."""
        count = self.view.round_count()
        first, second = self.view.rounds_shown
        second = second or count
        if not (1 <= first <= count and 1 <= second <= count):
            first, second = 1, count
            self.view.rounds_shown = (1, 0)
        options = [(str(n), n) for n in range(1, count + 1)]
        self._syncing = True
        try:
            self.first.options = self.second.options = options
            if options:
                self.first.value, self.second.value = first, second
        finally:
            self._syncing = False
        self.layout.display = "flex" if count >= 2 else "none"

    def chosen(self) -> None:
        if self._syncing or self.first.value is None or self.second.value is None:
            return
        self.view.cohort_rounds(int(self.first.value), int(self.second.value))
