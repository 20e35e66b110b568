"""A render's workers: a bounded pool of long-lived processes, each running one job at a time, watched from
the main process. A worker that dies, or whose job passes its time or memory limit, fails that job alone (it is
ended with its kernel) and is replaced; the render goes on."""

from __future__ import annotations

import os
import queue
import signal
import sys
import time
import traceback
from collections.abc import Generator
from dataclasses import dataclass, field
from multiprocessing import get_context
from types import FrameType
from typing import Any

from ..course.messages import msg
from ..errors import LederkursError
from .job import Job, Limits, Outcome, run_job

STOP_GRACE = 3.0  # seconds a worker gets to stop its kernel before it is killed


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: stop now, keep what is finished."""


def interrupt(_signum: int, _frame: FrameType | None) -> None:
    """The signal handler of the render and of its workers."""
    raise Interrupted()


def _worker(tasks: Any, results: Any) -> None:
    """A worker: run jobs until told to stop. Ctrl-C is the main process's to handle; SIGTERM stops the job
    (papermill's kernel is then shut down, or its parent poller ends it when this process is gone)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, interrupt)
    # The kernels inherit this process's output; one stopped mid-reply (Ctrl-C) logs a traceback of its own.
    # Every failure reaches the main process as its job's outcome, traceback included, for the render's log.
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)
    try:
        while (item := tasks.get()) is not None:
            index, job = item
            results.put(("start", os.getpid(), index))
            try:
                result = run_job(job)
            except Exception as e:  # noqa: BLE001 - never lose a worker to one job
                result = Outcome(job, False, LederkursError("render_page_failed", reason=type(e).__name__),
                                 detail=traceback.format_exc())
            results.put(("done", os.getpid(), (index, result)))
    except Interrupted:
        pass
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # from here on, a SIGTERM just ends the process


@dataclass
class _Pool:
    size: int
    ctx: Any = field(default_factory=lambda: get_context("spawn"))

    def __post_init__(self) -> None:
        self.tasks = self.ctx.Queue()
        self.results = self.ctx.Queue()
        self.workers: dict[int, Any] = {}
        self.running: dict[int, tuple[int, float]] = {}  # worker pid -> index of its job, when it began
        for _ in range(self.size):
            self.spawn()

    def spawn(self) -> None:
        proc = self.ctx.Process(target=_worker, args=(self.tasks, self.results), daemon=True)
        proc.start()
        self.workers[proc.pid] = proc

    def stop(self, finished: bool) -> None:
        """End every worker: those that finished their work get a moment to exit by themselves; then
        SIGTERM (a moment to stop its kernel), then SIGKILL."""
        if finished:
            deadline = time.monotonic() + STOP_GRACE
            for proc in self.workers.values():
                proc.join(max(0.0, deadline - time.monotonic()))
        for proc in self.workers.values():
            if proc.is_alive():
                proc.terminate()
        deadline = time.monotonic() + STOP_GRACE
        for proc in self.workers.values():
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(1)
        for q in (self.tasks, self.results):
            q.cancel_join_thread()
            q.close()


def _tree(pid: int) -> list[Any]:
    """A worker and every process under it (its kernel)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return []


def _resident_mb(procs: list[Any]) -> float:
    import psutil

    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue
    return total / 2**20


def _end(procs: list[Any]) -> None:
    import psutil

    for proc in procs:
        try:
            proc.kill()
        except psutil.Error:
            continue
    psutil.wait_procs(procs, timeout=STOP_GRACE)


def _over_limits(pid: int, began: float, limits: Limits) -> LederkursError | None:
    """Why the job of worker `pid` must be stopped, if it must: after ending the worker and its kernel."""
    procs = _tree(pid)
    if time.monotonic() - began > limits.seconds:
        reason = LederkursError("render_job_timeout", seconds=round(limits.seconds))
    elif _resident_mb(procs) > limits.memory_mb:
        reason = LederkursError("render_job_memory", mb=limits.memory_mb)
    else:
        return None
    _end(procs)
    return reason


def run_jobs(todo: list[Job], jobs: int | None, lang: str, progress: bool,
             limits: Limits = Limits()) -> Generator[tuple[int, Outcome], None, None]:
    """Run jobs on bounded parallel workers with a progress bar; yields (index, outcome) as each ends.

    Interrupted (from the signal handlers that `render` installs) ends the workers before it propagates.
    """
    from tqdm import tqdm

    if not todo:
        return
    pool = _Pool(max(1, min(jobs or os.cpu_count() or 1, len(todo))))
    left = len(todo)
    ended: set[int] = set()  # jobs whose outcome is given: a late word from a stopped worker is dropped

    def replace(pid: int, reason: LederkursError) -> tuple[int, Outcome]:
        index, _ = pool.running.pop(pid)
        pool.workers.pop(pid).join(STOP_GRACE)
        ended.add(index)
        pool.spawn()
        pool.tasks.put(None)
        return index, Outcome(todo[index], False, reason)

    try:
        for item in enumerate(todo):
            pool.tasks.put(item)
        for _ in range(pool.size):
            pool.tasks.put(None)
        with tqdm(total=len(todo), desc=msg(lang, "render_progress"), unit=f" {msg(lang, 'render_unit')}",
                  disable=not progress, file=sys.stderr) as bar:
            while left:
                try:
                    kind, pid, payload = pool.results.get(timeout=0.25)
                except queue.Empty:
                    kind = ""
                if kind == "start":
                    pool.running[pid] = (payload, time.monotonic())
                elif kind == "done" and payload[0] not in ended:
                    pool.running.pop(pid, None)
                    ended.add(payload[0])
                    left -= 1
                    bar.update()
                    yield payload
                for pid, (_, began) in list(pool.running.items()):
                    proc = pool.workers[pid]
                    if not proc.is_alive():
                        reason = LederkursError("render_worker_died", code=proc.exitcode or 0)
                    elif (over := _over_limits(pid, began, limits)) is not None:
                        reason = over
                    else:
                        continue
                    left -= 1
                    bar.update()
                    yield replace(pid, reason)
    finally:
        pool.stop(finished=left == 0)
