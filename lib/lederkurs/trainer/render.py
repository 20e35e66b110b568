"""Trainers' batch rendering: papermill over every participant's answers file, read-only, in parallel.

For each participant: the executed notebook and a self-contained HTML page per chosen notebook (and, if asked,
the personal report); for the cohort: the anonymous cohort page; over all: index.html.

Like rsync: a bad file is named and the rest goes through; a participant that fails at any stage does not
stop the others; nothing outside the output folder is written or deleted, and every file is written beside
its place and renamed into it, so a link (symbolic or hard) inside it is replaced, never written through.
Each job has a time and a memory bound (Limits): a job over either is that participant's failure, named,
and the render goes on. Ctrl-C or SIGTERM stops the workers and their kernels, removes what the render
created (its staging folder, in the system's temporary folder) and leaves what was finished.
"""

from __future__ import annotations

import os
import queue
import resource
import signal
import sys
import time
from collections.abc import Generator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote

from .. import paths
from ..course.content import Course, load_course
from ..course.languages import check_language
from ..course.messages import describe, msg
from ..errors import LederkursError, ParameterError
from ..files import atomic_write
from .cohort import Member, Skipped, read_cohort
from .staging import staging_folder

DEFAULT_NOTEBOOKS = ("09",)
KERNEL_ATTEMPTS = 3
STOP_GRACE = 3.0  # seconds a worker gets to stop its kernel before it is killed


@dataclass(frozen=True)
class Limits:
    """What one job (one participant's notebook) may take. A demo participant's job takes a few seconds
    and about 250 MB (worker and kernel); the largest file the answers' bounds allow, about as much."""

    seconds: float = 300.0  # the whole job, its kernel's start included
    memory_mb: int = 1024  # resident memory of the worker and its kernel together
    cell_seconds: int = 120  # one cell (papermill's execution timeout)


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: stop now, keep what is finished."""


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    """The signal handler of the render and of its workers."""
    raise Interrupted()


@dataclass(frozen=True)
class Job:
    participant: str  # "" for the cohort page
    notebook: Path
    parameters: dict[str, Any]
    out_ipynb: Path
    out_html: Path
    title: str
    lang: str
    kernel: str = paths.KERNEL
    charts: Path | None = None  # cache folder, when the notebook draws the participant's focus chart
    cell_seconds: int = Limits.cell_seconds
    runtime: Path | None = None  # the kernels' connection and runtime files: in the private staging folder


@dataclass(frozen=True)
class Outcome:
    job: Job
    ok: bool
    reason: LederkursError | None = None
    attempts: int = 1
    worker_peak_mb: float = 0.0
    kernel_peak_mb: float = 0.0


@dataclass
class RenderResult:
    out: Path
    index: Path
    participants: list[str]
    planned: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    reports: dict[str, list[Path]] = field(default_factory=dict)
    report_failures: list[tuple[str, LederkursError]] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    interrupted: bool = False

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failures or self.skipped or self.report_failures else 0


def choose_notebooks(course: Course, spec: str | None) -> list[str]:
    """'04,09' or '04-overgang' -> section files; an unknown name is refused with the ones there are."""
    chosen = []
    for name in (spec.split(",") if spec else DEFAULT_NOTEBOOKS):
        name = name.strip().removesuffix(".ipynb")
        try:
            chosen.append(course.section(name).file)
        except KeyError:
            available = ", ".join(s.file for s in course.sections)
            raise ParameterError("render_unknown_notebook", name=name, available=available) from None
    return list(dict.fromkeys(chosen))


# -- writing inside --out only -------------------------------------------------------------------------


def inside(path: Path, root: Path) -> Path:
    """`path`, checked to lie in a folder inside `root` (names are checked before; this is a guard). The
    entry itself is not resolved: a link standing there is replaced, never followed."""
    if not path.parent.resolve().is_relative_to(root.resolve()) or path.name in ("", ".", ".."):
        raise ParameterError("render_outside", path=path)
    return path


def own_file(path: Path, root: Path) -> Path:
    """`path` made ready to be written: a link standing there is removed, so writing cannot follow it."""
    inside(path, root)
    if path.is_symlink():
        path.unlink()
    return path


def own_folder(path: Path, root: Path) -> Path:
    """A real folder at `path` inside `root`: a link standing there is removed, never followed."""
    own_file(path, root).mkdir(exist_ok=True)
    return path


def write_file(path: Path, data: str | bytes, root: Path) -> Path:
    """Write a file inside `root` by a rename, so neither a link nor a half-written file can remain."""
    if isinstance(data, str):
        data = data.encode("utf-8", "backslashreplace")
    return atomic_write(inside(path, root), data, mode=0o644)


# -- one job, in a worker ----------------------------------------------------------------------------


SHUTDOWN_GRACE = 0.5  # seconds a render's kernel has to exit after its shutdown request, before SIGTERM
SHUTDOWN_POLL = 0.01  # seconds between looks whether it has gone (jupyter_client's own: 0.1)


def _render_kernel_manager() -> type:
    """jupyter_client's kernel manager, tuned for a render's kernels: idle, read-only, their outputs received.

    * No interrupt before the shutdown request: jupyter_client always sends SIGINT first; when that lands while
      ipykernel is still answering papermill's last request, ipykernel logs "ERROR | KeyboardInterrupt caught
      in kernel." on the trainer's terminal although nothing failed.
    * The kernel's exit is seen within 10 ms, not on a 100 ms poll (a course kernel exits in ~25 ms).
    * SIGTERM after 0.5 s, not 2.5 s: in ipykernel 7.4 about one kernel in 15 here does not exit after its
      shutdown request (its control thread waits 10 s on a flush that the IOPub thread, already stopped, never
      does), and each would hold its worker 2.5 s. A render's kernel has nothing left to save.
    """
    from jupyter_client.manager import AsyncKernelManager

    class RenderKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]  # async in AsyncKernelManager
            # The kernel's own runtime and temporary files beside its connection file: in the render's
            # private folder, never in a shared /tmp where another user could race a FIFO at a name.
            private = str(Path(self.connection_file).parent)
            kw["env"] = {**kw.get("env", os.environ), "JUPYTER_RUNTIME_DIR": private, "TMPDIR": private}
            await super().start_kernel(**kw)

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:  # set by shutdown_kernel before it interrupts
                return
            await super()._async_interrupt_kernel()

        async def _async_finish_shutdown(self, waittime: float | None = None, pollinterval: float = SHUTDOWN_POLL,
                                         restart: bool = False) -> None:
            await super()._async_finish_shutdown(2 * SHUTDOWN_GRACE if waittime is None else waittime,
                                                 pollinterval, restart)

    return RenderKernelManager


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _prepare_chart(job: Job) -> None:
    """Draw this participant's focus chart here, in the long-lived worker, for the kernel to pick up."""
    from ..answers.model import read_answers_file
    from ..charts import png
    from ..charts.points import focus_points

    if not job.participant or not job.charts:
        return
    course = load_course(job.lang)
    doc = read_answers_file(Path(job.parameters["answers_dir"]) / f"{job.participant}.json")
    png.prepare(focus_points(course, doc), job.lang, job.charts)
    os.environ[png.CACHE_ENV] = str(job.charts)  # the kernels papermill starts inherit it


def _connection_file(job: Job) -> Path:
    import uuid

    assert job.runtime is not None
    return job.runtime / f"kernel-{uuid.uuid4().hex}.json"


def run_job(job: Job) -> Outcome:
    """Execute one notebook with papermill and write its HTML. A kernel that fails to start is retried;
    any other failure is this job's alone, named in its outcome."""
    import nbformat
    import papermill
    from nbclient.exceptions import CellTimeoutError
    from traitlets.config import Config

    from ..reports.notebook_page import notebook_html

    def outcome(ok: bool, reason: LederkursError | None, attempt: int) -> Outcome:
        return Outcome(job, ok, reason, attempt, _peak_mb(resource.RUSAGE_SELF), _peak_mb(resource.RUSAGE_CHILDREN))

    try:
        _prepare_chart(job)
    except Exception:  # noqa: BLE001, S110 - without the cache the kernel draws the chart itself, or says why not
        pass
    reason: LederkursError | None = None
    for attempt in range(1, KERNEL_ATTEMPTS + 1):
        # The connection file (the key that runs code as the trainer) in the private folder, under a fresh name.
        config = Config({"KernelManager": {"connection_file": str(_connection_file(job))}} if job.runtime else {})
        try:  # no output path: the notebook is written below, by a rename
            nb = papermill.execute_notebook(
                str(job.notebook), None, parameters=job.parameters, kernel_name=job.kernel,
                progress_bar=False, cwd=str(job.notebook.parent), start_timeout=60,
                execution_timeout=job.cell_seconds,
                request_save_on_cell_execute=False, extra_arguments=["--IPKernelApp.log_level=ERROR"],
                kernel_manager_class=_render_kernel_manager(), config=config)
        except papermill.PapermillExecutionError as e:  # a cell failed: running again would fail again
            return outcome(False, LederkursError("render_cell_failed", reason=e.evalue or e.ename), attempt)
        except CellTimeoutError:  # a cell that hangs would hang again
            return outcome(False, LederkursError("render_cell_timeout", seconds=job.cell_seconds), attempt)
        except Exception as e:  # noqa: BLE001 - the kernel did not start or died (a port race): try again
            reason = LederkursError("render_kernel_failed", attempts=KERNEL_ATTEMPTS,
                                    reason=f"{type(e).__name__}: {e}")
            continue
        try:
            executed = nbformat.from_dict(nb)
            write_file(job.out_ipynb, nbformat.writes(executed), job.out_ipynb.parent)
            write_file(job.out_html, notebook_html(executed, job.title, job.lang), job.out_html.parent)
        except Exception as e:  # noqa: BLE001
            return outcome(False, LederkursError("render_page_failed", reason=f"{type(e).__name__}: {e}"), attempt)
        return outcome(True, None, attempt)
    return outcome(False, reason, KERNEL_ATTEMPTS)


def _worker(tasks: Any, results: Any) -> None:
    """A worker: run jobs until told to stop. Ctrl-C is the main process's to handle; SIGTERM stops the job
    (papermill's kernel is then shut down, or its parent poller ends it when this process is gone)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _interrupt)
    # The trainer's terminal shows the progress bar and the summary only. Kernels inherit this process's
    # output, and one stopped mid-reply (Ctrl-C) logs a traceback; every failure reaches the summary as
    # this job's outcome instead.
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
                result = Outcome(job, False, LederkursError("render_page_failed", reason=type(e).__name__))
            results.put(("done", os.getpid(), (index, result)))
    except Interrupted:
        pass
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # from here on, a SIGTERM just ends the process


# -- the pool ------------------------------------------------------------------------------------------


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

    A worker that dies (killed, out of memory) or whose job passes a limit fails its job and is replaced.
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


# -- planning and the whole render -------------------------------------------------------------------


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ParameterError("render_out_not_folder", path=out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ParameterError("render_out_unwritable", path=out, reason=e) from None


def plan(course: Course, answers: Path, out: Path, staging: Path, notebooks: list[str],
         kernel: str, cell_seconds: int = Limits.cell_seconds) -> tuple[list[Job], RenderResult]:
    """Read the cohort, copy each usable file into `staging` under its checked name, and list the jobs."""
    cohort = read_cohort(answers)
    cohort_name = msg(course.lang, "file_cohort")
    # A participant's folder may not take the name of a file the render writes beside it.
    reserved = {"index.html", f"{cohort_name}.html", f"{cohort_name}.ipynb"}
    skipped = list(cohort.skipped)
    members: list[Member] = []
    source = paths.notebooks_for(course.lang)
    runtime = staging / "kernels"
    runtime.mkdir(mode=0o700)
    jobs: list[Job] = []
    for member in cohort.members:
        if member.name.casefold() in reserved:
            skipped.append(Skipped(member.path, LederkursError("skip_bad_name")))
            continue
        try:
            (staging / f"{member.name}.json").write_bytes(member.answers.encode())
            folder = own_folder(out / member.name, out)
            planned = []
            for file in notebooks:
                section = course.section(file)
                draws = {"summary", "focus-self"} & set(section.directives())
                planned.append(Job(member.name, source / f"{file}.ipynb",
                                   {"participant": member.name, "answers_dir": str(staging), "read_only": True,
                                    "lang": course.lang},
                                   own_file(folder / f"{file}.ipynb", out), own_file(folder / f"{file}.html", out),
                                   f"{member.name} – {section.heading}", course.lang, kernel,
                                   staging / "charts" if draws else None, cell_seconds, runtime))
        except (OSError, LederkursError) as e:
            skipped.append(Skipped(member.path, LederkursError("skip_unwritable", reason=e)))
            continue
        members.append(member)
        jobs += planned
    if members:
        trainer = course.trainer_sections[0]
        jobs.append(Job("", source / f"{trainer.file}.ipynb", {"answers_dir": str(staging), "show_names": False,
                                                               "lang": course.lang},
                        own_file(out / f"{cohort_name}.ipynb", out), own_file(out / f"{cohort_name}.html", out),
                        trainer.title, course.lang, kernel, cell_seconds=cell_seconds, runtime=runtime))
    result = RenderResult(out, out / "index.html", [m.name for m in members], len(jobs), skipped=skipped,
                          members=members)
    return jobs, result


def _check_kernel(kernel: str) -> None:
    """A kernel Jupyter does not know (the course's, never installed) is refused once, before anything runs."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        raise ParameterError("render_no_kernel", kernel=kernel) from None


def render(answers: Path, out: Path, notebooks: str | None = None, jobs: int | None = None, lang: str = "nb",
           kernel: str = paths.KERNEL, progress: bool = True, formats: list[str] | None = None,
           limits: Limits = Limits()) -> RenderResult:
    lang = check_language(lang)
    course = load_course(lang)
    chosen = choose_notebooks(course, notebooks)
    if not answers.is_dir():
        raise ParameterError("render_no_answers_dir", path=answers)
    _check_kernel(kernel)
    _check_out(out)
    with staging_folder() as staging:
        return _render_in(course, answers, out, chosen, jobs, kernel, progress, formats, limits, staging)


def _render_in(course: Course, answers: Path, out: Path, chosen: list[str], jobs: int | None, kernel: str,
               progress: bool, formats: list[str] | None, limits: Limits, staging: Path) -> RenderResult:
    lang = course.lang
    previous = {s: signal.signal(s, _interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    # Compiled templates and charts are kept in the staging folder for this render's workers and kernels
    # (they inherit the setting), never in the trainer's own cache: nothing stays outside --out.
    own_cache = os.environ.get(paths.CACHE_ENV)
    os.environ[paths.CACHE_ENV] = str(staging / "cache")
    result = RenderResult(out, out / "index.html", [])
    try:
        try:
            todo, result = plan(course, answers, out, staging, chosen, kernel, limits.cell_seconds)
            by_index: dict[int, Outcome] = {}
            try:
                with closing(run_jobs(todo, jobs, lang, progress, limits)) as finished:  # closing ends the workers
                    for index, outcome in finished:
                        by_index[index] = outcome
            except Interrupted:
                result.interrupted = True
            result.outcomes = [by_index[i] for i in sorted(by_index)]
            if formats and not result.interrupted:
                write_reports(course, result, formats)
        except Interrupted:
            result.interrupted = True
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
        write_index(course, result, chosen)
    finally:
        if own_cache is None:
            os.environ.pop(paths.CACHE_ENV, None)
        else:
            os.environ[paths.CACHE_ENV] = own_cache
    return result


def write_reports(course: Course, result: RenderResult, formats: list[str]) -> None:
    """Each participant's personal report in the chosen formats, beside their rendered notebooks."""
    from ..reports.formats import FORMATS
    from ..reports.personal import build_report

    for member in result.members:
        try:
            built = build_report(course, member.answers)
            result.reports[member.name] = [
                write_file(result.out / member.name / fmt.file_name(member.name, course.lang), fmt.write(built),
                           result.out) for fmt in (FORMATS[name] for name in formats)]
        except (OSError, LederkursError, ValueError) as e:
            result.report_failures.append((member.name, LederkursError("render_report_failed", reason=e)))


def _href(path: Path, out: Path) -> str:
    return quote(path.relative_to(out).as_posix())


def write_index(course: Course, result: RenderResult, notebooks: list[str]) -> None:
    from ..reports.html import render as render_template
    from ..text import visible

    lang, out = course.lang, result.out
    by_participant: dict[str, list[Outcome]] = {}
    for o in result.outcomes:
        by_participant.setdefault(o.job.participant, []).append(o)
    rows = []
    for name in result.participants:
        outcomes = by_participant.get(name, [])
        links = [(course.section(o.job.notebook.stem).title, _href(o.job.out_html, out) if o.ok else None)
                 for o in outcomes]
        links += [(p.name, _href(p, out)) for p in result.reports.get(name, [])]
        done = len(outcomes) == len(notebooks) and all(o.ok for o in outcomes)
        status = "index_ok" if done else ("index_failed" if outcomes else "index_not_run")
        rows.append({"name": name, "links": links, "status": msg(lang, status)})
    cohort = [o for o in by_participant.get("", []) if o.ok]
    failures = [f"{visible(o.job.participant) or msg(lang, 'index_cohort')} / {o.job.notebook.stem}: "
                f"{describe(o.reason, lang) if o.reason else ''}" for o in result.failures]
    failures += [f"{visible(name)}: {describe(reason, lang)}" for name, reason in result.report_failures]
    skipped = [f"{visible(s.path.name)}: {describe(s.reason, lang)}" for s in result.skipped]
    title = msg(lang, "index_title", title=course.title)
    generated = datetime.now().strftime("%d.%m.%Y %H:%M")
    if result.interrupted:
        generated += " – " + msg(lang, "index_interrupted")
    page = render_template("index.html.j2", title=title, lang=lang, generated=generated, rows=rows,
                           cohort_href=_href(cohort[0].job.out_html, out) if cohort else None,
                           failures=failures, skipped=skipped)
    write_file(result.index, page, out)
