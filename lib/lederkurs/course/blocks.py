"""The blocks a content file may hold (```{name}```): one entry each, checked when content is loaded.

A block is either drawn when the notebook is built (`call` is None) or becomes a one-line cell calling
`call` on the notebook's session: `kurs.<call>()` in a participant's notebook, `kull.<call>()` in the
trainer's. Adding a block is one entry here and one method there (a test checks the methods exist).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NotebookKind = Literal["section", "trainer"]
NAV_TAG = "navigation"  # tag of the cells that explain and link notebooks: left out of rendered pages


@dataclass(frozen=True)
class BlockKind:
    name: str
    call: str | None  # the session method a cell calls; None: drawn at build time
    notebook: NotebookKind  # which notebooks may hold it
    takes_id: bool = False


BLOCK_KINDS: dict[str, BlockKind] = {b.name: b for b in (
    BlockKind("question", "question", "section", takes_id=True),
    BlockKind("focus-guide", None, "section"),
    BlockKind("focus-self", "focus_self", "section"),
    BlockKind("summary", "summary", "section"),
    BlockKind("answers-location", "answers_location", "section"),
    BlockKind("cohort-chart", "cohort_chart", "trainer"),
    BlockKind("cohort-counts", "cohort_counts", "trainer"),
    BlockKind("cohort-rounds", "cohort_rounds", "trainer"),
    BlockKind("cohort-discussion", "cohort_discussion", "trainer"),
    BlockKind("cohort-answers", "cohort_answers", "trainer"),
    BlockKind("workshop", "workshop", "section"),  # the live workshop's invitation (notebook.workshop)
    BlockKind("cohort-workshop", "cohort_workshop", "trainer"),  # the trainer's start/end
)}
