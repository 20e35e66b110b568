"""A cohort: every usable answers file in one folder; every other entry skipped, each with its reason.

Whatever a folder holds (a JSON bomb, a FIFO, a link to /dev/zero, a file of someone else's, two files that
are one folder on Windows), each entry is read on its own within bounds: one bad file is named, the others
go through. Nothing is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..answers.model import AnswersFile, check_participant, read_answers_file
from ..errors import LederkursError
from ..text import normalised


@dataclass(frozen=True)
class Member:
    name: str
    path: Path
    answers: AnswersFile


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: LederkursError  # worded by the edge that shows it


@dataclass(frozen=True)
class Cohort:
    folder: Path
    members: tuple[Member, ...]
    skipped: tuple[Skipped, ...]

    @property
    def docs(self) -> list[AnswersFile]:
        return [m.answers for m in self.members]


def _read(path: Path) -> Member | Skipped:
    if path.suffix.lower() != ".json":
        return Skipped(path, LederkursError("skip_not_json_name"))
    try:
        doc = read_answers_file(path)
    except LederkursError as e:
        return Skipped(path, e)
    except OSError as e:
        return Skipped(path, LederkursError("skip_unreadable", reason=e))
    except Exception as e:  # noqa: BLE001 - one file must never stop a cohort; the reason is named
        return Skipped(path, LederkursError("skip_unexpected", reason=type(e).__name__))
    try:
        name = check_participant(doc.participant)
    except LederkursError:
        return Skipped(path, LederkursError("skip_bad_name"))
    return Member(name, path, doc)


def _stamp(value: str) -> datetime:
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _settle(claims: list[Member]) -> tuple[Member | None, list[Skipped]]:
    """One name claimed by several files: the same name keeps the newest file (by the time saved in it);
    names that differ only in case or Unicode form are one folder on Windows and macOS: none is taken."""
    if len(claims) == 1:
        return claims[0], []
    if len({m.answers.participant for m in claims}) > 1:
        names = ", ".join(sorted({m.name for m in claims}))
        return None, [Skipped(m.path, LederkursError("skip_name_collision", participant=m.name, names=names))
                      for m in claims]
    ordered = sorted(claims, key=lambda m: (_stamp(m.answers.updated), m.path.name))
    newest = ordered[-1]
    return newest, [_older(m, newest) for m in ordered[:-1]]


def _older(member: Member, newest: Member) -> Skipped:
    """A file set aside for a newer one of the same participant; named as possibly another person's when the
    names the two give differ (two people with one login name: the trainer must tell them apart)."""
    if member.answers.shown_name != newest.answers.shown_name:
        return Skipped(member.path, LederkursError("skip_duplicate_other_person", participant=member.name,
                                                   other=newest.path.name, name=member.answers.shown_name,
                                                   other_name=newest.answers.shown_name))
    return Skipped(member.path, LederkursError("skip_duplicate", participant=member.name, other=newest.path.name,
                                               when=newest.answers.updated or "?"))


def read_cohort(folder: Path) -> Cohort:
    """Read every answers file in `folder` (not recursive; hidden entries left out, a subfolder named as
    skipped)."""
    found: dict[str, list[Member]] = {}
    skipped: list[Skipped] = []
    with os.scandir(folder) as entries:
        names = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in entries if not e.name.startswith("."))
    for name, is_dir in names:
        if is_dir:
            skipped.append(Skipped(folder / name, LederkursError("skip_folder")))
            continue
        result = _read(folder / name)
        if isinstance(result, Skipped):
            skipped.append(result)
        else:
            found.setdefault(normalised(result.name), []).append(result)
    members = []
    for claims in found.values():
        member, lost = _settle(claims)
        skipped += lost
        if member:
            members.append(member)
    return Cohort(folder, tuple(sorted(members, key=lambda m: m.name)), tuple(sorted(skipped, key=lambda s: s.path)))
