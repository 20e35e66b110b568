"""Bringing an uploaded answers file into the current one, with the participant's choice on conflicts.

Rounds are matched by their id: the same round in both files is merged area by area and answer by
answer; a round only one file has is kept whole. Every round of both files is kept (the newest-started one is
current), and the result says how many rounds it took in. Goals: a goal only one file has is taken; two
different goals follow the choice; their histories are joined.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from ..errors import AnswersFileError
from .model import (
    FIRST_ROUND,
    MAX_GOAL_HISTORY,
    MAX_ROUNDS,
    Answer,
    AnswersFile,
    FocusRating,
    Goal,
    Round,
    check_bounds,
    free_own_area_id,
)

Choice = Literal["mine", "theirs", "both"]


@dataclass
class MergeResult:
    doc: AnswersFile
    added: int = 0
    replaced: int = 0
    merged: int = 0
    rounds_added: int = 0  # rounds only the incoming file had, kept whole
    rounds: int = 1  # rounds in the result


def _matched(current: AnswersFile, incoming: AnswersFile, mine: list[Round] | None = None,
             theirs: list[Round] | None = None) -> list[tuple[Round, Round]]:
    """Pairs of the same round (the same id) in both files. An old file's only round (FIRST_ROUND: a schema-1
    file, or one without rounds) is the other file's first round."""
    mine, theirs = mine or current.rounds, theirs or incoming.rounds
    by_id = {r.id: r for r in mine}
    pairs = [(by_id[r.id], r) for r in theirs if r.id in by_id]
    if not any(m is mine[0] or t is theirs[0] for m, t in pairs) and FIRST_ROUND in (mine[0].id, theirs[0].id):
        pairs.append((mine[0], theirs[0]))
    return pairs


def _empty(one: Round) -> bool:
    """A round never saved: no start, nothing in it (a file that did not exist yet)."""
    return not one.started and not any(a.given for a in one.answers.values()) and not one.focus


def conflicts(current: AnswersFile, incoming: AnswersFile) -> list[str]:
    """Question groups (and focus areas) where both files hold something different, in a round both have."""
    found: list[str] = []
    for mine, theirs in _matched(current, incoming):
        found += [k for k, a in theirs.answers.items() if a.given
                  and (c := mine.answer(k)) and c.text != a.text and k not in found]
        found += [f"focus:{k}" for k, r in _incoming_focus(mine.focus, theirs.focus).items()
                  if (placed := mine.focus.get(k)) and (placed.before, placed.now) != (r.before, r.now)
                  and None not in (placed.before, placed.now) and f"focus:{k}" not in found]
    return found


def _incoming_focus(current: dict[str, FocusRating], incoming: dict[str, FocusRating]) -> dict[str, FocusRating]:
    """Incoming focus areas; an own area whose id is taken by another label gets a free id."""
    result: dict[str, FocusRating] = {}
    taken = set(current)
    for key, rating in incoming.items():
        mine = current.get(key)
        if rating.label and mine is not None and mine.label != rating.label:
            key = free_own_area_id(taken | set(incoming))
            taken.add(key)
        result[key] = rating
    return result


def _merge_round(mine: Round, theirs: Round, choice: Choice, separator: str, result: MergeResult) -> Round:
    out = Round(mine.name or theirs.name, mine.started, dict(mine.answers), dict(mine.focus), mine.id)
    for key, answer in theirs.answers.items():
        have = out.answers.get(key)
        if not answer.given or (have and have.text == answer.text):
            continue
        if have is None or not have.given:
            out.answers[key] = answer
            result.added += 1
        elif choice == "theirs":
            out.answers[key] = answer
            result.replaced += 1
        elif choice == "both":
            out.answers[key] = Answer(f"{have.text}\n\n{separator}\n{answer.text}", answer.updated)
            result.merged += 1
    for key, rating in _incoming_focus(mine.focus, theirs.focus).items():
        placed = out.focus.get(key)
        if placed is None or None in (placed.before, placed.now):
            out.focus[key] = replace(rating)
            result.added += 1
        elif (placed.before, placed.now) != (rating.before, rating.now) and choice == "theirs":
            out.focus[key] = replace(rating, label=placed.label if rating.label is None else rating.label)
            result.replaced += 1
    return out


def _merge_goals(current: AnswersFile, incoming: AnswersFile, choice: Choice, result: MergeResult) -> dict[str, Goal]:
    goals = {k: replace(g, history=list(g.history)) for k, g in current.goals.items()}
    for key, theirs in incoming.goals.items():
        mine = goals.get(key)
        if mine is None or mine.value is None:
            goals[key] = replace(theirs, history=list(theirs.history))
            result.added += theirs.value is not None
            continue
        history = sorted({(h.updated, h.value): h for h in mine.history + theirs.history}.values(),
                         key=lambda h: h.updated)
        if theirs.value is not None and theirs.value != mine.value and choice == "theirs":
            goals[key] = Goal(theirs.value, theirs.updated, history[-MAX_GOAL_HISTORY:])
            result.replaced += 1
        else:
            goals[key] = Goal(mine.value, mine.updated, history[-MAX_GOAL_HISTORY:])
    return goals


def merge(current: AnswersFile, incoming: AnswersFile, choice: Choice, separator: str) -> MergeResult:
    """A new AnswersFile for `current.participant` holding both; conflicts resolved by `choice`.
    AnswersFileError when both together hold more rounds or own areas than the bounds allow (nothing is
    taken in)."""
    doc = AnswersFile(current.participant, updated=current.updated,
                      name=current.name or incoming.name)  # her name as she has it here, else the file's
    result = MergeResult(doc)
    mine, theirs_all = [r for r in current.rounds if not _empty(r)], incoming.rounds
    pairs = {id(m): t for m, t in _matched(current, incoming, mine, theirs_all)} if mine else {}
    taken = {id(t) for t in pairs.values()}
    rounds = [_merge_round(m, pairs[id(m)], choice, separator, result) if id(m) in pairs else m for m in mine]
    for theirs in theirs_all:
        if id(theirs) not in taken:
            rounds.append(replace(theirs, answers=dict(theirs.answers), focus=dict(theirs.focus)))
            result.rounds_added += 1
            result.added += sum(1 for a in theirs.answers.values() if a.given)  # her answers, new to this file
    if len(rounds) > MAX_ROUNDS:
        raise AnswersFileError("reason_too_many_rounds", count=len(rounds), limit=MAX_ROUNDS)
    doc.set_rounds(sorted(rounds, key=lambda r: r.started))  # stable: the current file's order on equal starts
    doc.goals = _merge_goals(current, incoming, choice, result)
    result.rounds = len(rounds)
    check_bounds(doc)
    return result
