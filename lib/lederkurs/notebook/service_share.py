"""«Del svarene med kursholderen» (notebook 09): the one way a participant shares with the trainer.

On a hub with the course's sharing service (lederkurs.service) the panel talks to it with her server's own
token: the hub says who she is, so nothing here names her to the service. Anywhere else (her own machine,
Binder, a hub without the service) the panel says plainly that sharing needs the course server; downloading
the answers file (above it in the notebook) is how she takes her answers along there.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..answers.service_client import ServiceClient, share_file
from ..answers.store import AnswerStore
from ..course.messages import describe, msg
from ..errors import LederkursError
from ..reports import html
from .widgets import save_failed, say, shared_status


class SharePanel(w.VBox):
    """Share a copy of the answers file with the trainer through the service, see when, take it back; without
    the service (client None): one sentence saying sharing needs the course server, and no buttons."""

    def __init__(self, store: AnswerStore, lang: str, client: ServiceClient | None,
                 before_sharing: Callable[[], None]) -> None:
        self.store, self.lang, self.client, self.before_sharing = store, lang, client, before_sharing
        self.status = w.HTML()
        self.share_button = w.Button(description=msg(lang, "share_button"), icon="share", button_style="primary",
                                     layout=w.Layout(width="auto"))
        self.share_button.on_click(lambda _b: self.share())
        self.withdraw_button = w.Button(description=msg(lang, "share_withdraw_button"), icon="undo",
                                        layout=w.Layout(width="auto"))
        self.withdraw_button.on_click(lambda _b: self.withdraw())
        self.buttons = w.HBox([self.share_button, self.withdraw_button])
        self.said = w.HTML()
        hint = msg(lang, "share_hint" if client else "share_needs_server")
        super().__init__([w.HTML(html.fragment("heading", msg(lang, "share_heading"), 3)),
                          w.HTML(html.fragment("paragraph", hint)), self.status, self.buttons, self.said])
        if client is None:
            self.buttons.layout.display = "none"
            return
        self.refresh()

    def refresh(self) -> None:
        if self.client is None:
            return
        try:
            found = self.client.mine()
        except LederkursError as e:  # the service is away: say so, and keep the buttons (a retry may work)
            self.status.value = html.fragment("paragraph", describe(e, self.lang))
            return
        if found:
            self.status.value = shared_status(self.lang, found.when)
        else:
            self.status.value = html.fragment("paragraph", msg(self.lang, "share_status_none"))
        self.share_button.description = msg(self.lang, "share_again_button" if found else "share_button")
        self.withdraw_button.layout.display = "" if found else "none"

    def share(self) -> None:
        if self.client is None:
            return
        self.before_sharing()  # what was just typed is part of what is shared
        if not self.store.path.exists():
            return say(self.said, msg(self.lang, "share_nothing"), alert=True)
        try:
            share_file(self.client, self.store.path)
        except OSError as e:
            return say(self.said, save_failed(self.lang, e), alert=True)
        except LederkursError as e:
            return say(self.said, describe(e, self.lang), alert=True)
        finally:
            self.refresh()
        say(self.said, msg(self.lang, "share_done"))

    def withdraw(self) -> None:
        if self.client is None:
            return
        try:
            self.client.withdraw()
        except LederkursError as e:
            return say(self.said, describe(e, self.lang), alert=True)
        finally:
            self.refresh()
        say(self.said, msg(self.lang, "share_withdrawn"))
