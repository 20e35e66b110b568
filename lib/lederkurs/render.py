"""Trainers' batch rendering: papermill over every participant's answers file, read-only, in parallel.

For each participant: the executed notebook and a self-contained HTML page per chosen notebook; for the cohort:
the anonymous cohort page; over all: index.html. Bad files are skipped with a reason, a failing participant
does not stop the others, and nothing is written outside the output folder.
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import quote

from . import paths
from .cohort import Member, Skipped, read_cohort
from .content import Course, load_course
from .errors import CourseError
from .messages import msg
from .notebook import check_language

DEFAULT_NOTEBOOKS = ("09",)
KERNEL_ATTEMPTS = 3
STAGING = ".staging"  # validated copies of the answers files, inside --out, removed when done


@dataclass(frozen=True)
class Job:
    participant: str  # "" for the cohort page
    notebook: Path
    parameters: dict
    out_ipynb: Path
    out_html: Path
    title: str
    lang: str
    kernel: str = "python3"
    charts: Path | None = None  # cache folder, when the notebook draws the participant's focus chart


@dataclass(frozen=True)
class Outcome:
    job: Job
    ok: bool
    reason: str = ""
    attempts: int = 1
    worker_peak_mb: float = 0.0
    kernel_peak_mb: float = 0.0


@dataclass
class Report:
    out: Path
    index: Path
    participants: list[str]
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    reports: dict[str, list[Path]] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def exit_code(self) -> int:
        return 1 if self.failures or self.skipped else 0


def choose_notebooks(course: Course, spec: str | None) -> list[str]:
    """'04,09' or '04-overgang' -> section files; an unknown name is refused with the ones there are."""
    chosen = []
    for name in (spec.split(",") if spec else DEFAULT_NOTEBOOKS):
        name = name.strip().removesuffix(".ipynb")
        try:
            chosen.append(course.section(name).file)
        except KeyError:
            available = ", ".join(s.file for s in course.sections)
            raise CourseError.of(course.lang, "render_unknown_notebook", name=name, available=available) from None
    return list(dict.fromkeys(chosen))


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _prepare_chart(job: Job) -> None:
    """Draw this participant's focus chart here, in the long-lived worker, for the kernel to pick up."""
    from . import chart_png
    from .answers import read_answers_file
    from .focus import focus_points

    if not job.participant or not job.charts:
        return
    course = load_course(job.lang)
    doc = read_answers_file(Path(job.parameters["answers_dir"]) / f"{job.participant}.json", job.lang)
    chart_png.prepare(focus_points(course, doc), job.lang, job.charts)
    os.environ[chart_png.CACHE_ENV] = str(job.charts)  # the kernels papermill starts inherit it


def run_job(job: Job) -> Outcome:
    """Execute one notebook with papermill and write its HTML. A kernel that fails to start is retried."""
    import nbformat
    import papermill

    from .report_html import notebook_html

    _prepare_chart(job)
    reason = ""
    for attempt in range(1, KERNEL_ATTEMPTS + 1):
        try:
            nb = papermill.execute_notebook(
                str(job.notebook), str(job.out_ipynb), parameters=job.parameters, kernel_name=job.kernel,
                progress_bar=False, cwd=str(job.notebook.parent), start_timeout=60,
                request_save_on_cell_execute=False, extra_arguments=["--IPKernelApp.log_level=ERROR"])
        except papermill.PapermillExecutionError as e:  # a cell failed: running again would fail again
            return Outcome(job, False, e.evalue or e.ename, attempt, _peak_mb(resource.RUSAGE_SELF),
                           _peak_mb(resource.RUSAGE_CHILDREN))
        except Exception as e:  # the kernel did not start or died (a port race, a crash): try again
            reason = f"{type(e).__name__}: {e}"
            continue
        job.out_html.write_text(notebook_html(nbformat.from_dict(nb), job.title, job.lang), encoding="utf-8")
        return Outcome(job, True, "", attempt, _peak_mb(resource.RUSAGE_SELF), _peak_mb(resource.RUSAGE_CHILDREN))
    return Outcome(job, False, msg(job.lang, "render_kernel_failed", attempts=KERNEL_ATTEMPTS, reason=reason),
                   KERNEL_ATTEMPTS)


def _inside(path: Path, folder: Path) -> Path:
    """Refuse any output path that would leave the output folder (names are checked before; this is a guard)."""
    if not path.resolve().is_relative_to(folder.resolve()):
        raise ValueError(f"{path} is outside {folder}")
    return path


def plan(course: Course, answers: Path, out: Path, notebooks: list[str], kernel: str) -> tuple[list[Job], Report]:
    cohort = read_cohort(answers, course.lang)
    cohort_name = msg(course.lang, "file_cohort")
    # A participant's folder may not take the name of a file the render writes beside it.
    reserved = {"index.html", f"{cohort_name}.html", f"{cohort_name}.ipynb"}
    skipped = list(cohort.skipped) + [Skipped(m.path, msg(course.lang, "skip_bad_name"))
                                      for m in cohort.members if m.name.lower() in reserved]
    members = [m for m in cohort.members if m.name.lower() not in reserved]
    staging = out / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    source = paths.notebooks_for(course.lang)
    jobs = []
    for member in members:
        _inside(staging / f"{member.name}.json", out).write_bytes(member.path.read_bytes())
        folder = _inside(out / member.name, out)
        folder.mkdir(exist_ok=True)
        for file in notebooks:
            section = course.section(file)
            draws = {"summary", "focus-self"} & set(section.directives())
            jobs.append(Job(member.name, source / f"{file}.ipynb",
                            {"participant": member.name, "answers_dir": str(staging.resolve()), "read_only": True,
                             "lang": course.lang},
                            folder / f"{file}.ipynb", folder / f"{file}.html",
                            f"{member.name} – {section.number} {section.title}", course.lang, kernel,
                            (staging / "charts").resolve() if draws else None))
    if members:
        trainer = course.trainer_sections[0]
        jobs.append(Job("", source / f"{trainer.file}.ipynb", {"answers_dir": str(staging.resolve()),
                                                               "show_names": False, "lang": course.lang},
                        out / f"{cohort_name}.ipynb", out / f"{cohort_name}.html", trainer.title,
                        course.lang, kernel))
    report = Report(out, out / "index.html", [m.name for m in members], skipped=skipped, members=members)
    return jobs, report


def run_jobs(todo: list[Job], jobs: int | None, lang: str, progress: bool) -> list[Outcome]:
    """Run jobs on bounded parallel workers with a progress bar; outcomes in the jobs' order."""
    from tqdm import tqdm

    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool, \
            tqdm(total=len(todo), desc=msg(lang, "render_progress"), unit=f" {msg(lang, 'render_unit')}",
                 disable=not progress, file=sys.stderr) as bar:
        futures = [pool.submit(run_job, job) for job in todo]
        for _ in as_completed(futures):
            bar.update()
        return [f.result() for f in futures]


def render(answers: Path, out: Path, notebooks: str | None = None, jobs: int | None = None, lang: str = "nb",
           kernel: str = "python3", progress: bool = True, formats: list[str] | None = None) -> Report:
    lang = check_language(lang)
    course = load_course(lang)
    chosen = choose_notebooks(course, notebooks)
    if not answers.is_dir():
        raise CourseError.of(lang, "render_no_answers_dir", path=answers)
    out.mkdir(parents=True, exist_ok=True)
    todo, report = plan(course, answers, out, chosen, kernel)
    try:
        report.outcomes = run_jobs(todo, jobs, lang, progress)
    finally:
        shutil.rmtree(out / STAGING, ignore_errors=True)
    if formats:
        write_reports(course, out, report, formats)
    write_index(course, report, chosen)
    return report


def write_reports(course: Course, out: Path, report: Report, formats: list[str]) -> None:
    """Each participant's personal report in the chosen formats, beside their rendered notebooks."""
    from .export import build_report, write_report

    for member in report.members:
        built = build_report(course, member.answers)
        report.reports[member.name] = [write_report(built, member.name, fmt, _inside(out / member.name, out))
                                       for fmt in formats]


def _link(path: Path, out: Path, text: str) -> str:
    return f'<a href="{quote(path.relative_to(out).as_posix())}">{escape(text)}</a>'


def write_index(course: Course, report: Report, notebooks: list[str]) -> None:
    lang, out = course.lang, report.out
    by_participant: dict[str, list[Outcome]] = {}
    for o in report.outcomes:
        by_participant.setdefault(o.job.participant, []).append(o)
    rows = []
    for name in report.participants:
        outcomes = by_participant.get(name, [])
        links = " · ".join([_link(o.job.out_html, out, course.section(o.job.notebook.stem).title) if o.ok
                            else escape(course.section(o.job.notebook.stem).title) for o in outcomes]
                           + [_link(p, out, p.name) for p in report.reports.get(name, [])])
        ok = all(o.ok for o in outcomes)
        status = msg(lang, "index_ok" if ok else "index_failed")
        rows.append(f"<tr><td>{escape(name)}</td><td>{links}</td><td>{escape(status)}</td></tr>")
    cohort = [o for o in by_participant.get("", []) if o.ok]
    parts = [f"<h1>{escape(msg(lang, 'index_title', title=course.title))}</h1>",
             f"<p>{escape(msg(lang, 'index_generated', time=datetime.now().strftime('%d.%m.%Y %H:%M')))}</p>"]
    if cohort:
        parts.append(f"<p>{_link(cohort[0].job.out_html, out, msg(lang, 'index_cohort'))}</p>")
    parts.append(f"<h2>{escape(msg(lang, 'index_participants'))} ({len(report.participants)})</h2>"
                 f"<table><tr><th scope='col'>{escape(msg(lang, 'index_col_participant'))}</th>"
                 f"<th scope='col'>{escape(msg(lang, 'index_col_notebooks'))}</th>"
                 f"<th scope='col'>{escape(msg(lang, 'index_col_status'))}</th></tr>{''.join(rows)}</table>")
    if report.failures:
        items = "".join(f"<li>{escape(o.job.participant or msg(lang, 'index_cohort'))} / "
                        f"{escape(o.job.notebook.stem)}: {escape(o.reason)}</li>" for o in report.failures)
        parts.append(f"<h2>{escape(msg(lang, 'index_failures'))}</h2><ul>{items}</ul>")
    if report.skipped:
        items = "".join(f"<li>{escape(s.path.name)}: {escape(s.reason)}</li>" for s in report.skipped)
        parts.append(f"<h2>{escape(msg(lang, 'index_skipped'))}</h2><ul>{items}</ul>")
    from .report_html import page

    report.index.write_text(page(msg(lang, "index_title", title=course.title), "".join(parts), lang),
                            encoding="utf-8")
