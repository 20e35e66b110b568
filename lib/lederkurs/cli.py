"""The `lederkurs` command: argument parsing and messages only (an edge: errors are worded here)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

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
    if args.names and not args.consent:
        raise ParameterError("render_names_without_consent")
    limits = Limits(seconds=args.job_seconds, memory_mb=args.job_memory, cell_seconds=args.cell_seconds)
    out = Path(args.out) if args.out else default_out()
    result = render(answers, out, args.notebooks, args.jobs, lang, args.kernel,
                    progress=not args.quiet, formats=_formats(args.format), limits=limits, show_names=args.names)
    ok = sum(o.ok for o in result.outcomes)
    key = "render_interrupted" if result.interrupted else "render_done"
    if result.participants or result.interrupted:
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
    if result.removed:
        print(msg(lang, "render_removed", names=", ".join(visible(n) for n in result.removed)))
    if not result.participants and not result.interrupted:
        print(msg(lang, "render_nothing", path=visible(answers)), file=sys.stderr)
    return result.exit_code


DEFAULT_OUT = "gjengitt"


def default_out() -> Path:
    """gjengitt/ in the course folder (the folder JupyterLab shows), or in the current folder outside one."""
    return (paths.course_root() or Path.cwd()) / DEFAULT_OUT


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


# argparse's own words, as Python writes them, and the course's message for each (the rest is shown as it is).
_ARGPARSE_WORDS = (
    (re.compile(r"^the following arguments are required: (?P<names>.*)$"), "cli_error_required"),
    (re.compile(r"^one of the arguments (?P<names>.*) is required$"), "cli_error_one_of"),
    (re.compile(r"^unrecognized arguments: (?P<names>.*)$"), "cli_error_unrecognized"),
    (re.compile(r"^argument (?P<name>\S+): not allowed with argument (?P<other>.*)$"), "cli_error_not_with"),
    (re.compile(r"^argument (?P<name>\S+): expected one argument$"), "cli_error_expected_one"),
    (re.compile(r"^argument (?P<name>\S+): invalid (?P<kind>\w+) value: (?P<value>.*)$"), "cli_error_invalid_value"),
    (re.compile(r"^argument (?P<name>\S+): invalid choice: (?P<value>.*?) \(choose from (?P<names>.*)\)$"),
     "cli_error_invalid_choice"),
    (re.compile(r"^ambiguous option: (?P<name>\S+) could match (?P<names>.*)$"), "cli_error_ambiguous"),
)


def _cli_language(argv: list[str]) -> str:
    """The language of the command's own words: --lang when it names one of the course's, else the source's."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value:
            try:
                return check_language(value)
            except LederkursError:
                break
    return paths.source_language()


class _Formatter(argparse.HelpFormatter):
    lang = "nb"

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action], groups: Iterable[Any],
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, msg(self.lang, "cli_usage") + " " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in the course's language: its headings, its -h, its error messages. `lang` is set by main."""

    lang = "nb"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.update(add_help=False, formatter_class=_Formatter)
        super().__init__(*args, **kwargs)
        self.words = self.add_argument_group(msg(self.lang, "cli_arguments"))
        self.options = self.add_argument_group(msg(self.lang, "cli_options"))
        self.options.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                                  help=msg(self.lang, "cli_help"))

    def error(self, message: str) -> NoReturn:
        for pattern, key in _ARGPARSE_WORDS:
            if found := pattern.match(message):
                message = msg(self.lang, key, **found.groupdict())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")


def _approve(args: argparse.Namespace) -> int:  # -- service: `lederkurs approve` --
    from .service.participants import command

    return command(args.names, args.file, args.waiting, args.hub, args.lang)


def main(argv: list[str] | None = None) -> int:
    from .trainer.job import Limits
    from .trainer.kernels import DEFAULT_KERNEL

    argv = sys.argv[1:] if argv is None else argv
    words = _cli_language(argv)
    _Parser.lang = _Formatter.lang = words

    def m(key: str, **values: object) -> str:
        return msg(words, key, **values)

    parser = _Parser(prog="lederkurs", description=m("cli_description"))
    sub = parser.add_subparsers(dest="command", required=True, title=m("cli_commands"), metavar=m("cli_command"))
    b = sub.add_parser("build", help=m("cli_build"), description=m("cli_build"))
    b.options.add_argument("--check", action="store_true", help=m("cli_build_check"))
    b.options.add_argument("--lang", metavar=m("cli_mv_lang"), help=m("cli_build_lang"))
    b.set_defaults(func=_build)
    r = sub.add_parser("render", help=m("cli_render"), description=m("cli_render_description"))
    source = r.options.add_mutually_exclusive_group(required=True)
    source.add_argument("--answers", metavar=m("cli_folder"), help=m("cli_render_answers"))
    source.add_argument("--demo", action="store_true", help=m("cli_render_demo"))
    source.add_argument("--from-shares", action="store_true", help=m("cli_render_from_shares"))
    r.options.add_argument("--out", metavar=m("cli_folder"), help=m("cli_render_out", folder=DEFAULT_OUT))
    r.options.add_argument("--notebooks", metavar=m("cli_mv_notebooks"), help=m("cli_render_notebooks"))
    r.options.add_argument("--names", action="store_true", help=m("cli_render_names"))
    r.options.add_argument("--samtykke", "--consent", dest="consent", action="store_true",
                           help=m("cli_render_consent"))
    r.options.add_argument("--jobs", type=int, metavar=m("cli_mv_number"), help=m("cli_render_jobs"))
    r.options.add_argument("--lang", default=paths.source_language(), metavar=m("cli_mv_lang"), help=m("cli_lang"))
    r.options.add_argument("--kernel", default=DEFAULT_KERNEL, help=argparse.SUPPRESS)
    r.options.add_argument("--format", metavar=m("cli_mv_formats"), help=m("cli_render_format"))
    r.options.add_argument("--quiet", action="store_true", help=m("cli_render_quiet"))
    r.options.add_argument("--verbose", action="store_true", help=m("cli_render_verbose"))
    r.options.add_argument("--job-seconds", type=float, default=Limits.seconds, metavar=m("cli_mv_seconds"),
                           help=m("cli_render_job_seconds", default=f"{Limits.seconds:g}"))
    r.options.add_argument("--job-memory", type=int, default=Limits.memory_mb, metavar="MB",
                           help=m("cli_render_job_memory", default=Limits.memory_mb))
    r.options.add_argument("--cell-seconds", type=int, default=Limits.cell_seconds, metavar=m("cli_mv_seconds"),
                           help=m("cli_render_cell_seconds", default=Limits.cell_seconds))
    r.set_defaults(func=_render)
    e = sub.add_parser("export", help=m("cli_export"), description=m("cli_export"))
    e.words.add_argument("file", metavar=m("cli_file"), help=m("cli_export_file"))
    e.options.add_argument("--format", default="html", metavar=m("cli_mv_formats"), help=m("cli_export_format"))
    e.options.add_argument("--out", required=True, metavar=m("cli_mv_path"), help=m("cli_export_out"))
    e.options.add_argument("--lang", default=paths.source_language(), metavar=m("cli_mv_lang"), help=m("cli_lang"))
    e.set_defaults(func=_export)
    c = sub.add_parser("copy", help=m("cli_copy"), description=m("cli_copy"))
    c.words.add_argument("folder", metavar=m("cli_folder"), help=m("cli_copy_folder"))
    c.options.add_argument("--lang", default="all", metavar=m("cli_mv_lang"), help=m("cli_copy_lang"))
    c.options.add_argument("--force", action="store_true", help=m("cli_copy_force"))
    c.set_defaults(func=_copy)
    # -- service: approve participants on the course's hub (lederkurs.service.participants) --
    a = sub.add_parser("approve", help=m("cli_approve"), description=m("cli_approve"))
    a.words.add_argument("names", nargs="*", metavar=m("cli_mv_names"), help=m("cli_approve_names"))
    a.options.add_argument("--file", metavar=m("cli_file"), help=m("cli_approve_file"))
    a.options.add_argument("--waiting", action="store_true", help=m("cli_approve_waiting"))
    a.options.add_argument("--hub", metavar=m("cli_mv_address"), help=m("cli_approve_hub"))
    a.options.add_argument("--lang", default=paths.source_language(), metavar=m("cli_mv_lang"), help=m("cli_lang"))
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
