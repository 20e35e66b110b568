"""Fixtures for every test: a scratch answers folder, a copy of the content a test may break, and the
browser tests' servers and headless Chromium (one of each per test session, started when first asked for)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from lederkurs import paths

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test writes into the real answers/ folder, or reads the machine's participant name."""
    folder = tmp_path / "answers"
    monkeypatch.setenv(paths.ANSWERS_ENV, str(folder))
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "cache"))  # nothing kept in the user's own cache
    for name in ("LEDERKURS_PARTICIPANT", "JUPYTERHUB_USER"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture
def answers_dir(tmp_path: Path) -> Path:
    return tmp_path / "answers"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(paths.content_dir(), dest)
    return dest


# -- browser tests -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator:
    import browser_support

    b, stop = browser_support.launch_browser()
    try:
        yield b
    finally:
        stop()


def _server(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    import browser_support

    start = {"jupyterlab": browser_support.start_lab, "voila": browser_support.start_voila}[kind]
    server, stop = browser_support.start_server(start, lambda: tmp_path_factory.mktemp(kind))
    try:
        yield server
    finally:
        stop()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    yield from _server("jupyterlab", tmp_path_factory)


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    yield from _server("voila", tmp_path_factory)


@pytest.fixture
def page(browser, lab_server) -> Iterator:
    """A JupyterLab test's page; afterwards every kernel it started is stopped."""
    import browser_support

    context, pg = browser_support.new_page(browser)
    try:
        yield pg
    finally:
        context.close()
        lab_server.shutdown_sessions()


@pytest.fixture
def voila_page(browser, voila_server) -> Iterator:
    """A Voilà test's page, on no saved answers (the server and its answers folder are shared).

    Closing it closes its kernels' websockets; Voilà stops the kernels when it stops.
    """
    import browser_support

    voila_server.clear_answers()
    context, pg = browser_support.new_page(browser)
    try:
        yield pg
    finally:
        context.close()
