"""Things several test modules use (no fixtures: those are in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "cohort"
DATA = REPO / "tests" / "data"


def lederkurs(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
              timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the `lederkurs` command as a trainer would, in this test's environment."""
    return subprocess.run([sys.executable, "-m", "lederkurs.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=timeout)


# What code run as another user imports from outside the standard library: the course's parsers.
THIRD_PARTY_FOR_OTHERS = ("yaml", "markdown_it", "mdurl")


@contextmanager
def readable_by_others() -> Iterator[dict[str, str]]:
    """The environment for /usr/bin/python3 run as another user (nobody): a copy of the package, its content and
    the libraries it imports, in a new folder everyone may read and no one else may write. The checkout and its
    virtualenv may sit where only root can enter (a clone in /root)."""
    import importlib.util
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="lederkurs-for-others-"))
    try:
        shutil.copytree(REPO / "lib" / "lederkurs", folder / "lederkurs",
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(REPO / "content", folder / "content")
        for name in THIRD_PARTY_FOR_OTHERS:
            spec = importlib.util.find_spec(name)
            assert spec is not None and spec.submodule_search_locations, name
            shutil.copytree(next(iter(spec.submodule_search_locations)), folder / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        yield {**os.environ, "PYTHONPATH": str(folder), "LEDERKURS_CONTENT_DIR": str(folder / "content"),
               "LEDERKURS_CACHE_DIR": "off", "PYTHONDONTWRITEBYTECODE": "1"}
    finally:
        shutil.rmtree(folder)


def run_in_kernel(kc, code: str, timeout: float = 60) -> str:
    """Execute `code` through a kernel client; what it printed (an error fails the test with the kernel's
    traceback)."""
    printed: list[str] = []

    def keep(msg: dict) -> None:
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            printed.append("\n".join(msg["content"]["traceback"]))

    reply = kc.execute_interactive(code, timeout=timeout, output_hook=keep)
    assert reply["content"]["status"] == "ok", "".join(printed)
    return "".join(printed)
