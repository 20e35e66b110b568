"""The render's kernels keep their connection files (the key that runs code as the trainer) and runtime files
in the render's private folder: another user on the server can neither read them nor put a FIFO where the
kernel's key will be written (issue 30: a participant raced a FIFO at /tmp/tmpXXXXXXXX.json and ran code
as the trainer)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from helpers import DEMO

pytestmark = [pytest.mark.kernel, pytest.mark.root]

RACER = """
import os, sys
path = sys.argv[1]
tries = {
    "read the key": lambda: open(path).read(),
    "FIFO at the path": lambda: (os.unlink(path), os.mkfifo(path)),
    "FIFO beside it": lambda: os.mkfifo(os.path.join(os.path.dirname(path), "kernel-next.json")),
    "list the folder": lambda: os.listdir(os.path.dirname(path)),
}
for what, attempt in tries.items():
    try:
        attempt()
        print("GOT", what)
    except PermissionError:
        print("REFUSED", what)
    except FileNotFoundError:
        print("GONE", what)
"""


def _kernels_of(pid: int) -> dict[int, list[str]]:
    """Kernel processes under `pid` (by their connection-file argument) -> their command lines."""
    import psutil

    found = {}
    try:
        for proc in psutil.Process(pid).children(recursive=True):
            try:
                argv = proc.cmdline()
            except psutil.Error:
                continue
            if "-f" in argv[:-1] and argv[argv.index("-f") + 1].endswith(".json"):
                found[proc.pid] = argv
    except psutil.Error:
        pass
    return found


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")
def test_another_user_cannot_read_or_race_a_render_kernels_connection_file(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    render = subprocess.Popen([sys.executable, "-m", "lederkurs.cli", "render", "--answers", str(DEMO), "--out",
                               str(out), "--notebooks", "04,09", "--jobs", "2", "--quiet"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: dict[int, list[str]] = {}
    results: list[str] = []
    while render.poll() is None and len(seen) < 4:  # several kernels, each raced as it starts
        for pid, argv in _kernels_of(render.pid).items():
            if pid in seen:
                continue
            seen[pid] = argv
            assert "ipykernel_launcher" in argv  # the standard python3 kernel, not the course's own
            path = argv[argv.index("-f") + 1]
            folder = Path(path).parent
            info = os.stat(folder)
            # the trainer's alone (Jupyter adds the sticky bit to a runtime folder: 1700)
            assert stat.S_IMODE(info.st_mode) & 0o777 == 0o700 and info.st_uid == os.geteuid(), path
            assert Path(path).is_relative_to(tempfile.gettempdir()) and folder != Path(tempfile.gettempdir())
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = dict(item.split(b"=", 1) for item in f.read().split(b"\0") if b"=" in item)
            for name in (b"JUPYTER_RUNTIME_DIR", b"TMPDIR"):
                assert Path(env[name].decode()).is_relative_to(folder.parent), (name, env.get(name))
            racer = subprocess.run(["/usr/bin/python3", "-c", RACER, path], user="nobody", capture_output=True,
                                   text=True, timeout=30, cwd="/")
            results += racer.stdout.splitlines()
        time.sleep(0.05)
    stdout, stderr = render.communicate(timeout=600)
    assert len(seen) >= 4, (stdout, stderr)
    assert results and not [r for r in results if r.startswith("GOT")], results
    assert render.returncode == 0, stderr
    assert "Ferdig: 25 av 25 notatbøker gjengitt for 12 deltakere." in stdout  # the render is not affected
