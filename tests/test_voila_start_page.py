"""The Voilà start page's course data (jupyter/voila/lederkurs/course.j2) is the course's own: regenerated from
content/ it is the same file (after a change: .venv/bin/python jupyter/voila_start_page.py)."""

from __future__ import annotations

import runpy

from helpers import REPO


def test_start_page_data_is_current() -> None:
    generator = runpy.run_path(str(REPO / "jupyter" / "voila_start_page.py"))
    committed = (REPO / "jupyter" / "voila" / "lederkurs" / "course.j2").read_text(encoding="utf-8")
    assert committed == generator["render"](), "run .venv/bin/python jupyter/voila_start_page.py"
    data = generator["course_data"]()
    assert list(data) == ["", "nn", "en"]
    assert data[""]["title"] == "Leder for ledere"
    files = [f for f, _title in data[""]["notebooks"]]
    assert files[0] == "00-innledning.ipynb" and files[-1] == "09-oppsummering.ipynb"
    assert not any("kursholder" in f for f in files), "the trainer's notebook is not the participants'"
