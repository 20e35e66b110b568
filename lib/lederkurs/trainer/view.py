"""The trainers' cohort notebook: the cohort's focus shift, how many answered, a discussion guide, the answers.

Anonymous unless the trainer asks for names (and says the participants agreed): each answer is then shown
under «Deltaker 3», a number that does not follow the names' order. Each answer and its author are one box.
An edge like the participants' notebooks: errors are worded here in the notebook's language.

In JupyterLab and Voilà each block is a widget, so the controls (trainer/controls.py) can show another folder,
or names, in place: the trainer never edits code. In a render the same blocks are plain HTML outputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from IPython.display import HTML, display

from ..charts.png import cohort_png
from ..charts.points import CohortArea, cohort_areas, join
from ..course.content import Course, QuestionGroup
from ..course.messages import describe, msg
from ..reports import html
from ..text import visible
from .cohort import Cohort, Member, read_cohort


@dataclass(frozen=True)
class _DiscussionPart:
    heading: str
    groups: tuple[tuple[QuestionGroup, str, str], ...]  # each group, its lead-in, a note where the fewest answered
    against: str


@dataclass(frozen=True)
class _AnswersPart:
    heading: str
    group: QuestionGroup
    answers: tuple[tuple[str, str], ...]  # (who, answer text): one box each


@dataclass(frozen=True)
class OwnArea:
    label: str  # as the first participant wrote it
    people: tuple[str, ...]  # who chose it (shown only with names)


def _words(label: str) -> str:
    """Two labels are the same area when their words are (case, spacing and Unicode form aside)."""
    return " ".join(label.split()).casefold()


def own_areas(course: Course, members: tuple[Member, ...], who: Callable[[Member], str]) -> list[OwnArea]:
    """Every participant's own focus areas, grouped when the same words recur; most chosen first."""
    guide = {a.id for a in course.focus_areas}
    grouped: dict[str, tuple[str, list[str]]] = {}
    for m in members:
        for key, rating in m.answers.focus.items():
            if key not in guide and rating.label and rating.label.strip():
                label, people = grouped.setdefault(_words(rating.label), (rating.label.strip(), []))
                if who(m) not in people:
                    people.append(who(m))
    areas = [OwnArea(label, tuple(people)) for label, people in grouped.values()]
    return sorted(areas, key=lambda a: (-len(a.people), a.label.casefold()))


def anonymous_numbers(members: tuple[Member, ...]) -> dict[str, int]:
    """«Deltaker N»: numbers in an order that does not follow the names (a hash of each login)."""
    ordered = sorted(members, key=lambda m: hashlib.sha256(m.name.encode("utf-8", "surrogatepass")).hexdigest())
    return {m.name: i for i, m in enumerate(ordered, start=1)}


def _who(login: str, name: str) -> str:
    """The name a participant gave herself, with the login that keys her file: "Kari Nordmann (kari)"."""
    return f"{name} ({login})" if name and name != login else login


class CohortView:
    """What the trainer's notebook cells call, one method per block; `show(...)` changes what they show."""

    def __init__(self, course: Course, cohort: Cohort, show_names: bool, live: bool = False) -> None:
        self.live = live  # with the controls: each block a widget, changed in place when they change
        self.blocks: dict[str, Any] = {}
        self.rounds_shown = (1, 0)  # the rounds whose shift cohort_rounds shows: the first and the last
        self.rounds_chooser: Any = None  # «Fra runde» / «Til runde» (trainer/controls.py), live only
        self._set(course, cohort, show_names)

    def _set(self, course: Course, cohort: Cohort, show_names: bool) -> None:
        self.course, self.cohort, self.show_names, self.lang = course, cohort, show_names, course.lang
        self.n = len(cohort.members)
        self.areas: list[CohortArea] = cohort_areas(course, cohort.docs)  # computed once, shown twice
        self.numbers = anonymous_numbers(cohort.members)

    def who(self, member: Member) -> str:
        if self.show_names:
            return _who(visible(member.name), visible(member.answers.name))
        return msg(self.lang, "cohort_participant_number", number=self.numbers[member.name])

    def answered(self, group_id: str) -> int:
        return sum(1 for d in self.cohort.docs if d.answer(group_id) is not None)

    # -- the blocks: each cell calls one; shown in place, and again in place after `show` --

    def _put(self, block: str, content: str) -> None:
        if block in self.blocks:
            self.blocks[block].value = content
        elif self.live:
            from .block import Block

            self.blocks[block] = Block(value=content)
            display(self.blocks[block])
        else:
            display(HTML(content))

    def status(self) -> None:
        self._put("status", self.status_html())

    def cohort_chart(self) -> None:
        self._put("cohort_chart", self.chart_html())

    def cohort_counts(self) -> None:
        self._put("cohort_counts", self.counts_html())

    def cohort_discussion(self) -> None:
        self._put("cohort_discussion", self.discussion_html())

    def cohort_answers(self) -> None:
        self._put("cohort_answers", self.answers_html())

    def show(self, folder: Path, show_names: bool) -> None:
        """Read `folder` again (or another) and show every block anew, with or without names."""
        self._set(self.course, read_cohort(folder), show_names)
        if self.rounds_chooser is not None:
            self.rounds_chooser.sync()  # the rounds this folder has; the rounds shown still valid, else first→last
        for block in list(self.blocks):
            self._put(block, getattr(self, f"{block.removeprefix('cohort_')}_html")())

    # -- the blocks' HTML --

    def status_html(self) -> str:
        lang, cohort = self.lang, self.cohort
        if not cohort.members:
            lines = [msg(lang, "cohort_none", path=visible(cohort.folder))]
        else:
            lines = [msg(lang, "cohort_intro_named" if self.show_names else "cohort_intro", n=self.n)]
        renamed = [(m.path.name, m.name) for m in cohort.members if m.path.stem != m.name]
        details = [msg(lang, "cohort_file_other_name", file=visible(f), participant=visible(p)) for f, p in renamed]
        details += [msg(lang, "cohort_skipped_line", file=visible(s.path.name), reason=describe(s.reason, lang))
                    for s in cohort.skipped]
        summary = ""
        if cohort.skipped:
            summary = msg(lang, "cohort_skipped", count=len(cohort.skipped))
        elif renamed:
            summary = msg(lang, "cohort_renamed", count=len(renamed))
        return html.style() + html.fragment("cohort_status", lines, summary, details)

    def chart_html(self) -> str:
        own = self.own_html()
        if not any(a.n for a in self.areas):
            why = msg(self.lang, "cohort_chart_empty" if self.n else "cohort_chart_no_members", n=self.n)
            return html.fragment("paragraph", why) + own
        moved_with = sum(1 for a in self.areas if a.verdict == "with")
        alt = msg(self.lang, "cohort_chart_alt", n=self.n, with_count=moved_with, total=len(self.areas))
        return html.chart(cohort_png(self.areas, self.n, self.lang), alt) + own

    def own_html(self) -> str:
        areas = own_areas(self.course, self.cohort.members, self.who)
        people = len({m.name for m in self.cohort.members if any(
            k not in {a.id for a in self.course.focus_areas} and r.label for k, r in m.answers.focus.items())})
        if not areas:
            line = msg(self.lang, "cohort_own_none")
        else:
            line = msg(self.lang, "cohort_own_count", people=people, n=self.n, areas=len(areas))
            if not self.show_names:
                line += " " + msg(self.lang, "cohort_own_hidden")
        shown = [(visible(a.label), len(a.people), ", ".join(a.people) if self.show_names else "") for a in areas]
        return html.fragment("own_areas", msg(self.lang, "cohort_own_heading"), line,
                             shown if self.show_names else [s for s in shown if s[1] > 1], self.lang)

    def cohort_workshop(self) -> Any:
        """Start and end a live workshop (on a hub with the course's service)."""
        from .workshop import trainer_panel

        return trainer_panel(self.lang)

    def cohort_rounds(self, first: int = 1, second: int = 0) -> None:
        """The cohort per round, and the shift from round `first` to `second` (0: the last round); in JupyterLab
        and Voilà with «Fra runde» and «Til runde» above it (shown when the cohort has two rounds or more)."""
        self.rounds_shown = (first, second)
        if self.live and "cohort_rounds" not in self.blocks:
            from .controls import RoundsChooser

            self.rounds_chooser = RoundsChooser(self)
            display(self.rounds_chooser)
        self._put("cohort_rounds", self.rounds_html())

    def round_count(self) -> int:
        from .rounds import round_count

        return round_count(self.cohort.docs)

    def rounds_html(self) -> str:
        from .rounds import cohort_rounds_html

        return cohort_rounds_html(self.course, self.cohort.docs, *self.rounds_shown)

    def counts_html(self) -> str:
        rows = [(f"{s.heading}: {g.questions[0]}", msg(self.lang, "cohort_count_line", answered=self.answered(g.id),
                                                      n=self.n))
                for s in self.course.sections for g in s.groups]
        return html.fragment("counts_table", rows, self.lang)

    def discussion_html(self) -> str:
        parts = []
        against = [a.label for a in self.areas if a.verdict == "against"]
        for s in self.course.sections:
            if not s.groups:
                continue
            counts = {g.id: self.answered(g.id) for g in s.groups}
            least = min(counts, key=lambda g: counts[g])
            groups = tuple((g, self.course.lead(g.id),
                            msg(self.lang, "cohort_discussion_least", answered=counts[g.id], n=self.n)
                            if g.id == least and counts[least] < max(counts.values()) else "") for g in s.groups)
            note = msg(self.lang, "cohort_discussion_focus", count=len(against), names=join(against, self.lang)) \
                if against and "focus-self" in s.directives() else ""
            parts.append(_DiscussionPart(s.heading, groups, note))
        return html.fragment("discussion", parts, self.lang)

    def answers_html(self) -> str:
        parts = []
        ordered = self.cohort.members if self.show_names else sorted(self.cohort.members,
                                                                      key=lambda m: self.numbers[m.name])
        for s in self.course.sections:
            for g in s.groups:
                answers = tuple((self.who(m), a.text) for m in ordered if (a := m.answers.answer(g.id)))
                if answers:
                    parts.append(_AnswersPart(s.heading, g, answers))
        intro = msg(self.lang, "cohort_answers_named" if self.show_names else "cohort_answers_anonymous")
        return html.fragment("named_answers", parts, intro, self.lang)
