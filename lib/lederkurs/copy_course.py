"""`lederkurs copy`: a participant's own copy of the course notebooks, in a folder of their choosing.

The copy is laid out like the repository's notebooks/ (bokmål at the top, each translation in its own
folder), marked as a course folder, so answers go to its answers/. A notebook the participant has changed
is never replaced unless asked (and then kept beside the new one): the marker file remembers what was
copied, so a later `lederkurs copy` can tell a participant's change from an older course version.

Every notebook is written beside its place and renamed into it, and no link in the folder is followed: a
link (even one to nowhere) where a notebook or a language folder belongs is replaced; a hard link is
replaced by the rename, its other name untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import __version__, paths
from .course.content import load_course
from .course.languages import available_languages, check_language
from .files import atomic_write

MANIFEST_KEY = "copied"  # relative path -> sha256 of the notebook as it was copied


@dataclass
class CopyResult:
    folder: Path
    copied: list[Path] = field(default_factory=list)  # new in the folder
    updated: list[Path] = field(default_factory=list)  # replaced an untouched older copy
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # changed by the participant: left as it is
    set_aside: list[Path] = field(default_factory=list)  # changed, replaced on request: the old one kept here


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _kind(path: Path) -> str:
    """"none", "link", "file" or "other" (a folder, a FIFO): what stands at `path`, links not followed."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "none"
    return "link" if stat.S_ISLNK(mode) else "file" if stat.S_ISREG(mode) else "other"


def _put(source: Path, target: Path) -> None:
    atomic_write(target, source.read_bytes())  # a new notebook is her own (0600); an updated one keeps its mode


def _real_folder(path: Path) -> Path:
    """A folder of our own at `path`: a link standing there is removed, never followed."""
    if _kind(path) == "link":
        path.unlink()
    path.mkdir(exist_ok=True)
    return path


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / paths.COURSE_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    copied = data.get(MANIFEST_KEY) if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in copied.items()} if isinstance(copied, dict) else {}


def course_notebooks(lang: str) -> list[Path]:
    """A language's participant notebooks (the trainer's are not part of a participant's copy)."""
    course = load_course(lang)
    folder = paths.notebooks_for(lang)
    return [folder / f"{s.file}.ipynb" for s in course.sections]


def copy_course(folder: Path, langs: list[str] | None = None, force: bool = False,
                aside_word: str = "changed") -> CopyResult:
    """Copy the notebooks of `langs` (all languages when None) into `folder`. A changed notebook replaced
    on request (`force`) is kept as <name>.<aside_word>-<time>.ipynb; the CLI passes a word in the reader's
    language."""
    langs = [check_language(lang) for lang in langs] if langs else available_languages()
    folder.mkdir(parents=True, exist_ok=True)
    folder = folder.resolve()  # the folder itself may be a link the participant chose; nothing inside is followed
    manifest = _read_manifest(folder)
    result = CopyResult(folder)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for lang in langs:
        target_dir = paths.language_folder(folder, lang)
        if target_dir != folder:
            _real_folder(target_dir)
        for source in course_notebooks(lang):
            target = target_dir / source.name
            rel = target.relative_to(folder).as_posix()
            new = _digest(source)
            kind = _kind(target)
            if kind in ("none", "link"):
                _put(source, target)
                result.copied.append(target)
            elif kind == "other":  # a folder or a FIFO of the participant's: not ours to touch
                result.kept.append(target)
                continue
            elif (now := _digest(target)) == new:
                result.unchanged.append(target)
            elif now == manifest.get(rel):  # as we left it: an older version of the course
                _put(source, target)
                result.updated.append(target)
            elif force:
                aside = target.with_name(f"{target.stem}.{aside_word}-{stamp}.ipynb")
                target.replace(aside)
                _put(source, target)
                result.set_aside.append(aside)
            else:
                result.kept.append(target)
                continue
            manifest[rel] = new
    answers = folder / "answers"
    if _kind(answers) == "link":  # answers saved through a link could land anywhere
        answers.unlink()
    answers.mkdir(mode=0o700, exist_ok=True)
    marker = {"lederkurs": __version__, "about": "A course folder: answers are saved in answers/ here.",
              MANIFEST_KEY: dict(sorted(manifest.items()))}
    atomic_write(folder / paths.COURSE_MARKER, (json.dumps(marker, ensure_ascii=False, indent=2) + "\n").encode(),
                 mode=0o644)
    return result
