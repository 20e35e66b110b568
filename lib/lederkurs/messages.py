"""The message catalogue: every string a participant sees that is not course content."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from . import paths


@lru_cache(maxsize=8)
def catalogue(lang: str, root: Path | None = None) -> dict[str, str]:
    path = (root or paths.content_dir()) / lang / "messages.yml"
    with open(path, encoding="utf-8") as f:
        return {str(k): str(v) for k, v in (yaml.safe_load(f) or {}).items()}


def msg(lang: str, key: str, /, **values: object) -> str:
    return catalogue(lang)[key].format(**values)
