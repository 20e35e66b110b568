"""A participant's personal report: every section, question and answer, the focus chart, date and source.

Built once as plain data (PersonalReport); the formats in lederkurs.reports.formats write it as HTML, DOCX
or Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..answers.model import AnswersFile
from ..course.content import Course
from ..course.messages import msg


@dataclass(frozen=True)
class Entry:
    questions: tuple[str, ...]
    answer: str | None  # None: not answered


@dataclass(frozen=True)
class ReportSection:
    title: str
    progress: str  # "n of m question groups answered"
    entries: tuple[Entry, ...]
    notebook: str = ""  # the section's notebook file, beside notebook 09: 09 links an unanswered question to it

    @property
    def done(self) -> int:
        return sum(e.answer is not None for e in self.entries)


@dataclass(frozen=True)
class PersonalReport:
    participant: str
    title: str
    meta: str
    focus_sentence: str
    focus_png: bytes
    sections: tuple[ReportSection, ...]
    source: str
    lang: str


def answered_sections(course: Course, doc: AnswersFile) -> tuple[ReportSection, ...]:
    """Every section with questions: its questions with the answers, and how many are answered (the report's
    body, and notebook 09's summary: lederkurs.reports.html.summary)."""
    sections = []
    for s in course.sections:
        if not s.groups:
            continue
        entries = tuple(Entry(g.questions, a.text if (a := doc.answer(g.id)) else None) for g in s.groups)
        done = sum(e.answer is not None for e in entries)
        sections.append(ReportSection(s.heading, msg(course.lang, "summary_progress", answered=done,
                                                     total=len(entries)), entries, f"{s.file}.ipynb"))
    return tuple(sections)


def build_report(course: Course, doc: AnswersFile, today: date | None = None,
                 keep_chart: bool = True) -> PersonalReport:
    """`keep_chart`: keep the drawn chart in the user's cache (a trainer's render does not)."""
    from ..charts.png import participant_png  # the charts only where a report is made, not for a summary
    from ..charts.points import describe, focus_points

    lang = course.lang
    points = focus_points(course, doc)
    sections = answered_sections(course, doc)
    when = (today or date.today()).strftime("%d.%m.%Y")
    return PersonalReport(doc.participant, msg(lang, "report_title", course=course.title),
                          msg(lang, "report_meta", participant=doc.shown_name, date=when),
                          describe(points, lang), participant_png(points, lang, keep_drawn=keep_chart), sections,
                          course.source, lang)
