"""The answer store: one participant's answers in one readable JSON file, safe on disk.

Every write takes a lock, re-reads the file and changes only the keys it was asked to change, then
replaces the file atomically. So two kernels writing the same participant merge instead of overwriting,
and a crash mid-write leaves the previous file whole. Only JSON is ever read.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from filelock import FileLock, Timeout

from .errors import CourseError
from .messages import msg

SCHEMA = 1
SCALE = range(0, 11)
_NAME = re.compile(r"^[^\W_][\w .@-]{0,63}$")


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class Answer:
    text: str
    updated: str


@dataclass
class FocusRating:
    """Where a participant puts one focus area: before (leading employees) and now (leading leaders)."""

    before: int | None = None
    now: int | None = None
    label: str | None = None  # set only for the participant's own areas
    updated: str = ""


@dataclass
class AnswersFile:
    participant: str
    answers: dict[str, Answer] = field(default_factory=dict)
    focus: dict[str, FocusRating] = field(default_factory=dict)
    updated: str = ""
    schema: int = SCHEMA

    def to_json(self) -> dict[str, Any]:
        return {"schema": self.schema, "participant": self.participant, "updated": self.updated,
                "answers": {k: asdict(v) for k, v in self.answers.items()},
                "focus": {k: {n: v for n, v in asdict(r).items() if v is not None} for k, r in self.focus.items()}}


class AnswersFormatError(ValueError):
    """The file is not an answers file of this course (reason in the participant's language)."""


class NewerSchemaError(AnswersFormatError):
    def __init__(self, found: int, lang: str = "nb") -> None:
        super().__init__(msg(lang, "reason_newer_schema", found=found, supported=SCHEMA))
        self.found = found


def _score(value: Any, where: str, lang: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        raise AnswersFormatError(msg(lang, "reason_not_ours", detail=f"{where} = {value!r}"))
    return value


def parse_answers(data: Any, lang: str = "nb") -> AnswersFile:
    """Validate decoded JSON strictly; raise AnswersFormatError saying what is wrong."""
    def bad(detail: str) -> AnswersFormatError:
        return AnswersFormatError(msg(lang, "reason_not_ours", detail=detail))

    if not isinstance(data, dict) or "schema" not in data:
        raise bad("mangler «schema»")
    schema = data["schema"]
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise bad(f"schema = {schema!r}")
    if schema > SCHEMA:
        raise NewerSchemaError(schema, lang)
    participant, answers, focus = data.get("participant"), data.get("answers", {}), data.get("focus", {})
    if not isinstance(participant, str) or not isinstance(answers, dict) or not isinstance(focus, dict):
        raise bad("«participant», «answers» eller «focus» har feil form")
    result = AnswersFile(participant, updated=str(data.get("updated", "")))
    for key, entry in answers.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            raise bad(f"answers.{key}")
        result.answers[key] = Answer(entry["text"], str(entry.get("updated", "")))
    for key, entry in focus.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("label", ""), str):
            raise bad(f"focus.{key}")
        result.focus[key] = FocusRating(_score(entry.get("before"), f"focus.{key}.before", lang),
                                        _score(entry.get("now"), f"focus.{key}.now", lang),
                                        entry.get("label"), str(entry.get("updated", "")))
    return result


def check_participant(name: Any, lang: str = "nb") -> str:
    """A participant name that is safe as a file name; anything else is refused in plain language."""
    if not isinstance(name, str) or not _NAME.match(name.strip()) or ".." in name:
        raise CourseError.of(lang, "error_participant_name", name=name)
    return name.strip()


def _encode(doc: dict[str, Any]) -> bytes:
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: escape them so the text still round-trips exactly
        return (json.dumps(doc, ensure_ascii=True, indent=2) + "\n").encode("ascii")


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_answers_file(path: Path, lang: str = "nb") -> AnswersFile:
    """Read and validate one answers file; AnswersFormatError says why it cannot be used."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AnswersFormatError(msg(lang, "reason_not_text")) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise AnswersFormatError(msg(lang, "reason_not_json", line=e.lineno)) from None
    return parse_answers(data, lang)


class AnswerStore:
    """One participant's answers file in `folder`."""

    def __init__(self, folder: Path | str, participant: str, lang: str = "nb", read_only: bool = False) -> None:
        self.participant = check_participant(participant, lang)
        self.folder = Path(folder)
        self.lang = lang
        self.read_only = read_only
        self.path = self.folder / f"{self.participant}.json"
        self._lock = FileLock(str(self.folder / f".{self.participant}.json.lock"), timeout=10)
        self.problems: list[str] = []  # plain-language notes for the participant (a file kept aside, ...)
        self._newer: int | None = None
        self.on_saved: list[Callable[[], None]] = []  # called after each write (e.g. to refresh a download link)

    @property
    def writable(self) -> bool:
        return not self.read_only and self._newer is None

    def load(self) -> AnswersFile:
        """The answers as saved now. A file that cannot be used is kept aside (never overwritten)."""
        if not self.path.exists():
            return AnswersFile(self.participant)
        if self.read_only:
            try:
                return self._read()
            except AnswersFormatError as e:
                self._note_unreadable(e, kept=None)
                return AnswersFile(self.participant)
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock:
            try:
                return self._read_or_set_aside()
            except NewerSchemaError:  # shown, never changed: the participant is told in `problems`
                return AnswersFile(self.participant)

    def set_answer(self, group_id: str, text: str) -> str:
        stamp = now_iso()

        def change(doc: AnswersFile) -> None:
            doc.answers[group_id] = Answer(text, stamp)
        self._update(change)
        return stamp

    def set_focus(self, area_id: str, before: int | None, now: int | None, label: str | None = None) -> str:
        stamp = now_iso()

        def change(doc: AnswersFile) -> None:
            doc.focus[area_id] = FocusRating(before, now, label, stamp)
        self._update(change)
        return stamp

    def remove_focus(self, area_id: str) -> None:
        self._update(lambda doc: doc.focus.pop(area_id, None))

    # -- internals ---------------------------------------------------------------------------------------

    def _read(self) -> AnswersFile:
        doc = read_answers_file(self.path, self.lang)
        if doc.participant != self.participant:
            raise AnswersFormatError(msg(self.lang, "reason_other_participant", owner=doc.participant))
        return doc

    def _read_or_set_aside(self) -> AnswersFile:
        """Call with the lock held."""
        if not self.path.exists():
            return AnswersFile(self.participant)
        try:
            doc = self._read()
            self._newer = None
            return doc
        except NewerSchemaError as e:
            self._newer = e.found
            note = msg(self.lang, "error_newer_schema", found=e.found, supported=SCHEMA)
            if note not in self.problems:
                self.problems.append(note)
            raise
        except AnswersFormatError as e:
            kept = self._free_name(msg(self.lang, "file_unreadable"))
            os.replace(self.path, kept)
            self._note_unreadable(e, kept)
            return AnswersFile(self.participant)

    def _free_name(self, kind: str) -> Path:
        """`<participant>.<kind>-<time>.json` beside the answers file, never an existing one."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path, n = self.path.with_name(f"{self.participant}.{kind}-{stamp}.json"), 1
        while path.exists():
            n += 1
            path = self.path.with_name(f"{self.participant}.{kind}-{stamp}-{n}.json")
        return path

    def _note_unreadable(self, error: Exception, kept: Path | None) -> None:
        if kept is None:  # read-only: left where it is
            self.problems.append(msg(self.lang, "error_corrupt_read_only", path=self.path.name, reason=error))
        else:
            self.problems.append(msg(self.lang, "error_corrupt_file", reason=error, kept=kept.name))

    def _update(self, change: Callable[[AnswersFile], Any]) -> None:
        if self.read_only:
            raise CourseError(msg(self.lang, "read_only_note"))
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            with self._lock:
                try:
                    doc = self._read_or_set_aside()
                except NewerSchemaError:
                    raise CourseError(self.problems[-1]) from None
                change(doc)
                doc.updated = now_iso()
                atomic_write(self.path, _encode(doc.to_json()))
        except Timeout:
            raise CourseError(msg(self.lang, "status_save_failed",
                                  reason=msg(self.lang, "error_lock_timeout"))) from None
        for listener in self.on_saved:
            listener()

    def replace_all(self, build: Callable[[AnswersFile], AnswersFile]) -> Path | None:
        """Back the current file up, then write `build(current)` in its place (used to take in an upload)."""
        backup: list[Path] = []

        def change(doc: AnswersFile) -> None:
            if self.path.exists():
                path = self._free_name(msg(self.lang, "file_backup"))
                atomic_write(path, self.path.read_bytes())
                backup.append(path)
            new = build(doc)
            doc.answers, doc.focus = new.answers, new.focus
        self._update(change)
        return backup[0] if backup else None
