"""Where the course's files live: its content, notebooks and examples, and the participants' answers.

Installed from a wheel, the package carries content/, notebooks/ and examples/ inside it (lederkurs/data/);
in a checkout (pip install -e .) they are the repository's own folders. Nothing outside either is read.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

ANSWERS_ENV = "LEDERKURS_ANSWERS_DIR"
CONTENT_ENV = "LEDERKURS_CONTENT_DIR"
NOTEBOOKS_ENV = "LEDERKURS_NOTEBOOKS_DIR"  # lets tests build into a scratch folder
# A course folder (the repository, or a participant's copy made by `lederkurs copy`) holds this file; its
# answers/ folder is where the notebooks under it save answers.
COURSE_MARKER = ".lederkurs"
CACHE_ENV = "LEDERKURS_CACHE_DIR"  # where work that can be done again is kept ("off": nowhere)
KERNEL = "python3"  # the Jupyter kernel the notebooks name: ipykernel's standard one, on every Jupyter

_PACKAGE = Path(__file__).resolve().parent


def _data(name: str) -> Path:
    packaged = _PACKAGE / "data" / name
    return packaged if packaged.is_dir() else _PACKAGE.parents[1] / name


def content_dir() -> Path:
    return Path(os.environ.get(CONTENT_ENV) or _data("content"))


def notebooks_dir() -> Path:
    return Path(os.environ.get(NOTEBOOKS_ENV) or _data("notebooks"))


def examples_dir() -> Path:
    return _data("examples")


def demo_cohort_dir() -> Path:
    """The sample cohort that comes with the course (answers files of made-up participants)."""
    return examples_dir() / "cohort"


def source_language(content: Path | None = None) -> str:
    """The language the course is written in: `source_language` in content/course.yml (the content's check,
    course/content.py, says plainly when it is missing or not a language of the course)."""
    return _source_language((content or content_dir()).resolve())


@lru_cache(maxsize=4)
def _source_language(content: Path) -> str:
    import yaml

    try:
        data = yaml.load((content / "course.yml").read_text(encoding="utf-8"),
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError):
        return ""
    return str(data.get("source_language") or "") if isinstance(data, dict) else ""


def language_folder(base: Path, lang: str) -> Path:
    """The source language's notebooks sit in `base`, each translation's in `base`/<lang>/: the course's
    notebooks/ and a participant's copy alike."""
    return base if lang == source_language() else base / lang


def notebooks_for(lang: str) -> Path:
    return language_folder(notebooks_dir(), lang)


def course_root(start: Path | None = None) -> Path | None:
    """The course folder a notebook runs in: the nearest folder above it that holds COURSE_MARKER."""
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if (folder / COURSE_MARKER).is_file()), None)


def cache_dir() -> Path | None:
    """The user's cache for this course (charts already drawn); None when turned off.
    Kept in the user's own cache folder: a chart holds their answers, so the folder is theirs alone."""
    value = os.environ.get(CACHE_ENV, "")
    if value == "off":
        return None
    if value:
        return Path(value)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lederkurs"


def default_answers_dir() -> Path:
    """answers/ in the course folder (visible in JupyterLab's file browser); an env var overrides it."""
    if os.environ.get(ANSWERS_ENV):
        return Path(os.environ[ANSWERS_ENV])
    return (course_root() or Path.cwd()) / "answers"
