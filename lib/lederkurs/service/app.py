"""The sharing service as a JupyterHub service: a tornado application behind the hub's proxy.

Who calls comes only from the hub: a token (a participant's server token, an API token) or the hub's
OAuth cookie (the trainer's browser), checked by jupyterhub.services.auth.HubOAuth. What they may do comes
only from the hub's custom scopes held by that token:

    custom:lederkurs:share   share, replace, show and withdraw one's OWN answers file
    custom:lederkurs:read    list every share and read any shared file (the trainer's group)

A name in a URL or a body never says who someone is: the share endpoint has no name in it, and the file's
own `participant` must be the caller's hub name.

    PUT    <prefix>api/share           the answers file as the body: share or replace   -> 200 {share}
    GET    <prefix>api/share           one's own share                                  -> 200 {share} | 404
    DELETE <prefix>api/share           withdraw one's own share                         -> 200 {withdrawn}
    GET    <prefix>api/shares          every share (read scope)                         -> 200 {shares: [...]}
    GET    <prefix>api/shares/<name>   one shared file as it was shared (read scope)    -> 200 bytes | 404
    GET    <prefix>                    the trainer's page (OAuth login in the browser)
    GET    <prefix>oauth_callback      the hub's OAuth redirect

Errors are JSON: {"error": <message key>, "message": <plain English>, "values": {...}}; a database that is
unavailable gives 503, and nothing was written.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import quote

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated, UserNotAllowed
from tornado import web

from ..answers.model import MAX_BYTES, check_participant
from ..answers.service_client import error_to_json
from ..course.messages import msg
from ..errors import LederkursError
from ..reports import html
from .store import Share, ShareRefused, ShareStore, StoreUnavailable

log = logging.getLogger(__name__)

SHARE_SCOPE = "custom:lederkurs:share"
READ_SCOPE = "custom:lederkurs:read"
MAX_BODY = MAX_BYTES + 64 * 1024  # tornado drops a larger body unread; up to it, the model's limit answers 413
T = TypeVar("T")

class Handler(HubOAuthenticated, web.RequestHandler):
    """Identity from the hub in prepare(); each method names the scope it needs."""

    def initialize(self, store: ShareStore, pool: ThreadPoolExecutor, prefix: str, lang: str) -> None:
        self.store, self.pool, self.prefix, self.lang = store, pool, prefix, lang

    @property
    def hub_scopes(self) -> set[str]:
        return {SHARE_SCOPE, READ_SCOPE}

    async def prepare(self) -> None:
        # The hub is asked without blocking the loop (HubAuth.get_user with sync=False).
        model = await self.hub_auth.get_user(self, sync=False)
        self.current_user = model or None

    def person(self, scope: str, *, browser: bool = False) -> dict[str, Any]:
        """The caller's hub model if their token holds `scope`; 401 with no identity, 403 without the scope."""
        model = self.current_user
        if not model:
            if browser and self.request.method == "GET":
                self.redirect(self.get_login_url())
                raise web.Finish()
            raise web.HTTPError(401, reason="no hub token")
        try:
            self.check_hub_user(model)
        except UserNotAllowed:
            raise web.HTTPError(403, reason="not allowed") from None
        if not self.hub_auth.check_scopes({scope}, model):
            raise web.HTTPError(403, reason=f"needs {scope}")
        return model

    def own_name(self) -> str:
        """The caller's own participant name: a hub user's name, never one from the request."""
        if self.request.method != "GET" and not self.request.headers.get("Authorization"):
            # Changes come from the participant's kernel with a token, never from a browser's cookie alone
            # (so no other page can make the trainer's browser change anything).
            raise web.HTTPError(403, reason="changes need a token")
        model = self.person(SHARE_SCOPE)
        if model.get("kind", "user") != "user":
            raise web.HTTPError(403, reason="only a user shares their own answers")
        try:
            return check_participant(model["name"])
        except LederkursError:
            raise web.HTTPError(403, reason="this hub name cannot be a participant name") from None

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        """A store call in the pool (the loop keeps serving); its errors become HTTP answers."""
        try:
            return await asyncio.get_running_loop().run_in_executor(self.pool, call, *args)
        except StoreUnavailable as e:
            self.answer_error(503, e)
        except ShareRefused as e:
            status = 413 if getattr(e.values.get("reason"), "key", "") == "reason_too_large" else 400
            self.answer_error(403 if e.key == "share_other_participant" else status, e)
        raise AssertionError("unreachable")

    def answer_error(self, status: int, error: LederkursError) -> None:
        log.info("%s %s: %s %s", self.request.method, self.request.path, status, error)
        self.set_status(status)
        self.send_json({**error_to_json(error), "message": str(error)})
        raise web.Finish()

    def send_json(self, body: object) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body, ensure_ascii=False))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": f"http_{status_code}", "message": self._reason, "values": {}}))


class OwnShare(Handler):
    async def put(self) -> None:
        name = self.own_name()
        if len(self.request.body) > MAX_BYTES:
            self.answer_error(413, ShareRefused("share_refused",
                                                reason=LederkursError("reason_too_large", limit=MAX_BYTES)))
        share = await self.run(self.store.put, name, self.request.body)
        log.info("%s shared %d bytes", name, share.size)
        self.send_json({"share": share.to_json()})

    async def get(self) -> None:
        name = self.own_name()
        share = await self.run(self.store.get, name)
        if share is None:
            raise web.HTTPError(404, reason="nothing shared")
        self.send_json({"share": share.to_json()})

    async def delete(self) -> None:
        name = self.own_name()
        withdrawn = await self.run(self.store.delete, name)
        log.info("%s withdrew (%s)", name, withdrawn)
        self.send_json({"withdrawn": withdrawn})


class AllShares(Handler):
    async def get(self) -> None:
        self.person(READ_SCOPE)
        shares: list[Share] = await self.run(self.store.list)
        self.send_json({"shares": [s.to_json() for s in shares]})


class OneShare(Handler):
    async def get(self, name: str) -> None:
        self.person(READ_SCOPE)
        data = await self.run(self.store.read, name)
        if data is None:
            raise web.HTTPError(404, reason="nothing shared")
        self.set_header("Content-Type", "application/json")
        self.set_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote(name)}.json")
        self.set_header("Cache-Control", "no-store")
        self.finish(data)


class TrainerPage(Handler):
    async def get(self) -> None:
        model = self.person(READ_SCOPE, browser=True)
        shares: list[Share] = await self.run(self.store.list)
        lang = self.lang
        items = [html.fragment("data_link", f"{self.prefix}api/shares/{quote(s.participant)}", f"{s.participant}.json",
                               msg(lang, "service_page_share", participant=s.participant,
                                   time=s.shared_at.astimezone().strftime("%d.%m.%Y %H:%M")))
                 for s in shares]
        body = (html.fragment("heading", msg(lang, "service_page_title"), 1)
                + html.fragment("paragraph", msg(lang, "service_page_user", user=model["name"], count=len(shares)))
                + (html.fragment("links", items) if items
                   else html.fragment("paragraph", msg(lang, "service_page_none"))))
        self.set_header("Cache-Control", "no-store")
        self.finish(html.page(msg(lang, "service_page_title"), body, lang))


def make_app(store: ShareStore, prefix: str, pool: ThreadPoolExecutor, cookie_secret: bytes,
             lang: str = "nb") -> web.Application:
    """The service's routes under the hub's service prefix (/services/<name>/); `lang`: the trainer's page."""
    args = {"store": store, "pool": pool, "prefix": prefix, "lang": lang}
    return web.Application([
        (prefix + "api/share", OwnShare, args),
        (prefix + "api/shares", AllShares, args),
        (prefix + r"api/shares/([^/]+)", OneShare, args),
        (prefix + "oauth_callback", HubOAuthCallbackHandler),
        (prefix, TrainerPage, args),
    ], cookie_secret=cookie_secret)
