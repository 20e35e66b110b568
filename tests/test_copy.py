"""`lederkurs copy` writes by a rename and follows no link in the target folder."""

from __future__ import annotations

import os
from pathlib import Path

from lederkurs.copy_course import copy_course

FIRST = "00-innledning.ipynb"


def _elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "annet-sted"
    folder.mkdir()
    (folder / "viktig.txt").write_text("urørt", encoding="utf-8")
    return folder


def test_a_dangling_link_where_a_notebook_belongs_is_replaced_not_followed(tmp_path: Path) -> None:
    elsewhere = _elsewhere(tmp_path)
    folder = tmp_path / "kurs"
    folder.mkdir()
    (folder / FIRST).symlink_to(elsewhere / "ny.ipynb")  # points to nothing yet
    result = copy_course(folder, ["nb"])
    assert not (elsewhere / "ny.ipynb").exists()
    assert not (folder / FIRST).is_symlink() and (folder / FIRST).stat().st_size > 0
    assert folder / FIRST in result.copied



def test_an_older_copy_hard_linked_elsewhere_is_replaced_not_written_through(tmp_path: Path) -> None:
    import hashlib
    import json

    elsewhere = _elsewhere(tmp_path)
    folder = tmp_path / "kurs"
    copy_course(folder, ["nb"])
    target = folder / FIRST
    older = b'{"cells": [], "an": "older course version"}'
    target.write_bytes(older)
    marker = json.loads((folder / ".lederkurs").read_text(encoding="utf-8"))
    marker["copied"][FIRST] = hashlib.sha256(older).hexdigest()  # as the copy left it
    (folder / ".lederkurs").write_text(json.dumps(marker), encoding="utf-8")
    os.link(target, elsewhere / "kopi.ipynb")
    result = copy_course(folder, ["nb"])
    assert target in result.updated
    assert (elsewhere / "kopi.ipynb").read_bytes() == older
    assert target.read_bytes() != older


def test_a_language_folder_or_answers_folder_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    elsewhere = _elsewhere(tmp_path)
    folder = tmp_path / "kurs"
    folder.mkdir()
    (folder / "nn").symlink_to(elsewhere)
    (folder / "answers").symlink_to(elsewhere)
    copy_course(folder, ["nn"])
    assert sorted(p.name for p in elsewhere.iterdir()) == ["viktig.txt"]
    assert (folder / "nn").is_dir() and not (folder / "nn").is_symlink() and list((folder / "nn").glob("*.ipynb"))
    assert not (folder / "answers").is_symlink()


def test_a_fifo_where_a_notebook_belongs_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "kurs"
    folder.mkdir()
    os.mkfifo(folder / FIRST)
    result = copy_course(folder, ["nb"])  # would block for ever if it were read
    assert folder / FIRST in result.kept
