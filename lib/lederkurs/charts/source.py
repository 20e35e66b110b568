"""What a chart is drawn from, as one fingerprint: its data, the chart's words in its language, the drawing code
(this folder and the colours), the package's and matplotlib's versions.

Two places ask whether a picture is still right without drawing it: the chart cache (charts/png.py, a key per
picture) and `lederkurs build --check` (the guide's chart in the notebooks). Both use `fingerprint`, so no
change to a word, a colour or a line of drawing code can leave an old picture in either.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .. import __version__, theme
from ..course.messages import catalogue

WORDS = "chart_"  # the message keys a chart draws: chart_* in content/<lang>/messages.yml


def drawing_files() -> list[Path]:
    """The code a picture depends on: every module in charts/, and the colours."""
    return sorted(Path(__file__).parent.glob("*.py")) + [Path(theme.__file__)]


def digest(files: list[Path]) -> str:
    """The files' contents, and the versions of the package and of matplotlib that run them."""
    found = hashlib.sha256(f"lederkurs {__version__} matplotlib {version('matplotlib')}".encode())
    for path in files:
        found.update(path.name.encode() + b"\0" + path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return found.hexdigest()


@lru_cache(maxsize=1)
def drawing_code() -> str:
    return digest(drawing_files())


def words(lang: str) -> dict[str, Any]:
    return {k: v for k, v in catalogue(lang).items() if k.startswith(WORDS)}


def fingerprint(kind: str, lang: str, data: Any) -> str:
    """The same fingerprint means the same picture: `data` is what the caller draws (points, areas, counts)."""
    text = json.dumps([kind, lang, data, words(lang), drawing_code()], ensure_ascii=True, sort_keys=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()
