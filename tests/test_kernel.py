"""What a real kernel does with a participant's answers at its end (jupyter_client, the python3 kernel)."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager, start_new_kernel

from lederkurs import paths

from browser_support import wait_until
from helpers import REPO, run_in_kernel

pytestmark = [pytest.mark.kernel]


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
    return run_in_kernel(kc, code, timeout=60)


def _start(answers_dir: Path) -> str:
    return (f"from lederkurs import start\n"
            f"kurs = start('01-brobygger', participant='kari', answers_dir={str(answers_dir)!r})\n")


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


def test_work_no_one_waits_for_runs_after_the_queued_cells_not_beside_them(kernel, tmp_path: Path) -> None:
    """04 loads matplotlib for the first slider move once the notebook's cells have run: JupyterLab and Voilà queue
    them, and a thread beside them held back the first answer box. Two cells sent at once, as a front end does."""
    _km, kc = kernel
    seen = tmp_path / "seen.json"
    first = kc.execute(f"""
import json, os, time
from lederkurs.notebook.idle import when_idle
order = []
def task():  # writes what ran before it, whole (renamed into place)
    order.append('task')
    with open({str(seen)!r} + '.tmp', 'w') as f:
        json.dump(order, f)
    os.replace({str(seen)!r} + '.tmp', {str(seen)!r})
when_idle(task)
""")
    second = kc.execute("order.append('next cell starts'); time.sleep(0.5); order.append('next cell ends')")
    for msg_id in (first, second):
        while (reply := kc.get_shell_msg(timeout=60))["parent_header"]["msg_id"] != msg_id:
            pass
        assert reply["content"]["status"] == "ok"
    assert wait_until(seen.exists, timeout=30)
    assert json.loads(seen.read_text()) == ["next cell starts", "next cell ends", "task"]
