"""The cohort notebook's controls (no kernel needed to drive them): the folders offered, names only after
consent, refresh reading the folder again; the private folder for the service's shares."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from lederkurs.course.content import load_course
from lederkurs.trainer.cohort import read_cohort
from lederkurs.trainer.folders import answers_folders, shared_folder

from helpers import DEMO

if TYPE_CHECKING:
    from lederkurs.trainer.view import CohortView


def _course_folder(tmp_path: Path) -> Path:
    root = tmp_path / "kurs"
    (root / "svarfiler").mkdir(parents=True)
    (root / ".lederkurs").write_text("{}", encoding="utf-8")
    for name in ("kari", "ola"):
        shutil.copy(DEMO / f"{name}.json", root / "svarfiler" / f"{name}.json")
    (root / "answers").mkdir()
    shutil.copy(DEMO / "nina.json", root / "answers" / "nina.json")
    (root / ".skjult").mkdir()
    (root / ".skjult" / "x.json").write_text("{}", encoding="utf-8")
    (root / "notater").mkdir()
    (root / "notater" / "tekst.txt").write_text("", encoding="utf-8")
    (root / "lenke").symlink_to(tmp_path)  # a link out of the course folder is not followed
    (tmp_path / "utenfor.json").write_text("{}", encoding="utf-8")
    return root


def _cohort_view(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, CohortView]:
    """The course folder as the trainer's working folder, and the cohort view of its «svarfiler» (kari and ola,
    each with two rounds)."""
    from lederkurs.trainer.view import CohortView

    root = _course_folder(tmp_path)
    monkeypatch.chdir(root)
    folder = root / "svarfiler"
    return root, folder, CohortView(load_course("nb"), read_cohort(folder), False, live=True)


def test_only_folders_inside_the_course_folder_with_answers_files_are_offered(tmp_path: Path) -> None:
    root = _course_folder(tmp_path)
    assert [p.relative_to(root).as_posix() for p in answers_folders(root)] == ["answers", "svarfiler"]


def test_the_shares_folder_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDERKURS_CACHE_DIR", str(tmp_path / "cache"))
    folder = shared_folder()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_names_need_consent_and_refresh_reads_the_folder_again(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from lederkurs.trainer.controls import CohortControls

    root, folder, view = _cohort_view(tmp_path, monkeypatch)
    view.cohort_answers()
    controls = CohortControls(view, folder, "nb")
    labels = [label for label, _ in controls.folder.options]
    assert labels[0] == "Eksempelkullet (oppdiktede deltakere)" and "svarfiler" in labels and "answers" in labels
    assert controls.names.disabled and "Deltaker 1" in view.blocks["cohort_answers"].value
    controls.consent.value = True
    assert not controls.names.disabled and not view.show_names
    controls.names.value = True
    assert view.show_names and '<p class="lk-who">kari</p>' in view.blocks["cohort_answers"].value
    controls.consent.value = False  # taking consent back takes the names away
    assert not controls.names.value and not view.show_names
    assert '<p class="lk-who">kari</p>' not in view.blocks["cohort_answers"].value
    doc = json.loads((DEMO / "siri.json").read_text(encoding="utf-8"))
    (folder / "siri.json").write_text(json.dumps(doc), encoding="utf-8")
    controls.refresh_button.click()
    assert view.n == 3 and "Viser 3 deltakere fra «svarfiler»." in controls.said.value
    controls.folder.value = str(root / "answers")
    assert view.n == 1


def test_the_trainer_chooses_the_two_rounds_whose_shift_is_shown(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from lederkurs.trainer.controls import CohortControls

    root, folder, view = _cohort_view(tmp_path, monkeypatch)
    controls = CohortControls(view, folder, "nb")
    view.cohort_rounds()
    chooser = view.rounds_chooser
    assert chooser.layout.display == "flex"
    assert (chooser.first.description, chooser.second.description) == ("Fra runde", "Til runde")
    assert [v for _, v in chooser.first.options] == [1, 2] and (chooser.first.value, chooser.second.value) == (1, 2)
    block = view.blocks["cohort_rounds"]
    forward = block.value
    assert "fra runde 1 til runde 2" in forward
    chooser.first.value = 2  # 2 → 2: the same round twice is not a shift
    assert "velg to forskjellige runder" in block.value
    chooser.second.value = 1  # 2 → 1: the table turned round, in place
    assert "fra runde 2 til runde 1" in block.value and view.blocks["cohort_rounds"] is block
    assert view.rounds_shown == (2, 1)
    controls.folder.value = str(root / "answers")  # nina alone still has two rounds: the choice stands
    assert "fra runde 2 til runde 1" in block.value
    (root / "enrunde").mkdir()
    doc = json.loads((DEMO / "siri.json").read_text(encoding="utf-8"))  # one round only
    (root / "enrunde" / "siri.json").write_text(json.dumps(doc), encoding="utf-8")
    view.show(root / "enrunde", False)
    assert chooser.layout.display == "none" and "Ingen i kullet har mer enn én runde" in block.value
    view.show(folder, False)  # back to two rounds: first → last again
    assert chooser.layout.display == "flex" and (chooser.first.value, chooser.second.value) == (1, 2)
    assert "fra runde 1 til runde 2" in block.value


def test_the_controls_say_where_they_work_where_no_widget_can_be_drawn(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A cohort notebook run by papermill and read later: the controls' plain text is a sentence, not a repr."""
    from lederkurs.trainer.controls import CohortControls

    _root, folder, view = _cohort_view(tmp_path, monkeypatch)
    controls = CohortControls(view, folder, "nb")
    view.cohort_rounds()
    for widget in (controls, view.rounds_chooser):
        assert widget._repr_mimebundle_()["text/plain"].startswith("Valgene (svarmappe, navn, oppdater) vises")
