"""One job of a render, in a worker: execute one notebook for one participant with papermill, write it and its
page by a rename. A kernel that fails to start is retried; any other failure is this job's alone, named in its
outcome, with the traceback for the render's log."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import LederkursError
from .kernels import DEFAULT_KERNEL, kernel_config, kernel_manager
from .outfiles import write_file

KERNEL_ATTEMPTS = 3
RENDER_ENV = "LEDERKURS_RENDER"  # set in a render's kernels: a notebook is printed, so it shows no controls


@dataclass(frozen=True)
class Limits:
    """What one job (one participant's notebook) may take. A demo participant's job takes a few seconds
    and about 260 MB (worker and kernel); one of the largest file the answers' bounds allow, about 290 MB."""

    seconds: float = 300.0  # the whole job, its kernel's start included
    memory_mb: int = 1024  # resident memory of the worker and its kernel together
    cell_seconds: int = 120  # one cell (papermill's execution timeout)


@dataclass(frozen=True)
class Job:
    participant: str  # "" for the cohort page
    notebook: Path
    parameters: dict[str, Any]  # papermill's: what the notebook needs
    out_ipynb: Path
    out_html: Path
    title: str
    lang: str
    staging: Path  # the render's private folder: the answers' copies, charts, caches, the kernels' files
    kernel: str = DEFAULT_KERNEL
    draws_chart: bool = False  # the notebook shows the participant's focus chart: the worker draws it first
    cell_seconds: int = Limits.cell_seconds
    back: str = ""  # the page's link back to index.html, relative to the page

    @property
    def runtime(self) -> Path:
        return self.staging / "kernels"

    @property
    def charts(self) -> Path:
        return self.staging / "charts"

    def kernel_env(self) -> dict[str, str]:
        """What the kernel's environment adds: the charts drawn for it, and caches kept in the staging
        folder, never in the trainer's own cache (nothing of a render stays outside --out)."""
        from .. import paths
        from ..charts import png

        return {paths.CACHE_ENV: str(self.staging / "cache"), png.CACHE_ENV: str(self.charts), RENDER_ENV: "1"}


@dataclass(frozen=True)
class Outcome:
    job: Job
    ok: bool
    reason: LederkursError | None = None
    attempts: int = 1
    detail: str = ""  # the traceback, for the render's log


def _prepare_chart(job: Job) -> None:
    """Draw this participant's focus chart here, in the long-lived worker, where the kernel looks first."""
    from ..answers.model import read_answers_file
    from ..charts import png
    from ..charts.points import focus_points
    from ..course.content import load_course

    if not job.participant or not job.draws_chart:
        return
    course = load_course(job.lang)
    doc = read_answers_file(Path(job.parameters["answers_dir"]) / f"{job.participant}.json")
    png.prepare(focus_points(course, doc), job.lang, job.charts)


def run_job(job: Job) -> Outcome:
    """Execute one notebook and write it and its HTML page."""
    import nbformat
    import papermill
    from nbclient.exceptions import CellTimeoutError

    from ..reports.notebook_page import notebook_html
    from .printed import printable

    try:
        _prepare_chart(job)
    except Exception:  # noqa: BLE001, S110 - without it the kernel draws the chart itself, or says why not
        pass
    reason: LederkursError | None = None
    detail = ""
    for attempt in range(1, KERNEL_ATTEMPTS + 1):
        try:  # no output path: the notebook is written below, by a rename
            nb = papermill.execute_notebook(
                str(job.notebook), None, parameters=job.parameters, kernel_name=job.kernel,
                progress_bar=False, cwd=str(job.notebook.parent), start_timeout=60,
                execution_timeout=job.cell_seconds, request_save_on_cell_execute=False,
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
                kernel_manager_class=kernel_manager(job.kernel_env()), config=kernel_config(job.runtime))
        except papermill.PapermillExecutionError as e:  # a cell failed: running again would fail again
            return Outcome(job, False, LederkursError("render_cell_failed", reason=e.evalue or e.ename), attempt,
                           traceback.format_exc())
        except CellTimeoutError:  # a cell that hangs would hang again
            return Outcome(job, False, LederkursError("render_cell_timeout", seconds=job.cell_seconds), attempt,
                           traceback.format_exc())
        except Exception as e:  # noqa: BLE001 - the kernel did not start or died (a port race): try again
            reason = LederkursError("render_kernel_failed", attempts=KERNEL_ATTEMPTS,
                                    reason=f"{type(e).__name__}: {e}")
            detail = traceback.format_exc()
            continue
        try:
            executed = nbformat.from_dict(nb)
            write_file(job.out_ipynb, nbformat.writes(executed), job.out_ipynb.parent)
            write_file(job.out_html, notebook_html(printable(executed), job.title, job.lang, job.back),
                       job.out_html.parent)
        except Exception as e:  # noqa: BLE001
            return Outcome(job, False, LederkursError("render_page_failed", reason=f"{type(e).__name__}: {e}"),
                           attempt, traceback.format_exc())
        return Outcome(job, True, None, attempt)
    return Outcome(job, False, reason, KERNEL_ATTEMPTS, detail)
