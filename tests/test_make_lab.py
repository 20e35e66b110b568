"""`make lab` as a leader meets it: the address the terminal prints opens notebook 00, never JupyterLab's
Launcher (Python 3, Console, Terminal: a programmer's page, in English).

JupyterLab opens a browser on the notebook by itself where it can. Where it cannot (no desktop browser found, a
server she reaches from her laptop) or when she opens the address again later, she copies the one it prints.
The real `make lab`, its real settings; only the port, the state folders and the answers folder are the test's.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import threading
from pathlib import Path

import pytest

import browser_support as bs
from helpers import REPO

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

PRINTED = re.compile(r"(http://127\.0\.0\.1:\d+/\S*\?token=\w+)")


def _printed_address(proc: subprocess.Popen, timeout: float) -> str:
    """The 127.0.0.1 address `jupyter lab` prints for copying, read from its output as it comes."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    seen = []
    while True:
        line = lines.get(timeout=timeout)
        seen.append(line)
        if not line:
            raise AssertionError("make lab ended before printing an address:\n" + "".join(seen))
        found = PRINTED.search(line)
        if found and any("copy and paste" in s for s in seen):
            return found.group(1)


def test_the_address_make_lab_prints_opens_notebook_00(tmp_path: Path, browser) -> None:
    from playwright.sync_api import expect

    state = {name: tmp_path / name for name in ("config", "runtime", "workspaces", "settings", "checkpoints",
                                                 "answers")}
    for folder in state.values():
        folder.mkdir()
    # A leader's own Jupyter config is empty; this one only keeps the test's server off her port and out of
    # the checkout (checkpoints).
    (state["config"] / "jupyter_server_config.json").write_text(json.dumps({
        "ServerApp": {"port": bs.free_port(), "port_retries": 0, "open_browser": False},
        "FileCheckpoints": {"checkpoint_dir": str(state["checkpoints"])}}), encoding="utf-8")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(state["config"]), "JUPYTER_RUNTIME_DIR": str(state["runtime"]),
           "JUPYTERLAB_WORKSPACES_DIR": str(state["workspaces"]),
           "JUPYTERLAB_SETTINGS_DIR": str(state["settings"]), "LEDERKURS_ANSWERS_DIR": str(state["answers"])}
    env.pop("JUPYTER_TOKEN", None)
    proc = subprocess.Popen(["make", "-s", "lab"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        address = _printed_address(proc, timeout=bs.STARTUP_TIMEOUT)
        context, page = bs.new_page(browser)
        try:
            page.goto(address)
            panel = page.locator(".jp-NotebookPanel:visible")
            expect(panel.get_by_role("heading", name="Leder for ledere", exact=True)).to_be_visible(
                timeout=60_000)
            expect(page.get_by_role("tab", name=re.compile("00-innledning"))).to_be_visible()
            assert page.locator(".jp-Launcher").count() == 0, "the Launcher is open beside the course"
            bs.shot(page, "make-lab-printed-address.png")
        finally:
            context.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # make and JupyterLab under it: as Ctrl-C in her terminal
        proc.wait(timeout=60)
