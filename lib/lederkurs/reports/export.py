"""`lederkurs export`: a participant's answers file to their personal report, in one or more formats.

The report goes into a folder or to a file; it never replaces its own input or any answers file (*.json),
and a link standing where it is written is replaced, not followed.
"""

from __future__ import annotations

from pathlib import Path

from ..answers.model import check_participant, read_answers_file
from ..course.content import load_course
from ..errors import LederkursError, ParameterError
from ..files import atomic_write
from .formats import FORMATS
from .personal import build_report


def _target(out: Path, name: str, several: bool) -> Path:
    if several or out.is_dir():
        if not out.is_dir():
            if out.exists() or not out.parent.is_dir():
                raise ParameterError("export_out_missing", path=out)
            out.mkdir()
        return out / name
    if not out.parent.is_dir():
        raise ParameterError("export_out_missing", path=out.parent)
    return out


def export(source: Path, formats: list[str], out: Path, lang: str) -> list[Path]:
    """Write the report in each format; return the files written."""
    try:
        doc = read_answers_file(source)
    except (OSError, LederkursError) as e:
        raise ParameterError("export_unreadable", path=source, reason=e) from None
    participant = check_participant(doc.participant)
    report = build_report(load_course(lang), doc)
    chosen = [FORMATS[f] for f in formats or ["html"]]
    written = []
    for fmt in chosen:
        path = _target(out, fmt.file_name(participant, lang), len(chosen) > 1)
        if path.suffix.lower() == ".json" or (path.exists() and path.resolve() == source.resolve()):
            raise ParameterError("export_would_overwrite", path=path)
        try:
            atomic_write(path, fmt.write(report), mode=0o644)
        except OSError as e:
            raise ParameterError("export_write_failed", path=path, reason=e) from None
        written.append(path)
    return written
