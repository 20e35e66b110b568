"""Taking answers along: download links that need no file browser, the personal report, and an upload
that loses nothing (the participant chooses on conflicts, and is asked when the file is someone else's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from ..answers import service_client
from ..answers.merge import Choice, conflicts, merge
from ..answers.model import AnswersFile, decode_answers
from ..answers.store import AnswerStore
from ..course.content import Course
from ..course.messages import describe, msg
from ..errors import LederkursError
from ..reports import html
from ..text import visible
from .download import DownloadLink
from .name import NameField
from .service_share import SharePanel
from .widgets import Shared, save_failed, say


class ReportLinks(w.VBox):
    """A button for the personal report; the files are made when asked for (a chart and a DOCX take a moment)."""

    def __init__(self, course: Course, store: AnswerStore, lang: str) -> None:
        self.course, self.store, self.lang = course, store, lang
        self.links = w.HTML()
        make = w.Button(description=msg(lang, "report_make"), icon="file-text", layout=w.Layout(width="auto"))
        make.on_click(lambda _b: self.refresh())
        super().__init__([w.HBox([make]), self.links])

    def refresh(self) -> None:
        from ..reports.formats import FORMATS
        from ..reports.personal import build_report

        report = build_report(self.course, self.store.load())
        self.links.value = html.fragment("links", [
            html.data_link(fmt.write(report), fmt.file_name(self.store.participant, self.lang), fmt.mime,
                           msg(self.lang, fmt.label_key)) for fmt in FORMATS.values()])


class FilePicker(anywidget.AnyWidget):
    """A button that reads one chosen file and hands its bytes to `on_file`. ipywidgets' FileUpload always
    writes the number of files into its label («Last opp svarfil (0)»); this one says only what it does."""

    _esm = """
function render({ model, el }) {
  const input = document.createElement("input");
  input.type = "file";
  input.hidden = true;
  const button = document.createElement("button");
  button.className = "jupyter-widgets jupyter-button widget-button lk-upload";
  button.type = "button";
  const icon = document.createElement("i");
  icon.className = "fa fa-upload";
  const text = document.createElement("span");
  function sync() {
    text.textContent = " " + model.get("description");
    input.accept = model.get("accept");
  }
  button.addEventListener("click", () => { input.value = ""; input.click(); });
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (file) {
      model.send({ event: "file", name: file.name }, undefined, [await file.arrayBuffer()]);
    }
  });
  model.on("change", sync);
  sync();
  button.append(icon, text);
  el.append(button, input);
}
export default { render };
"""
    description = traitlets.Unicode("").tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)

    def __init__(self, on_file: Callable[[bytes], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(lambda _w, content, buffers: on_file(bytes(buffers[0]))
                    if content.get("event") == "file" and buffers else None)


class Upload(w.VBox):
    """Takes an answers file back in: refused with a reason if it is not one of ours; the participant chooses
    on conflicts and confirms a file saved under another name; the current file is backed up first."""

    def __init__(self, course: Course, store: AnswerStore, lang: str) -> None:
        self.course, self.store, self.lang = course, store, lang
        self.picker = FilePicker(self.receive, accept=".json,application/json", description=msg(lang, "upload_label"))
        self.status = w.HTML()
        self.choice = w.RadioButtons(options=[(msg(lang, "upload_keep_mine"), "mine"),
                                              (msg(lang, "upload_take_upload"), "theirs"),
                                              (msg(lang, "upload_keep_both"), "both")], value="mine")
        self.apply = w.Button(description=msg(lang, "upload_apply"), button_style="primary",
                              layout=w.Layout(width="auto"))
        self.apply.on_click(lambda _b: self.take_in(self.choice.value))
        self.choose = w.VBox([self.choice, self.apply], layout=w.Layout(display="none"))
        self._incoming: AnswersFile | None = None
        super().__init__([w.HTML(html.fragment("paragraph", msg(lang, "upload_hint"))), self.picker, self.status,
                          self.choose])

    def receive(self, data: bytes) -> None:
        """Check an uploaded file; take it in at once, or ask what to do (another name, conflicts)."""
        self._incoming = None
        self.choose.layout.display = "none"
        try:
            incoming = decode_answers(data)
            current = self.store.load()
            merge(current, incoming, "theirs", "")  # within the bounds together, or refused before any question
        except LederkursError as e:
            return say(self.status, msg(self.lang, "upload_refused", reason=describe(e, self.lang)), alert=True)
        self._incoming = incoming
        clashes = conflicts(current, incoming)
        other = incoming.participant != self.store.participant
        if not clashes and not other:
            self.take_in("mine")
            return
        lines = []
        if other:
            lines.append(msg(self.lang, "upload_other_participant", owner=visible(incoming.participant),
                             participant=self.store.participant))
        if clashes:
            lines.append(msg(self.lang, "upload_conflicts", count=len(clashes),
                             names=", ".join(self._name(c) for c in clashes)))
        else:
            lines.append(msg(self.lang, "upload_confirm"))
        say(self.status, " ".join(lines))
        self.choice.layout.display = "" if clashes else "none"
        self.choose.layout.display = ""

    def _name(self, key: str) -> str:
        if key.startswith("focus:"):
            area = key.removeprefix("focus:")
            return next((a.label for a in self.course.focus_areas if a.id == area), area)
        try:
            group = self.course.group(key)
        except KeyError:
            return key
        return f"«{group.questions[0]}»"

    def take_in(self, choice: Choice) -> None:
        if self._incoming is None:
            return
        incoming, separator = self._incoming, msg(self.lang, "upload_both_separator")
        counts: dict[str, int] = {}

        def build(current: AnswersFile) -> AnswersFile:
            result = merge(current, incoming, choice, separator)
            counts.update(added=result.added, replaced=result.replaced, merged=result.merged,
                          rounds_added=result.rounds_added, rounds=result.rounds)
            return result.doc
        try:
            backup = self.store.replace_all(build)
        except LederkursError as e:
            return say(self.status, save_failed(self.lang, e), alert=True)
        self._incoming = None
        self.choose.layout.display = "none"
        rounds = {"rounds_added": counts.pop("rounds_added", 0), "rounds": counts.pop("rounds", 1)}
        said = (msg(self.lang, "upload_done", backup=backup.name, **counts) if backup
                else msg(self.lang, "upload_done_no_backup", **counts))
        if rounds["rounds"] > 1:
            said += " " + msg(self.lang, "upload_rounds", added=rounds["rounds_added"], count=rounds["rounds"])
        say(self.status, said)


class SummaryPanel(w.VBox):
    """Notebook 09: the answers file to download, the report, the upload, and every answer with the chart."""

    def __init__(self, course: Course, store: AnswerStore, lang: str, shared: Shared, flush: Callable[[], None],
                 summary_html: Callable[[], str]) -> None:
        self.summary_html = summary_html
        self.view = w.HTML(summary_html())
        self.link = DownloadLink(store, lang, shared)
        refresh = w.Button(description=msg(lang, "summary_refresh"), icon="refresh", layout=w.Layout(width="auto"))
        refresh.on_click(lambda _b: self.update())
        self.upload = Upload(course, store, lang)
        self.report = ReportLinks(course, store, lang)
        # On a hub with the sharing service: share, show, withdraw. Elsewhere: a sentence that sharing needs it.
        self.sharing = SharePanel(store, lang, service_client.configured(), flush)
        self.name = NameField(store, lang, shared)
        super().__init__([w.HTML(html.fragment("heading", msg(lang, "take_away_heading"), 2)), self.name, self.link,
                          self.sharing, self.report, self.upload, w.HBox([refresh]),
                          self.view])

    def update(self) -> None:
        self.view.value = self.summary_html()
        self.link.refresh()
