"""The `lederkurs` command: argument parsing and messages only (an edge: errors are worded here)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import paths
from .course.languages import check_language
from .course.messages import describe, msg
from .course.problems import ContentError
from .errors import LederkursError, ParameterError
from .text import visible


def _build(args: argparse.Namespace) -> int:
    from . import build as builder

    if args.check:
        drift = builder.check(args.lang)
        for d in drift:
            print(f"{d.path}: {d.reason}", file=sys.stderr)
        if drift:
            print("Notebooks lag behind content: run `lederkurs build` (or `make notebooks`).", file=sys.stderr)
            return 1
        print("Notebooks are up to date with content.")
        return 0
    written = builder.build(args.lang)
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("Notebooks were already up to date.")
    return 0


def _formats(value: str | None) -> list[str]:
    from .reports.formats import FORMATS

    chosen = [f.strip() for f in value.split(",") if f.strip()] if value else []
    for fmt in chosen:
        if fmt not in FORMATS:
            raise ParameterError("export_unknown_format", fmt=fmt, available=", ".join(FORMATS))
    return chosen


def _render(args: argparse.Namespace) -> int:
    import logging

    from .trainer.render import VisibleFormatter

    if args.verbose:  # the render's log live on the terminal, made visible; the log file has it anyway
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(VisibleFormatter("%(levelname)s %(name)s: %(message)s"))
        logging.getLogger("lederkurs").addHandler(handler)
        logging.getLogger("lederkurs").setLevel(logging.INFO)
    if getattr(args, "from_shares", False):  # -- service: what was shared on the hub, fetched first --
        from .answers.service_client import downloaded_shares

        with downloaded_shares() as shared:
            return _render_from(args, shared)
    return _render_from(args, paths.demo_cohort_dir() if args.demo else Path(args.answers))


def _render_from(args: argparse.Namespace, answers: Path) -> int:
    from .trainer.render import Limits, render

    lang = args.lang
    limits = Limits(seconds=args.job_seconds, memory_mb=args.job_memory, cell_seconds=args.cell_seconds)
    result = render(answers, Path(args.out), args.notebooks, args.jobs, lang, args.kernel,
                    progress=not args.quiet, formats=_formats(args.format), limits=limits)
    ok = sum(o.ok for o in result.outcomes)
    key = "render_interrupted" if result.interrupted else "render_done"
    print(msg(lang, key, ok=ok, notebooks=msg(lang, "count_notebooks", count=result.planned),
              people=msg(lang, "count_participants", count=len(result.participants)), index=result.index))
    if result.failures or result.report_failures:
        print(msg(lang, "render_failed_heading"), file=sys.stderr)
        for o in result.failures:
            who = visible(o.job.participant) or msg(lang, "file_cohort")
            reason = describe(o.reason, lang) if o.reason else ""
            print(msg(lang, "render_failed_line", participant=who, notebook=o.job.notebook.stem, reason=reason),
                  file=sys.stderr)
        for name, error in result.report_failures:
            print(msg(lang, "render_failed_line", participant=visible(name), notebook=msg(lang, "file_report"),
                      reason=describe(error, lang)), file=sys.stderr)
    if result.log:
        print(msg(lang, "render_log_written", path=visible(result.log)), file=sys.stderr)
    if result.skipped:
        print(msg(lang, "render_skipped_heading"), file=sys.stderr)
        for s in result.skipped:
            print(msg(lang, "render_skipped_line", file=visible(s.path.name), reason=describe(s.reason, lang)),
                  file=sys.stderr)
    return result.exit_code


def _export(args: argparse.Namespace) -> int:
    from .reports.export import export

    for path in export(Path(args.file), _formats(args.format), Path(args.out), args.lang):
        print(msg(args.lang, "export_done", path=visible(path)))
    return 0


def _copy(args: argparse.Namespace) -> int:
    from . import paths
    from .copy_course import copy_course, course_notebooks

    langs = None if args.lang == "all" else [args.lang]
    lang = paths.source_language() if args.lang == "all" else args.lang
    folder = Path(args.folder)
    result = copy_course(folder, langs, args.force, aside_word=msg(lang, "file_changed"))
    for key, items in (("copy_copied", result.copied), ("copy_updated", result.updated),
                       ("copy_unchanged", result.unchanged)):
        if items:
            print(msg(lang, key, count=len(items), folder=visible(folder)))
    def said(path: Path) -> str:  # as she named the folder, not where its links lead
        return visible(folder / path.relative_to(result.folder))

    for path in result.kept:
        print(msg(lang, "copy_kept", path=said(path)), file=sys.stderr)
    for path in result.set_aside:
        print(msg(lang, "copy_set_aside", path=said(path)))
    first = paths.language_folder(folder, lang) / course_notebooks(lang)[0].name
    print(msg(lang, "copy_start", path=visible(first)))
    return 0


def _approve(args: argparse.Namespace) -> int:  # -- service: `lederkurs approve` --
    from .service.participants import command

    return command(args.names, args.file, args.waiting, args.hub, args.lang)


def main(argv: list[str] | None = None) -> int:
    from .trainer.job import Limits
    from .trainer.kernels import DEFAULT_KERNEL

    parser = argparse.ArgumentParser(prog="lederkurs", description="Leder for ledere: course tools")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generate notebooks/ from content/")
    b.add_argument("--check", action="store_true", help="fail if a notebook lags behind its content")
    b.add_argument("--lang", help="one language (default: every language in content/)")
    b.set_defaults(func=_build)
    r = sub.add_parser("render", help="render every participant's notebooks (read-only) with papermill")
    source = r.add_mutually_exclusive_group(required=True)
    source.add_argument("--answers", help="folder of participants' answers files (*.json)")
    source.add_argument("--demo", action="store_true", help="the sample cohort that comes with the course")
    source.add_argument("--from-shares", action="store_true",  # -- service --
                        help="on the course's hub: the answers participants shared with the trainer")
    r.add_argument("--out", required=True, help="output folder (index.html, one folder per participant)")
    r.add_argument("--notebooks", help="comma-separated notebooks, e.g. 04,09 (default: 09)")
    r.add_argument("--jobs", type=int, help="parallel workers (default: number of cores)")
    r.add_argument("--lang", default=paths.source_language())
    r.add_argument("--kernel", default=DEFAULT_KERNEL, help=argparse.SUPPRESS)
    r.add_argument("--format", help="also write each participant's personal report: html,docx,md")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument("--verbose", action="store_true", help="show the render's log (failures with tracebacks) live")
    r.add_argument("--job-seconds", type=float, default=Limits.seconds,
                   help=f"time limit of one participant's notebook (default: {Limits.seconds:g})")
    r.add_argument("--job-memory", type=int, default=Limits.memory_mb,
                   help=f"memory limit in MB of one notebook, its kernel included (default: {Limits.memory_mb})")
    r.add_argument("--cell-seconds", type=int, default=Limits.cell_seconds,
                   help=f"time limit of one cell (default: {Limits.cell_seconds})")
    r.set_defaults(func=_render)
    e = sub.add_parser("export", help="a participant's personal report (HTML, DOCX or Markdown)")
    e.add_argument("file", help="the participant's answers file (JSON)")
    e.add_argument("--format", default="html", help="html, docx or md (several: comma-separated)")
    e.add_argument("--out", required=True, help="output file, or a folder")
    e.add_argument("--lang", default=paths.source_language())
    e.set_defaults(func=_export)
    c = sub.add_parser("copy", help="put a participant's own copy of the course notebooks into a folder")
    c.add_argument("folder", help="the folder (answers are saved in its answers/)")
    c.add_argument("--lang", default="all", help="nb, nn, en or all (default: all)")
    c.add_argument("--force", action="store_true",
                   help="replace notebooks the participant has changed (their version is kept beside)")
    c.set_defaults(func=_copy)
    # -- service: approve participants on the course's hub (lederkurs.service.participants) --
    a = sub.add_parser("approve", help="approve participants on the course's hub at once, or from a list")
    a.add_argument("names", nargs="*", help="user names (approved now if signed up, else when they sign up)")
    a.add_argument("--file", help="a list of user names, one per line (# starts a comment)")
    a.add_argument("--waiting", action="store_true", help="approve everyone who has signed up and waits")
    a.add_argument("--hub", help="the hub's address, e.g. https://kurs.example.no/hub/ (default: this server's)")
    a.add_argument("--lang", default=paths.source_language())
    a.set_defaults(func=_approve)
    args = parser.parse_args(argv)
    lang = paths.source_language()  # until the chosen language is known to exist
    try:
        if args.lang and args.lang != "all":
            lang = check_language(args.lang)
        return int(args.func(args))
    except ContentError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except LederkursError as e:
        print(describe(e, lang), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
