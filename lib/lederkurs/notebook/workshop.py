"""The live workshop in the notebooks: the participant's invitation in 04, the trainer's start/end.

On a hub with the course's service (answers.service_client.configured()), notebook 04 asks the service in
the background, every POLL_SECONDS, whether a workshop runs. When one does, it shows the invitation with
a plain yes and no, and what would be sent, who sees it and when it is deleted. Only after «Ja» do her
slider positions go to the service (guide areas' before/now and the NUMBER of own areas; never a label or
an answer), and only while she is in. Outside a hub, or with no workshop running, nothing shows.

No network call runs on the kernel's main thread: a slider move only puts the newest positions in a slot
(`positions_changed`), a button only puts a command in a queue; one background thread per notebook talks
to the service and updates the widgets. A slow or absent service never makes a slider wait.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w
from IPython.display import HTML

from ..answers.service_client import configured
from ..answers.store import AnswerStore
from ..answers.workshop_client import MAX_HOURS, MIN_GROUP, WorkshopClient, positions_body
from ..charts.points import FocusPoint, focus_points
from ..course.content import Course
from ..course.messages import msg
from ..reports import html
from .widgets import say

log = logging.getLogger(__name__)

POLL_SECONDS = 3.0  # how often a notebook asks whether a workshop started or ended


# The panel of this kernel's notebook 04, if one is open: the slider hook reaches it without a network call.
_active: WorkshopPanel | None = None


def positions_changed(points: Callable[[], list[FocusPoint]]) -> None:
    """Called where a slider's value changes (notebook.focus): hands the newest positions to the background
    thread if she is in a workshop; otherwise does nothing. Never waits for the network."""
    panel = _active
    if panel is not None and panel.layout.display != "none":  # a workshop runs: keep the newest, send if in
        panel.latest = positions_body(points())
        if panel.joined is not None:
            panel.wake.set()


class WorkshopPanel(w.VBox):
    """Notebook 04's invitation and state; hidden while no workshop runs."""

    def __init__(self, course: Course, store: AnswerStore, lang: str, client: WorkshopClient,
                 poll: float = POLL_SECONDS) -> None:
        global _active
        self.course, self.store, self.lang, self.client, self.poll = course, store, lang, client, poll
        self.joined: int | None = None  # the workshop she is in
        self.shown: int | None = None  # the workshop the invitation is for
        self.declined: set[int] = set()
        self.latest: dict[str, Any] | None = None
        self.sent: dict[str, Any] | None = None
        self.commands: queue.Queue[str] = queue.Queue()
        self.wake = threading.Event()
        self.invite = w.HTML(html.fragment("paragraph", html.fragment("strong", msg(lang, "workshop_invite"))))
        self.privacy = w.HTML(html.fragment("paragraph", msg(lang, "workshop_privacy", min=MIN_GROUP,
                                                              hours=MAX_HOURS)))
        self.yes = w.Button(description=msg(lang, "workshop_yes"), button_style="primary", icon="check",
                            layout=w.Layout(width="auto"))
        self.no = w.Button(description=msg(lang, "workshop_no"), layout=w.Layout(width="auto"))
        self.leave = w.Button(description=msg(lang, "workshop_leave"), icon="sign-out",
                              layout=w.Layout(width="auto"))
        self.yes.on_click(lambda _b: self._command("join"))
        self.no.on_click(lambda _b: self._command("decline"))
        self.leave.on_click(lambda _b: self._command("leave"))
        self.state = w.HTML()
        self.asking = w.VBox([self.invite, self.privacy, w.HBox([self.yes, self.no])])
        self.inside = w.VBox([self.state, w.HBox([self.leave])])
        super().__init__([w.HTML(html.fragment("heading", msg(lang, "workshop_heading"), 3)), self.asking,
                          self.inside], layout=w.Layout(display="none"))
        self.add_class("lk-workshop")
        _active = self
        self.thread = threading.Thread(target=self._run, name="lederkurs-workshop", daemon=True)
        self.thread.start()

    # -- the main thread: only hands work over -------------------------------------------------------------

    def _command(self, what: str) -> None:
        self.commands.put(what)
        self.wake.set()

    # -- the background thread ------------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            try:
                self._step()
            except Exception:  # noqa: BLE001 - a bad moment of the service must not end the thread
                log.exception("workshop step failed")
            self.wake.wait(self.poll)
            self.wake.clear()

    def _step(self) -> None:
        while not self.commands.empty():
            self._do(self.commands.get_nowait())
        if self.joined is not None and self.latest is not None and self.latest != self.sent:
            body = self.latest
            status, _ = self.client.call("PUT", f"api/workshop/{self.joined}/positions", body)
            if status == 200:
                self.sent = body
            elif status in (404, 409):  # ended, or she was taken out: the next poll says what happened
                self._refresh()
            return
        self._refresh()

    def _do(self, command: str) -> None:
        workshop = self.shown
        if workshop is None:
            return
        if command == "decline":
            self.declined.add(workshop)
            self._show("declined")
        elif command == "join":
            status, _ = self.client.call("PUT", f"api/workshop/{workshop}/me")
            if status == 200:
                self.joined, self.sent = workshop, None
                if self.latest is None:
                    self.latest = positions_body(focus_points(self.course, self.store.load()))
                self._show("joined")
            else:
                self._refresh()
        elif command == "leave" and self.joined is not None:
            status, _ = self.client.call("DELETE", f"api/workshop/{self.joined}/me")
            if status in (200, 404):
                self.declined.add(self.joined)
                self.joined, self.sent = None, None
                self._show("left")

    def _refresh(self) -> None:
        try:
            found = self.client.current()
        except OSError as e:  # the service is away: nothing changes for her; asked again next time
            log.info("workshop service unreachable: %s", e)
            return
        if found is None:
            return
        workshop = (found.get("workshop") or {}).get("id")
        if self.joined is not None and (workshop != self.joined or not found.get("joined")):
            self.joined, self.sent = None, None
            self.shown = workshop
            self._show("ended")  # ended by the trainer or by itself: the service deleted her positions
            if workshop is None:
                return
        if workshop is None:
            if self.shown is not None and self.layout.display != "none" and self.inside.layout.display == "none":
                self.layout.display = "none"  # an invitation nobody answered: gone with the workshop
            self.shown = None
            return
        if self.joined is None and found.get("joined"):  # joined from another tab or before a restart
            self.joined, self.shown = workshop, workshop
            self._show("joined")
        elif self.joined is None and workshop not in self.declined and workshop != self.shown:
            self.shown = workshop
            self._show("ask")

    def _show(self, what: str) -> None:
        self.layout.display = ""
        self.asking.layout.display = "" if what == "ask" else "none"
        self.leave.layout.display = "" if what == "joined" else "none"
        self.inside.layout.display = "none" if what == "ask" else ""
        key = {"joined": "workshop_joined", "left": "workshop_left", "declined": "workshop_declined",
               "ended": "workshop_ended"}.get(what)
        if key:
            say(self.state, msg(self.lang, key))
        self.add_class(f"lk-workshop-{what}")
        for other in ("ask", "joined", "left", "declined", "ended"):
            if other != what:
                self.remove_class(f"lk-workshop-{other}")


def participant_panel(course: Course, store: AnswerStore, lang: str) -> Any:
    """Notebook 04's workshop cell: the panel on a hub with the service, else nothing at all."""
    service = configured()
    if service is None or not store.writable:
        return HTML("")
    return WorkshopPanel(course, store, lang, WorkshopClient(service))
