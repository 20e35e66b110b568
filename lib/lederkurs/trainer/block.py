"""One block of the cohort view: a widget whose HTML the controls change in place."""

from __future__ import annotations

from typing import Any

import ipywidgets as w


class Block(w.HTML):
    """One block of the cohort view, changed in place; its HTML also stands as the output's text/html, so a
    notebook saved with it (papermill run by hand) shows it where no widget can be drawn."""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/html"] = self.value
        return bundle
