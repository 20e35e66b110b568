"""The answers file: its format (one participant, schema 2), how it is checked, and how it is read safely.

Schema 2 holds rounds of reflection: the top-level "answers" and "focus" are the current round's (where schema 1
kept its only ones, so every reader of the current round reads the same place), "round" names it and says when
it started, "earlier_rounds" holds the rounds before it (oldest first), and "goals" holds the goal per focus
area («om et år») with its history. A schema-1 file reads as one round and is written as schema 2 on its next
save (the store keeps the old file beside it first).

Anything can arrive as an answers file: a mail attachment, a Windows Notepad save, a JSON bomb, a FIFO. A
file is read within bounds (a regular file, at most MAX_BYTES) and every way it can fail ends in an
AnswersFileError whose key says why; nothing else escapes.
"""

from __future__ import annotations

import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import AnswersFileError, NewerSchemaError, ParameterError

SCHEMA = 2
SCALE = range(0, 11)
MAX_BYTES = 5 * 1024 * 1024  # one limit for the store, an upload and a trainer's render
# Room left in a file name (255 bytes on common file systems) for what the store adds to a participant's
# name: ".sikkerhetskopi-20261128-101010-99.json", ".<name>.json.<random>.tmp", a report's suffix.
MAX_NAME_BYTES = 180
_NAME = re.compile(r"^[^\W_][\w .@-]{0,63}$")
_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
OWN_AREA_PREFIX = "egen-"  # ids of a participant's own focus areas: egen-1, egen-2, ...
MAX_DISPLAY_NAME = 80  # characters of the name a participant gives herself (the report's and the trainer's)
# Bounds on a participant's own focus areas, one source for the notebook, an upload, a cohort and a render.
# A leader names a handful; 20 is more than anyone needs and keeps a chart (55 px a row) readable and cheap.
MAX_OWN_AREAS = 20
# Characters in an own area's label: the chart wraps any label this long onto two lines in any script.
MAX_LABEL = 40
# All focus entries of a file: the guide's areas, the own ones, and room for areas a later course drops.
MAX_FOCUS_ENTRIES = 64
# Rounds of reflection in one file: a programme meets a few times a year; 12 is more than anyone reaches, and
# keeps the chart over time (a line per round in each area's row) readable.
MAX_ROUNDS = 12
# Characters in a round's name («Oppfølging mars»): fits the chart's key and a report's column heading.
MAX_ROUND_NAME = 40
# Earlier goals kept per area: the goal's history, newest kept when she changes it more often.
MAX_GOAL_HISTORY = 24
FIRST_ROUND = "1"  # the id of the round a schema-1 file becomes: two copies of one old file share it
_ROUND_ID = re.compile(r"^[0-9a-z-]{1,32}$")


def new_round_id() -> str:
    import secrets

    return secrets.token_hex(6)


@dataclass
class Answer:
    text: str
    updated: str

    @property
    def given(self) -> bool:
        """Whitespace alone is not an answer."""
        return bool(self.text.strip())


@dataclass
class FocusRating:
    """Where a participant puts one focus area: before (leading employees) and now (leading leaders)."""

    before: int | None = None
    now: int | None = None
    label: str | None = None  # set only for the participant's own areas
    updated: str = ""


@dataclass
class Round:
    """One round of reflection: its name ("" until she names it: shown as the month it started), when it
    started, and its answers and focus positions."""

    name: str = ""
    started: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    focus: dict[str, FocusRating] = field(default_factory=dict)
    id: str = ""  # the same round in two copies of a file (a merge); FIRST_ROUND for a schema-1 file's round

    def answer(self, group_id: str) -> Answer | None:
        found = self.answers.get(group_id)
        return found if found is not None and found.given else None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, **({"name": self.name} if self.name else {}), "started": self.started,
                "answers": {k: asdict(v) for k, v in self.answers.items()}, "focus": _focus_json(self.focus)}


@dataclass
class GoalStep:
    value: int
    updated: str = ""


@dataclass
class Goal:
    """Where she wants to be on an area in a year; `history` holds the goals she had before, oldest first."""

    value: int | None = None
    updated: str = ""
    history: list[GoalStep] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {**({"value": self.value} if self.value is not None else {}), "updated": self.updated,
                "history": [asdict(h) for h in self.history]}


def _focus_json(focus: dict[str, FocusRating]) -> dict[str, Any]:
    return {k: {n: v for n, v in asdict(r).items() if v is not None} for k, r in focus.items()}


@dataclass
class AnswersFile:
    participant: str  # the login name: the file's key, never changed
    answers: dict[str, Answer] = field(default_factory=dict)  # the current round's
    focus: dict[str, FocusRating] = field(default_factory=dict)  # the current round's
    updated: str = ""
    schema: int = field(default=SCHEMA, compare=False)  # the version the file was read as; written as SCHEMA
    name: str = ""  # what she is called, as she wrote it; "" when she has not said
    round_name: str = ""  # the current round's name ("" until she names it)
    round_started: str = ""  # when the current round started
    round_id: str = ""
    earlier: list[Round] = field(default_factory=list)  # the rounds before the current one, oldest first
    goals: dict[str, Goal] = field(default_factory=dict)  # per focus area, for the file, not a round

    @property
    def rounds(self) -> list[Round]:
        """Every round, oldest first; the last is the current one (it shares this file's answers and focus)."""
        return [*self.earlier, Round(self.round_name, self.round_started, self.answers, self.focus, self.round_id)]

    def set_rounds(self, rounds: list[Round]) -> None:
        """Make `rounds` (oldest first, at least one) this file's rounds; the last becomes the current one."""
        *self.earlier, last = rounds
        self.round_name, self.round_started, self.answers, self.focus, self.round_id = (
            last.name, last.started, last.answers, last.focus, last.id)

    @property
    def shown_name(self) -> str:
        """Her own name where she gave one, else the login name."""
        return self.name or self.participant

    def answer(self, group_id: str) -> Answer | None:
        """The participant's answer to a question group, if they gave one."""
        found = self.answers.get(group_id)
        return found if found is not None and found.given else None

    def count_answered(self, group_ids: Iterable[str]) -> int:
        return sum(1 for g in group_ids if self.answer(g) is not None)

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "participant": self.participant, **({"name": self.name} if self.name else {}),
                "updated": self.updated, "round": {"id": self.round_id,
                                                 **({"name": self.round_name} if self.round_name else {}),
                                                 "started": self.round_started},
                "answers": {k: asdict(v) for k, v in self.answers.items()}, "focus": _focus_json(self.focus),
                "earlier_rounds": [r.to_json() for r in self.earlier],
                "goals": {k: g.to_json() for k, g in self.goals.items()}}

    def encode(self) -> bytes:
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: escaped, so the text still round-trips exactly
            return (json.dumps(self.to_json(), ensure_ascii=True, indent=2) + "\n").encode("ascii")


def free_own_area_id(taken: Iterable[str]) -> str:
    """The first own-area id (egen-1, egen-2, ...) not in `taken`."""
    used, n = set(taken), 1
    while f"{OWN_AREA_PREFIX}{n}" in used:
        n += 1
    return f"{OWN_AREA_PREFIX}{n}"


def check_participant(name: Any) -> str:
    """A participant name that is safe as a file name on every system; ParameterError otherwise."""
    if not isinstance(name, str):
        raise ParameterError("error_participant_name", name=name)
    clean = unicodedata.normalize("NFC", name.strip())
    if (not _NAME.match(clean) or ".." in clean or clean.endswith((".", " "))
            or len(clean.encode("utf-8")) > MAX_NAME_BYTES or _WINDOWS_DEVICES.match(clean)):
        raise ParameterError("error_participant_name", name=name)
    return clean


def _one_line(name: Any, limit: int, key: str) -> str:
    """A name as it is kept: one line, NFC, no control characters, at most `limit` characters ("" when blank).
    ParameterError(`key`) for anything else."""
    if not isinstance(name, str):
        raise ParameterError(key, limit=limit)
    clean = " ".join(unicodedata.normalize("NFC", name).split())
    if len(clean) > limit or any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in clean):
        raise ParameterError(key, limit=limit)
    return clean


def check_display_name(name: Any) -> str:
    """Her display name as it is kept (at most MAX_DISPLAY_NAME characters)."""
    return _one_line(name, MAX_DISPLAY_NAME, "error_display_name")


def valid_time(value: Any) -> str:
    """An ISO 8601 time as written by the store, or "" for anything else (the time is only metadata)."""
    if not isinstance(value, str):
        return ""
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return ""
    return value


def check_round_name(name: Any) -> str:
    """A round's name as it is kept (at most MAX_ROUND_NAME characters; "" when blank: the round is then called
    by its month)."""
    return _one_line(name, MAX_ROUND_NAME, "error_round_name")


def _score(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        raise AnswersFileError("reason_bad_field", field=where)
    return value


def parse_answers(data: Any) -> AnswersFile:
    """Validate decoded JSON strictly (times leniently); AnswersFileError says what is wrong."""
    if not isinstance(data, dict) or "schema" not in data:
        raise AnswersFileError("reason_no_schema")
    schema = data["schema"]
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise AnswersFileError("reason_bad_field", field="schema")
    if schema > SCHEMA:
        raise NewerSchemaError(schema, SCHEMA)
    participant = data.get("participant")
    if not isinstance(participant, str):
        raise AnswersFileError("reason_bad_field", field="participant")
    try:
        name = check_display_name(data.get("name", ""))
    except ParameterError:
        raise AnswersFileError("reason_bad_field", field="name") from None
    result = AnswersFile(str(participant), updated=valid_time(data.get("updated")), name=name, schema=schema)
    current = _parse_round(data, "")
    if schema == 1 or "round" not in data:  # one round, started when she first wrote
        stamps = [a.updated for a in current.answers.values()] + [r.updated for r in current.focus.values()]
        current.started = min((s for s in stamps if s), default=result.updated)
        current.id = FIRST_ROUND
    else:
        head, earlier, goals = data.get("round", {}), data.get("earlier_rounds", []), data.get("goals", {})
        for field_name, value, kind in (("round", head, dict), ("earlier_rounds", earlier, list),
                                        ("goals", goals, dict)):
            if not isinstance(value, kind):
                raise AnswersFileError("reason_bad_field", field=field_name)
        if len(earlier) + 1 > MAX_ROUNDS:
            raise AnswersFileError("reason_too_many_rounds", count=len(earlier) + 1, limit=MAX_ROUNDS)
        current.name, current.started, current.id = _round_head(head, "round")
        result.earlier = []
        for i, entry in enumerate(earlier):
            if not isinstance(entry, dict):
                raise AnswersFileError("reason_bad_field", field=f"earlier_rounds.{i}")
            one = _parse_round(entry, f"earlier_rounds.{i}.")
            one.name, one.started, one.id = _round_head(entry, f"earlier_rounds.{i}")
            result.earlier.append(one)
        if len(goals) > MAX_FOCUS_ENTRIES:
            raise AnswersFileError("reason_too_many_areas", count=len(goals), limit=MAX_OWN_AREAS)
        result.goals = {str(k): _parse_goal(v, f"goals.{k}") for k, v in goals.items()}
    result.set_rounds([*result.earlier, current])
    check_bounds(result)
    return result


def _round_head(entry: dict[str, Any], where: str) -> tuple[str, str, str]:
    """A round's name, start and id (an id that is missing or not ours is made anew)."""
    try:
        name = check_round_name(entry.get("name", ""))
    except ParameterError:
        raise AnswersFileError("reason_bad_field", field=f"{where}.name") from None
    found = entry.get("id")
    return name, valid_time(entry.get("started")), found if isinstance(found, str) and _ROUND_ID.match(found) \
        else new_round_id()


def _parse_round(data: dict[str, Any], where: str) -> Round:
    """A round's answers and focus positions (the file's top level for the current round)."""
    answers, focus = data.get("answers", {}), data.get("focus", {})
    for name, value in (("answers", answers), ("focus", focus)):
        if not isinstance(value, dict):
            raise AnswersFileError("reason_bad_field", field=f"{where}{name}")
    result = Round()
    for key, entry in answers.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            raise AnswersFileError("reason_bad_field", field=f"{where}answers.{key}")
        result.answers[key] = Answer(entry["text"], valid_time(entry.get("updated")))
    for key, entry in focus.items():
        label = entry.get("label") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not isinstance(label, (str, type(None))):
            raise AnswersFileError("reason_bad_field", field=f"{where}focus.{key}")
        result.focus[key] = FocusRating(_score(entry.get("before"), f"{where}focus.{key}.before"),
                                        _score(entry.get("now"), f"{where}focus.{key}.now"),
                                        label, valid_time(entry.get("updated")))
    return result


def _parse_goal(entry: Any, where: str) -> Goal:
    history = entry.get("history", []) if isinstance(entry, dict) else None
    if not isinstance(entry, dict) or not isinstance(history, list):
        raise AnswersFileError("reason_bad_field", field=where)
    if len(history) > MAX_GOAL_HISTORY:
        raise AnswersFileError("reason_bad_field", field=f"{where}.history")
    steps = []
    for i, step in enumerate(history):
        value = _score(step.get("value") if isinstance(step, dict) else None, f"{where}.history.{i}")
        if value is None:
            raise AnswersFileError("reason_bad_field", field=f"{where}.history.{i}")
        steps.append(GoalStep(value, valid_time(step.get("updated"))))
    return Goal(_score(entry.get("value"), f"{where}.value"), valid_time(entry.get("updated")), steps)


def label_fits(label: str) -> bool:
    """An own area's label as the notebook takes it: not empty, at most MAX_LABEL characters."""
    return bool(label.strip()) and len(label.strip()) <= MAX_LABEL


def check_bounds(doc: AnswersFile) -> AnswersFile:
    """`doc`, if its rounds and focus areas lie within the bounds every reader relies on; AnswersFileError
    otherwise."""
    if len(doc.earlier) + 1 > MAX_ROUNDS:
        raise AnswersFileError("reason_too_many_rounds", count=len(doc.earlier) + 1, limit=MAX_ROUNDS)
    for one in doc.rounds:
        own = [r.label for r in one.focus.values() if r.label]
        if len(own) > MAX_OWN_AREAS or len(one.focus) > MAX_FOCUS_ENTRIES:
            raise AnswersFileError("reason_too_many_areas", count=max(len(own), len(one.focus)), limit=MAX_OWN_AREAS)
        if any(len(label.strip()) > MAX_LABEL for label in own):
            raise AnswersFileError("reason_label_too_long", limit=MAX_LABEL)
    return doc


def _too_large(size: int, limit: int) -> AnswersFileError:
    return AnswersFileError("reason_too_large", size=round(size / 2**20, 1), limit=limit // 2**20)


def _no_constants(name: str) -> None:
    raise ValueError(name)  # NaN and Infinity are not JSON


def decode_answers(raw: bytes) -> AnswersFile:
    """Bytes of an answers file (UTF-8, with or without BOM, or UTF-16 with BOM) to a checked AnswersFile."""
    if len(raw) > MAX_BYTES:
        raise _too_large(len(raw), MAX_BYTES)
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswersFileError("reason_not_text") from None
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as e:
        raise AnswersFileError("reason_not_json", line=e.lineno) from None
    except RecursionError:
        raise AnswersFileError("reason_too_deep") from None
    except ValueError:  # a number too long to convert (CPython's int limit), NaN, Infinity
        raise AnswersFileError("reason_bad_number") from None
    return parse_answers(data)


def read_bounded(path: Path, limit: int = MAX_BYTES, follow_links: bool = True) -> bytes:
    """The bytes of a regular file, at most `limit`: never blocks on a FIFO, never reads a device.

    OSError for what the file system refuses (a link, when not to be followed); AnswersFileError for what is
    not a regular file or too large.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow_links else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise AnswersFileError("reason_not_regular")
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while we read it
            raise _too_large(size, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_answers_file(path: Path, follow_links: bool = True) -> AnswersFile:
    """Read and check one answers file. AnswersFileError says why it cannot be used, OSError why it
    cannot be read at all (missing, no permission, a link to nowhere)."""
    return decode_answers(read_bounded(path, follow_links=follow_links))
