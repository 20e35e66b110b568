"""Work no one waits for (loading matplotlib for the first slider move), run once the kernel is idle.

JupyterLab's participant mode and Voilà run a notebook's cells one after another. A thread started in one cell
shares the interpreter with the cells after it: in 04, matplotlib loading beside them held back the first answer
box by about 0.3 s. So such work waits until no cell has run for QUIET seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

QUIET = 0.3  # seconds without a cell: the cells a front end queues follow each other within milliseconds

log = logging.getLogger(__name__)


class _IdleRunner:
    """Runs tasks one by one on a thread of its own, each once no cell is running and none has for QUIET s."""

    def __init__(self, events: Any) -> None:
        self._cond = threading.Condition()
        self._busy = False
        self._since = time.monotonic()
        self._tasks: list[Callable[[], None]] = []
        self._thread: threading.Thread | None = None
        events.register("pre_run_cell", self._cell_started)
        events.register("post_run_cell", self._cell_ended)

    def _cell_started(self, _info: object) -> None:
        with self._cond:
            self._busy = True

    def _cell_ended(self, _result: object) -> None:
        with self._cond:
            self._busy, self._since = False, time.monotonic()
            self._cond.notify()

    def add(self, task: Callable[[], None]) -> None:
        with self._cond:
            self._tasks.append(task)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lederkurs-when-idle", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _next(self) -> Callable[[], None]:
        with self._cond:
            while True:
                left = self._since + QUIET - time.monotonic()
                if self._tasks and not self._busy and left <= 0:
                    return self._tasks.pop(0)
                self._cond.wait(None if self._busy or not self._tasks else left)

    def _run(self) -> None:
        while True:
            task = self._next()
            try:
                task()
            except Exception:  # a warm-up that fails costs speed only; the next use does the work itself
                log.exception("background task failed")


_runner: _IdleRunner | None = None
_runner_lock = threading.Lock()


def when_idle(task: Callable[[], None]) -> None:
    """Run `task` on a background thread once the kernel is idle; outside IPython (plain Python), at once."""
    global _runner
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        threading.Thread(target=task, name="lederkurs-when-idle", daemon=True).start()
        return
    with _runner_lock:
        if _runner is None:
            _runner = _IdleRunner(shell.events)
    _runner.add(task)
