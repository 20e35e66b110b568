"""The sharing service (lederkurs.service) on the course's real JupyterHub, with real system users.

The hub is deploy/'s, started the way tests/test_hub.py starts it (its helpers are used): the service runs
as a managed service under its own system account, behind the proxy at /services/lederkurs/. Participants
are hub users with API tokens made through the hub's API (their own), and, where a kernel matters, their
own servers and kernels (the server's token, from JupyterHub, in the kernel's environment).

Twice: with the default SQLite store, and with a real PostgreSQL server (pg_support) and two service
processes on it, where a share through one is read through the other. What is shown: A shares, the trainer
lists and reads exactly her file; B cannot read, list, replace or withdraw A's share with his token, his
server's token, no token, or through the trainer's URLs; a file naming someone else is refused; a token
without the custom scope is refused; withdraw removes the share; 50 participants share at once through the
proxy and none is lost (time and the service's memory printed); the trainer's page works in Chromium through
the hub's OAuth.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import secrets
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.root]

if os.geteuid() != 0:
    pytest.skip("needs root: the hub starts servers as system users and the service as its own account",
                allow_module_level=True)

from lederkurs.answers.model import Answer, AnswersFile  # noqa: E402
from test_hub import Hub, add_users, install_hub, make_hub, running  # noqa: E402

import browser_support  # noqa: E402
import pg_support  # noqa: E402

SERVICE = "services/lederkurs/"
LOAD_PARTICIPANTS = 50


def answers(name: str, text: str = "Jeg bygger bro ved å snakke med begge nivåer.") -> bytes:
    return AnswersFile(name, answers={"brobygger": Answer(text, "2026-12-06T10:00:00+01:00")},
                       updated="2026-12-06T10:00:00+01:00").encode()


def two_free_ports() -> int:
    """A port p with p + 1 free as well (a second service replica listens there)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise AssertionError("no two free ports in a row")


@dataclass
class ServiceHub:
    hub: Hub
    backend: str
    names: list[str]  # the service's names: one per replica

    @property
    def trainer(self) -> str:
        return self.hub.trainer

    def user(self, role: str) -> str:
        return f"{self.hub.prefix}{role}"

    def call(self, method: str, path: str, token: str | None, body: bytes | None = None,
             service: str = "lederkurs") -> tuple[int, bytes]:
        """A request through the hub's proxy to the service, with `token` (None: no token at all)."""
        import urllib.error
        import urllib.request

        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"token {token}"
        req = urllib.request.Request(f"{self.hub.url}services/{service}/{path}", data=body, method=method,
                                     headers=headers)
        try:
            with _NO_REDIRECTS.open(req, timeout=60) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def token(self, name: str, scopes: list[str] | None = None) -> str:
        """An API token of `name`, made through the hub's API (no scopes given: the owner's permissions)."""
        body: dict[str, object] = {"note": "test_service_hub", "expires_in": 3600}
        if scopes is not None:
            body["scopes"] = scopes
        status, model = self.hub.api("POST", f"users/{name}/tokens", body)
        assert status == 201, (status, model)
        return model["token"]

    def service_pids(self) -> list[int]:
        uid = pwd.getpwnam(self.hub.env["LEDERKURS_SERVICE_USER"]).pw_uid
        return [int(d.name) for d in Path("/proc").iterdir() if d.name.isdigit() and _uid(d) == uid]

    def wait_service(self, timeout: float = 60) -> None:
        for name in self.names:
            ok = browser_support.wait_until(lambda n=name: self.call("GET", "api/share", None, service=n)[0] == 401,
                                            timeout)
            assert ok, f"service {name} did not answer:\n{self.hub.log_tail()}"


class _Redirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect is an answer of its own here (e.g. to the hub's login)


_NO_REDIRECTS = urllib.request.build_opener(_Redirect)


def _uid(d: Path) -> int | None:
    try:
        return d.stat().st_uid
    except FileNotFoundError:
        return None


@pytest.fixture(scope="module")
def installed() -> None:
    seconds = install_hub()
    print(f"\nstart-hub.sh install: {seconds:.0f} s")


postgres = pg_support.postgres  # a real PostgreSQL server for the module (Debian's postgresql)


def start_service_hub(prefix: str = "", create_users: bool = True, **overrides: str) -> ServiceHub:
    prefix = prefix or f"lk{secrets.token_hex(3)}-"
    for attempt in range(3):
        h = make_hub(prefix, LEDERKURS_SERVICE_PORT=str(two_free_ports()), **overrides)
        replicas = int(overrides.get("LEDERKURS_SERVICE_REPLICAS", "1"))
        sh = ServiceHub(h, "postgresql" if "LEDERKURS_SERVICE_DB" in overrides else "sqlite",
                        ["lederkurs"] + [f"lederkurs-{n}" for n in range(2, replicas + 1)])
        try:
            h.start()
            sh.wait_service()
        except (RuntimeError, AssertionError):
            h.stop()
            h.remove()
            if attempt == 2:
                raise
            continue
        if create_users:
            add_users(h, [sh.user("anna"), sh.user("bjorn")])
        assert h.api("GET", f"users/{h.trainer}")[0] == 200, "load_groups should have made the trainer"
        return sh
    raise AssertionError("unreachable")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def service(request: pytest.FixtureRequest, installed: None) -> Iterator[ServiceHub]:
    overrides = {}
    if request.param == "postgresql":
        pg: pg_support.Postgres = request.getfixturevalue("postgres")
        overrides = {"LEDERKURS_SERVICE_DB": pg.url, "LEDERKURS_SERVICE_REPLICAS": "2"}
    sh = start_service_hub(**overrides)
    with running(sh.hub):
        yield sh


# --- tokens made through the hub's API -----------------------------------------------------------------------

def test_a_shares_the_trainer_lists_and_reads_it_and_withdraw_removes_it(service: ServiceHub) -> None:
    anna = service.user("anna")
    a_token, trainer = service.token(anna), service.token(service.trainer)
    data = answers(anna)
    status, body = service.call("PUT", "api/share", a_token, data)
    assert status == 200, body
    share = json.loads(body)["share"]
    assert share["participant"] == anna and share["sha256"] == hashlib.sha256(data).hexdigest()
    status, body = service.call("GET", "api/share", a_token)
    assert status == 200 and json.loads(body)["share"] == share
    # Every replica sees it (two service processes on one PostgreSQL: shared through one, read through the other)
    for name in service.names:
        status, body = service.call("GET", "api/shares", trainer, service=name)
        assert status == 200, (name, body)
        assert [s["participant"] for s in json.loads(body)["shares"]] == [anna]
        assert service.call("GET", f"api/shares/{anna}", trainer, service=name) == (200, data)
    # Withdraw: gone for her and for the trainer.
    status, body = service.call("DELETE", "api/share", a_token, service=service.names[-1])
    assert (status, json.loads(body)) == (200, {"withdrawn": True})
    assert service.call("GET", "api/share", a_token)[0] == 404
    assert json.loads(service.call("GET", "api/shares", trainer)[1]) == {"shares": []}
    assert service.call("GET", f"api/shares/{anna}", trainer)[0] == 404
    assert service.call("GET", "api/share", trainer)[0] == 404  # the trainer has shared nothing of their own


def test_b_can_do_nothing_to_as_share(service: ServiceHub) -> None:
    anna, bjorn = service.user("anna"), service.user("bjorn")
    a_token, b_token = service.token(anna), service.token(bjorn)
    data = answers(anna)
    assert service.call("PUT", "api/share", a_token, data)[0] == 200
    no_scope = service.token(bjorn, scopes=["users:activity!user"])  # a real token, without the custom scope
    tricks = {
        "read A's through the trainer's URL": ("GET", f"api/shares/{anna}", None),
        "list through the trainer's URL": ("GET", "api/shares", None),
        "the trainer's page": ("GET", "", None),
        "replace A's through the trainer's URL": ("PUT", f"api/shares/{anna}", answers(anna, "Bjørns tekst")),
        "withdraw A's through the trainer's URL": ("DELETE", f"api/shares/{anna}", None),
        "share a file that names A": ("PUT", "api/share", answers(anna, "Bjørns tekst")),
        "A's name in the query": ("GET", f"api/share?participant={anna}", None),
    }
    seen = {}
    for label, token in (("B's token", b_token), ("B's token without the scope", no_scope), ("no token", None)):
        for what, (method, path, body) in tricks.items():
            status, raw = service.call(method, path, token, body)
            seen[f"{label}: {what}"] = status
            assert data not in raw and b"Jeg bygger bro" not in raw, (label, what)
            if token is None and what == "the trainer's page":
                assert status == 302, status  # a browser is sent to the hub's login (OAuth); nothing shown
                continue
            # The query is ignored: B's token gets B's own share, of which there is none (404).
            allowed = (401, 403, 404) if "query" in what else (401, 403, 405)
            assert status in allowed, (label, what, status, raw[:200])
    # B's own share endpoint acts on B only: withdrawing withdraws nothing of A's.
    assert json.loads(service.call("DELETE", "api/share", b_token)[1]) == {"withdrawn": False}
    assert service.call("GET", "api/share", b_token)[0] == 404
    # The file that names A, sent with B's token, is refused with a reason the notebook can word.
    status, raw = service.call("PUT", "api/share", b_token, answers(anna, "Bjørns tekst"))
    assert status == 403 and json.loads(raw)["error"] == "share_other_participant"
    # A's share is as she shared it.
    trainer = service.token(service.trainer)
    assert service.call("GET", f"api/shares/{anna}", trainer) == (200, data)
    assert [s["participant"] for s in json.loads(service.call("GET", "api/shares", trainer)[1])["shares"]] == [anna]
    print("\nB's attempts:", json.dumps(seen, indent=1))
    assert service.call("DELETE", "api/share", a_token)[0] == 200


def test_what_is_not_an_answers_file_is_refused_and_the_share_kept(service: ServiceHub) -> None:
    anna = service.user("anna")
    token = service.token(anna)
    assert service.call("PUT", "api/share", token, answers(anna))[0] == 200
    for body, status, key in ((b"not json", 400, "share_refused"),
                              (b'{"schema": 99, "participant": "x"}', 400, "share_refused"),
                              (b" " * (5 * 2**20 + 1), 413, "share_refused")):
        got, raw = service.call("PUT", "api/share", token, body)
        assert (got, json.loads(raw)["error"]) == (status, key), raw[:300]
    assert service.call("GET", f"api/shares/{anna}", service.token(service.trainer)) == (200, answers(anna))
    assert service.call("DELETE", "api/share", token)[0] == 200


def test_fifty_participants_share_at_once_through_the_proxy(service: ServiceHub) -> None:
    """None lost; the time and the service's memory are printed (the figures of deploy/README.md)."""
    names = [service.user(f"d{i:02d}") for i in range(LOAD_PARTICIPANTS)]
    add_users(service.hub, names)
    tokens = {n: service.token(n) for n in names}
    files = {n: answers(n, f"Svar fra {n}. " * 100) for n in names}
    pids = service.service_pids()
    assert pids, "the service's process is not running as its own account"
    before = {p: _memory(p) for p in pids}
    trainer = service.token(service.trainer)
    # Twice: first each token is new to the service (the hub checks it), then the service knows it (cached).
    for round_, label in enumerate(("new tokens", "tokens known to the service")):
        files = {n: answers(n, f"Svar {round_} fra {n}. " * 100) for n in names}
        statuses, wall, took = share_all(service, tokens, files)
        assert statuses == [200] * LOAD_PARTICIPANTS
        listed = {s["participant"] for s in json.loads(service.call("GET", "api/shares", trainer)[1])["shares"]}
        assert set(names) <= listed, f"lost: {sorted(set(names) - listed)}"
        for n in names:
            assert service.call("GET", f"api/shares/{n}", trainer) == (200, files[n]), n
        latencies = sorted(took.values())
        print(f"\n[{service.backend}, {len(service.names)} service process(es), {label}] {LOAD_PARTICIPANTS} shares "
              f"of {len(files[names[0]]) // 1024} KB at once through the proxy: all in {wall:.2f} s; per share "
              f"median {latencies[len(latencies) // 2] * 1000:.0f} ms, slowest {latencies[-1] * 1000:.0f} ms")
    after = {p: _memory(p) for p in pids}
    for p in pids:
        print(f"  service pid {p}: RSS {before[p][0] / 1024:.1f} MB before, {after[p][0] / 1024:.1f} MB after "
              f"(peak {after[p][1] / 1024:.1f} MB)")
    for n in names:
        service.call("DELETE", "api/share", tokens[n])


def share_all(service: ServiceHub, tokens: dict[str, str],
              files: dict[str, bytes]) -> tuple[list[int], float, dict[str, float]]:
    """Every participant shares at the same moment (a barrier), each with their own token, spread over the
    service's processes; returns the statuses, the wall time and each share's time."""
    barrier = threading.Barrier(len(files))
    took: dict[str, float] = {}

    def share(name: str) -> int:
        barrier.wait(timeout=60)
        start = time.monotonic()
        status, _ = service.call("PUT", "api/share", tokens[name], files[name],
                                 service=service.names[hash(name) % len(service.names)])
        took[name] = time.monotonic() - start
        return status

    started = time.monotonic()
    with ThreadPoolExecutor(len(files)) as pool:
        statuses = list(pool.map(share, files))
    return statuses, time.monotonic() - started, took


def _memory(pid: int) -> tuple[int, int]:
    """VmRSS and VmHWM (peak) of a process, in kB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
