"""The trainers' cohort notebook: the cohort's focus shift, how many answered, a discussion guide.

Anonymous unless the trainer asks for names: no participant name or answer text is shown by default.
An edge like the participants' notebooks: errors are worded here in the notebook's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from IPython.display import HTML, display

from .. import paths
from ..charts.png import cohort_png
from ..charts.points import CohortArea, cohort_areas, join
from ..course.content import Course, QuestionGroup, load_course
from ..course.messages import msg
from ..course.parameters import check_bool, check_text, opened
from ..errors import ParameterError
from ..reports import html
from .cohort import Cohort, read_cohort


@dataclass(frozen=True)
class _DiscussionPart:
    heading: str
    groups: tuple[tuple[QuestionGroup, str, str], ...]  # each group, its lead-in, a note where the fewest answered
    against: str


@dataclass(frozen=True)
class _AnswersPart:
    heading: str
    group: QuestionGroup
    answers: tuple[tuple[str, str], ...]


class CohortView:
    """What the trainer's notebook cells call, one method per block."""

    def __init__(self, course: Course, cohort: Cohort, show_names: bool) -> None:
        self.course, self.cohort, self.show_names, self.lang = course, cohort, show_names, course.lang
        self.n = len(cohort.members)
        self.areas: list[CohortArea] = cohort_areas(course, cohort.docs)  # computed once, shown twice

    def answered(self, group_id: str) -> int:
        return sum(1 for d in self.cohort.docs if d.answer(group_id) is not None)

    def cohort_chart(self) -> HTML:
        moved_with = sum(1 for a in self.areas if a.verdict == "with")
        alt = msg(self.lang, "cohort_chart_alt", n=self.n, with_count=moved_with, total=len(self.areas))
        return HTML(html.chart(cohort_png(self.areas, self.n, self.lang), alt))

    def cohort_rounds(self, first: int = 1, second: int = 0) -> HTML:
        """The cohort per round, and the shift from round `first` to `second` (0: the last round)."""
        from .rounds import cohort_rounds_html

        return HTML(cohort_rounds_html(self.course, self.cohort.docs, first, second))

    def cohort_counts(self) -> HTML:
        rows = [(f"{s.heading}: {g.questions[0]}", msg(self.lang, "cohort_count_line", answered=self.answered(g.id),
                                                      n=self.n))
                for s in self.course.sections for g in s.groups]
        return HTML(html.fragment("counts_table", rows, self.lang))

    def cohort_discussion(self) -> HTML:
        parts = []
        against = [a.label for a in self.areas if a.verdict == "against"]
        for s in self.course.sections:
            if not s.groups:
                continue
            counts = {g.id: self.answered(g.id) for g in s.groups}
            least = min(counts, key=lambda g: counts[g])
            groups = tuple((g, self.course.lead(g.id),
                            msg(self.lang, "cohort_discussion_least", answered=counts[g.id], n=self.n)
                            if self.n and g.id == least and len(s.groups) > 1 else "") for g in s.groups)
            note = msg(self.lang, "cohort_discussion_focus", count=len(against), names=join(against, self.lang)) \
                if against and "focus-self" in s.directives() else ""
            parts.append(_DiscussionPart(s.heading, groups, note))
        return HTML(html.fragment("discussion", parts, self.lang))

    def cohort_answers(self) -> HTML:
        if not self.show_names:
            return HTML(html.note([msg(self.lang, "cohort_answers_hidden")]))
        parts = []
        for s in self.course.sections:
            for g in s.groups:
                answers = tuple((_who(m.name, m.answers.name), a.text) for m in self.cohort.members
                                if (a := m.answers.answer(g.id)))
                if answers:
                    parts.append(_AnswersPart(s.heading, g, answers))
        return HTML(html.fragment("named_answers", parts, self.lang))


def _who(login: str, name: str) -> str:
    """The name a participant gave herself, with the login that keys her file: "Kari Nordmann (kari)"."""
    return f"{name} ({login})" if name and name != login else login


def start_cohort(*, answers_dir: Any = "", show_names: Any = False, lang: Any = None) -> CohortView:
    """Open a folder of answers files (the sample cohort when none is given) for the trainer's notebook."""
    return opened(lang, lambda checked: _start(answers_dir, show_names, checked))


def _start(answers_dir: Any, show_names: Any, lang: str) -> CohortView:
    show_names, answers_dir = check_bool("show_names", show_names), check_text("answers_dir", answers_dir)
    folder = Path(answers_dir) if answers_dir else paths.demo_cohort_dir()
    if not folder.is_dir():
        raise ParameterError("error_answers_dir_missing", path=folder)
    cohort = read_cohort(folder)
    view = CohortView(load_course(lang), cohort, show_names)
    notes = [msg(lang, "cohort_intro_named" if show_names else "cohort_intro", n=view.n)]
    if not cohort.members:
        notes = [msg(lang, "cohort_none", path=folder)]
    if cohort.skipped:
        notes.append(msg(lang, "cohort_skipped", count=len(cohort.skipped)))
    display(HTML(html.style() + html.note(notes)))
    return view
