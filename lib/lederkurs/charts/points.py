"""The focus-shift data: where a participant (or a cohort) puts each focus area, before and now.

Plain data, no matplotlib: the figures draw what this module computes, and each point and cohort area
knows its own verdict (with the guide, against it, unchanged, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..answers.model import AnswersFile
from ..course.content import Course
from ..course.messages import msg
from ..text import visible

Verdict = Literal["with", "against", "unchanged", "missing", "own_up", "own_down"]
Direction = Literal["more", "less"]


def _verdict(direction: Direction | None, before: float | None, now: float | None) -> Verdict:
    if before is None or now is None:
        return "missing"
    if now == before:
        return "unchanged"
    if direction is None:
        return "own_up" if now > before else "own_down"
    return "with" if (now > before) == (direction == "more") else "against"


@dataclass(frozen=True)
class FocusPoint:
    id: str
    label: str
    direction: Direction | None  # None: the participant's own area
    before: int | None
    now: int | None

    @property
    def verdict(self) -> Verdict:
        return _verdict(self.direction, self.before, self.now)


def focus_points(course: Course, doc: AnswersFile) -> list[FocusPoint]:
    """The guide's areas in course order, then the participant's own areas (those with a label)."""
    points = []
    for area in course.focus_areas:
        r = doc.focus.get(area.id)
        points.append(FocusPoint(area.id, area.label, area.direction, r.before if r else None, r.now if r else None))
    guide_ids = {a.id for a in course.focus_areas}
    for key, r in doc.focus.items():
        if key not in guide_ids and r.label:
            points.append(FocusPoint(key, r.label, None, r.before, r.now))
    return points


def join(items: list[str], lang: str) -> str:
    """"a, b og c" in the reader's language."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + msg(lang, "list_and") + items[-1]


def describe(points: list[FocusPoint], lang: str) -> str:
    """One sentence saying what the chart shows: also the chart's text alternative. Labels from a file are
    made visible (lederkurs.text): a control or bidi character reaches no page raw."""
    filled = [p for p in points if p.verdict != "missing"]
    unplaced = [p.label for p in points if p.verdict == "missing"]
    if not filled:
        return msg(lang, "summary_none")
    rest = f" {msg(lang, 'summary_unplaced', names=join(unplaced, lang))}" if unplaced else ""
    groups = {
        "summary_with": [visible(p.label) for p in filled if p.verdict == "with"],
        "summary_against": [visible(p.label) for p in filled if p.verdict == "against"],
        "summary_unchanged": [visible(p.label) for p in filled if p.verdict == "unchanged"],
        "summary_own": [visible(p.label) for p in filled if p.verdict in ("own_up", "own_down")],
    }
    parts = [msg(lang, key, count=len(names), names=", ".join(names)) for key, names in groups.items() if names]
    sentence = f"{msg(lang, 'summary_intro', total=len(points), filled=len(filled))}: {join(parts, lang)}."
    # Another direction than the guide's is not a mistake: the guide says the changes depend on the agency.
    if groups["summary_against"]:
        sentence += f" {msg(lang, 'summary_other_direction')}"
    return sentence + rest


@dataclass(frozen=True)
class CohortArea:
    """One guide area over a cohort: median and middle half (quartiles) of before and now."""

    id: str
    label: str
    direction: Direction
    n: int  # participants with both before and now
    before_median: float | None
    now_median: float | None
    before_quartiles: tuple[float, float] | None
    now_quartiles: tuple[float, float] | None

    @property
    def verdict(self) -> Verdict:
        """How the cohort's median moved, measured against the guide."""
        return _verdict(self.direction, self.before_median, self.now_median)


def _quartiles(values: list[int]) -> tuple[float, float] | None:
    if not values:
        return None
    if len(values) == 1:
        return (float(values[0]), float(values[0]))
    import statistics  # only where a cohort is summed up

    q = statistics.quantiles(values, n=4, method="inclusive")
    return (q[0], q[2])


def cohort_areas(course: Course, docs: Iterable[AnswersFile]) -> list[CohortArea]:
    """Median and middle half of before and now per guide area; n counts complete pairs."""
    import statistics

    docs = list(docs)
    result = []
    for area in course.focus_areas:
        pairs = [(r.before, r.now) for d in docs if (r := d.focus.get(area.id))
                 and r.before is not None and r.now is not None]
        before, now = [b for b, _ in pairs], [n for _, n in pairs]
        result.append(CohortArea(area.id, area.label, area.direction, len(pairs),
                                 statistics.median(before) if before else None,
                                 statistics.median(now) if now else None,
                                 _quartiles(before), _quartiles(now)))
    return result
