"""Leder for ledere: a notebook course built on DFØ's guide.

Importing the package stays cheap: heavy modules (matplotlib, ipywidgets) load only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["start", "start_cohort"]

if TYPE_CHECKING:
    from .cohort_view import CohortSession
    from .notebook import Session


def start(section: str, participant: str = "", answers_dir: str = "", read_only: Any = False,
          lang: str = "nb") -> "Session":
    """Open one section of the course for a participant (the call every notebook makes)."""
    from .notebook import start as _start

    return _start(section, participant, answers_dir, read_only, lang)


def start_cohort(answers_dir: str = "", show_names: Any = False, lang: str = "nb") -> "CohortSession":
    """Open the trainers' view of a cohort (a folder of answers files); anonymous unless show_names."""
    from .cohort_view import start_cohort as _start

    return _start(answers_dir, show_names, lang)
