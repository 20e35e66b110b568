"""Who is who in the cohort view: the name a participant gave, a file whose name inside differs from its file
name, and every file left out named with its reason (not only counted)."""

from __future__ import annotations

import json
import shutil
from html import unescape
from pathlib import Path

from lederkurs.course.content import load_course
from lederkurs.trainer.cohort import read_cohort
from lederkurs.trainer.view import CohortView

from helpers import DEMO


def _folder(base: Path) -> Path:
    """The answers folder: a folder of its own (the test's tmp_path holds its cache too)."""
    (base / "svar").mkdir()
    return base / "svar"


def _write(path: Path, source: str, **changes: object) -> None:
    doc = json.loads((DEMO / source).read_text(encoding="utf-8"))
    doc.update(changes)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_every_file_left_out_and_every_renamed_file_is_named(tmp_path: Path) -> None:
    tmp_path = _folder(tmp_path)
    _write(tmp_path / "kari-hansen.json", "kari.json", participant="root")  # a copy saved as root
    _write(tmp_path / "kari.json", "kari.json", name="Kari Nordmann", updated="2026-11-20T10:00:00+01:00")
    _write(tmp_path / "kari2.json", "ola.json", participant="kari", name="Kari Berg",
           updated="2026-11-10T10:00:00+01:00")  # another Kari, same login name
    (tmp_path / "notater.txt").write_text("x", encoding="utf-8")
    (tmp_path / "ødelagt.json").write_text("{", encoding="utf-8")
    view = CohortView(load_course("nb"), read_cohort(tmp_path), False)
    status = unescape(str(view.status_html()))
    assert "2 deltakere." in status and "3 filer er ikke med. Se hvilke og hvorfor." in status
    assert "kari-hansen.json: deltakeren i filen er «root», ikke det filnavnet sier" in status
    assert "notater.txt: ikke en .json-fil" in status
    assert "ødelagt.json: " in status
    assert ("kari2.json: samme deltakernavn «kari» som kari.json, men navnet i filene er ulikt («Kari Berg» her, "
            "«Kari Nordmann» der)") in status
    named = unescape(str(CohortView(load_course("nb"), read_cohort(tmp_path), True).answers_html()))
    assert '<p class="lk-who">Kari Nordmann (kari)</p>' in named and '<p class="lk-who">root</p>' in named


def test_own_focus_areas_are_counted_and_grouped_when_the_words_recur(tmp_path: Path) -> None:
    tmp_path = _folder(tmp_path)
    for name in ("kari", "ola", "nina"):
        shutil.copy(DEMO / f"{name}.json", tmp_path / f"{name}.json")
    for name, label in (("kari", "Digital transformasjon"), ("ola", "digital  Transformasjon"),
                        ("nina", "Egen helse")):
        doc = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
        doc["focus"]["egen-1"] = {"before": 3, "now": 7, "label": label}
        (tmp_path / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    anonymous = unescape(str(CohortView(load_course("nb"), read_cohort(tmp_path), False).own_html()))
    assert "3 av 3 har lagt til egne fokusområder, 2 ulike områder i alt." in anonymous
    assert "«Digital transformasjon»: valgt av 2" in anonymous and "Egen helse" not in anonymous
    assert "kari" not in anonymous
    named = unescape(str(CohortView(load_course("nb"), read_cohort(tmp_path), True).own_html()))
    assert "«Digital transformasjon»: valgt av 2 – kari, ola" in named and "«Egen helse»: valgt av 1 – nina" in named


def test_an_empty_chart_says_why(tmp_path: Path) -> None:
    tmp_path = _folder(tmp_path)
    _write(tmp_path / "kari.json", "kari.json", focus={})
    html = unescape(str(CohortView(load_course("nb"), read_cohort(tmp_path), False).chart_html()))
    assert "<img" not in html
    assert "Figuren vises ikke: 1 deltaker er med, men har ikke plassert seg på fokusområdene ennå" in html
