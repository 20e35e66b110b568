"""The workshop's routes in the sharing service (lederkurs.service.workshops holds the rules).

Who calls comes from the hub, as for shares (app.Handler); what they may do from the custom scopes:

    custom:lederkurs:share      join, leave and send one's OWN positions (every participant holds it)
    custom:lederkurs:workshop   start and end a workshop; read the aggregate of the one you started (trainer)

    GET    <prefix>api/workshop                       the running workshop (or null) and whether I joined
    POST   <prefix>api/workshop                       start one: {"title": ...}                  (workshop)
    DELETE <prefix>api/workshop/<id>                  end it: every position deleted             (workshop)
    GET    <prefix>api/workshop/<id>/aggregate        the room's focus shift, anonymous          (workshop)
    PUT    <prefix>api/workshop/<id>/me               join                                       (share)
    DELETE <prefix>api/workshop/<id>/me               leave: her positions deleted at once       (share)
    PUT    <prefix>api/workshop/<id>/positions        {"areas": {id: [before, now]}, "own_areas": n} (share)
    GET    <prefix>workshop/<id>                      the trainer's live page (projector; OAuth in the browser)
    GET    <prefix>workshop/<id>/view                 the page's changing part, which the page fetches each second

A workshop someone else started does not exist for them (404). Changes need a token (never a cookie alone).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from markupsafe import Markup
from tornado import web

from ..course.content import load_course
from ..course.messages import msg
from ..errors import LederkursError
from ..reports import html
from .app import READ_SCOPE, SHARE_SCOPE, Handler
from .store import ShareStore, StoreUnavailable
from .workshops import MAX_BODY, MIN_GROUP, Aggregate, AreaFigure, WorkshopRefused, WorkshopStore, parse_positions

log = logging.getLogger(__name__)

WORKSHOP_SCOPE = "custom:lederkurs:workshop"
POLL_MS = 1000  # how often the live page asks for the aggregate
# The live page's script: fetch the view's part every POLL_MS and put it in place; stop once it is ended (410).
LIVE_SCRIPT = Markup("""(function () {
  const box = document.getElementById("lk-live");
  const url = box.dataset.url, every = Number(box.dataset.poll);
  async function tick() {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store",
                                          headers: { "X-XSRFToken": box.dataset.xsrf } });
      if (response.ok || response.status === 410) {
        const text = await response.text();
        if (text !== box.dataset.shown) { box.innerHTML = text; box.dataset.shown = text; }
        if (response.status === 410) { return; }
      }
    } catch (e) { /* the service is away for a moment: ask again */ }
    setTimeout(tick, every);
  }
  setTimeout(tick, every);
})();
""")
T = TypeVar("T")
STATUS = {"workshop_not_running": 404, "workshop_running": 409, "workshop_not_joined": 409,
          "workshop_bad_request": 400}


class WorkshopHandler(Handler):
    def initialize(self, store: Any, pool: Any, prefix: str, lang: str,  # type: ignore[override]
                   workshops: WorkshopStore) -> None:
        super().initialize(store, pool, prefix, lang)
        self.workshops = workshops

    @property
    def hub_scopes(self) -> set[str]:
        return {SHARE_SCOPE, READ_SCOPE, WORKSHOP_SCOPE}

    def trainer(self, *, browser: bool = False) -> str:
        if self.request.method != "GET" and not self.request.headers.get("Authorization"):
            raise web.HTTPError(403, reason="changes need a token")
        model = self.person(WORKSHOP_SCOPE, browser=browser)
        if model.get("kind", "user") != "user":
            raise web.HTTPError(403, reason="only a trainer runs a workshop")
        return str(model["name"])

    def body(self) -> bytes:
        if len(self.request.body) > MAX_BODY:
            self.answer_error(413, WorkshopRefused("workshop_bad_request", reason="too large"))
        return self.request.body

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        try:
            return await asyncio.get_running_loop().run_in_executor(self.pool, call, *args)
        except StoreUnavailable as e:
            self.answer_error(503, e)
        except WorkshopRefused as e:
            self.answer_error(STATUS.get(e.key, 400), e)
        except LederkursError as e:  # a title or name out of the model's bounds
            self.answer_error(400, e)
        raise AssertionError("unreachable")


class Current(WorkshopHandler):
    async def get(self) -> None:
        model = self.current_user
        if model and self.hub_auth.check_scopes({WORKSHOP_SCOPE}, model) and model.get("kind", "user") == "user":
            workshop, joined = await self.run(self.workshops.current, model["name"])
            mine = workshop is not None and workshop.trainer == model["name"]
            self.send_json({"workshop": workshop.to_json(with_trainer=mine) if workshop else None,
                            "joined": joined, "mine": mine})
            return
        name = self.own_name()
        workshop, joined = await self.run(self.workshops.current, name)
        self.send_json({"workshop": workshop.to_json() if workshop else None, "joined": joined, "mine": False})

    async def post(self) -> None:
        trainer = self.trainer()
        try:
            title = json.loads(self.body() or b"{}").get("title", "")
        except (ValueError, AttributeError, RecursionError):
            title = None
        if not isinstance(title, str):
            self.answer_error(400, WorkshopRefused("workshop_bad_request", reason="no title"))
        workshop = await self.run(self.workshops.start, trainer, title)
        self.set_status(201)
        self.send_json({"workshop": workshop.to_json(with_trainer=True),
                        "live": f"{self.prefix}workshop/{workshop.id}"})


class One(WorkshopHandler):
    async def delete(self, workshop_id: str) -> None:
        trainer = self.trainer()
        deleted = await self.run(self.workshops.end, trainer, int(workshop_id))
        self.send_json({"ended": True, "deleted": deleted})


class AggregateOut(WorkshopHandler):
    async def get(self, workshop_id: str) -> None:
        trainer = self.trainer()
        aggregate: Aggregate = await self.run(self.workshops.aggregate, trainer, int(workshop_id))
        self.send_json(aggregate.to_json())


class Me(WorkshopHandler):
    async def put(self, workshop_id: str) -> None:
        name = self.own_name()
        await self.run(self.workshops.join, name, int(workshop_id))
        self.send_json({"joined": True})

    async def delete(self, workshop_id: str) -> None:
        name = self.own_name()
        left = await self.run(self.workshops.leave, name, int(workshop_id))
        self.send_json({"left": left})


class PositionsIn(WorkshopHandler):
    async def put(self, workshop_id: str) -> None:
        name = self.own_name()
        body = self.body()
        try:
            positions = parse_positions(body, self.workshops.area_ids)
        except WorkshopRefused as e:
            self.answer_error(400, e)
        await self.run(self.workshops.place, name, int(workshop_id), positions)
        self.send_json({"placed": True})


class LivePage(WorkshopHandler):
    """The trainer's projector page: the first view drawn here, then the view's part fetched each second."""

    async def get(self, workshop_id: str) -> None:
        self.trainer(browser=True)
        aggregate: Aggregate = await self.run(self.workshops.aggregate, self.trainer(), int(workshop_id))
        self.set_header("Cache-Control", "no-store")
        self.finish(html.render("workshop.html.j2", lang=self.lang, title=aggregate.workshop.title,
                                view=live_view(aggregate, self.lang), poll_ms=POLL_MS, script=LIVE_SCRIPT,
                                view_url=f"{self.prefix}workshop/{int(workshop_id)}/view",
                                # the hub's cookie counts for the page's fetch() only with its XSRF token
                                xsrf=self.xsrf_token.decode()))


class LiveView(WorkshopHandler):
    async def get(self, workshop_id: str) -> None:
        trainer = self.trainer()
        try:
            aggregate: Aggregate = await asyncio.get_running_loop().run_in_executor(
                self.pool, self.workshops.aggregate, trainer, int(workshop_id))
        except WorkshopRefused:  # ended (here or by itself): the page says so and stops asking
            self.set_status(410)
            self.set_header("Cache-Control", "no-store")
            self.finish(str(html.fragment("paragraph", msg(self.lang, "workshop_live_ended"))))
            return
        except StoreUnavailable as e:
            self.answer_error(503, e)
        self.set_header("Cache-Control", "no-store")
        self.finish(live_view(aggregate, self.lang))


def live_view(aggregate: Aggregate, lang: str) -> str:
    """The changing part of the live page: count, chart (SVG with its text), data table."""
    shown = [a for a in aggregate.areas if a.shown]
    alt = msg(lang, "workshop_live_alt", count=aggregate.joined, shown=len(shown), total=len(aggregate.areas),
              with_guide=sum(1 for a in shown if _with_guide(a)), min=MIN_GROUP)
    return html.render("workshop_view.html.j2", lang=lang, aggregate=aggregate, alt=alt, min_group=MIN_GROUP,
                       rows=[_row(a, lang) for a in aggregate.areas])


def _with_guide(area: AreaFigure) -> bool:
    if area.before is None or area.now is None or area.now.median == area.before.median:
        return False
    return (area.now.median > area.before.median) == (area.direction == "more")


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _row(area: AreaFigure, lang: str) -> dict[str, Any]:
    arrow = msg(lang, f"chart_dir_{area.direction}")
    row: dict[str, Any] = {"area": area, "label": f"{area.label} {arrow}",
                           "direction": msg(lang, f"workshop_live_dir_{area.direction}")}
    if area.before is not None and area.now is not None:
        row["before"] = msg(lang, "workshop_live_cell", median=_number(area.before.median),
                            low=_number(area.before.low), high=_number(area.before.high))
        row["now"] = msg(lang, "workshop_live_cell", median=_number(area.now.median),
                         low=_number(area.now.low), high=_number(area.now.high))
        row["with_guide"] = _with_guide(area)
    return row


def add_routes(application: web.Application, store: ShareStore, pool: ThreadPoolExecutor, prefix: str,
               lang: str) -> WorkshopStore:
    """The workshop's routes beside the shares' (app.make_app), on the same store and pool."""
    workshops = WorkshopStore(store, load_course(lang))
    args = {"store": store, "pool": pool, "prefix": prefix, "lang": lang, "workshops": workshops}
    application.add_handlers(".*", [
        (prefix + "api/workshop", Current, args),
        (prefix + r"api/workshop/(\d{1,12})", One, args),
        (prefix + r"api/workshop/(\d{1,12})/aggregate", AggregateOut, args),
        (prefix + r"api/workshop/(\d{1,12})/me", Me, args),
        (prefix + r"api/workshop/(\d{1,12})/positions", PositionsIn, args),
        (prefix + r"workshop/(\d{1,12})", LivePage, args),
        (prefix + r"workshop/(\d{1,12})/view", LiveView, args),
    ])
    return workshops
