"""An executed notebook as one self-contained HTML page: no code, no scripts, no network needed to view it."""

from __future__ import annotations

from functools import cache

import nbformat
from markupsafe import Markup
from nbconvert import HTMLExporter
from traitlets.config import Config

from ..course.blocks import NAV_TAG
from .html import render


@cache  # one exporter per process: its templates load once, not once per rendered notebook
def _exporter() -> HTMLExporter:
    config = Config()
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.exclude_anchor_links = True  # an empty <a> after each heading has no accessible name
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {NAV_TAG}
    # "basic" renders cells only; the page around them is ours, with no CDN scripts or fonts.
    return HTMLExporter(config=config, template_name="basic")


def notebook_html(nb: nbformat.NotebookNode, title: str, lang: str, back: str = "") -> str:
    """`back`: a link to the page that lists this one (a render's index.html), shown at the top and bottom."""
    cells, _ = _exporter().from_notebook_node(nb)
    return render("notebook.html.j2", cells=Markup(cells), title=title, lang=lang, body="", back=back)
