"""Bringing an uploaded answers file into the current one, with the participant's choice on conflicts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from .model import Answer, AnswersFile, FocusRating, check_bounds, free_own_area_id

Choice = Literal["mine", "theirs", "both"]


@dataclass
class MergeResult:
    doc: AnswersFile
    added: int = 0
    replaced: int = 0
    merged: int = 0


def conflicts(current: AnswersFile, incoming: AnswersFile) -> list[str]:
    """Question groups (and focus areas) where both files hold something different."""
    found = [k for k, a in incoming.answers.items() if a.given
             and (c := current.answer(k)) and c.text != a.text]
    found += [f"focus:{k}" for k, r in _incoming_focus(current, incoming).items()
              if (placed := current.focus.get(k)) and (placed.before, placed.now) != (r.before, r.now)
              and None not in (placed.before, placed.now)]
    return found


def _incoming_focus(current: AnswersFile, incoming: AnswersFile) -> dict[str, FocusRating]:
    """Incoming focus areas; an own area whose id is taken by another label gets a free id."""
    result: dict[str, FocusRating] = {}
    taken = set(current.focus)
    for key, rating in incoming.focus.items():
        mine = current.focus.get(key)
        if rating.label and mine is not None and mine.label != rating.label:
            key = free_own_area_id(taken | set(incoming.focus))
            taken.add(key)
        result[key] = rating
    return result


def merge(current: AnswersFile, incoming: AnswersFile, choice: Choice, separator: str) -> MergeResult:
    """A new AnswersFile for `current.participant` holding both; conflicts resolved by `choice`.
    AnswersFileError when both together hold more own areas than the bounds allow (nothing is taken in)."""
    doc = AnswersFile(current.participant, dict(current.answers), dict(current.focus), current.updated,
                      name=current.name or incoming.name)  # her name as she has it here, else the file's
    result = MergeResult(doc)
    for key, answer in incoming.answers.items():
        mine = doc.answers.get(key)
        if not answer.given or (mine and mine.text == answer.text):
            continue
        if mine is None or not mine.given:
            doc.answers[key] = answer
            result.added += 1
        elif choice == "theirs":
            doc.answers[key] = answer
            result.replaced += 1
        elif choice == "both":
            doc.answers[key] = Answer(f"{mine.text}\n\n{separator}\n{answer.text}", answer.updated)
            result.merged += 1
    for key, rating in _incoming_focus(current, incoming).items():
        placed = doc.focus.get(key)
        if placed is None or None in (placed.before, placed.now):
            doc.focus[key] = replace(rating)
            result.added += 1
        elif (placed.before, placed.now) != (rating.before, rating.now) and choice == "theirs":
            doc.focus[key] = replace(rating, label=placed.label if rating.label is None else rating.label)
            result.replaced += 1
    check_bounds(doc)
    return result
