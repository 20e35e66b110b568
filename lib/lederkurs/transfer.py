"""Taking answers along: download links that need no file browser, and an upload that loses nothing."""

from __future__ import annotations

import json
from html import escape

import ipywidgets as w

from .answers import AnswersFormatError, AnswerStore, parse_answers
from .cohort import MAX_BYTES
from .content import Course
from .merge import Choice, conflicts, merge
from .messages import msg
from .static_html import data_link


class DownloadLink(w.HTML):
    """A link to the answers file exactly as it is on disk, refreshed after every save in this kernel."""

    def __init__(self, store: AnswerStore) -> None:
        super().__init__()
        self.store = store
        store.on_saved.append(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        lang, path = self.store.lang, self.store.path
        if not path.exists():
            self.value = f"<p>{escape(msg(lang, 'answers_location_empty'))}</p>"
            return
        link = data_link(path.read_bytes(), path.name, "application/json",
                         msg(lang, "download_answers", name=path.name))
        self.value = f"<p>{link}<br><small>{escape(msg(lang, 'download_hint'))}</small></p>"


class ReportLinks(w.VBox):
    """Buttons for the personal report; the files are made when asked for (a chart and a DOCX take a moment)."""

    def __init__(self, course: Course, store: AnswerStore) -> None:
        self.course, self.store = course, store
        self.links = w.HTML()
        make = w.Button(description=msg(course.lang, "report_make"), icon="file-text", layout=w.Layout(width="auto"))
        make.on_click(lambda _b: self.refresh())
        super().__init__([w.HBox([make]), self.links])

    def refresh(self) -> None:
        from .export import FORMATS, build_report, render_report, report_file_name

        report = build_report(self.course, self.store.load())
        mimes = {"html": "text/html", "md": "text/markdown",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        self.links.value = "<p>" + " · ".join(
            data_link(render_report(report, fmt), report_file_name(self.store.participant, fmt, self.course.lang), mimes[fmt],
                      msg(self.course.lang, f"download_report_{fmt}")) for fmt in FORMATS) + "</p>"


class Upload(w.VBox):
    """Takes an answers file back in: refused with a reason if it is not one of ours; the participant chooses
    on conflicts; the current file is backed up before anything changes."""

    def __init__(self, course: Course, store: AnswerStore) -> None:
        self.course, self.store, self.lang = course, store, course.lang
        self.picker = w.FileUpload(accept=".json,application/json", multiple=False,
                                   description=msg(self.lang, "upload_label"), layout=w.Layout(width="auto"))
        self.picker.observe(self._picked, names="value")
        self.status = w.HTML()
        self.choice = w.RadioButtons(options=[(msg(self.lang, "upload_keep_mine"), "mine"),
                                              (msg(self.lang, "upload_take_upload"), "theirs"),
                                              (msg(self.lang, "upload_keep_both"), "both")], value="mine")
        self.apply = w.Button(description=msg(self.lang, "upload_apply"), button_style="primary")
        self.apply.on_click(lambda _b: self.take_in(self.choice.value))
        self.choose = w.VBox([self.choice, self.apply], layout=w.Layout(display="none"))
        self._incoming = None
        super().__init__([w.HTML(f"<p>{escape(msg(self.lang, 'upload_hint'))}</p>"), self.picker, self.status,
                          self.choose])

    def _say(self, text: str, alert: bool = False) -> None:
        role = "alert" if alert else "status"
        self.status.value = f'<p role="{role}">{escape(text)}</p>'

    def _picked(self, change: dict) -> None:
        files = change["new"]
        if files:
            self.receive(bytes(files[0]["content"]))

    def receive(self, data: bytes) -> None:
        """Check an uploaded file; take it in at once, or ask what to do where both hold an answer."""
        self._incoming = None
        self.choose.layout.display = "none"
        if len(data) > MAX_BYTES:
            self._say(msg(self.lang, "upload_too_large", size=round(len(data) / 2**20, 1),
                          limit=MAX_BYTES // 2**20), alert=True)
            return
        try:
            incoming = parse_answers(json.loads(data.decode("utf-8")), self.lang)
        except UnicodeDecodeError:
            return self._say(msg(self.lang, "upload_refused", reason=msg(self.lang, "reason_not_text")), True)
        except json.JSONDecodeError as e:
            return self._say(msg(self.lang, "upload_refused",
                                 reason=msg(self.lang, "reason_not_json", line=e.lineno)), True)
        except AnswersFormatError as e:
            return self._say(msg(self.lang, "upload_refused", reason=e), True)
        self._incoming = incoming
        clashes = conflicts(self.store.load(), incoming)
        if not clashes:
            self.take_in("mine")
            return
        names = ", ".join(self._name(c) for c in clashes)
        self._say(msg(self.lang, "upload_conflicts", count=len(clashes), names=names))
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
        counts = {}

        def build(current):
            result = merge(current, incoming, choice, separator)
            counts.update(added=result.added, replaced=result.replaced, merged=result.merged)
            return result.doc
        backup = self.store.replace_all(build)
        self._incoming = None
        self.choose.layout.display = "none"
        if backup:
            self._say(msg(self.lang, "upload_done", backup=backup.name, **counts))
        else:
            self._say(msg(self.lang, "upload_done_no_backup", **counts))
