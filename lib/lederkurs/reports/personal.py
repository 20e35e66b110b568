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
class RoundAnswer:
    title: str  # the round's name, or its month
    date: str  # the day it started ("" when the file does not say)
    answer: str | None  # None: not answered in that round


@dataclass(frozen=True)
class Entry:
    questions: tuple[str, ...]
    answer: str | None  # None: not answered (in the current round)
    rounds: tuple[RoundAnswer, ...] = ()  # every round, oldest first, when the file has more than one

    @property
    def earlier(self) -> tuple[RoundAnswer, ...]:
        """The earlier rounds' answers (those given), newest first: under an answer box."""
        return tuple(r for r in reversed(self.rounds[:-1]) if r.answer is not None)


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
    time_png: bytes | None = None  # the chart over time, when there is more than one round or a goal
    time_sentence: str = ""
    time_table: tuple[tuple[str, ...], ...] = ()  # heading row first
    rounds: int = 1
    focus_png_narrow: bytes | None = None  # the charts drawn for a phone (charts/layout.NARROW): the HTML report's
    time_png_narrow: bytes | None = None  # browser shows them on a narrow screen


def round_answers(doc: AnswersFile, group_id: str, lang: str) -> tuple[RoundAnswer, ...]:
    """The answers to one question group in every round, oldest first (empty for a file of one round)."""
    rounds = doc.rounds
    if len(rounds) < 2:
        return ()
    from ..charts.rounds import round_date, round_title  # only for a file with rounds

    return tuple(RoundAnswer(round_title(r, lang, i + 1), round_date(r, lang), a.text if (a := r.answer(group_id))
                             else None) for i, r in enumerate(rounds))


def answered_sections(course: Course, doc: AnswersFile) -> tuple[ReportSection, ...]:
    """Every section with questions: its questions with the answers, and how many are answered (the report's
    body, and notebook 09's summary: lederkurs.reports.html.summary)."""
    sections = []
    for s in course.sections:
        if not s.groups:
            continue
        entries = tuple(Entry(g.questions, a.text if (a := doc.answer(g.id)) else None,
                              round_answers(doc, g.id, course.lang)) for g in s.groups)
        done = sum(e.answer is not None for e in entries)
        sections.append(ReportSection(s.heading, msg(course.lang, "summary_progress", answered=done,
                                                     total=len(entries)), entries, f"{s.file}.ipynb"))
    return tuple(sections)


def build_report(course: Course, doc: AnswersFile, today: date | None = None,
                 keep_chart: bool = True) -> PersonalReport:
    """`keep_chart`: keep the drawn chart in the user's cache (a trainer's render does not)."""
    from ..charts.layout import NARROW
    from ..charts.png import participant_png  # the charts only where a report is made, not for a summary
    from ..charts.points import describe, focus_points
    from ..charts.rounds import describe_over_time, over_time, table

    lang = course.lang
    points = focus_points(course, doc)
    sections = answered_sections(course, doc)
    when = (today or date.today()).strftime("%d.%m.%Y")
    time_png, time_narrow, time_sentence, time_table = None, None, "", tuple[tuple[str, ...], ...]()
    data = over_time(course, doc)
    if (len(doc.rounds) > 1 or any(g.value is not None for g in doc.goals.values())) and not data.empty:
        from ..charts.png import time_png as draw_time

        time_png, time_sentence = draw_time(data, lang, keep_chart), describe_over_time(data, lang)
        time_narrow = draw_time(data, lang, keep_chart, NARROW)
        head, rows = table(data, lang)
        time_table = (tuple(head), *(tuple(r) for r in rows))
    return PersonalReport(doc.participant, msg(lang, "report_title", course=course.title),
                          msg(lang, "report_meta", participant=doc.shown_name, date=when),
                          describe(points, lang), participant_png(points, lang, keep_drawn=keep_chart), sections,
                          course.source, lang, time_png, time_sentence, time_table, len(doc.rounds),
                          participant_png(points, lang, keep_drawn=keep_chart, layout=NARROW), time_narrow)
