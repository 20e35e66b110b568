"""A participant's rounds over time: per focus area, where she was before, where she put herself in each round,
and her goal («om et år»). Plain data, no matplotlib: the figure (figures.over_time_figure), the text
alternative and the data table are built from what this module computes.

A round is called by its name, or by the month it started («Desember 2026») until she names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..answers.model import AnswersFile, Round
from ..course.content import Course
from ..course.messages import msg
from ..text import visible
from .points import Direction, join


def _when(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None


def round_title(one: Round, lang: str, number: int = 0) -> str:
    """Her name for the round; else the month it started («Desember 2026»); else «Runde n»."""
    if one.name:
        return visible(one.name)
    when = _when(one.started)
    if when is None:
        return msg(lang, "round_numbered", number=number or 1)
    from babel.dates import format_date

    month = format_date(when.date(), "LLLL y", locale=lang)
    return month[:1].upper() + month[1:]


def round_date(one: Round, lang: str) -> str:
    """The day a round started, as the reader writes dates; "" when the file does not say."""
    when = _when(one.started)
    if when is None:
        return ""
    from babel.dates import format_date

    return format_date(when.date(), msg(lang, "date_pattern"), locale=lang)


def default_round_name(lang: str, today: datetime | None = None) -> str:
    """What a new round is called when she gives no name: this month («Mars 2027»)."""
    from babel.dates import format_date

    month = format_date((today or datetime.now()).date(), "LLLL y", locale=lang)
    return month[:1].upper() + month[1:]


@dataclass(frozen=True)
class RoundInfo:
    number: int  # 1 for her first round, in the order of the file (a round without positions keeps its number)
    title: str
    date: str


@dataclass(frozen=True)
class AreaOverTime:
    id: str
    label: str
    direction: Direction | None
    before: int | None  # from the first round that has it: where she came from
    nows: tuple[int | None, ...]  # one per shown round
    goal: int | None

    @property
    def empty(self) -> bool:
        return self.before is None and self.goal is None and all(v is None for v in self.nows)


@dataclass(frozen=True)
class OverTime:
    rounds: tuple[RoundInfo, ...]  # the rounds with positions, oldest first
    areas: tuple[AreaOverTime, ...]

    @property
    def empty(self) -> bool:
        return all(a.empty for a in self.areas)


def over_time(course: Course, doc: AnswersFile) -> OverTime:
    """The guide's areas in course order, then her own areas (labelled in any round); rounds in which she placed
    nothing are left out."""
    lang = course.lang
    rounds = doc.rounds
    # A round in which she placed nothing «nå» is left out («før» alone is carried from the round before).
    shown = [(i, r) for i, r in enumerate(rounds) if any(f.now is not None for f in r.focus.values())]
    infos = tuple(RoundInfo(i + 1, round_title(r, lang, i + 1), round_date(r, lang)) for i, r in shown)
    areas: list[tuple[str, str, Direction | None]] = [(a.id, a.label, a.direction) for a in course.focus_areas]
    guide = {a.id for a in course.focus_areas}
    own: dict[str, str] = {}
    for r in rounds:
        for key, rating in r.focus.items():
            if key not in guide and rating.label:
                own[key] = rating.label
    areas += [(k, label, None) for k, label in own.items()]
    result = []
    for key, label, direction in areas:
        before = next((f.before for r in rounds if (f := r.focus.get(key)) and f.before is not None), None)
        nows = tuple(f.now if (f := r.focus.get(key)) else None for _, r in shown)
        goal = doc.goals[key].value if key in doc.goals else None
        result.append(AreaOverTime(key, label, direction, before, nows, goal))
    return OverTime(infos, tuple(result))


def describe_over_time(data: OverTime, lang: str) -> str:
    """The chart's text alternative: per area, before, each round and the goal, in order."""
    if data.empty:
        return msg(lang, "chart_time_none")
    parts = []
    for a in data.areas:
        if a.empty:
            continue
        steps = []
        if a.before is not None:
            steps.append(f"{msg(lang, 'chart_time_before_short')} {a.before}")
        steps += [f"{r.title} {v}" for r, v in zip(data.rounds, a.nows, strict=True) if v is not None]
        if a.goal is not None:
            steps.append(f"{msg(lang, 'chart_time_goal')} {a.goal}")
        parts.append(f"{visible(a.label)}: {', '.join(steps)}")
    return f"{msg(lang, 'chart_time_intro', rounds=len(data.rounds))} {'; '.join(parts)}."


def table(data: OverTime, lang: str) -> tuple[list[str], list[list[str]]]:
    """The chart's numbers as a table: a heading row and one row per area ("–" where nothing is set)."""
    head = [msg(lang, "chart_time_area"), msg(lang, "chart_time_before_short"),
            *[f"{r.title} ({r.date})" if r.date else r.title for r in data.rounds], msg(lang, "chart_time_goal")]
    rows = []
    for a in data.areas:
        label = f"{a.label} {msg(lang, 'chart_dir_' + a.direction)}" if a.direction else visible(a.label)
        cells = [a.before, *a.nows, a.goal]
        rows.append([label, *["–" if v is None else str(v) for v in cells]])
    return head, rows


def key_line(data: OverTime, lang: str) -> str:
    """The rounds' numbers as the chart names them: «1 = Desember 2026 (04.12.2026), 2 = …»."""
    items = [f"{r.number} = {r.title}" + (f" ({r.date})" if r.date else "") for r in data.rounds]
    return msg(lang, "chart_time_key", rounds=join(items, lang)) if items else ""
