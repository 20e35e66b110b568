"""Throwaway JupyterLab and Voilà servers and a headless Chromium for the browser tests.

The servers run from this virtualenv on 127.0.0.1 with a free port (JupyterLab with a known token).
Everything they could remember between runs (config, workspaces, user settings, runtime and connection
files) lives in a temporary folder, and the participant's answers go to a temporary folder too: nothing
is written into the repo or into ~/.jupyter. The environment's own configuration stays in force, in
particular the course's JupyterLab defaults in <sys.prefix>/share/jupyter/lab/settings/overrides.json
(Norwegian UI, no autosave), which `make` installs. The browser is Debian's chromium, driven by
Playwright; no browser is downloaded.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "test-output" / "screenshots"  # git-ignored
PARTICIPANT = "testdeltaker"
SAVED = re.compile(r"Lagret kl\. \d{2}:\d{2}")  # the answer box's status once the answer is on disk
STARTUP_TIMEOUT = 60.0
RUN_TIMEOUT = 90_000  # ms: a cold kernel importing matplotlib on a small machine
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# User settings for the throwaway server: nothing pops up over the notebook (news, update checks), and
# no autosave, which would write the executed notebooks (outputs and all) back into notebooks/.
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


@dataclass
class CourseServer:
    """What every course server has: a URL, the participant's answers folder and a log."""

    url: str  # http://127.0.0.1:PORT/
    answers_dir: Path
    participant: str
    log: Path

    @property
    def answers_file(self) -> Path:
        return self.answers_dir / f"{self.participant}.json"

    def answers(self) -> dict:
        try:
            return json.loads(self.answers_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def clear_answers(self) -> None:
        """Forget every saved answer (the next kernel started opens an empty answers file)."""
        for f in self.answers_dir.iterdir():
            if f.is_file():
                f.unlink()

    def place(self, area: str, before: int, now: int) -> None:
        """Save a focus area's sliders in the answers file, as she would have done in an earlier visit."""
        from lederkurs.answers.store import AnswerStore

        AnswerStore(self.answers_dir, self.participant).set_focus(area, before, now, None)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class LabServer(CourseServer):
    token: str = ""

    def lab_url(self, path: str) -> str:
        """A lab URL with the token, e.g. lab_url("lab/tree/notebooks/01-brobygger.ipynb?reset")."""
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}"

    def api(self, method: str, path: str) -> object:
        """Call the server's REST API, e.g. api("GET", "api/sessions")."""
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_sessions(self) -> None:
        """Stop every kernel the browser started, so the next test opens its notebook on a fresh kernel."""
        for session in self.api("GET", "api/sessions") or []:
            try:
                self.api("DELETE", f"api/sessions/{session['id']}")
            except urllib.error.HTTPError as e:
                if e.code != 404:
                    raise


@dataclass
class VoilaServer(CourseServer):
    def render_url(self, path: str) -> str:
        """The page of one notebook, e.g. render_url("01-brobygger.ipynb"): Voilà runs it on a new kernel."""
        return f"{self.url}voila/render/{path}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status_ok(url: str, token: str) -> bool:
    req = urllib.request.Request(f"{url}api/status", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=2) as resp:
            return resp.status == 200 and "started" in json.loads(resp.read())
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _lab_command(python: Path) -> list[str]:
    script = python.with_name("jupyter-lab")
    return [str(script)] if script.exists() else [str(python), "-m", "jupyterlab"]


S = TypeVar("S", bound=CourseServer)


def wait_until(condition: Callable[[], object], timeout: float, interval: float = 0.3) -> bool:
    """Poll `condition` until it holds or `timeout` seconds have passed; whether it held."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True


def _answering(proc: subprocess.Popen, server: S, answers: Callable[[], bool], what: str,
               timeout: float) -> tuple[subprocess.Popen, S]:
    """`proc` and its server once the server answers; a server that exits or stays silent is an error."""
    def up() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{server.log_tail()}")
        return answers()

    if wait_until(up, timeout, interval=0.2):
        return proc, server
    stop(proc)
    raise RuntimeError(f"{what} did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()  # jupyter's SIGTERM handler shuts kernels down cleanly
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def start_lab(base: Path, timeout: float = STARTUP_TIMEOUT, root: Path = REPO, python: Path | None = None,
              answers_dir: Path | None = None) -> tuple[subprocess.Popen, LabServer]:
    """Start JupyterLab on the folder `root` with all state under `base`; return once /api/status answers.

    `python` runs another environment's JupyterLab (an installed wheel's); `answers_dir` says where that
    course saves answers by itself (then no answers folder is set for it)."""
    dirs = {name: base / name for name in ("config", "data", "runtime", "workspaces", "settings",
                                            "checkpoints", "answers")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    for rel, values in USER_SETTINGS.items():
        target = dirs["settings"] / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")

    port, token = free_port(), secrets.token_hex(16)
    env = _server_env(dirs, JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
                      JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]))
    if answers_dir:
        del env["LEDERKURS_ANSWERS_DIR"]
        env.pop("PYTHONPATH", None)
    cmd = [*_lab_command(python or Path(sys.executable)),
           "--no-browser",
           "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}",
           "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}",
           f"--LabApp.workspaces_dir={dirs['workspaces']}",
           # Opening a notebook makes a checkpoint; an absolute folder keeps it out of notebooks/.
           f"--FileCheckpoints.checkpoint_dir={dirs['checkpoints']}",
           f"--LabApp.user_settings_dir={dirs['settings']}",
           "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--ServerApp.open_browser=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI often run as root
    log = base / "jupyter.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    server = LabServer(f"http://127.0.0.1:{port}/", answers_dir or dirs["answers"], PARTICIPANT, log, token=token)
    return _answering(proc, server, partial(_status_ok, server.url, token), "jupyter lab", timeout)


def _server_env(dirs: dict[str, Path], **extra: str) -> dict[str, str]:
    """A server's environment: Jupyter state and answers under the test's own folders, the repo's content,
    our own token."""
    env = {**os.environ,
           "JUPYTER_CONFIG_DIR": str(dirs["config"]),
           "JUPYTER_DATA_DIR": str(dirs["data"]),
           "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
           "LEDERKURS_ANSWERS_DIR": str(dirs["answers"]),
           "LEDERKURS_PARTICIPANT": PARTICIPANT,
           "PYTHONUNBUFFERED": "1",
           **extra}
    for name in ("JUPYTER_TOKEN", "LEDERKURS_CONTENT_DIR"):
        env.pop(name, None)
    return env


def start_voila(base: Path, cwd: Path = REPO, path: str = "notebooks",
                timeout: float = STARTUP_TIMEOUT) -> tuple[subprocess.Popen, VoilaServer]:
    """Start Voilà on the folder `path` (relative to `cwd`) with all state under `base`.

    Directory mode, like `make app`: every notebook is at /voila/render/<name>, so the notebooks'
    relative links (`02-flere-hatter.ipynb`) lead from one page to the next. Returns once the start page
    answers. Voilà has no root check (unlike JupyterLab), so no --allow-root.
    """
    dirs = {name: base / name for name in ("config", "data", "runtime", "answers")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = _server_env(dirs)
    cmd = [sys.executable, "-m", "voila", path,
           "--no-browser",
           "--Voila.ip=127.0.0.1",
           f"--port={port}",
           "--Voila.port_retries=0",  # our port or none: the URL must be the one we poll
           "--template=lederkurs",  # as `make app`: the page's language per notebook, a focusable cell region
           # Voilà keeps a page's kernel after the page is closed (its shutdown request is refused: Voilà
           # #1458); dozens of pages in one test run must not pile up dozens of kernels.
           "--MappingKernelManager.cull_idle_timeout=15", "--MappingKernelManager.cull_interval=5",
           # The kernels' connection files go under `base`, not into /tmp/voila_*.
           f"--Voila.connection_dir_root={dirs['runtime']}"]
    log = base / "voila.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    server = VoilaServer(f"http://127.0.0.1:{port}/", dirs["answers"], PARTICIPANT, log)
    return _answering(proc, server, partial(_page_ok, server.url), "voila", timeout)


def _page_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


INSTALL_CHROMIUM = ("The browser tests need Chromium: Debian's (as root: apt-get install chromium) or "
                    "Playwright's own (python -m playwright install chromium). "
                    "tests/install-browser-deps.sh tries both.")


def chromium_executable() -> str:
    """Debian's chromium when installed, else Playwright's own; a clear failure when neither is there."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        bundled = p.chromium.executable_path
    if bundled and Path(bundled).is_file():
        return bundled
    raise RuntimeError(INSTALL_CHROMIUM)


def launch_browser() -> tuple[object, Callable[[], None]]:
    """Headless Chromium driven by Playwright, and a function that stops both."""
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()  # before the driver starts: Playwright refuses a second one inside it
    driver = sync_playwright().start()
    try:
        b = driver.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    except BaseException:
        driver.stop()
        raise

    def stop() -> None:
        try:
            b.close()
        finally:
            driver.stop()
    return b, stop


def start_server(start: Callable[[Path], tuple[subprocess.Popen, CourseServer]],
                 base_factory: Callable[[], Path]) -> tuple[CourseServer, Callable[[], None]]:
    """Start a server; a port taken between choosing and binding it is tried again (three times)."""
    for attempt in range(3):
        try:
            proc, server = start(base_factory())
            return server, partial(stop, proc)
        except RuntimeError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# Console errors of Voilà's own page, not of the course: (URL prefix or pattern, message pattern, reason).
VOILA_CONSOLE_ALLOWED = [
    # The page template links Font Awesome from a CDN; the test machines have no network. Nothing of
    # ours uses those icons.
    (re.compile(r"^https://cdn\.jsdelivr\.net/npm/@fortawesome/"), re.compile(r"net::ERR_"),
     "Voilà template: Font Awesome from a CDN, no network"),
    # On leaving a page Voilà asks the server to stop its kernel (sendBeacon) with an _xsrf token from a
    # cookie that the standalone Voilà 0.5 server never sets: 403, and the kernel runs on until Voilà
    # stops. Known bug: https://github.com/voila-dashboards/voila/issues/1458
    (re.compile(r"/voila/api/shutdown/[0-9a-f-]+$"), re.compile(r"status of 403"),
     "Voilà bug #1458: kernel shutdown on page unload refused (no _xsrf cookie)"),
]


def _console_error(errors: list[str], message) -> None:
    if message.type != "error":
        return
    url = (message.location or {}).get("url", "")
    # JupyterLab inserts a Markdown image as `attachment:name` and swaps in the data a moment later;
    # Chromium logs the first, unresolvable URL. The image itself shows.
    if url.startswith("attachment:"):
        return
    if any(u.search(url) and m.search(message.text) for u, m, _ in VOILA_CONSOLE_ALLOWED):
        return
    errors.append(f"console: {message.text} ({url})")


def new_page(browser) -> tuple:
    """A fresh browser context (no shared local storage), Norwegian locale, a laptop-size window.

    The page collects uncaught exceptions and console errors in `page.lk_errors`.
    """
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nb-NO",
                                  timezone_id="Europe/Oslo")
    context.set_default_timeout(30_000)
    pg = context.new_page()
    pg.lk_errors = []  # uncaught exceptions and console errors, for the tests to assert on
    pg.on("pageerror", lambda exc: pg.lk_errors.append(f"pageerror: {exc}"))
    pg.on("console", lambda m: _console_error(pg.lk_errors, m))
    return context, pg


VOILA_SCROLLER = "#rendered_cells"  # Voilà's page scrolls inside this element, not the document


def shot(pg, name: str, scroller: str | None = None) -> Path:
    """A full-page screenshot to test-output/screenshots/<name>.

    A page that scrolls inside an element (`scroller`, e.g. VOILA_SCROLLER) would only show the window;
    for the picture the window is made as tall as that element's content, then restored.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    size = pg.viewport_size
    height = pg.evaluate("s => { const e = document.querySelector(s); return e ? e.scrollHeight : 0 }",
                         scroller) if scroller else 0
    if size and height > size["height"]:
        pg.set_viewport_size({"width": size["width"], "height": min(height + 40, 10_000)})
        try:
            pg.screenshot(path=str(path), full_page=True)
        finally:
            pg.set_viewport_size(size)
    else:
        pg.screenshot(path=str(path), full_page=True)
    return path


def assert_no_browser_errors(pg) -> None:
    """No uncaught exception and no console error (a widget that failed to render logs one)."""
    assert pg.lk_errors == [], "\n".join(pg.lk_errors)


def wait_for_answers(server: CourseServer, check, timeout: float = 10.0) -> dict:
    """Poll the answers file (bounded) until `check(doc)` holds; return the document."""
    deadline = time.monotonic() + timeout
    doc = server.answers()
    while not check(doc) and time.monotonic() < deadline:
        time.sleep(0.1)
        doc = server.answers()
    return doc


# -- driving JupyterLab ----------------------------------------------------------------------------


def open_notebook(pg: Page, server: LabServer, path: str) -> Locator:
    """Open `path` (under the server's root) in a reset workspace; return the notebook panel once its kernel
    is connected."""
    from playwright.sync_api import expect

    pg.goto(server.lab_url(f"lab/tree/{path}?reset"))
    panel = pg.locator(".jp-NotebookPanel:visible")
    # A course notebook's code cells are hidden (participant mode): its text is what shows first.
    expect(panel.locator(".jp-Notebook .jp-MarkdownCell").first).to_be_visible(timeout=60_000)
    # The toolbar's kernel name appears once a session exists; the indicator then reports its state.
    expect(panel.locator(".jp-KernelName")).to_contain_text("Python 3", timeout=60_000)
    expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute("data-status", "idle",
                                                                               timeout=60_000)
    return panel


def menu(pg: Page, top: str, item: str) -> None:
    pg.get_by_role("menuitem", name=top, exact=True).click()
    pg.get_by_role("menuitem", name=item, exact=True).click()


def wait_idle(panel: Locator) -> None:
    from playwright.sync_api import expect

    expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute("data-status", "idle",
                                                                               timeout=RUN_TIMEOUT)


# -- Voilà pages ---------------------------------------------------------------------------------------


def wait_for_widgets(pg: Page, quiet: float = 1.0, timeout: float = 30.0) -> None:
    """Until the page's widgets have stopped appearing (their views render after the cells have run)."""
    deadline, last, stable_since = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        count = pg.locator(".jupyter-widgets, .widget-container").count()
        if count != last:
            last, stable_since = count, time.monotonic()
        elif time.monotonic() - stable_since >= quiet:
            return
        time.sleep(0.2)


def open_voila(pg: Page, server: VoilaServer, notebook: str) -> None:
    """Open a notebook's page; Voilà shows its cells (#rendered_cells) once every cell has run."""
    from playwright.sync_api import expect

    pg.goto(server.render_url(notebook))
    expect(pg.locator(VOILA_SCROLLER)).to_be_visible(timeout=RUN_TIMEOUT)
    expect(pg.locator(f"{VOILA_SCROLLER} .jp-MarkdownCell").first).to_be_visible(timeout=RUN_TIMEOUT)
    wait_for_widgets(pg)
