"""Trainers' batch rendering: papermill over every participant's answers file, read-only, in parallel.

For each participant: the executed notebook and a self-contained HTML page per chosen notebook (and, if asked,
the personal report); for the cohort: the anonymous cohort page; over all: index.html; when anything failed,
render.log with each failure's traceback.

Like rsync: a bad file is named and the rest goes through; a participant that fails at any stage does not
stop the others; nothing outside the output folder is written or deleted, and every file is written beside
its place and renamed into it, so a link (symbolic or hard) inside it is replaced, never written through.
Each job has a time and a memory bound (Limits): a job over either is that participant's failure, named,
and the render goes on. Ctrl-C or SIGTERM stops the workers and their kernels, removes what the render
created (its staging folder, in the system's temporary folder) and leaves what was finished.

The parts, one job each: plan (what to run), pool (the workers and their limits), job (one notebook),
kernels (the kernels' settings and private files), outfiles (writing inside --out), index (reports and
index.html), staging (the private folder).
"""

from __future__ import annotations

import logging
import signal
from contextlib import closing
from pathlib import Path

from ..course.content import Course, load_course
from ..course.languages import check_language
from ..course.messages import describe, msg
from ..errors import ParameterError
from ..text import visible, visible_lines
from .index import write_index, write_reports
from .job import Limits, Outcome
from .kernels import DEFAULT_KERNEL, check_kernel
from .outfiles import check_out, write_file
from .plan import RenderResult, choose_notebooks, plan
from .pool import Interrupted, interrupt, run_jobs
from .staging import staging_folder
from .withdrawn import pages_made_by_last_render, remove_gone

__all__ = ["Limits", "RenderResult", "VisibleFormatter", "render"]

LOG_FILE = "render.log"
log = logging.getLogger(__name__)


class VisibleFormatter(logging.Formatter):
    """Log lines as they may be shown: text from a file (a name, a label in an error) with every control
    character escaped, line breaks of a traceback kept."""

    def format(self, record: logging.LogRecord) -> str:
        return visible_lines(super().format(record))


class _Kept(logging.Handler):
    """The render's log lines, kept in memory until the render knows whether to write them."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(VisibleFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _log_failure(outcome: Outcome, lang: str) -> None:
    who = outcome.job.participant or msg(lang, "file_cohort")
    reason = describe(outcome.reason, lang) if outcome.reason else ""
    log.error("%s / %s: %s%s", visible(who), outcome.job.notebook.stem, reason,
              f"\n{outcome.detail.rstrip()}" if outcome.detail else "")


def render(answers: Path, out: Path, notebooks: str | None = None, jobs: int | None = None, lang: str = "nb",
           kernel: str = DEFAULT_KERNEL, progress: bool = True, formats: list[str] | None = None,
           limits: Limits = Limits(), show_names: bool = False) -> RenderResult:
    lang = check_language(lang)
    course = load_course(lang)
    chosen = choose_notebooks(course, notebooks)
    if not answers.is_dir():
        raise ParameterError("render_no_answers_dir", path=answers)
    check_kernel(kernel)
    check_out(out)
    # The render's log: kept while it runs, written into --out (by a rename) if anything failed.
    keeper = _Kept()
    package = logging.getLogger("lederkurs")
    package.addHandler(keeper)
    try:
        with staging_folder() as staging:
            result = _render_in(course, answers, out, chosen, jobs, kernel, progress, formats, limits, staging,
                                show_names)
    finally:
        package.removeHandler(keeper)
    if keeper.lines:
        result.log = write_file(out / LOG_FILE, "\n".join(keeper.lines) + "\n", out)
    return result


def _render_in(course: Course, answers: Path, out: Path, chosen: list[str], jobs: int | None, kernel: str,
               progress: bool, formats: list[str] | None, limits: Limits, staging: Path,
               show_names: bool) -> RenderResult:
    previous = {s: signal.signal(s, interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    result = RenderResult(out, out / "index.html", [], answers=answers, show_names=show_names)
    before = pages_made_by_last_render(out)
    try:
        todo, result = plan(course, answers, out, staging, chosen, kernel, limits, show_names)
        by_index: dict[int, Outcome] = {}
        try:
            with closing(run_jobs(todo, jobs, course.lang, progress, limits)) as finished:  # closing ends the workers
                for index, outcome in finished:
                    by_index[index] = outcome
                    if not outcome.ok:
                        _log_failure(outcome, course.lang)
        except Interrupted:
            result.interrupted = True
        result.outcomes = [by_index[i] for i in sorted(by_index)]
        if formats and not result.interrupted:
            write_reports(course, result, formats)
        if not result.interrupted:  # only a complete render knows who is gone
            gone = sorted(set(before) - set(result.participants))
            result.removed = remove_gone(out, gone, {"index.html", "render.log"})
    except Interrupted:
        result.interrupted = True
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    # index.html remembers whom pages exist for: this render's, and an interrupted one's predecessors too
    result.known = sorted(set(result.participants) | (set(before) if result.interrupted else set()))
    write_index(course, result, chosen)
    return result
