"""What a render writes over all its jobs: each participant's personal reports, and index.html."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from ..course.content import Course
from ..course.messages import describe, msg
from ..errors import LederkursError
from ..text import visible
from .job import Outcome
from .outfiles import write_file
from .plan import RenderResult

log = logging.getLogger(__name__)


def write_reports(course: Course, result: RenderResult, formats: list[str]) -> None:
    """Each participant's personal report in the chosen formats, beside their rendered notebooks."""
    from ..reports.formats import FORMATS
    from ..reports.personal import build_report

    for member in result.members:
        try:
            built = build_report(course, member.answers, keep_chart=False)
            result.reports[member.name] = [
                write_file(result.out / member.name / fmt.file_name(member.name, course.lang), fmt.write(built),
                           result.out) for fmt in (FORMATS[name] for name in formats)]
        except (OSError, LederkursError, ValueError) as e:
            log.error("the report of %s failed", visible(member.name), exc_info=True)
            result.report_failures.append((member.name, LederkursError("render_report_failed", reason=e)))


def _href(path: Path, out: Path) -> str:
    return quote(path.relative_to(out).as_posix())


def write_index(course: Course, result: RenderResult, notebooks: list[str]) -> None:
    from ..reports.html import render as render_template

    lang, out = course.lang, result.out
    by_participant: dict[str, list[Outcome]] = {}
    for o in result.outcomes:
        by_participant.setdefault(o.job.participant, []).append(o)
    from ..reports.formats import FORMATS

    labels = {fmt.suffix: msg(lang, f"index_report_{fmt.name}") for fmt in FORMATS.values()}
    members = {m.name: m for m in result.members}
    groups = [g.id for g in course.groups]
    rows = []
    for name in result.participants:
        outcomes = by_participant.get(name, [])
        links = [(course.section(o.job.notebook.stem).title, _href(o.job.out_html, out) if o.ok else None)
                 for o in outcomes]
        links += [(labels.get(p.suffix, p.name), _href(p, out)) for p in result.reports.get(name, [])]
        done = len(outcomes) == len(notebooks) and all(o.ok for o in outcomes)
        status = "index_ok" if done else ("index_failed" if outcomes else "index_not_run")
        doc = members[name].answers if name in members else None
        member = members.get(name)
        source = msg(lang, "index_from_file", file=visible(member.path.name)) \
            if member and member.path.stem != name else ""
        rows.append({"name": doc.shown_name if doc else name, "login": name if doc and doc.name else "",
                     "source": source,
                     "progress": msg(lang, "index_progress", answered=doc.count_answered(groups), total=len(groups))
                     if doc else "", "links": links, "status": msg(lang, status)})
    skipped_stems = {s.path.stem for s in result.skipped}
    removed = [msg(lang, "index_removed_skipped" if name in skipped_stems else "index_removed_gone",
                   participant=visible(name)) for name in result.removed]
    cohort = [o for o in by_participant.get("", []) if o.ok]
    failures = [f"{visible(o.job.participant) or msg(lang, 'index_cohort')} / {o.job.notebook.stem}: "
                f"{describe(o.reason, lang) if o.reason else ''}" for o in result.failures]
    failures += [f"{visible(name)}: {describe(reason, lang)}" for name, reason in result.report_failures]
    skipped = [f"{visible(s.path.name)}: {describe(s.reason, lang)}" for s in result.skipped]
    title = msg(lang, "index_title", title=course.title)
    generated = datetime.now().strftime("%d.%m.%Y %H:%M")
    if result.interrupted:
        generated += " – " + msg(lang, "index_interrupted")
    if not result.participants and not result.interrupted:
        failures.insert(0, msg(lang, "render_nothing", path=visible(result.answers)))
    page = render_template("index.html.j2", title=title, lang=lang, generated=generated, rows=rows,
                           cohort_href=_href(cohort[0].job.out_html, out) if cohort else None,
                           cohort_label=msg(lang, "index_cohort_named" if result.show_names else "index_cohort"),
                           failures=failures, skipped=skipped, removed=removed,
                           known=json.dumps(result.known, ensure_ascii=False))
    write_file(result.index, page, out)
