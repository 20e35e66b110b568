"""The course's JupyterHub on one server (deploy/), end to end, with real system users and a real browser.

Runs as root: JupyterHub's LocalProcessSpawner switches to each participant's system user, and the test
creates and deletes system users. As anyone else the module is skipped, saying so.

`deploy/start-hub.sh install` puts the hub's venv in LEDERKURS_HUB_TEST_PREFIX (default
/opt/lederkurs-hub-test, kept between runs: a fresh machine installs once, about 2 minutes; after that a
check of a few seconds, or about 15 s when the course's files changed): the course as a wheel built from
this working tree (LEDERKURS_REPO_REF=worktree), with its `hub` extra, under requirements.lock. Everything
else lives in one temporary folder per hub (0711, so participants can pass through to their homes): the
hub's database, the participants' homes, the sharing service's folder. JupyterHub and
configurable-http-proxy listen on free 127.0.0.1 ports. The users (a trainer and two participants) get
names with a random part, so two runs cannot collide; all of them, their processes, groups and folders are
removed at the end, also when a test fails.

What is shown: sign-up and login through NativeAuthenticator's forms, the trainer approving; each
participant lands in JupyterLab on notebook 00 of their own copy (`lederkurs copy`); an answer typed in
notebook 01 is saved in ~/lederkurs/answers/<hub user>.json (theirs, 0600; the name from JUPYTERHUB_USER); a
restart never overwrites their notebooks; B can read nothing of A's, neither through B's Jupyter server nor
from B's kernel; the idle culler stops an idle server; stopping the hub stops everything. Sharing with the
trainer («Del svarene med kursholderen») goes through the course's sharing service: tests/test_service_hub.py
and tests/test_service_widget.py.

And what a participant with a shell tried against the trainer and the hub (issue 30), each failing before the
fix: the trainer holds no access to participants' servers (no admin, no access:servers); approving and
deleting sign-ups only by POST with the _xsrf token, cookies SameSite=Lax; Secure cookies and HSTS behind a
TLS front; limits on kernels, memory and processes per participant; her detached processes end with her
server; start-hub.sh refuses ports someone else holds; wrong passwords from one browser do not lock out
another that has logged in before.
"""

from __future__ import annotations

import grp
import http.client
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import tempfile
import textwrap
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.root, pytest.mark.browser]

if os.geteuid() != 0:
    pytest.skip("needs root: JupyterHub's LocalProcessSpawner starts each participant's server as that "
                "participant's system user, and the test creates and deletes system users (useradd, "
                "userdel)", allow_module_level=True)

from lederkurs import paths  # noqa: E402

import browser_support  # noqa: E402

pytestmark = [pytest.mark.hub, pytest.mark.root, pytest.mark.browser, pytest.mark.kernel]

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
PREFIX = Path(os.environ.get("LEDERKURS_HUB_TEST_PREFIX") or "/opt/lederkurs-hub-test")
VENV_BIN = PREFIX / "venv" / "bin"
SAVED = browser_support.SAVED
HUB_TIMEOUT = 120_000  # ms: a server's start plus a notebook's Run All on a busy 2-core machine
INSTALL_TIMEOUT = 1800  # s: the first install builds the venv
ANSWERS = {"anna": "Jeg bygger bro ved å snakke med begge nivåer hver uke.",
           "bjorn": "Jeg prøver å være tydelig oppover og nedover."}


# --- the hub -------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hub_env(base: Path, prefix: str, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEDERKURS_", "JUPYTER"))}
    env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    env.update({
        "LEDERKURS_HUB_PREFIX": str(PREFIX),
        "LEDERKURS_REPO": str(REPO),
        "LEDERKURS_REPO_REF": "worktree",  # what is tested is this checkout, committed or not
        "LEDERKURS_HUB_DATA": str(base / "data"),
        "LEDERKURS_HUB_PORT": str(free_port()),
        "LEDERKURS_HUB_API_PORT": str(free_port()),
        "LEDERKURS_PROXY_API_PORT": str(free_port()),
        "LEDERKURS_TRAINER": f"{prefix}kursholder",
        "LEDERKURS_TRAINER_GROUP": f"{prefix}kursholdere",
        "LEDERKURS_PARTICIPANT_GROUP": f"{prefix}deltakere",
        "LEDERKURS_HOME_BASE": str(base / "home"),
        "LEDERKURS_HUB_ADMIN_TOKEN": secrets.token_hex(32),
        # Per-participant limits (tests/test_hub.py reads them back)
        "LEDERKURS_MAX_KERNELS": "4",
        "LEDERKURS_MEMORY_MB": "2048",
        "LEDERKURS_MAX_PROCESSES": "300",
        # The sharing service (tests/test_service_hub.py): its own account and folder of this run, a free port
        "LEDERKURS_SERVICE_PORT": str(free_port()),
        "LEDERKURS_SERVICE_USER": f"{prefix}deling",
        "LEDERKURS_SERVICE_DATA": str(base / "deling"),
    })
    env.update(overrides)
    return env


def install_hub() -> float:
    """start-hub.sh install (quick when the prefix is up to date); returns the seconds it took."""
    start = time.monotonic()
    env = hub_env(Path(tempfile.gettempdir()), "lkinstall-")
    done = subprocess.run([str(DEPLOY / "start-hub.sh"), "install"], env=env, timeout=INSTALL_TIMEOUT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return time.monotonic() - start


@dataclass
class Hub:
    base: Path
    prefix: str  # every system user and group of this run starts with it
    env: dict[str, str]
    proc: subprocess.Popen | None = None
    kernels: dict[str, str] = field(default_factory=dict)  # user -> kernel id
    tokens: dict[str, str] = field(default_factory=dict)  # user -> API token

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.env['LEDERKURS_HUB_PORT']}/"

    @property
    def trainer(self) -> str:
        return self.env["LEDERKURS_TRAINER"]

    @property
    def log(self) -> Path:
        return self.base / "hub.log"

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    # -- start and stop --

    def start(self, timeout: float = 90) -> None:
        subprocess.run([str(DEPLOY / "start-hub.sh"), "setup"], env=self.env, check=True, timeout=120,
                       capture_output=True)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([str(DEPLOY / "start-hub.sh"), "run"], env=self.env, cwd="/",
                                         stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if self.api("GET", "")[0] == 200:  # the hub's JSON, not the proxy's early "Not Found"
                    return
            except (OSError, http.client.HTTPException):  # not listening yet, or the port is someone else's
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the hub did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def users(self) -> list[pwd.struct_passwd]:
        return [p for p in pwd.getpwall() if p.pw_name.startswith(self.prefix)]

    def processes(self) -> list[int]:
        """Every process of this run's users."""
        uids = {p.pw_uid for p in self.users()}
        pids = []
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    if d.stat().st_uid in uids:
                        pids.append(int(d.name))
                except FileNotFoundError:
                    pass
        return pids

    def stop(self) -> None:
        """Stop the hub (which stops the proxy, the culler and every server), then anything left over."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                print(f"hub did not stop in 60 s, killing it\n{self.log_tail(30)}")
                self.proc.kill()
                self.proc.wait(timeout=10)
        leftovers = self.processes()
        for pid_file in ("jupyterhub.pid", "proxy.pid"):  # left only when the hub did not stop cleanly
            try:
                leftovers.append(int((self.base / "data" / pid_file).read_text()))
            except (OSError, ValueError):
                pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in leftovers:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            browser_support.wait_until(lambda: not any(Path(f"/proc/{p}").exists() for p in leftovers), 10,
                                       interval=0.2)

    def remove(self) -> None:
        """Delete this run's users (with their homes and own groups), groups and folders."""
        for p in self.users():
            subprocess.run(["userdel", "--remove", p.pw_name], capture_output=True)
        for g in grp.getgrall():
            if g.gr_name.startswith(self.prefix):
                subprocess.run(["groupdel", g.gr_name], capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)

    # -- the hub's REST API, and each user's server through the proxy --

    def request(self, method: str, url: str, token: str, body: object = None,
                timeout: float = 60) -> tuple[int, bytes]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": f"token {token}",
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def api(self, method: str, path: str, body: object = None, timeout: float = 60) -> tuple[int, object]:
        status, raw = self.request(method, f"{self.url}hub/api/{path}", self.env["LEDERKURS_HUB_ADMIN_TOKEN"],
                                   body, timeout)
        try:
            return status, (json.loads(raw) if raw else None)
        except ValueError:  # e.g. the proxy's "Not Found" before the hub's route is in
            return status, raw.decode(errors="replace")

    def user_model(self, name: str) -> dict:
        status, model = self.api("GET", f"users/{name}")
        assert status == 200, (status, model)
        return model

    def server_ready(self, name: str) -> bool:
        return bool(self.user_model(name)["servers"].get("", {}).get("ready"))

    def wait_ready(self, name: str, timeout: float = 180) -> None:
        if not browser_support.wait_until(lambda: self.server_ready(name), timeout):
            raise AssertionError(f"{name}'s server not ready in {timeout:.0f} s:\n{self.log_tail()}")

    def start_server(self, name: str) -> None:
        status, body = self.api("POST", f"users/{name}/server")
        assert status in (201, 202, 400), (status, body)  # 400: already running
        self.wait_ready(name)

    def stop_server(self, name: str, timeout: float = 60) -> None:
        self.kernels.pop(name, None)
        status, body = self.api("DELETE", f"users/{name}/server")
        assert status in (202, 204, 400), (status, body)
        if not browser_support.wait_until(lambda: not self.user_model(name)["servers"], timeout):
            raise AssertionError(f"{name}'s server did not stop")

    def token(self, name: str) -> str:
        """An API token of the user themself: it can reach their own server and nobody else's."""
        if name not in self.tokens:
            status, body = self.api("POST", f"users/{name}/tokens", {"note": "test_hub", "expires_in": 3600})
            assert status == 201, (status, body)
            self.tokens[name] = body["token"]
        return self.tokens[name]

    def server_get(self, as_user: str, path: str) -> tuple[int, bytes]:
        """GET a path under the proxy with `as_user`'s token, e.g. user/B/api/contents/..."""
        return self.request("GET", f"{self.url}{path}", self.token(as_user))

    def run(self, name: str, code: str, timeout: float = 60) -> dict:
        """Run `code` in `name`'s own kernel (their server, their uid) through the kernel websocket.

        The code sets `result`; returns {"ok": True, "value": result} or
        {"ok": False, "error": "PermissionError", "message": ...}.
        """
        import websocket  # websocket-client

        token = self.token(name)
        if name not in self.kernels:
            status, raw = self.request("POST", f"{self.url}user/{name}/api/kernels", token, {"name": paths.KERNEL})
            assert status == 201, (status, raw)
            self.kernels[name] = json.loads(raw)["id"]
        wrapped = ("import json as _j\nresult = None\ntry:\n" + textwrap.indent(textwrap.dedent(code), "    ")
                   + "\n    _out = {'ok': True, 'value': result}\nexcept Exception as _e:\n"
                   "    _out = {'ok': False, 'error': type(_e).__name__, 'message': str(_e)}\n"
                   "print('@@' + _j.dumps(_out, default=str))\n")
        ws_url = (f"ws://127.0.0.1:{self.env['LEDERKURS_HUB_PORT']}/user/{name}/api/kernels/"
                  f"{self.kernels[name]}/channels")
        ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=timeout)
        try:
            msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "username": name, "session": session, "msg_type": "execute_request",
                           "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": wrapped, "silent": False, "store_history": False, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True}}))
            out, deadline = "", time.monotonic() + timeout
            while time.monotonic() < deadline:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind == "stream":
                    out += msg["content"]["text"]
                elif kind == "error":
                    raise AssertionError(f"kernel error: {msg['content']['ename']}: {msg['content']['evalue']}")
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    break
        finally:
            ws.close()
        lines = [line for line in out.splitlines() if line.startswith("@@")]
        assert lines, f"no result from {name}'s kernel: {out!r}"
        return json.loads(lines[-1][2:])

    def as_trainer(self, *args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run a command as the trainer's system user (its groups, its home), with the hub venv on PATH."""
        home = pwd.getpwnam(self.trainer).pw_dir
        env = ["env", "-i", f"HOME={home}", f"USER={self.trainer}", f"LOGNAME={self.trainer}", "LANG=C.UTF-8",
               f"PATH={VENV_BIN}:/usr/local/bin:/usr/bin:/bin"]
        return subprocess.run(["runuser", "-u", self.trainer, "--", *env, *map(str, args)], cwd=home,
                              capture_output=True, text=True, timeout=timeout)


def make_hub(prefix: str | None = None, **overrides: str) -> Hub:
    prefix = prefix or f"lk{secrets.token_hex(3)}-"
    base = Path(tempfile.mkdtemp(prefix=f"{prefix}hub-"))
    base.chmod(0o711)  # participants pass through to their homes under it, nobody lists it
    return Hub(base, prefix, hub_env(base, prefix, **overrides))


@contextmanager
def running(h: Hub) -> Iterator[Hub]:
    """A started hub for a fixture: stopped, and its users, groups and folders removed, afterwards."""
    try:
        yield h
    finally:
        h.stop()
        h.remove()


def add_users(h: Hub, names: list[str]) -> None:
    """Hub users made through the hub's API (no sign-up, no password: for tokens and servers)."""
    status, body = h.api("POST", "users", {"usernames": names})
    assert status == 201, (status, body)


def sign_up_all(page, h: Hub, passwords: dict[str, str]) -> None:
    """Each name signs up through NativeAuthenticator's form (pre-approved: the trainer, LEDERKURS_PARTICIPANTS)."""
    for name, password in passwords.items():
        sign_up(page, h, name, password)


def start_hub(**overrides: str) -> Hub:
    """A started hub on free ports; a port taken between choosing and binding it means a new try (three)."""
    for attempt in range(3):
        h = make_hub(**overrides)
        try:
            h.start()
            return h
        except (RuntimeError, AssertionError):
            h.stop()
            h.remove()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# --- a plain HTTP client with its own cookies, to see what a browser would be sent ------------------------------

@dataclass
class Web:
    """One client of the hub through the proxy: its own cookies, redirects not followed, raw headers kept."""

    hub: Hub
    cookies: dict[str, str] = field(default_factory=dict)

    def send(self, method: str, path: str, form: dict[str, str] | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, str]:
        conn = http.client.HTTPConnection("127.0.0.1", int(self.hub.env["LEDERKURS_HUB_PORT"]), timeout=60)
        head = {"Sec-Fetch-Mode": "navigate", **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            head["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, "/" + path.lstrip("/"), body=body, headers=head)
            resp = conn.getresponse()
            text = resp.read().decode(errors="replace")
        finally:
            conn.close()
        for raw in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0]
            if value and "expires=Thu, 01 Jan 1970" not in raw and "Max-Age=0" not in raw:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return resp.status, resp.headers, text

    def xsrf(self, path: str) -> str:
        """The page's _xsrf form value (GET sets the cookie it is checked against)."""
        status, _, text = self.send("GET", path)
        assert status == 200, (path, status, text[:300])
        found = re.search(r'name="_xsrf" value="([^"]+)"', text)
        assert found, f"no _xsrf in {path}"
        return found.group(1)

    def log_in(self, name: str, password: str,
               headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, str]:
        return self.send("POST", "hub/login", {"_xsrf": self.xsrf("hub/login"), "username": name,
                                               "password": password}, headers)

    def sign_up(self, name: str, password: str) -> str:
        status, _, text = self.send("POST", "hub/signup", {
            "_xsrf": self.xsrf("hub/signup"), "username": name, "signup_password": password,
            "signup_password_confirmation": password})
        assert status == 200, (status, text[:300])
        return text


def logged_in(status: int, headers: http.client.HTTPMessage) -> bool:
    """A login POST that worked: a redirect with the hub's login cookie."""
    return status == 302 and any(c.startswith("jupyterhub-hub-login=") for c in headers.get_all("Set-Cookie") or [])


def approved(hub: Hub, name: str) -> bool | None:
    """NativeAuthenticator's record of a sign-up: approved or not; None when there is none."""
    with sqlite3.connect(hub.base / "data" / "jupyterhub.sqlite") as db:
        row = db.execute("SELECT is_authorized FROM users_info WHERE username = ?", (name,)).fetchone()
    return None if row is None else bool(row[0])


# --- the browser: conftest's session Chromium, browser_support's pages --------------------------------------

def sign_up(page, hub: Hub, name: str, password: str) -> str:
    """NativeAuthenticator's sign-up form; returns the message it shows."""
    page.goto(f"{hub.url}hub/signup")
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.fill("#password_confirmation_input", password)
    page.click("#signup_submit")
    page.wait_for_load_state()
    return page.locator(".alert").inner_text()


def log_in(page, hub: Hub, name: str, password: str, next_path: str = "") -> None:
    """Submit NativeAuthenticator's login form (returns right after the submit)."""
    query = f"?next={urllib.request.quote(next_path, safe='')}" if next_path else ""
    page.goto(f"{hub.url}hub/login{query}")
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")


def open_notebook(page, hub: Hub, name: str, notebook: str):
    page.goto(f"{hub.url}user/{name}/lab/tree/{notebook}")
    return wait_notebook(page, notebook)


def wait_notebook(page, notebook: str):
    """The notebook's own panel (its tab's panel, not whichever notebook is on screen: JupyterLab restores a
    workspace's other tabs around it), once its kernel is idle."""
    from playwright.sync_api import expect

    panel = page.get_by_role("tabpanel", name=notebook, exact=True)
    expect(panel.locator(".jp-Notebook .jp-Cell").first).to_be_attached(timeout=HUB_TIMEOUT)
    page.get_by_role("tab", name=notebook, exact=True).click()  # on screen, and JupyterLab's current notebook
    # The notebook, not its first cell: participant mode hides a code cell that shows nothing
    expect(panel.locator(".jp-Notebook")).to_be_visible(timeout=HUB_TIMEOUT)
    expect(panel.locator(".jp-KernelName")).to_contain_text("Python 3", timeout=HUB_TIMEOUT)
    expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute("data-status", "idle",
                                                                               timeout=HUB_TIMEOUT)
    return panel


# --- the test run: one hub for the module, and a second one for the culler -----------------------------------

@dataclass
class Person:
    name: str
    password: str

    @property
    def pw(self) -> pwd.struct_passwd:
        return pwd.getpwnam(self.name)

    @property
    def home(self) -> Path:
        return Path(self.pw.pw_dir)

    @property
    def course(self) -> Path:
        return self.home / "lederkurs"

    @property
    def answers_file(self) -> Path:
        return self.course / "answers" / f"{self.name}.json"


@pytest.fixture(scope="module")
def installed() -> None:
    seconds = install_hub()
    print(f"\nstart-hub.sh install ({PREFIX}): {seconds:.0f} s")


@dataclass
class Culled:
    """A server on a hub with a 30-second culling timeout, watched from its start until the culler stops it."""

    hub: Hub
    name: str
    ready_after: float | None = None
    culled_after: float | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def watch(self, started: float) -> None:
        while not self.done.is_set() and time.monotonic() - started < 300:
            try:
                servers = self.hub.user_model(self.name)["servers"]
            except (AssertionError, OSError):
                servers = {"": {}}
            if servers.get("", {}).get("ready") and self.ready_after is None:
                self.ready_after = time.monotonic() - started
            if not servers and self.ready_after is not None:
                self.culled_after = time.monotonic() - started
                return
            time.sleep(1)


@pytest.fixture(scope="module")
def idle_hub(installed) -> Culled:
    """Started before the main hub, so its culler works while the other tests run."""
    h = start_hub(LEDERKURS_CULL_MINUTES="0.5", LEDERKURS_CULL_EVERY_SECONDS="5")
    watcher = None
    try:
        name = f"{h.prefix}idle"
        assert h.api("POST", f"users/{name}")[0] == 201
        started = time.monotonic()
        status, body = h.api("POST", f"users/{name}/server")
        assert status in (201, 202), (status, body)
        culled = Culled(h, name)
        watcher = threading.Thread(target=culled.watch, args=(started,), daemon=True)
        watcher.start()
        yield culled
    finally:
        if watcher:
            culled.done.set()
            watcher.join(timeout=10)
        h.stop()
        h.remove()


@pytest.fixture(scope="module")
def hub(installed, idle_hub: Culled) -> Iterator[Hub]:
    with running(start_hub()) as h:
        yield h


@pytest.fixture(scope="module")
def people(hub: Hub) -> dict[str, Person]:
    return {role: Person(f"{hub.prefix}{role}", secrets.token_urlsafe(12))
            for role in ("kursholder", "anna", "bjorn")}


# --- the tests --------------------------------------------------------------------------------------------------

def test_start_hub_and_make_hub_refuse_to_run_without_root() -> None:
    folder = Path(tempfile.mkdtemp(prefix="lk-nonroot-"))
    try:
        folder.chmod(0o755)
        (folder / "deploy").mkdir(mode=0o755)
        shutil.copy(REPO / "Makefile", folder / "Makefile")
        shutil.copy(DEPLOY / "start-hub.sh", folder / "deploy" / "start-hub.sh")
        for p in folder.rglob("*"):
            p.chmod(0o755 if p.is_dir() or p.suffix == ".sh" else 0o644)
        as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        script = subprocess.run([*as_nobody, str(folder / "deploy" / "start-hub.sh")], capture_output=True,
                                text=True, timeout=30, cwd="/")
        make = subprocess.run([*as_nobody, "make", "-s", "-C", str(folder), "hub"], capture_output=True,
                              text=True, timeout=30, cwd="/")
    finally:
        shutil.rmtree(folder)
    assert script.returncode == 1
    assert "must run as root" in script.stderr and "setuid" in script.stderr, script.stderr
    assert make.returncode != 0
    assert "must run as root" in make.stderr and "LocalProcessSpawner" in make.stderr, make.stderr


def test_sign_up_approve_and_land_in_notebook_00(hub: Hub, people: dict[str, Person], browser) -> None:
    from playwright.sync_api import expect

    trainer = people["kursholder"]
    ctx, page = browser_support.new_page(browser)
    try:
        # The trainer signs up first and is approved at once (an allowed user; no hub admin).
        sign_up(page, hub, trainer.name, trainer.password)
        assert approved(hub, trainer.name) is True
        # Participants sign up; they wait for the trainer.
        for role in ("anna", "bjorn"):
            c, p = browser_support.new_page(browser)
            try:
                said = sign_up(p, hub, people[role].name, people[role].password)
                assert "Registreringen er mottatt" in said, said
                log_in(p, hub, people[role].name, people[role].password)
                expect(p.get_by_text("kursholderen har ikke godkjent deg ennå")).to_be_visible()
            finally:
                c.close()
        log_in(page, hub, trainer.name, trainer.password)
        page.wait_for_url(re.compile(r".*/(user|hub)/.*"))
        page.goto(f"{hub.url}hub/authorize")
        for role in ("anna", "bjorn"):
            row = page.locator(f"tr#{people[role].name}")
            row.get_by_role("button", name="Godkjenn").click()
            expect(page.locator(f"tr#{people[role].name}")).to_contain_text("Ja")
        browser_support.shot(page, "hub-authorize.png")
    finally:
        ctx.close()

    for role in ("anna", "bjorn"):
        person = people[role]
        ctx, page = browser_support.new_page(browser)
        try:
            log_in(page, hub, person.name, person.password)
            page.wait_for_url(re.compile(rf".*/user/{person.name}/lab/tree/00-innledning\.ipynb.*"),
                              timeout=HUB_TIMEOUT)
            panel = wait_notebook(page, "00-innledning.ipynb")
            expect(panel.locator(".jp-MarkdownCell h1").first).to_be_visible()
            browser_support.shot(page, f"hub-{role}-lands-on-00.png")
        finally:
            ctx.close()
        # Their own system account and private home, the notebooks copied as them by `lederkurs copy`.
        pw = person.pw
        assert grp.getgrnam(hub.env["LEDERKURS_PARTICIPANT_GROUP"]).gr_gid in os.getgrouplist(person.name,
                                                                                              pw.pw_gid)
        for folder in (person.home, person.course, person.course / "answers"):
            st = os.stat(folder)
            assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (pw.pw_uid, 0o700), folder
        copied = sorted(person.course.glob("*.ipynb"))
        assert len(copied) == 10 and [p.name for p in copied][:2] == ["00-innledning.ipynb", "01-brobygger.ipynb"]
        assert not any(p.name.startswith("kursholder-") for p in copied)
        assert (person.course / ".lederkurs").is_file() and not (person.course / "nn").exists()
        for p in copied:
            st = os.stat(p)
            assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (pw.pw_uid, 0o600), p


def test_a_hub_user_named_like_a_system_account_is_refused(hub: Hub) -> None:
    """`daemon` or `root` may sign up (valid names), but no server is ever started as that account."""
    for name in ("daemon", "root"):
        assert hub.api("POST", f"users/{name}")[0] == 201
        try:
            status, body = hub.api("POST", f"users/{name}/server")
            assert status == 403 and "outside the course" in body["message"], (status, body)
            assert not hub.user_model(name)["servers"]
        finally:
            assert hub.api("DELETE", f"users/{name}")[0] == 204


def saved_texts(person: Person) -> list[str] | None:
    """The answers in a participant's answers file, as it is on disk now (None while there is none)."""
    try:
        doc = json.loads(person.answers_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [a["text"] for a in doc["answers"].values()]


def test_answer_is_saved_in_the_participants_own_home(hub: Hub, people: dict[str, Person], browser) -> None:
    from playwright.sync_api import expect

    for role in ("anna", "bjorn"):
        person = people[role]
        ctx, page = browser_support.new_page(browser)
        try:
            log_in(page, hub, person.name, person.password, next_path="/hub/user-redirect/lab/tree/01-brobygger.ipynb")
            panel = wait_notebook(page, "01-brobygger.ipynb")  # it runs itself (participant mode)
            box = panel.get_by_label("Ditt svar")
            try:
                expect(box).to_be_visible(timeout=HUB_TIMEOUT)
            except AssertionError:
                browser_support.shot(page, f"FAILED-hub-{role}-01-no-answer-box.png")
                raise
            box.click()
            page.keyboard.type(ANSWERS[role], delay=5)
            expect(panel.locator(".lk-status").first).to_have_text(SAVED, timeout=30_000)
            # On a loaded machine the status can still show a save made while typing: the page stays open
            # until the whole answer is on disk.
            browser_support.wait_until(lambda p=person, r=role: saved_texts(p) == [ANSWERS[r]], 30)
            browser_support.shot(page, f"hub-{role}-01-answered.png")
        finally:
            ctx.close()
        st = os.stat(person.answers_file)
        assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (person.pw.pw_uid, 0o600)
        doc = json.loads(person.answers_file.read_text(encoding="utf-8"))
        assert doc["participant"] == person.name  # from JUPYTERHUB_USER: the hub sets no LEDERKURS_PARTICIPANT
        assert [a["text"] for a in doc["answers"].values()] == [ANSWERS[role]]


def test_a_restart_never_overwrites_the_participants_notebooks(hub: Hub, people: dict[str, Person]) -> None:
    anna = people["anna"]
    course = anna.course
    # Anna changes notebook 00 and deletes 02 (as herself, from her kernel).
    changed = hub.run(anna.name, f"""
        import json
        from pathlib import Path
        folder = Path({str(course)!r})
        p = folder / '00-innledning.ipynb'
        nb = json.loads(p.read_text())
        nb['cells'].insert(0, {{'cell_type': 'markdown', 'id': 'mitt', 'metadata': {{}}, 'source': 'Mitt eget notat'}})
        p.write_text(json.dumps(nb))
        (folder / '02-flere-hatter.ipynb').unlink()
        result = p.stat().st_size
    """)
    assert changed["ok"], changed
    mine = (course / "00-innledning.ipynb").read_bytes()
    hub.stop_server(anna.name)
    hub.start_server(anna.name)
    assert (course / "00-innledning.ipynb").read_bytes() == mine, "a restart overwrote a changed notebook"
    assert b"Mitt eget notat" in mine
    restored = course / "02-flere-hatter.ipynb"
    assert restored.exists() and restored.stat().st_uid == anna.pw.pw_uid, "a deleted notebook is copied again"
    assert anna.answers_file.exists(), "the answers survived the restart"


def test_b_cannot_read_a_through_bs_jupyter_server(hub: Hub, people: dict[str, Person]) -> None:
    anna, bjorn = people["anna"], people["bjorn"]
    secret = ANSWERS["anna"].encode()
    a_file = anna.answers_file
    rel = os.path.relpath(a_file, bjorn.course)  # ../../anna/lederkurs/answers/anna.json
    absolute = str(a_file).lstrip("/")
    tricks = [
        f"user/{bjorn.name}/api/contents/{rel}",
        f"user/{bjorn.name}/api/contents/{rel.replace('/', '%2F')}",
        f"user/{bjorn.name}/api/contents/{rel.replace('..', '%2E%2E')}",
        f"user/{bjorn.name}/api/contents/{'%2E%2E%2F' * 12}{absolute.replace('/', '%2F')}",
        f"user/{bjorn.name}/api/contents//{absolute}",
        f"user/{bjorn.name}/files/{rel.replace('..', '%2E%2E')}",
        f"user/{bjorn.name}/api/contents/~{anna.name}/lederkurs/answers/{anna.name}.json",
        # Anna's own server, with Bjørn's token: the hub refuses.
        f"user/{anna.name}/api/contents/answers/{anna.name}.json",
        f"user/{anna.name}/files/answers/{anna.name}.json",
    ]
    # And a symlink Bjørn makes in his own folder, pointing at Anna's file.
    made = hub.run(bjorn.name, f"""
        import os
        os.symlink({str(a_file)!r}, os.path.expanduser('~/lederkurs/annas-svar.json'))
        result = 'made'
    """)
    assert made["ok"], made
    tricks += [f"user/{bjorn.name}/api/contents/annas-svar.json", f"user/{bjorn.name}/files/annas-svar.json"]
    seen = {}
    for path in tricks:
        status, body = hub.server_get(bjorn.name, path)
        seen[path] = status
        assert secret not in body, f"{path} gave Anna's answer to Bjørn"
        # 404: outside Bjørn's root folder; 403: not Bjørn's server, or the OS refused. jupyter_server
        # answers a symlink it may not follow with a 500 (PermissionError), which shows nothing either.
        allowed = (403, 404, 500) if "annas-svar" in path else (403, 404)
        assert status in allowed, f"{path}: {status} {body[:200]!r}"
    print("\nBjørn's attempts on Anna's answers:", json.dumps(seen, indent=1))


def test_b_cannot_read_a_from_bs_kernel(hub: Hub, people: dict[str, Person]) -> None:
    anna, bjorn = people["anna"], people["bjorn"]
    for code in (f"result = open({str(anna.answers_file)!r}).read()",
                 f"result = os.listdir({str(anna.home)!r})",
                 f"result = os.listdir({str(anna.course)!r})"):
        got = hub.run(bjorn.name, "import os\n" + code)
        assert got == {"ok": False, "error": "PermissionError", "message": got.get("message")}, got
    # Bjørn's kernel really is Bjørn, with the course's environment; his name comes from JUPYTERHUB_USER.
    who = hub.run(bjorn.name, """
        import os, pwd
        from lederkurs.notebook.session import default_participant
        result = [pwd.getpwuid(os.getuid()).pw_name, os.environ['JUPYTERHUB_USER'],
                  os.environ.get('LEDERKURS_PARTICIPANT'), default_participant(),
                  os.environ['LEDERKURS_ANSWERS_DIR'], os.environ.get('LEDERKURS_DROPBOX'), oct(os.umask(0o077))]
    """)
    assert who["value"] == [bjorn.name, bjorn.name, None, bjorn.name, str(bjorn.course / "answers"),
                            None, "0o77"], who  # no drop box: sharing goes through the service


def test_the_trainer_holds_no_access_to_participants_servers(hub: Hub, people: dict[str, Person]) -> None:
    """A script in a participant's notebook never runs in the trainer's browser, and a token made there (with all
    the trainer's rights) reaches no participant's server: the trainer only approves, through a scope of her own."""
    anna, trainer = people["anna"], people["kursholder"]
    hub.start_server(anna.name)
    status, body = hub.api("POST", f"users/{trainer.name}/tokens", {"note": "everything the trainer may"})
    assert status == 201, (status, body)
    token = body["token"]
    status, raw = hub.request("GET", f"{hub.url}hub/api/user", token)
    assert status == 200, (status, raw)
    me = json.loads(raw)
    assert me["admin"] is False, me
    broad = {"admin:servers", "access:servers", "servers", "admin:users", "users", "tokens", "read:tokens"}
    assert not broad & set(me["scopes"]), me["scopes"]
    # With that token: neither Anna's files on her server, nor a token of hers.
    status, raw = hub.request("GET", f"{hub.url}user/{anna.name}/api/contents/answers", token)
    assert status == 403 and ANSWERS["anna"].encode() not in raw, (status, raw[:200])
    status, raw = hub.request("POST", f"{hub.url}hub/api/users/{anna.name}/tokens", token, {"note": "x"})
    assert status in (403, 404), (status, raw[:200])
    # In the trainer's browser: opening Anna's server ends at the hub's refusal, not at her JupyterLab.
    web = Web(hub)
    assert logged_in(*web.log_in(trainer.name, trainer.password)[:2])
    path, seen = f"user/{anna.name}/lab", []
    for _ in range(8):
        status, headers, text = web.send("GET", path)
        seen.append((status, path))
        if status not in (301, 302, 303, 307):
            break
        path = urllib.parse.urljoin(f"/{path}", headers["Location"]).lstrip("/")
    assert status == 403, seen
    assert "Authorize access" not in text and "jupyter-config-data" not in text, text[:500]


def test_approval_changes_only_by_post_with_xsrf(hub: Hub, people: dict[str, Person]) -> None:
    """A page elsewhere that sends the logged-in trainer to /hub/authorize/<name> or /hub/discard/<name> changes
    nothing; the trainer's own form (POST with the _xsrf token) does. The hub's cookies are SameSite=Lax."""
    trainer = people["kursholder"]
    carl, dora = f"{hub.prefix}carl", f"{hub.prefix}dora"
    for name in (carl, dora):
        Web(hub).sign_up(name, secrets.token_urlsafe(12))
        assert approved(hub, name) is False
    web = Web(hub)
    status, headers, _ = web.log_in(trainer.name, trainer.password)
    assert logged_in(status, headers)
    cookies = {c.split("=", 1)[0]: c.lower() for c in headers.get_all("Set-Cookie")}
    assert "samesite=lax" in cookies["jupyterhub-hub-login"], cookies
    _, headers, _ = Web(hub).send("GET", "hub/login")
    xsrf_cookie = [c.lower() for c in headers.get_all("Set-Cookie") if c.startswith("_xsrf=")]
    assert xsrf_cookie and "samesite=lax" in xsrf_cookie[0], headers.get_all("Set-Cookie")

    # A cross-site GET (a link, an <img>, a redirect): nothing changes.
    for path in (f"hub/authorize/{carl}", f"hub/discard/{dora}", f"hub/discard/{carl}"):
        status, _, _ = web.send("GET", path)
        assert (approved(hub, carl), approved(hub, dora)) == (False, False), (path, status)
    # A cross-site POST (a form elsewhere) has no _xsrf token: refused.
    for path in (f"hub/authorize/{carl}", f"hub/discard/{dora}"):
        status, _, _ = web.send("POST", path, {"action": "approve"})
        assert status == 403, (path, status)
        assert (approved(hub, carl), approved(hub, dora)) == (False, False), path
    # The trainer's own page: approve Carl, discard Dora.
    token = web.xsrf("hub/authorize")
    status, _, text = web.send("POST", f"hub/authorize/{carl}", {"_xsrf": token, "action": "approve"})
    assert status in (200, 302), (status, text[:300])
    status, _, text = web.send("POST", f"hub/discard/{dora}", {"_xsrf": token})
    assert status in (200, 302), (status, text[:300])
    assert (approved(hub, carl), approved(hub, dora)) == (True, None)
    # A participant has no approval page at all.
    anna = people["anna"]
    other = Web(hub)
    assert logged_in(*other.log_in(anna.name, anna.password)[:2])
    assert other.send("GET", "hub/authorize")[0] == 403
    for name in (carl, dora):
        hub.api("DELETE", f"users/{name}")


def test_cookies_are_secure_behind_tls(hub: Hub, people: dict[str, Person]) -> None:
    """Behind a TLS front (which sends X-Forwarded-Proto: https through the proxy) the login cookie is Secure and
    the hub sends HSTS; over plain HTTP, as in these tests, the cookie works without Secure."""
    trainer = people["kursholder"]
    status, headers, _ = Web(hub).log_in(trainer.name, trainer.password, {"X-Forwarded-Proto": "https"})
    assert logged_in(status, headers)
    login = [c for c in headers.get_all("Set-Cookie") if c.startswith("jupyterhub-hub-login=")][0]
    assert "secure" in [part.strip().lower() for part in login.split(";")], login
    assert re.fullmatch(r"max-age=\d{7,}.*", headers.get("Strict-Transport-Security", "")), dict(headers)
    status, headers, _ = Web(hub).log_in(trainer.name, trainer.password)
    login = [c for c in headers.get_all("Set-Cookie") if c.startswith("jupyterhub-hub-login=")][0]
    assert "secure" not in [part.strip().lower() for part in login.split(";")], login


def test_a_participant_has_limits_on_kernels_memory_and_processes(hub: Hub, people: dict[str, Person]) -> None:
    anna = people["anna"]
    hub.start_server(anna.name)
    # Memory: one allocation beyond the limit fails in that kernel; the kernel and the server go on.
    beyond = (int(hub.env["LEDERKURS_MEMORY_MB"]) + 256) * 2**20
    got = hub.run(anna.name, f"block = bytearray({beyond})\nresult = len(block)")
    assert got["ok"] is False and got["error"] == "MemoryError", got
    assert hub.run(anna.name, "result = 6 * 7")["value"] == 42
    assert hub.server_get(anna.name, f"user/{anna.name}/api/status")[0] == 200
    # Processes: her account cannot start more than the limit, counted over all her processes.
    most = int(hub.env["LEDERKURS_MAX_PROCESSES"])
    got = hub.run(anna.name, f"""
        import subprocess
        children, error = [], None
        try:
            while len(children) < {most + 20}:
                children.append(subprocess.Popen(['sleep', '600']))
        except OSError as e:
            error = type(e).__name__
        finally:
            for child in children:
                child.kill()
                child.wait()
        result = [len(children), error]
    """)
    assert got["ok"] and got["value"][1] == "BlockingIOError" and got["value"][0] < most, got
    # Kernels: at most LEDERKURS_MAX_KERNELS on her server; the next start is refused, in words.
    token, base = hub.token(anna.name), f"{hub.url}user/{anna.name}/api/kernels"
    most = int(hub.env["LEDERKURS_MAX_KERNELS"])
    started, refused = [], None
    for _ in range(most + 2):
        status, raw = hub.request("POST", base, token, {"name": paths.KERNEL})
        if status != 201:
            refused = (status, json.loads(raw).get("message", ""))
            break
        started.append(json.loads(raw)["id"])
    try:
        status, raw = hub.request("GET", base, token)
        running = len(json.loads(raw))
        assert refused is not None and refused[0] == 403 and str(most) in refused[1], (refused, running)
        assert running == most, running
    finally:
        for kernel in started:
            hub.request("DELETE", f"{base}/{kernel}", token)
    print(f"\nAnna's limits: {most} kernels (refused: {refused}), memory and processes as set")


def test_a_participants_processes_end_with_her_server(hub: Hub, people: dict[str, Person]) -> None:
    """A process she detaches from her terminal (setsid nohup ... &) does not outlive her server."""
    bjorn = people["bjorn"]
    hub.start_server(bjorn.name)
    got = hub.run(bjorn.name, """
        import subprocess
        subprocess.run('setsid nohup sleep 100000 >/dev/null 2>&1 &', shell=True, check=True)
        result = 'started'
    """)
    assert got["ok"], got
    uid = bjorn.pw.pw_uid

    def his() -> list[int]:
        """Bjørn's running processes (a zombie has ended; it waits only for its parent to collect it)."""
        running = []
        for p in hub.processes():
            try:
                if os.stat(f"/proc/{p}").st_uid == uid and ") Z " not in Path(f"/proc/{p}/stat").read_text():
                    running.append(p)
            except (FileNotFoundError, ProcessLookupError):
                pass
        return running

    detached = [p for p in his() if b"sleep\x00100000" in Path(f"/proc/{p}/cmdline").read_bytes()]
    assert detached, "the detached process did not start"
    hub.stop_server(bjorn.name)
    browser_support.wait_until(lambda: not his(), 30)
    left = his()
    assert not left, f"left running after Bjørn's server stopped: {left}"


def test_start_hub_refuses_ports_someone_else_holds(installed, people: dict[str, Person]) -> None:
    """A participant's listener on the hub's public port (a fake login form) or the proxy's API port (the proxy's
    token): start-hub.sh refuses to start, naming the port and who holds it."""
    bjorn = people["bjorn"]
    for which in ("LEDERKURS_HUB_PORT", "LEDERKURS_PROXY_API_PORT"):
        h = make_hub()
        port = int(h.env[which])
        squatter = subprocess.Popen(  # setpriv execs (runuser would fork, and kill() would miss the listener)
            ["setpriv", f"--reuid={bjorn.pw.pw_uid}", f"--regid={bjorn.pw.pw_gid}", "--clear-groups",
             "/usr/bin/python3", "-c",
             f"import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', {port}))\ns.listen()\n"
             "print('listening', flush=True)\ntime.sleep(600)"], stdout=subprocess.PIPE, text=True)
        try:
            assert squatter.stdout.readline().strip() == "listening"
            subprocess.run([str(DEPLOY / "start-hub.sh"), "setup"], env=h.env, check=True, timeout=120,
                           capture_output=True)
            run = subprocess.Popen([str(DEPLOY / "start-hub.sh"), "run"], env=h.env, cwd="/", text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                out, _ = run.communicate(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(run.pid, signal.SIGTERM)
                out = run.communicate(timeout=60)[0] + "\n(the hub kept running with the port taken)"
            assert run.returncode != 0, out
            assert f"port {port}" in out and bjorn.name in out and "JupyterHub is now running" not in out, out
        finally:
            squatter.kill()
            squatter.wait()
            h.stop()
            h.remove()


def test_wrong_passwords_from_one_person_do_not_lock_out_another(hub: Hub, people: dict[str, Person]) -> None:
    """A participant who tries wrong passwords for the trainer's name blocks herself, not the trainer: a browser
    the trainer has logged in with before still logs in."""
    trainer = people["kursholder"]
    own = Web(hub)
    assert logged_in(*own.log_in(trainer.name, trainer.password)[:2])
    own.cookies = {k: v for k, v in own.cookies.items() if not k.startswith("jupyterhub-")}  # logged out
    attacker = Web(hub)
    for _ in range(8):
        assert not logged_in(*attacker.log_in(trainer.name, "galt-passord-123")[:2])
    # The lock holds for her (right password or not): no guessing on.
    assert not logged_in(*attacker.log_in(trainer.name, trainer.password)[:2])
    status, headers, text = own.log_in(trainer.name, trainer.password)
    assert logged_in(status, headers), (status, text[:500])


def test_idle_culler_stops_an_idle_server(idle_hub: Culled) -> None:
    """A second hub, started with the first, with a 30-second culling timeout: a server nobody uses is stopped."""
    browser_support.wait_until(lambda: idle_hub.culled_after is not None, 200, interval=1)
    assert idle_hub.ready_after is not None, f"the idle server never started:\n{idle_hub.hub.log_tail()}"
    assert idle_hub.culled_after is not None, f"not culled:\n{idle_hub.hub.log_tail()}"
    assert not idle_hub.hub.user_model(idle_hub.name)["servers"]
    assert "culling server" in idle_hub.hub.log.read_text(errors="replace").lower()
    print(f"\nidle server ready after {idle_hub.ready_after:.0f} s, culled {idle_hub.culled_after:.0f} s after its "
          "start (timeout 30 s, checks every 5 s)")


def test_stopping_the_hub_stops_everything(hub: Hub, people: dict[str, Person]) -> None:
    """Last: the hub stops every server, kernel and the proxy; the finalizer then removes users and folders."""
    assert hub.processes(), "the participants' servers should be running before the stop"
    jupyterhub = int((hub.base / "data" / "jupyterhub.pid").read_text())
    proxy = int((hub.base / "data" / "proxy.pid").read_text())
    started = time.monotonic()
    hub.proc.send_signal(signal.SIGTERM)  # start-hub.sh passes it on to JupyterHub, once
    status = hub.proc.wait(timeout=60)
    print(f"\nthe hub stopped {time.monotonic() - started:.1f} s after SIGTERM (exit status {status})")
    browser_support.wait_until(lambda: not hub.processes() and not Path(f"/proc/{proxy}").exists(), 15)
    left = {p: Path(f"/proc/{p}/cmdline").read_bytes()[:120] for p in hub.processes() if Path(f"/proc/{p}").exists()}
    assert not left, f"a participant's process outlived the hub: {left}"
    for pid, what in ((jupyterhub, "JupyterHub"), (proxy, "the proxy")):
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(), \
            f"{what} outlived the hub"
    assert not (hub.base / "data" / "jupyterhub.pid").exists(), "JupyterHub did not shut down cleanly"
