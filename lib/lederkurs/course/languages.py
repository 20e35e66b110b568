"""The course's languages: one folder per language under content/, each with its own course.yml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import paths
from ..errors import ParameterError


def available_languages(root: Path | None = None) -> list[str]:
    root = root or paths.content_dir()
    return sorted(p.parent.name for p in root.glob("*/course.yml"))


def check_language(lang: Any, root: Path | None = None) -> str:
    """`lang` if the course exists in it; ParameterError (listing the languages there are) otherwise."""
    langs = available_languages(root)
    if not isinstance(lang, str) or lang not in langs:
        raise ParameterError("error_unknown_language", lang=lang, available=", ".join(langs))
    return lang
