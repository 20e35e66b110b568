"""Shared fixtures: a scratch answers folder and a copy of the content that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lederkurs import paths

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO.parent / "shared" / "seed" / "000_36698f2aa4d49666.txt"


@pytest.fixture(autouse=True)
def _isolated_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test writes into the real answers/ folder."""
    folder = tmp_path / "answers"
    monkeypatch.setenv(paths.ANSWERS_ENV, str(folder))
    return folder


@pytest.fixture
def answers_dir(tmp_path: Path) -> Path:
    return tmp_path / "answers"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(REPO / "content", dest)
    return dest
