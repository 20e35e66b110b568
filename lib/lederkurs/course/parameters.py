"""A notebook's papermill parameters, checked the same way in the participants' and the trainers' notebooks.

The checks raise errors with keys (the expected type is a key too); `opened` words any error of ours in the
notebook's language and shows it without a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from .. import paths
from ..errors import LederkursError, ParameterError, Shown
from .languages import check_language
from .messages import describe

T = TypeVar("T")


def check_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ParameterError("error_parameter_type", name=name, expected=LederkursError("type_bool"), value=value)
    return value


def check_text(name: str, value: object) -> str | os.PathLike[str]:
    """Text or a path (a folder or a name)."""
    if not isinstance(value, (str, os.PathLike)):
        raise ParameterError("error_parameter_type", name=name, expected=LederkursError("type_text"), value=value)
    return value


def opened(lang: object, open_notebook: Callable[[str], T]) -> T:
    """`open_notebook(lang)` once `lang` is known to exist; an error of ours reaches the reader as words
    (in the source language when the language itself is wrong); no language is the source language."""
    try:
        checked = check_language(paths.source_language() if lang is None else lang)
    except ParameterError as e:
        raise Shown(describe(e, paths.source_language())) from None
    try:
        return open_notebook(checked)
    except LederkursError as e:
        raise Shown(describe(e, checked)) from None
