"""Notebook 04's workshop panel against a service that answers when the test lets it (a real HTTP server).

Outside a hub the cell shows nothing. On a hub: a slider move never waits for the network (the service
holds the panel's request unanswered while the slider moves and saves); the invitation shows only once a
workshop runs; nothing is sent before «Ja»; what is sent is the guide's areas' numbers and the count of own
areas, never a label; «Gå ut» and the trainer's end say the numbers are deleted; «Nei» sends nothing.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from IPython.display import HTML

from lederkurs import start
from lederkurs.answers.store import AnswerStore

GUIDE = {"veiledning", "oversikt", "eksternt-fokus", "strategi", "relasjoner", "ledergruppen",
         "enkeltmedarbeidere", "detaljer"}


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False


class FakeService:
    """The service's workshop routes as the panel uses them; each request waits for `gate`."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.waiting = 0
        self.workshop: dict[str, Any] | None = None
        self.joined: set[int] = set()
        self.requests: list[tuple[str, str, Any]] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self) -> None:
                service.waiting += 1
                service.gate.wait()
                service.waiting -= 1
                size = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(size)) if size else None
                assert self.headers["Authorization"] == "token server-token"
                service.requests.append((self.command, self.path, body))
                status, answer = service.route(self.command, self.path, body)
                raw = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_PUT = do_DELETE = do_POST = _answer  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/services/lederkurs/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def route(self, method: str, path: str, body: Any) -> tuple[int, dict]:
        wid = self.workshop["id"] if self.workshop else None
        path = path.removeprefix("/services/lederkurs/")
        if (method, path) == ("GET", "api/workshop"):
            return 200, {"workshop": self.workshop, "joined": wid in self.joined, "mine": False}
        if (method, path) == ("POST", "api/workshop"):
            if wid is not None:
                return 409, {"error": "workshop_running", "values": {}}
            self.workshop = {"id": 11, "title": body["title"]}
            return 201, {"workshop": self.workshop}
        if wid is not None and (method, path) == ("DELETE", f"api/workshop/{wid}"):
            self.workshop = None
            return 200, {"ended": True, "deleted": len(self.joined)}
        if wid is None or not path.startswith(f"api/workshop/{wid}/"):
            return 404, {"error": "workshop_not_running"}
        if (method, path) == ("PUT", f"api/workshop/{wid}/me"):
            self.joined.add(wid)
            return 200, {"joined": True}
        if (method, path) == ("DELETE", f"api/workshop/{wid}/me"):
            self.joined.discard(wid)
            return 200, {"left": True}
        if (method, path) == ("PUT", f"api/workshop/{wid}/positions"):
            return (200, {"placed": True}) if wid in self.joined else (409, {"error": "workshop_not_joined"})
        return 404, {}

    def sent(self) -> list[Any]:
        return [body for method, path, body in self.requests if path.endswith("/positions")]


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeService]:
    fake = FakeService()
    monkeypatch.setenv("LEDERKURS_SERVICE_URL", fake.url)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "server-token")
    try:
        yield fake
    finally:
        fake.gate.set()
        fake.server.shutdown()


def test_outside_a_hub_the_cell_shows_nothing(answers_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEDERKURS_SERVICE_URL", raising=False)
    kurs = start("04", participant="kari", answers_dir=str(answers_dir))
    cell = kurs.workshop()
    assert isinstance(cell, HTML) and cell.data == ""
    panel = kurs.focus_self()
    panel.rows[0].before = 4  # the slider hook finds no workshop and does nothing
    panel.flush()
    assert AnswerStore(answers_dir, "kari").load().focus["veiledning"].before == 4


def test_the_invitation_joining_sending_leaving_and_the_end(answers_dir: Path, service: FakeService) -> None:
    kurs = start("04", participant="kari", answers_dir=str(answers_dir))
    workshop = kurs.workshop()
    workshop.poll = 0.05
    sliders = kurs.focus_self()
    row = next(r for r in sliders.rows if r.point.id == "veiledning")
    sliders.add_area("Lønn og budsjett")  # her own area: only counted
    # The panel's first question to the service hangs: the sliders move and save all the same.
    assert _wait_for(lambda: service.waiting >= 1)
    row.before, row.now = 2, 9
    row.flush()
    assert (AnswerStore(answers_dir, "kari").load().focus["veiledning"].now, service.waiting) == (9, 1)
    assert workshop.layout.display == "none"  # no workshop running: nothing shows
    service.gate.set()
    time.sleep(0.3)
    assert workshop.layout.display == "none" and service.sent() == []

    service.workshop = {"id": 7, "title": "Samling 1"}
    assert _wait_for(lambda: workshop.layout.display == "" and workshop.asking.layout.display == "")
    assert "Vil du være med?" in workshop.invite.value and "slettes" in workshop.privacy.value
    row.now = 8
    time.sleep(0.3)
    assert service.sent() == []  # not before «Ja»

    workshop.yes.click()
    assert _wait_for(lambda: len(service.sent()) == 1)
    first = service.sent()[0]
    assert set(first) == {"areas", "own_areas"} and set(first["areas"]) == GUIDE and first["own_areas"] == 1
    assert first["areas"]["veiledning"] == [2, 8]
    assert "Lønn" not in json.dumps(first) and "kari" not in json.dumps(first)
    assert "Du er med" in workshop.state.value and workshop.leave.layout.display == ""
    row.now = 10
    assert _wait_for(lambda: service.sent()[-1]["areas"]["veiledning"] == [2, 10])

    workshop.leave.click()
    assert _wait_for(lambda: "Tallene dine er slettet" in workshop.state.value)
    count = len(service.sent())
    row.now = 3
    time.sleep(0.3)
    assert len(service.sent()) == count  # out: nothing goes

    # A new workshop: asked again; she joins; the trainer ends it: the notebook says all was deleted.
    service.workshop = {"id": 8, "title": "Samling 2"}
    assert _wait_for(lambda: workshop.asking.layout.display == "")
    workshop.yes.click()
    assert _wait_for(lambda: "Du er med" in workshop.state.value)
    service.workshop = None
    assert _wait_for(lambda: "avsluttet workshopen" in workshop.state.value)
    assert "slettet" in workshop.state.value

    # «Nei takk»: nothing of hers is sent to that workshop, and she is not asked again for it.
    service.workshop = {"id": 9, "title": "Samling 3"}
    assert _wait_for(lambda: workshop.asking.layout.display == "")
    workshop.no.click()
    assert _wait_for(lambda: "Du er ikke med" in workshop.state.value)
    row.now = 6
    time.sleep(0.3)
    assert not any(path.startswith("/services/lederkurs/api/workshop/9/") for _, path, _ in service.requests)
    assert workshop.asking.layout.display == "none"


@pytest.mark.browser
def test_voila_page_of_04_invites_joins_and_sends(service: FakeService, browser,
                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    """The same panel on notebook 04's Voilà page (the kernel finds the service through its environment)."""
    from playwright.sync_api import expect

    import browser_support

    service.gate.set()
    service.workshop = {"id": 7, "title": "Samling 1, Oslo"}
    server, stop = browser_support.start_server(browser_support.start_voila, lambda: tmp_path_factory.mktemp("v"))
    ctx, page = browser_support.new_page(browser)
    try:
        page.goto(server.render_url("04-overgang.ipynb"))
        invite = page.get_by_text("Kursholderen viser et anonymt bilde av gruppen nå. Vil du være med?")
        expect(invite).to_be_visible(timeout=90_000)
        expect(page.get_by_text("Bare kursholderen ser dem")).to_be_visible()
        invite.scroll_into_view_if_needed()
        browser_support.shot(page, "workshop-voila-invitation.png", browser_support.VOILA_SCROLLER)
        assert service.sent() == []
        page.get_by_role("button", name="Ja, jeg er med").click()
        expect(page.get_by_text("Du er med.")).to_be_visible()
        assert _wait_for(lambda: len(service.sent()) >= 1)
        slider = page.locator('input[type="range"][aria-label^="Veiledning av andre"]').nth(1)
        slider.focus()
        slider.press("Home")
        assert _wait_for(lambda: service.sent()[-1]["areas"]["veiledning"][1] == 0)
        browser_support.shot(page, "workshop-voila-joined.png", browser_support.VOILA_SCROLLER)
        for width, name in ((390, "narrow"), (683, "zoom")):  # 683: 1366 px at 200 % zoom
            page.set_viewport_size({"width": width, "height": 900})
            page.get_by_role("button", name="Gå ut").scroll_into_view_if_needed()
            browser_support.shot(page, f"workshop-voila-joined-{name}.png")
        page.get_by_role("button", name="Gå ut").click()
        expect(page.get_by_text("Du gikk ut. Tallene dine er slettet")).to_be_visible()
        browser_support.assert_no_browser_errors(page)
    finally:
        ctx.close()
        stop()


def test_the_trainers_cell_starts_links_and_ends(service: FakeService, monkeypatch: pytest.MonkeyPatch) -> None:
    from lederkurs.charts import png
    from lederkurs.trainer.start import start_cohort

    service.gate.set()
    monkeypatch.setenv("JUPYTERHUB_BASE_URL", "/")
    kull = start_cohort(lang="nb")
    panel = kull.cohort_workshop()
    panel.title.value = "Samling 1, Oslo"
    panel.start_button.click()
    assert _wait_for(lambda: "er i gang" in panel.status.value)
    assert 'href="/services/lederkurs/workshop/11"' in panel.status.value
    assert panel.start_button.layout.display == "none" and panel.end_button.layout.display == ""
    service.joined = {11, 12}
    panel.end_button.click()
    assert _wait_for(lambda: "Tallene fra 2 deltakere er slettet" in panel.status.value)
    assert service.workshop is None and panel.start_button.layout.display == ""
    # In a render's kernel (a report) and outside a hub: no live controls.
    monkeypatch.setenv(png.CACHE_ENV, "/tmp/charts")
    assert kull.cohort_workshop().data == ""
    monkeypatch.delenv(png.CACHE_ENV)
    monkeypatch.delenv("LEDERKURS_SERVICE_URL")
    assert "kursserveren" in kull.cohort_workshop().data
