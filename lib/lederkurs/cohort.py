"""A cohort: every readable answers file in one folder; the rest skipped, each with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .answers import AnswersFile, AnswersFormatError, check_participant, read_answers_file
from .errors import CourseError
from .messages import msg

MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Member:
    name: str
    path: Path
    answers: AnswersFile


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


@dataclass(frozen=True)
class Cohort:
    folder: Path
    members: tuple[Member, ...]
    skipped: tuple[Skipped, ...]

    @property
    def docs(self) -> list[AnswersFile]:
        return [m.answers for m in self.members]


def read_cohort(folder: Path, lang: str = "nb") -> Cohort:
    """Read every answers file in `folder` (not recursive). Nothing is written."""
    members: dict[str, Member] = {}
    skipped = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix.lower() != ".json":
            skipped.append(Skipped(path, msg(lang, "skip_not_json_name")))
            continue
        size = path.stat().st_size
        if size > MAX_BYTES:
            skipped.append(Skipped(path, msg(lang, "skip_too_large", size=round(size / 2**20, 1),
                                             limit=MAX_BYTES // 2**20)))
            continue
        try:
            doc = read_answers_file(path, lang)
            name = check_participant(doc.participant, lang)
        except AnswersFormatError as e:
            skipped.append(Skipped(path, str(e)))
            continue
        except CourseError:
            skipped.append(Skipped(path, msg(lang, "skip_bad_name")))
            continue
        member = Member(name, path, doc)
        if name in members:  # two files for one participant: the newest counts, the other is reported
            older, member = sorted((members[name], member), key=lambda m: _stamp(m.answers.updated))
            skipped.append(Skipped(older.path, msg(lang, "skip_duplicate", participant=name,
                                                   other=member.path.name)))
        members[name] = member
    return Cohort(folder, tuple(sorted(members.values(), key=lambda m: m.name)), tuple(skipped))


def _stamp(value: str) -> datetime:
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
