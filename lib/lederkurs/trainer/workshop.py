"""The cohort notebook's live workshop cell: the trainer starts one, opens the live page, ends it.

The calls run in a background thread (answers.workshop_client, with the trainer's server token); the live
page itself is the service's (lederkurs.service.workshop_api), reached through the hub's proxy.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w
from IPython.display import HTML
from markupsafe import Markup

from ..answers.service_client import configured
from ..answers.workshop_client import MIN_GROUP, WorkshopClient
from ..charts import png
from ..course.messages import msg
from ..reports import html


def say(target: w.HTML, text: str, alert: bool = False) -> None:
    target.value = html.fragment("alert" if alert else "said", text)


class TrainerWorkshopPanel(w.VBox):
    """The cohort notebook's cell: start a workshop (with the gathering's name), open the live page, end it."""

    def __init__(self, lang: str, client: WorkshopClient, hub_prefix: str) -> None:
        self.lang, self.client, self.hub_prefix = lang, client, hub_prefix
        self.workshop: dict[str, Any] | None = None
        self.title = w.Text(description=msg(lang, "workshop_title_label"),
                            placeholder=msg(lang, "workshop_title_placeholder"), layout=w.Layout(width="32em"),
                            style={"description_width": "initial"})
        self.start_button = w.Button(description=msg(lang, "workshop_start"), button_style="primary",
                                     icon="play", layout=w.Layout(width="auto"))
        self.end_button = w.Button(description=msg(lang, "workshop_end"), icon="stop",
                                   layout=w.Layout(width="auto"))
        self.start_button.on_click(lambda _b: self._in_background(self.start))
        self.end_button.on_click(lambda _b: self._in_background(self.end))
        self.status = w.HTML()
        super().__init__([w.HTML(html.fragment("heading", msg(lang, "workshop_trainer_heading"), 3)),
                          w.HTML(html.fragment("paragraph", msg(lang, "workshop_trainer_hint", min=MIN_GROUP))),
                          w.HBox([self.title, self.start_button, self.end_button]), self.status])
        self._in_background(self.refresh)

    def _in_background(self, action: Callable[[], None]) -> None:
        threading.Thread(target=action, name="lederkurs-workshop-trainer", daemon=True).start()

    def _live_link(self, workshop: dict[str, Any]) -> Markup:
        # The kernel reaches the service at 127.0.0.1; the trainer's browser through the hub's proxy.
        href = f"{self.hub_prefix.rstrip('/')}/services/lederkurs/workshop/{int(workshop['id'])}"
        return Markup('<a href="{}" target="_blank" rel="noopener">{}</a>').format(
            href, msg(self.lang, "workshop_live_link"))

    def _show(self) -> None:
        running = self.workshop is not None
        self.start_button.layout.display = "none" if running else ""
        self.title.layout.display = "none" if running else ""
        self.end_button.layout.display = "" if running else "none"
        if self.workshop is not None:
            self.status.value = html.t(self.lang, "workshop_started", title=self.workshop["title"],
                                       link=self._live_link(self.workshop))

    def refresh(self) -> None:
        try:
            found = self.client.current()
        except OSError:
            found = None
        if found and found.get("mine"):
            self.workshop = found["workshop"]
        self._show()

    def start(self) -> None:
        try:
            status, body = self.client.call("POST", "api/workshop", {"title": self.title.value})
        except OSError as e:
            return say(self.status, msg(self.lang, "service_unreachable", reason=e), alert=True)
        if status != 201:
            key = body.get("error", "")
            text = msg(self.lang, key, reason=body.get("values", {}).get("reason", "")) \
                if key.startswith("workshop_") else msg(self.lang, "service_refused", status=status)
            return say(self.status, text, alert=True)
        self.workshop = body["workshop"]
        self._show()

    def end(self) -> None:
        if self.workshop is None:
            return
        try:
            status, body = self.client.call("DELETE", f"api/workshop/{int(self.workshop['id'])}")
        except OSError as e:
            return say(self.status, msg(self.lang, "service_unreachable", reason=e), alert=True)
        self.workshop = None
        self._show()
        say(self.status, msg(self.lang, "workshop_ended_trainer", count=int(body.get("deleted", 0)))
            if status == 200 else msg(self.lang, "workshop_not_running"))


def trainer_panel(lang: str) -> Any:
    """The cohort notebook's workshop cell: the panel on a hub with the service, else a plain note."""
    if os.environ.get(png.CACHE_ENV):  # a render's kernel (trainer.job): a report holds no live controls
        return HTML("")
    service = configured()
    if service is None:
        return HTML(html.fragment("paragraph", msg(lang, "workshop_no_service")))
    return TrainerWorkshopPanel(lang, WorkshopClient(service), os.environ.get("JUPYTERHUB_BASE_URL", "/"))
