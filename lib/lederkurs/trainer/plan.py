"""Planning a render: which notebooks, which participants (the cohort read, each usable file copied into the
staging folder under its checked name), and the jobs; the result the render fills in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..course.content import Course
from ..course.messages import msg
from ..errors import LederkursError, ParameterError
from .cohort import Member, Skipped, read_cohort
from .job import Job, Limits, Outcome
from .kernels import DEFAULT_KERNEL
from .outfiles import own_file, own_folder

DEFAULT_NOTEBOOKS = ("09",)


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
    answers: Path = Path()  # the answers folder read
    show_names: bool = False  # the cohort page names each answer's author (the participants agreed)
    removed: list[str] = field(default_factory=list)  # pages of an earlier render taken away: no file now
    known: list[str] = field(default_factory=list)  # whom pages exist for after this render (kept in index.html)
    interrupted: bool = False
    log: Path | None = None  # the render's log in --out, when something failed

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failures or self.skipped or self.report_failures or not self.participants else 0


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


def plan(course: Course, answers: Path, out: Path, staging: Path, notebooks: list[str],
         kernel: str = DEFAULT_KERNEL, limits: Limits = Limits(),
         show_names: bool = False) -> tuple[list[Job], RenderResult]:
    """Read the cohort, copy each usable file into `staging` under its checked name, and list the jobs."""
    cohort = read_cohort(answers)
    cohort_name = msg(course.lang, "file_cohort")
    # A participant's folder may not take the name of a file the render writes beside it.
    reserved = {"index.html", "render.log", f"{cohort_name}.html", f"{cohort_name}.ipynb"}
    skipped = list(cohort.skipped)
    members: list[Member] = []
    source = paths.notebooks_for(course.lang)
    (staging / "kernels").mkdir(mode=0o700, exist_ok=True)
    copies = staging / "answers"  # the answers files only: the cohort notebook reads every entry of its folder
    copies.mkdir(mode=0o700, exist_ok=True)
    jobs: list[Job] = []
    for member in cohort.members:
        if member.name.casefold() in reserved:
            skipped.append(Skipped(member.path, LederkursError("skip_bad_name")))
            continue
        try:
            (copies / f"{member.name}.json").write_bytes(member.answers.encode())
            folder = own_folder(out / member.name, out)
            planned = []
            for file in notebooks:
                section = course.section(file)
                draws = bool({"summary", "focus-self"} & set(section.directives()))
                planned.append(Job(member.name, source / f"{file}.ipynb",
                                   {"participant": member.name, "answers_dir": str(copies), "read_only": True,
                                    "lang": course.lang},
                                   own_file(folder / f"{file}.ipynb", out), own_file(folder / f"{file}.html", out),
                                   f"{member.name} – {section.heading}", course.lang, staging, kernel, draws,
                                   limits.cell_seconds, back="../index.html"))
        except (OSError, LederkursError) as e:
            skipped.append(Skipped(member.path, LederkursError("skip_unwritable", reason=e)))
            continue
        members.append(member)
        jobs += planned
    if members:
        trainer = course.trainer_sections[0]
        jobs.append(Job("", source / f"{trainer.file}.ipynb", {"answers_dir": str(copies),
                                                               "show_names": show_names, "lang": course.lang},
                        own_file(out / f"{cohort_name}.ipynb", out), own_file(out / f"{cohort_name}.html", out),
                        trainer.title, course.lang, staging, kernel, cell_seconds=limits.cell_seconds,
                        back="index.html"))
    result = RenderResult(out, out / "index.html", [m.name for m in members], len(jobs), skipped=skipped,
                          members=members, answers=answers, show_names=show_names)
    return jobs, result
