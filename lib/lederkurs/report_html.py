"""An executed notebook as one self-contained HTML page: no code, no scripts, no network needed to view it."""

from __future__ import annotations

from functools import cache
from html import escape

import nbformat
from nbconvert import HTMLExporter
from traitlets.config import Config

from .build import NAV_TAG

PAGE_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.5;
color:#111;background:#fff}
h1,h2,h3{line-height:1.25}a{color:#0b5394}img{max-width:100%;height:auto}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ccd;padding:0.3em 0.6em;text-align:left}
@media print{body{margin:0;max-width:none}@page{size:A4;margin:18mm}h2,h3{break-after:avoid}
.lk-group,img{break-inside:avoid}}
"""


@cache  # one exporter per process: its templates load once, not once per rendered notebook
def _exporter() -> HTMLExporter:
    config = Config()
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.anchor_link_text = ""
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {NAV_TAG}
    # "basic" renders cells only; the page around them is ours, with no CDN scripts or fonts.
    return HTMLExporter(config=config, template_name="basic")


def page(title: str, body: str, lang: str) -> str:
    """A complete, self-contained HTML page around `body` (already safe HTML)."""
    return (f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{PAGE_CSS}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def notebook_html(nb: nbformat.NotebookNode, title: str, lang: str) -> str:
    body, _ = _exporter().from_notebook_node(nb)
    return page(title, body, lang)
