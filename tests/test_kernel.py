"""What a real kernel does with the course at its start and at its end (jupyter_client, the course's kernel)."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager, start_new_kernel

from lederkurs import build, paths
from lederkurs.kernel import WARM

from helpers import REPO


@pytest.fixture
def kernel() -> Iterator[tuple[KernelManager, object]]:
    km, kc = start_new_kernel(kernel_name=paths.KERNEL, cwd=str(REPO / "notebooks"))
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)


def _run(kc, code: str) -> str:
    """Execute `code`; what it printed (an error fails the test with the kernel's traceback)."""
    printed: list[str] = []

    def keep(msg: dict) -> None:
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            printed.append("\n".join(msg["content"]["traceback"]))

    reply = kc.execute_interactive(code, timeout=60, output_hook=keep)
    assert reply["content"]["status"] == "ok", "".join(printed)
    return "".join(printed)


def _start(answers_dir: Path) -> str:
    return (f"from lederkurs import start\n"
            f"kurs = start('01-brobygger', participant='kari', answers_dir={str(answers_dir)!r})\n")


def test_the_kernel_the_notebooks_name_is_installed_here() -> None:
    """`make` (jupyter/install-settings.sh) and pip (pyproject's data-files) put it in <prefix>/share/jupyter."""
    spec = KernelSpecManager().get_kernel_spec(paths.KERNEL)
    assert spec.argv[:3] == ["python", "-m", "lederkurs.kernel"] and spec.language == "python"
    assert spec.display_name == build.KERNELSPEC["display_name"]
    assert json.loads((REPO / "jupyter" / "kernels" / paths.KERNEL / "kernel.json").read_text()) == \
        json.loads((Path(spec.resource_dir) / "kernel.json").read_text())  # not an older copy


def test_the_kernel_loads_the_course_while_its_client_waits(kernel) -> None:
    """The imports every course notebook's first cells make begin right after the kernel's first reply, in the
    0.2 s jupyter_client then waits, and are done when the first cell runs."""
    _, kc = kernel
    ready = time.monotonic()  # start_new_kernel returned: the client has seen the kernel ready
    out = _run(kc, f"import sys\nprint(all(m in sys.modules for m in {WARM!r}), get_ipython().kernel.warm_started)")
    loaded, started = out.split()
    assert loaded == "True"
    assert float(started) < ready  # begun by the kernel_info reply, not by this cell


def test_each_widget_reaches_the_front_end_in_one_message(kernel, answers_dir: Path) -> None:
    """Made with its classes, style and content, a widget opens with its whole state: no update follows it
    (each message is work for papermill, nbval and JupyterLab, ~1 ms in the client)."""
    _, kc = kernel
    _run(kc, _start(answers_dir))
    for code in ("kurs.question('brobygger.relasjoner')", "kurs.take_away()"):
        seen: list[str] = []
        reply = kc.execute_interactive(code, timeout=60, output_hook=lambda m, seen=seen: seen.append(m["msg_type"]))
        assert reply["content"]["status"] == "ok"
        assert "comm_open" in seen and "comm_msg" not in seen, (code, seen)


def test_the_kernels_long_lived_objects_are_frozen_once(kernel, answers_dir: Path) -> None:
    _, kc = kernel
    before, after = map(int, _run(kc, "import gc\nbefore = gc.get_freeze_count()\n" + _start(answers_dir)
                                  + "print(before, gc.get_freeze_count())").split())
    assert before == 0 and after > 10_000  # IPython's, zmq's and the course's objects
    # A second Run All freezes nothing more (frozen objects freed since only lower the count), and what is
    # made after the first start() stays collectable.
    out = _run(kc, _start(answers_dir) + "box = kurs.question('brobygger.relasjoner')\n"
               "class Cycle: pass\nc = Cycle(); c.me = c; del c\n"
               "print(gc.get_freeze_count(), gc.collect())")
    frozen, collected = map(int, out.split())
    assert frozen <= after and collected > 0


def test_an_answer_typed_just_before_the_kernel_stops_is_saved(kernel, answers_dir: Path) -> None:
    km, kc = kernel
    pending = _run(kc, _start(answers_dir) + "box = kurs.question('brobygger.relasjoner')\n"
                   "box.text.value = 'Skrevet rett før kjernen stoppet.'\n"
                   "print(box._saver.pending)")
    assert pending.strip() == "True"  # not saved yet: only the shutdown can save it
    km.shutdown_kernel(now=False)  # what closing the notebook or a restart does, within the 0.5 s pause
    saved = json.loads((answers_dir / "kari.json").read_text(encoding="utf-8"))
    assert saved["answers"]["brobygger.relasjoner"]["text"] == "Skrevet rett før kjernen stoppet."


def test_an_answer_typed_just_before_the_kernel_is_terminated_is_saved(kernel, answers_dir: Path) -> None:
    # SIGTERM is how jupyter_client ends a kernel that has not exited 2.5 s after its shutdown request
    # (ipykernel 7.4 sometimes hangs there), and how an administrator or a container runtime stops one.
    km, kc = kernel
    pending = _run(kc, _start(answers_dir) + "box = kurs.question('brobygger.relasjoner')\n"
                   "box.text.value = 'Skrevet rett før kjernen ble avsluttet.'\n"
                   "print(box._saver.pending)")
    assert pending.strip() == "True"  # not saved yet: only the signal's handler can save it
    process = km.provisioner.process
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    saved = json.loads((answers_dir / "kari.json").read_text(encoding="utf-8"))
    assert saved["answers"]["brobygger.relasjoner"]["text"] == "Skrevet rett før kjernen ble avsluttet."
