"""Leder for ledere: a notebook course built on DFØ's guide.

Layers, imports pointing only downwards (tests/test_layers.py keeps it so):

    cli, build, copy_course the `lederkurs` command; content -> notebooks; a participant's own copy
    notebook | trainer      what participants' cells call | batch rendering and the cohort view
    reports                 HTML (Jinja2 templates), personal reports and their formats
    charts                  focus-shift data and matplotlib drawings of it
    answers                 the answers file format, the locked atomic store, merging an upload
    course                  content model, blocks, languages, message catalogue, parameter checks
    errors, paths, files, text, theme

Importing the package stays cheap: heavy modules (matplotlib, ipywidgets) load only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
__all__ = ["start", "start_cohort"]

if TYPE_CHECKING:
    from .notebook.session import Session
    from .trainer.view import CohortView


def start(section: str, **parameters: Any) -> Session:
    """Open one section of the course for a participant (the call every notebook makes)."""
    from .notebook.session import start as _start

    return _start(section, **parameters)


def start_cohort(**parameters: Any) -> CohortView:
    """Open the trainer's view of a cohort (a folder of answers files); anonymous unless show_names."""
    from .trainer.start import start_cohort as _start

    return _start(**parameters)
