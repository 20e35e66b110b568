"""The answer store: one participant's answers file, locked and written atomically.

Every write takes a lock, re-reads the file and changes only the keys it was asked to change, then
replaces the file atomically. So two kernels writing the same participant merge instead of overwriting,
and a crash mid-write leaves the previous file whole. A file that cannot be used is kept aside, never
overwritten; something that is not a file at all (a folder, a FIFO) is left alone and nothing is written.

Rounds go through the same path: starting, renaming a round and setting a goal are changes under the lock like
any answer. A file of an older schema is copied beside itself (<name>.<backup>-v1-<time>.json) before the first
write upgrades it.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import AnswersFileError, LederkursError, NewerSchemaError, SaveError
from ..files import atomic_write
from .model import (
    MAX_BYTES,
    MAX_GOAL_HISTORY,
    MAX_ROUNDS,
    SCHEMA,
    Answer,
    AnswersFile,
    FocusRating,
    Goal,
    GoalStep,
    Round,
    check_participant,
    check_round_name,
    decode_answers,
    new_round_id,
    read_answers_file,
    read_bounded,
)

log = logging.getLogger(__name__)


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class AnswerStore:
    """One participant's answers file in `folder`.

    `problems` collects what the participant should be told (a file kept aside, a folder that cannot be
    written), as errors with keys: the notebook words them in the participant's language.
    """

    def __init__(self, folder: Path | str, participant: str, read_only: bool = False,
                 kept_aside: str = "unreadable", backup: str = "backup") -> None:
        """`kept_aside` and `backup` name the copies the store makes (<name>.<word>-<time>.json): the
        notebook passes words in the participant's language."""
        self.participant = check_participant(participant)
        self.kept_aside, self.backup = kept_aside, backup
        self.folder = Path(folder)
        self.read_only = read_only
        self.path = self.folder / f"{self.participant}.json"
        self._folder_checked = False
        self.problems: list[LederkursError] = []
        self._blocked: SaveError | None = None  # why nothing can be written (newer file, no folder)
        self.on_saved: list[Callable[[], None]] = []  # called after each write (e.g. to refresh a download link)

    @property
    def writable(self) -> bool:
        return not self.read_only and self._blocked is None

    def _note(self, problem: LederkursError) -> None:
        if all((p.key, p.values) != (problem.key, problem.values) for p in self.problems):
            self.problems.append(problem)

    @cached_property
    def _lock(self) -> Any:
        from filelock import FileLock  # only where something is written

        return FileLock(str(self.folder / f".{self.participant}.json.lock"), timeout=10)

    def _check_folder(self) -> None:
        """Once per store: a folder the answers cannot be written to is said at once, not at the first save."""
        self._folder_checked = True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not os.access(self.folder, os.W_OK):
                code = errno.EROFS if os.statvfs(self.folder).f_flag & os.ST_RDONLY else errno.EACCES
                raise OSError(code, os.strerror(code))
        except OSError as e:
            self._block(SaveError("error_folder_not_writable", path=self.folder, reason=e))

    def load(self) -> AnswersFile:
        """The answers as saved now. A file that cannot be used is kept aside (never overwritten).

        Writes are atomic, so a plain read always sees a whole file: the lock is taken only to set an
        unusable file aside."""
        if self.read_only:
            try:
                return self._read()
            except (AnswersFileError, OSError) as e:
                if not isinstance(e, FileNotFoundError):
                    self._note(LederkursError("error_corrupt_read_only", path=self.path.name, reason=e))
                return AnswersFile(self.participant)
        if not self._folder_checked:
            self._check_folder()
        if self._blocked is not None and self._blocked.key == "error_folder_not_writable":
            return self._read_quietly()
        try:
            doc = self._read()
        except FileNotFoundError:
            return AnswersFile(self.participant)
        except (AnswersFileError, OSError):  # unusable, newer, or not a file: settled under the lock
            return self._load_locked()
        self._blocked = None
        return doc

    def _load_locked(self) -> AnswersFile:
        from filelock import Timeout

        try:
            with self._lock:
                return self._read_or_set_aside()
        except (SaveError, NewerSchemaError):  # shown, never changed: the participant is told in `problems`
            return self._read_quietly()
        except (OSError, Timeout) as e:
            reason = SaveError("error_lock_timeout") if isinstance(e, Timeout) else e
            self._block(SaveError("error_folder_not_writable", path=self.folder, reason=reason))
            return self._read_quietly()

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

    def set_name(self, name: str) -> str:
        """Her display name ("" forgets it); the login name stays the file's key."""
        stamp = now_iso()

        def change(doc: AnswersFile) -> None:
            doc.name = name
        self._update(change)
        return stamp

    def set_goal(self, area_id: str, value: int | None) -> str:
        """Her goal for an area («om et år»); the goal it replaces goes into the area's history."""
        stamp = now_iso()

        def change(doc: AnswersFile) -> None:
            old = doc.goals.get(area_id, Goal())
            history = list(old.history)
            if old.value is not None and old.value != value:
                history = (history + [GoalStep(old.value, old.updated)])[-MAX_GOAL_HISTORY:]
            doc.goals[area_id] = Goal(value, stamp, history)
        self._update(change)
        return stamp

    def start_round(self, name: str, seen: str | None = None) -> str:
        """Start a new round called `name` ("" names it by its month); the current one becomes an earlier
        round, whole; «før» and her own areas are carried into the new one. `seen`: the start of the round the
        caller shows; when another notebook has started a round since, none is started again. Returns the new
        round's start. SaveError beyond MAX_ROUNDS."""
        name = check_round_name(name)
        stamp = now_iso()
        started: list[str] = []

        def change(doc: AnswersFile) -> None:
            if seen is not None and doc.round_started != seen:
                started.append(doc.round_started)
                return
            if len(doc.earlier) + 1 >= MAX_ROUNDS:
                raise SaveError("error_too_many_rounds", limit=MAX_ROUNDS)
            # Where she came from («da jeg ledet medarbeidere») is carried over, and her own areas' names; «nå»
            # starts not set: she places herself again.
            carried = {k: FocusRating(r.before, None, r.label, stamp) for k, r in doc.focus.items()
                       if r.label or r.before is not None}
            doc.set_rounds([*doc.rounds, Round(name, stamp, {}, carried, new_round_id())])
            started.append(stamp)
        self._update(change)
        return started[0]

    def rename_round(self, name: str, started: str | None = None) -> str:
        """Rename the round that started at `started` (the current one when None)."""
        name = check_round_name(name)
        stamp = now_iso()

        def change(doc: AnswersFile) -> None:
            if started is None or started == doc.round_started:
                doc.round_name = name
            for one in doc.earlier:
                if one.started == started:
                    one.name = name
        self._update(change)
        return stamp

    def remove_focus(self, area_id: str) -> None:
        self._update(lambda doc: doc.focus.pop(area_id, None))

    def replace_all(self, build: Callable[[AnswersFile], AnswersFile]) -> Path | None:
        """Back the current file up, then write `build(current)` in its place (used to take in an upload)."""
        backup: list[Path] = []

        def change(doc: AnswersFile) -> None:
            new = build(doc)
            if self.path.exists():
                path = self._free_name(self.backup)
                atomic_write(path, read_bounded(self.path))
                backup.append(path)
            doc.name, doc.goals = new.name, new.goals
            doc.set_rounds(new.rounds)
        self._update(change)
        return backup[0] if backup else None

    # -- internals ---------------------------------------------------------------------------------------

    def _read(self) -> AnswersFile:
        doc = read_answers_file(self.path)
        if doc.participant != self.participant:
            raise AnswersFileError("reason_other_participant", owner=doc.participant)
        return doc

    def _read_quietly(self) -> AnswersFile:
        """What can be shown when nothing can be written (problems are already noted)."""
        try:
            return self._read()
        except (AnswersFileError, OSError):
            return AnswersFile(self.participant)

    def _block(self, reason: SaveError) -> None:
        self._blocked = reason
        self._note(reason)

    def _clean_temporary_files(self) -> None:
        """Temporary files of writes that a crash interrupted (with the lock held, no write is under way)."""
        prefix = f".{self.path.name}."
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp") and \
                        entry.is_file(follow_symlinks=False):
                    Path(entry.path).unlink(missing_ok=True)

    def _read_or_set_aside(self) -> AnswersFile:
        """Call with the lock held."""
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            self._blocked = None
            return AnswersFile(self.participant)
        if not stat.S_ISREG(info.st_mode):  # a folder, a link, a FIFO: not ours to move; write nothing
            error = SaveError("error_not_a_file", path=self.path.name)
            self._block(error)
            raise error
        try:
            doc = self._read()
        except NewerSchemaError as e:
            self._block(SaveError("error_newer_schema", found=e.found, supported=e.values["supported"]))
            raise
        except AnswersFileError as e:
            kept = self._free_name(self.kept_aside)
            os.replace(self.path, kept)
            self._note(LederkursError("error_corrupt_file", reason=e, kept=kept.name))
            doc = AnswersFile(self.participant)
        self._blocked = None
        return doc

    def _free_name(self, kind: str) -> Path:
        """`<participant>.<kind>-<time>.json` beside the answers file, never an existing one."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path, n = self.path.with_name(f"{self.participant}.{kind}-{stamp}.json"), 1
        while path.exists():
            n += 1
            path = self.path.with_name(f"{self.participant}.{kind}-{stamp}-{n}.json")
        return path

    def _update(self, change: Callable[[AnswersFile], Any]) -> None:
        if self.read_only:
            raise SaveError("read_only_note")
        from filelock import Timeout

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with self._lock:
                self._clean_temporary_files()
                doc = self._read_or_set_aside()
                if doc.schema < SCHEMA and self.path.exists():  # the old file, once, before it is upgraded
                    atomic_write(self._free_name(f"{self.backup}-v{doc.schema}"), read_bounded(self.path))
                doc.schema = SCHEMA
                change(doc)
                doc.updated = now_iso()
                doc.round_started = doc.round_started or doc.updated
                doc.round_id = doc.round_id or new_round_id()
                data = doc.encode()
                if len(data) > MAX_BYTES:
                    raise SaveError("error_too_large", limit=MAX_BYTES // 2**20)
                try:  # what every later load reads: a file its own reader refuses would be set aside, whole
                    decode_answers(data)
                except AnswersFileError as e:
                    log.error("not saved: %s's answers file would not read back: %s", self.participant, e)
                    raise SaveError("error_not_savable") from None
                atomic_write(self.path, data)
        except NewerSchemaError:
            raise self._blocked or SaveError("error_newer_schema", found="?", supported=SCHEMA) from None
        except Timeout:
            raise SaveError("error_lock_timeout") from None
        except OSError as e:
            raise SaveError("error_write_failed", reason=e) from None
        for listener in self.on_saved:
            listener()

