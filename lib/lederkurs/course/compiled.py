"""The course parsed at build time: `lederkurs build` keeps each language's parsed course and message catalogue
as JSON beside the notebooks (notebooks/.compiled/<lang>.json). A kernel reads that instead of parsing YAML and
Markdown (and importing both parsers) when it was made from exactly the content files there are now; otherwise
it parses them, as before. Drift is caught like the notebooks': `lederkurs build --check`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .. import paths

FORMAT = 1  # the layout of the JSON below; another layout is another fingerprint
FOLDER = ".compiled"


def sources(root: Path, lang: str) -> list[Path]:
    """Every content file one language's course and messages are made from."""
    return [root / "course.yml", *sorted((root / lang).glob("*.md")), root / lang / "course.yml",
            root / lang / "messages.yml"]


def fingerprint(root: Path, lang: str) -> str:
    digest = hashlib.sha256(f"lederkurs-compiled-{FORMAT}-{lang}".encode())
    for path in sources(root, lang):
        data = path.read_bytes() if path.is_file() else b"-"
        digest.update(f"{path.name}:{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def location(lang: str) -> Path:
    return paths.notebooks_dir() / FOLDER / f"{lang}.json"


def load(lang: str, root: Path) -> dict[str, Any] | None:
    """The compiled course of `lang`, if it was made from the content files in `root` as they are."""
    try:
        data = json.loads(location(lang).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("sources") != fingerprint(root, lang):
        return None
    return data


def dumps(lang: str, root: Path, course: dict[str, Any], messages: dict[str, Any]) -> str:
    return json.dumps({"sources": fingerprint(root, lang), "course": course, "messages": messages},
                      ensure_ascii=False, indent=1, sort_keys=True) + "\n"
