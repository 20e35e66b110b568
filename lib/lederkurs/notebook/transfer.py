"""Taking answers along: download links that need no file browser, the personal report, and an upload
that loses nothing (the participant chooses on conflicts, and is asked when the file is someone else's)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..answers import dropbox, service_client
from ..answers.merge import Choice, conflicts, merge
from ..answers.model import AnswersFile, decode_answers, read_bounded
from ..answers.store import AnswerStore
from ..course.content import Course
from ..course.messages import describe, msg
from ..errors import LederkursError
from ..reports import html
from ..text import visible
from .download import DownloadLink
from .name import NameField
from .widgets import Shared, save_failed, say, shared_status


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


class Upload(w.VBox):
    """Takes an answers file back in: refused with a reason if it is not one of ours; the participant chooses
    on conflicts and confirms a file saved under another name; the current file is backed up first."""

    def __init__(self, course: Course, store: AnswerStore, lang: str) -> None:
        self.course, self.store, self.lang = course, store, lang
        self.picker = w.FileUpload(accept=".json,application/json", multiple=False,
                                   description=msg(lang, "upload_label"), layout=w.Layout(width="auto"))
        self.picker.observe(self._picked, names="value")
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

    def _picked(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if files:
            self.receive(bytes(files[0]["content"]))

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


class SharePanel(w.VBox):
    """«Del svarene med kursholderen» on a course server with a drop box: the participant shares a copy of
    their answers file with the trainer, sees what was shared and when, and can take it back."""

    def __init__(self, store: AnswerStore, lang: str, folder: Path, before_sharing: Callable[[], None]) -> None:
        self.store, self.lang, self.folder, self.before_sharing = store, lang, folder, before_sharing
        self.status = w.HTML()
        self.share_button = w.Button(description=msg(lang, "share_button"), icon="share", button_style="primary",
                                     layout=w.Layout(width="auto"))
        self.share_button.on_click(lambda _b: self.share())
        self.withdraw_button = w.Button(description=msg(lang, "share_withdraw_button"), icon="undo",
                                        layout=w.Layout(width="auto"))
        self.withdraw_button.on_click(lambda _b: self.withdraw())
        self.said = w.HTML()
        super().__init__([w.HTML(html.fragment("heading", msg(lang, "share_heading"), 3)),
                          w.HTML(html.fragment("paragraph", msg(lang, "share_hint"))), self.status,
                          w.HBox([self.share_button, self.withdraw_button]), self.said])
        self.refresh()

    def refresh(self) -> None:
        found = dropbox.shared(self.folder, self.store.participant)
        if found:
            self.status.value = shared_status(self.lang, found.when)
        else:
            self.status.value = html.fragment("paragraph", msg(self.lang, "share_status_none"))
        self.share_button.description = msg(self.lang, "share_again_button" if found else "share_button")
        self.withdraw_button.layout.display = "" if found else "none"

    def share(self) -> None:
        self.before_sharing()  # what was just typed is part of what is shared
        try:
            data = read_bounded(self.store.path)
        except FileNotFoundError:
            return say(self.said, msg(self.lang, "share_nothing"), alert=True)
        except (OSError, LederkursError) as e:
            return say(self.said, save_failed(self.lang, e), alert=True)
        try:
            dropbox.share(self.folder, self.store.participant, data)
        except LederkursError as e:
            return say(self.said, describe(e, self.lang), alert=True)
        finally:
            self.refresh()
        say(self.said, msg(self.lang, "share_done"))

    def withdraw(self) -> None:
        try:
            dropbox.withdraw(self.folder, self.store.participant)
        except LederkursError as e:
            return say(self.said, describe(e, self.lang), alert=True)
        finally:
            self.refresh()
        say(self.said, msg(self.lang, "share_withdrawn"))


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
        folder = dropbox.configured()  # only on a course server with a drop box; elsewhere nothing changes
        self.sharing: w.VBox | None = SharePanel(store, lang, folder, flush) if folder else None
        if (service := service_client.configured()) is not None:  # a hub with the sharing service: it wins
            from .service_share import ServiceSharePanel

            self.sharing = ServiceSharePanel(store, lang, service, flush)
        self.name = NameField(store, lang, shared)
        super().__init__([w.HTML(html.fragment("heading", msg(lang, "take_away_heading"), 2)), self.name, self.link,
                          *([self.sharing] if self.sharing else []), self.report, self.upload, w.HBox([refresh]),
                          self.view])

    def update(self) -> None:
        self.view.value = self.summary_html()
        self.link.refresh()
