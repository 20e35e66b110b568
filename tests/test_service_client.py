"""The notebook's side of the sharing service, without a hub: what a participant is told when the service
cannot be reached, how the service's errors come back as the course's own, and that outside a hub nothing
changes but one sentence in the sharing panel (sharing needs the course server)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from lederkurs.answers import service_client as sc
from lederkurs.answers.store import AnswerStore
from lederkurs.course.messages import describe
from lederkurs.errors import AnswersFileError, LederkursError


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is: nothing listens there


def test_outside_a_hub_there_is_no_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(sc.SERVICE_ENV, raising=False)
    monkeypatch.setenv(sc.TOKEN_ENV, "t")
    assert sc.configured() is None
    monkeypatch.setenv(sc.SERVICE_ENV, "http://127.0.0.1:1/services/lederkurs/")
    monkeypatch.delenv(sc.TOKEN_ENV)
    assert sc.configured() is None  # no token: no identity to share as


def test_a_service_that_cannot_be_reached_is_said_plainly(answers_dir: Path) -> None:
    client = sc.ServiceClient(f"http://127.0.0.1:{closed_port()}/services/lederkurs", "token")
    with pytest.raises(LederkursError) as e:
        client.mine()
    assert e.value.key == "service_unreachable"
    text = describe(e.value, "nb")
    assert text.startswith("Fikk ikke kontakt med delingstjenesten") and "ikke borte" in text


def test_the_services_errors_come_back_as_the_courses_own() -> None:
    error = LederkursError("share_refused", reason=AnswersFileError("reason_not_json", line=3))
    body = json.dumps({**sc.error_to_json(error), "message": str(error)}).encode()
    back = sc._refusal(400, body)
    assert back.key == "share_refused" and back.values["reason"].key == "reason_not_json"
    assert describe(back, "nb") == describe(error, "nb")
    # Anything else the service (or something in between) answers is worded as a refusal with its status.
    for raw in (b"<html>Bad Gateway</html>", b'{"error": "http_403", "values": {}}', b'{"error": 5}',
                b'{"error": "share_refused", "values": {"reason": {"error": "shown", "values": {"text": "x"}}}}'):
        got = sc._refusal(502, raw)
        if got.key == "share_refused":  # a nested key that is not the answers model's own is dropped to text
            assert not isinstance(got.values["reason"], LederkursError)
        else:
            assert (got.key, got.values) == ("service_refused", {"status": 502})
        assert describe(got, "nb")


def test_the_share_panel_tells_the_participant_when_the_service_is_away(answers_dir: Path) -> None:
    pytest.importorskip("ipywidgets")
    from lederkurs.notebook.service_share import SharePanel

    store = AnswerStore(answers_dir, "kari")
    store.set_answer("brobygger.relasjoner", "Et svar.")
    before = store.path.read_bytes()
    client = sc.ServiceClient(f"http://127.0.0.1:{closed_port()}/services/lederkurs/", "token")
    panel = SharePanel(store, "nb", client, lambda: None)
    assert "Fikk ikke kontakt med delingstjenesten" in panel.status.value
    panel.share()
    assert "Fikk ikke kontakt med delingstjenesten" in panel.said.value and 'role="alert"' in panel.said.value
    panel.withdraw()
    assert "Fikk ikke kontakt" in panel.said.value
    assert store.path.read_bytes() == before  # her own file is untouched


def test_the_share_panel_says_when_her_share_was_made_in_her_language(answers_dir: Path) -> None:
    """After sharing, the panel names the day and the time of her share (the service's answer, over HTTP)."""
    import http.server
    import threading

    from lederkurs.notebook.service_share import SharePanel

    share = {"participant": "kari", "shared_at": "2026-12-06T14:05:00+01:00", "size": 10, "sha256": "0" * 64}

    class Service(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = json.dumps({"share": share}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Service)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = AnswerStore(answers_dir, "kari")
        client = sc.ServiceClient(f"http://127.0.0.1:{server.server_address[1]}/services/lederkurs/", "token")
        for lang, said in (("nb", "Delt med kursholderen"), ("en", "Shared with the facilitator on")):
            panel = SharePanel(store, lang, client, lambda: None)
            assert said in panel.status.value and "2026" in panel.status.value, panel.status.value
    finally:
        server.shutdown()


class _Recording:
    """A local HTTP server that keeps the body of each PUT and answers as the service does."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.bodies: list[bytes] = []
        bodies = self.bodies

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self, status: int, doc: object) -> None:
                body = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                self._answer(404, {"error": "not_found"})

            def do_PUT(self) -> None:  # noqa: N802
                bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                self._answer(200, {"share": {"participant": "kari", "shared_at": "2026-12-06T14:05:00+01:00",
                                             "size": len(bodies[-1]), "sha256": "0" * 64}})

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.client = sc.ServiceClient(f"http://127.0.0.1:{self.server.server_address[1]}/services/lederkurs/", "t")


def test_outside_a_hub_the_panel_says_sharing_needs_the_course_server(answers_dir: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ipywidgets")
    from lederkurs import start

    monkeypatch.delenv(sc.SERVICE_ENV, raising=False)
    summary = start("09", participant="kari", answers_dir=str(answers_dir)).summary()
    sharing = summary.sharing
    assert sharing.client is None
    assert "går gjennom kursserveren" in str(sharing.children[1].value)
    assert sharing.buttons.layout.display == "none"  # nothing to press that could not work here
    sharing.share()  # and pressing anyway (it cannot be reached) does nothing
    assert sharing.said.value == "" and sorted(p.name for p in answers_dir.iterdir()) == []
    # The rest of notebook 09 is as it was: the download link, the report and the upload are there.
    assert summary.link in summary.children and summary.upload in summary.children


def test_what_was_typed_a_moment_ago_is_shared_too(answers_dir: Path) -> None:
    pytest.importorskip("ipywidgets")
    from lederkurs import start
    from lederkurs.notebook.service_share import SharePanel

    kurs = start("01", participant="kari", answers_dir=str(answers_dir))
    kurs.question("brobygger.relasjoner").text.value = "skrevet rett før deling"  # the debounce has not fired
    service = _Recording()
    try:
        panel = SharePanel(kurs.store, "nb", service.client, kurs.flush)
        panel.share()
    finally:
        service.server.shutdown()
    assert "Svarene er delt" in panel.said.value
    doc = json.loads(service.bodies[-1])
    assert doc["answers"]["brobygger.relasjoner"]["text"] == "skrevet rett før deling"


def test_nothing_saved_means_nothing_to_share(answers_dir: Path) -> None:
    pytest.importorskip("ipywidgets")
    from lederkurs.notebook.service_share import SharePanel

    service = _Recording()
    try:
        panel = SharePanel(AnswerStore(answers_dir, "kari"), "nb", service.client, lambda: None)
        panel.share_button.click()
    finally:
        service.server.shutdown()
    assert "ingenting å dele" in panel.said.value and service.bodies == []
