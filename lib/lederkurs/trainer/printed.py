"""An executed notebook made fit to be read as a page by someone who cannot act in it (a render's page):
paragraphs the content marks as for the live notebook only (a line `<!-- live-only -->` before them, for
instructions such as «last ned» or «gå tilbake og fyll ut») are left out, and so is a heading whose section
shows nothing (the take-away heading of a read-only notebook, whose download link is not there)."""

from __future__ import annotations

import re
from typing import Any

LIVE_ONLY = "<!-- live-only -->"
_HEADING_ONLY = re.compile(r"^#{1,6} [^\n]*$")


def _without_live_only(text: str) -> str:
    kept = [p for p in re.split(r"\n\s*\n", text) if not p.lstrip().startswith(LIVE_ONLY)]
    return "\n\n".join(kept)


def _shows_nothing(cell: Any) -> bool:
    """A code cell whose outputs hold no text and no picture (an empty HTML output, or none)."""
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if output.get("output_type") == "stream" and output.get("text", "").strip():
            return False
        if any(str("".join(v) if isinstance(v, list) else v).strip() for k, v in data.items()
               if k != "text/plain"):
            return False
    return True


def printable(nb: Any) -> Any:
    """`nb` (an executed notebook) with what its page's reader cannot act on left out; changed in place."""
    cells = nb.cells
    keep = []
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown":
            cell.source = _without_live_only(cell.source)
            if not cell.source.strip():
                continue
            following = cells[i + 1] if i + 1 < len(cells) else None
            if _HEADING_ONLY.match(cell.source.strip()) and following is not None \
                    and following.cell_type == "code" and _shows_nothing(following):
                continue
        keep.append(cell)
    nb.cells = keep
    return nb
