"""The `lederkurs` command."""

from __future__ import annotations

import argparse
import sys

from . import build as builder
from pathlib import Path

from .content import ContentError, UnknownLanguage
from .errors import CourseError


def _build(args: argparse.Namespace) -> int:
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


def _render(args: argparse.Namespace) -> int:
    from .messages import msg
    from .render import render

    report = render(Path(args.answers), Path(args.out), args.notebooks, args.jobs, args.lang, args.kernel,
                    progress=not args.quiet, formats=_formats(args.format, args.lang))
    lang = args.lang
    ok = sum(o.ok for o in report.outcomes)
    print(msg(lang, "render_done", ok=ok, total=len(report.outcomes), participants=len(report.participants),
              index=report.index))
    if report.failures:
        print(msg(lang, "render_failed_heading"), file=sys.stderr)
        for o in report.failures:
            print(msg(lang, "render_failed_line", participant=o.job.participant or msg(lang, "file_cohort"),
                      notebook=o.job.notebook.stem, reason=o.reason), file=sys.stderr)
    if report.skipped:
        print(msg(lang, "render_skipped_heading"), file=sys.stderr)
        for s in report.skipped:
            print(msg(lang, "render_skipped_line", file=s.path.name, reason=s.reason), file=sys.stderr)
    return report.exit_code


def _formats(value: str | None, lang: str) -> list[str]:
    from .export import FORMATS
    from .messages import msg

    chosen = [f.strip() for f in value.split(",") if f.strip()] if value else []
    for fmt in chosen:
        if fmt not in FORMATS:
            raise CourseError(msg(lang, "export_unknown_format", fmt=fmt, available=", ".join(FORMATS)))
    return chosen


def _export(args: argparse.Namespace) -> int:
    from .answers import AnswersFormatError, check_participant, read_answers_file
    from .content import load_course
    from .export import build_report, write_report
    from .messages import msg
    from .notebook import check_language

    lang = check_language(args.lang)
    formats = _formats(args.format, lang)
    source = Path(args.file)
    try:
        doc = read_answers_file(source, lang)
    except (OSError, AnswersFormatError) as e:
        raise CourseError(msg(lang, "export_unreadable", path=source, reason=getattr(e, "strerror", None) or e))
    participant = check_participant(doc.participant, lang)
    out = Path(args.out)
    if len(formats) > 1:
        out.mkdir(parents=True, exist_ok=True)
    report = build_report(load_course(lang), doc)
    for fmt in formats:
        print(msg(lang, "export_done", path=write_report(report, participant, fmt, out)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lederkurs", description="Leder for ledere: course tools")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generate notebooks/ from content/")
    b.add_argument("--check", action="store_true", help="fail if a notebook lags behind its content")
    b.add_argument("--lang", help="one language (default: every language in content/)")
    b.set_defaults(func=_build)
    r = sub.add_parser("render", help="render every participant's notebooks (read-only) with papermill")
    r.add_argument("--answers", required=True, help="folder of participants' answers files (*.json)")
    r.add_argument("--out", required=True, help="output folder (index.html, one folder per participant)")
    r.add_argument("--notebooks", help="comma-separated notebooks, e.g. 04,09 (default: 09)")
    r.add_argument("--jobs", type=int, help="parallel workers (default: number of cores)")
    r.add_argument("--lang", default="nb")
    r.add_argument("--kernel", default="python3", help=argparse.SUPPRESS)
    r.add_argument("--format", help="also write each participant's personal report: html,docx,md")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_render)
    e = sub.add_parser("export", help="a participant's personal report (HTML, DOCX or Markdown)")
    e.add_argument("file", help="the participant's answers file (JSON)")
    e.add_argument("--format", default="html", help="html, docx or md (several: comma-separated)")
    e.add_argument("--out", required=True, help="output file, or a folder")
    e.add_argument("--lang", default="nb")
    e.set_defaults(func=_export)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ContentError, UnknownLanguage) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except CourseError as e:
        print(e.message, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
