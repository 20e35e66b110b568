"""`lederkurs copy`: a participant's own copy of the course notebooks, in a folder of their choosing.

The copy is laid out like the repository's notebooks/ (bokmål at the top, each translation in its own
folder), marked as a course folder, so answers go to its answers/. A notebook the participant has changed
is never replaced unless asked (and then kept beside the new one): the marker file remembers what was
copied, so a later `lederkurs copy` can tell a participant's change from an older course version.
"""

from __future__ import annotations

import hashlib
import json
import shutil
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
    manifest = _read_manifest(folder)
    result = CopyResult(folder)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for lang in langs:
        target_dir = paths.language_folder(folder, lang)
        target_dir.mkdir(exist_ok=True)
        for source in course_notebooks(lang):
            target = target_dir / source.name
            rel = target.relative_to(folder).as_posix()
            new = _digest(source)
            if not target.exists():
                shutil.copyfile(source, target)
                result.copied.append(target)
            elif (now := _digest(target)) == new:
                result.unchanged.append(target)
            elif now == manifest.get(rel):  # as we left it: an older version of the course
                shutil.copyfile(source, target)
                result.updated.append(target)
            elif force:
                aside = target.with_name(f"{target.stem}.{aside_word}-{stamp}.ipynb")
                target.replace(aside)
                shutil.copyfile(source, target)
                result.set_aside.append(aside)
            else:
                result.kept.append(target)
                continue
            manifest[rel] = new
    (folder / "answers").mkdir(mode=0o700, exist_ok=True)
    marker = {"lederkurs": __version__, "about": "A course folder: answers are saved in answers/ here.",
              MANIFEST_KEY: dict(sorted(manifest.items()))}
    atomic_write(folder / paths.COURSE_MARKER, (json.dumps(marker, ensure_ascii=False, indent=2) + "\n").encode(),
                 mode=0o644)
    return result
