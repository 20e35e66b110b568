"""The drop box behind «Del svarene med kursholderen»: a participant hands in a copy of their answers file,
and takes it back when they like; the trainer reads what was handed in.

On a course server (deploy/start-hub.sh) the folder is root:<trainer group>, mode 3773, as nbgrader's
exchange does it, with one more guard:

    setgid (2000)  a new file gets the trainer group, whoever writes it
    sticky (1000)  only a file's owner may delete it, rename it or replace it by a rename
    rwx group      the trainer lists and reads
    -wx others     a participant creates and removes their own file by name, but cannot list the folder

A participant's copy is `<name>.json`, mode 0640 (them and the trainer group), written by a rename so the
trainer never reads half a file. Permissions cannot stop one participant from taking another's name first;
so the trainer's side accepts a file only when its owner is the participant it names (see
`lederkurs.trainer.cohort`), and a participant whose name is taken is told.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import SaveError
from ..files import atomic_write

DROPBOX_ENV = "LEDERKURS_DROPBOX"
FILE_MODE = 0o640


def configured() -> Path | None:
    """The drop box of this course server, if it has one."""
    folder = os.environ.get(DROPBOX_ENV)
    return Path(folder) if folder and Path(folder).is_dir() else None


def is_dropbox(folder: Path) -> bool:
    """A folder set up as a drop box (sticky bit): its files are trusted only from their owners."""
    return bool(os.stat(folder).st_mode & stat.S_ISVTX)


@dataclass(frozen=True)
class Shared:
    path: Path
    when: datetime


def shared(folder: Path, participant: str) -> Shared | None:
    """The participant's own copy in the drop box, if there is one (a file of someone else's is not)."""
    path = folder / f"{participant}.json"
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        return None
    return Shared(path, datetime.fromtimestamp(info.st_mtime).astimezone())


def share(folder: Path, participant: str, data: bytes) -> Shared:
    """Put (or replace) the participant's copy in the drop box, whole or not at all."""
    path = folder / f"{participant}.json"
    try:
        atomic_write(path, data, mode=FILE_MODE)  # the trainer group may read it; nobody else
    except PermissionError as e:
        if e.filename2 is not None:  # the rename refused: the sticky bit keeps the name for another's file
            raise SaveError("share_name_taken") from None
        raise SaveError("share_failed", reason=e) from None
    except OSError as e:
        raise SaveError("share_failed", reason=e) from None
    found = shared(folder, participant)
    if found is None:  # replaced under us by someone else's file: say so rather than claim success
        raise SaveError("share_name_taken")
    return found


def withdraw(folder: Path, participant: str) -> bool:
    """Take the participant's copy back; False if there was none of theirs."""
    if shared(folder, participant) is None:
        return False
    try:
        (folder / f"{participant}.json").unlink()
    except FileNotFoundError:
        return False
    except OSError as e:
        raise SaveError("share_failed", reason=e) from None
    return True
