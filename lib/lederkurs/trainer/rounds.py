"""A cohort over rounds: the cohort's focus per round (the first round of each participant together, then the
second, ...), and the shift between two chosen rounds: per area the median «nå» in each, with n per round, and
how many placed themselves in both.

A cohort meets together, so rounds are counted, not named: a participant's round 2 is the cohort's round 2,
whatever she called it. Only what a participant placed is counted (a slider never moved is not a value).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ..answers.model import AnswersFile
from ..charts.points import CohortArea, Direction, cohort_areas
from ..course.content import Course


def round_view(doc: AnswersFile, number: int) -> AnswersFile | None:
    """A participant's round `number` (1 = her first) as a one-round file, or None when she has no such round."""
    rounds = doc.rounds
    if not 1 <= number <= len(rounds):
        return None
    one = rounds[number - 1]
    return AnswersFile(doc.participant, one.answers, one.focus, doc.updated, name=doc.name)


def round_count(docs: Sequence[AnswersFile]) -> int:
    """The most rounds any participant has."""
    return max((len(d.rounds) for d in docs), default=0)


def cohort_by_round(course: Course, docs: Sequence[AnswersFile]) -> list[tuple[int, int, list[CohortArea]]]:
    """(round number, participants with that round, the cohort's areas in it) for each round someone has."""
    result = []
    for number in range(1, round_count(docs) + 1):
        views = [v for d in docs if (v := round_view(d, number)) is not None]
        result.append((number, len(views), cohort_areas(course, views)))
    return result


@dataclass(frozen=True)
class AreaShift:
    id: str
    label: str
    direction: Direction
    median_from: float | None
    median_to: float | None
    n_from: int  # placed «nå» in the first chosen round
    n_to: int  # ... in the second
    n_both: int  # in both: those whose shift is seen

    @property
    def change(self) -> float | None:
        if self.median_from is None or self.median_to is None:
            return None
        return self.median_to - self.median_from


def shift(course: Course, docs: Sequence[AnswersFile], first: int, second: int) -> list[AreaShift]:
    """Per guide area, the median «nå» in round `first` and in round `second`, n in each and in both."""
    result = []
    for area in course.focus_areas:
        values: dict[int, dict[str, int]] = {first: {}, second: {}}
        for d in docs:
            for number in (first, second):
                view = round_view(d, number)
                if view and (r := view.focus.get(area.id)) and r.now is not None:
                    values[number][d.participant] = r.now
        a, b = values[first], values[second]
        result.append(AreaShift(area.id, area.label, area.direction,
                                statistics.median(a.values()) if a else None,
                                statistics.median(b.values()) if b else None,
                                len(a), len(b), len(a.keys() & b.keys())))
    return result


def cohort_rounds_html(course: Course, docs: Sequence[AnswersFile], first: int = 1, second: int = 0) -> str:
    """The cohort's chart per round, and the shift from round `first` to round `second` (0: the last)."""
    from ..charts.png import cohort_png
    from ..course.messages import msg
    from ..reports import html

    lang, count = course.lang, round_count(docs)
    if count < 2:
        return html.note([msg(lang, "cohort_rounds_one")])
    second = second or count
    if not (1 <= first <= count and 1 <= second <= count) or first == second:
        return html.note([msg(lang, "cohort_rounds_bad", first=first, second=second, count=count)])
    parts = [html.fragment("rounds_shift", shift(course, docs, first, second), first, second, lang)]
    for number, n, areas in cohort_by_round(course, docs):
        moved_with = sum(1 for a in areas if a.verdict == "with")
        parts.append(html.fragment("heading", msg(lang, "cohort_round_heading", number=number, n=n), 3))
        parts.append(html.chart(cohort_png(areas, n, lang),
                                msg(lang, "cohort_chart_alt", n=n, with_count=moved_with, total=len(areas))))
    return "".join(parts)
