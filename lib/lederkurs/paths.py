"""Where the course's files live: content, notebooks and the participants' answers."""

from __future__ import annotations

import os
from pathlib import Path

ANSWERS_ENV = "LEDERKURS_ANSWERS_DIR"
CONTENT_ENV = "LEDERKURS_CONTENT_DIR"
NOTEBOOKS_ENV = "LEDERKURS_NOTEBOOKS_DIR"  # lets tests build into a scratch folder


def repo_root() -> Path:
    """The checkout this package was installed from (pip install -e .)."""
    return Path(__file__).resolve().parents[2]


def content_dir() -> Path:
    return Path(os.environ.get(CONTENT_ENV) or repo_root() / "content")


def notebooks_dir() -> Path:
    return Path(os.environ.get(NOTEBOOKS_ENV) or repo_root() / "notebooks")


def notebooks_for(lang: str, source_language: str = "nb") -> Path:
    """The source language's notebooks sit in notebooks/, each translation's in notebooks/<lang>/."""
    return notebooks_dir() if lang == source_language else notebooks_dir() / lang


def examples_dir() -> Path:
    return repo_root() / "examples"


def default_answers_dir() -> Path:
    """`answers/` at the repo root, visible in JupyterLab's file browser; an env var overrides it."""
    return Path(os.environ.get(ANSWERS_ENV) or repo_root() / "answers")
