"""The trainer's notebook opens a cohort here: the view, and in JupyterLab and Voilà the controls above it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from IPython.display import display

from .. import paths
from ..course.content import load_course
from ..course.parameters import check_bool, check_text, opened
from ..errors import ParameterError
from .cohort import read_cohort
from .controls import CohortControls
from .job import RENDER_ENV
from .view import CohortView


def start_cohort(*, answers_dir: Any = "", show_names: Any = False, lang: Any = None) -> CohortView:
    """Open a folder of answers files (the sample cohort when none is given) for the trainer's notebook; in
    JupyterLab and Voilà, with the controls above it (folder, names with consent, refresh)."""
    return opened(lang, lambda checked: _start(answers_dir, show_names, checked))


def _start(answers_dir: Any, show_names: Any, lang: str) -> CohortView:
    show_names, answers_dir = check_bool("show_names", show_names), check_text("answers_dir", answers_dir)
    folder = Path(answers_dir) if answers_dir else paths.demo_cohort_dir()
    if not folder.is_dir():
        raise ParameterError("error_answers_dir_missing", path=folder)
    live = not os.environ.get(RENDER_ENV)
    view = CohortView(load_course(lang), read_cohort(folder), show_names, live)
    if live:
        display(CohortControls(view, folder, lang))
    view.status()
    return view
