"""«Del svarene med kursholder» on a hub with the course's sharing service (lederkurs.service).

The same panel as the drop box's (transfer.SharePanel: same words, same buttons), talking to the service
with the server's own token: the hub says who she is, so nothing here names her to the service.
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


class ServiceSharePanel(w.VBox):
    """Share a copy of the answers file with the trainer through the service, see when, take it back."""

    def __init__(self, store: AnswerStore, lang: str, client: ServiceClient,
                 before_sharing: Callable[[], None]) -> None:
        self.store, self.lang, self.client, self.before_sharing = store, lang, client, before_sharing
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
        try:
            self.client.withdraw()
        except LederkursError as e:
            return say(self.said, describe(e, self.lang), alert=True)
        finally:
            self.refresh()
        say(self.said, msg(self.lang, "share_withdrawn"))
