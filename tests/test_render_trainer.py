"""The trainer's render, as he uses it: names only with consent, who is who, progress, links back, pages of a
withdrawn share removed, and a folder with nothing to render. Real renders (papermill, real kernels)."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from helpers import DEMO, lederkurs

pytestmark = [pytest.mark.kernel]


def _cohort(folder: Path) -> Path:
    """Three demo participants; Kari has given her name; a copy of Ola's file under another file name."""
    folder.mkdir(parents=True)
    for name in ("kari", "ola", "nina"):
        shutil.copy(DEMO / f"{name}.json", folder / f"{name}.json")
    kari = json.loads((folder / "kari.json").read_text(encoding="utf-8"))
    kari["name"] = "Kari Nordmann"
    (folder / "kari.json").write_text(json.dumps(kari, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def named_render(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("trainer")
    answers = _cohort(base / "svar")
    out = base / "ut"
    result = lederkurs("render", "--answers", str(answers), "--out", str(out), "--names", "--samtykke",
                       "--notebooks", "01,09", "--format", "docx", "--jobs", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    return answers, out


def test_names_are_refused_without_consent(tmp_path: Path) -> None:
    result = lederkurs("render", "--demo", "--out", str(tmp_path / "ut"), "--names")
    assert result.returncode == 2
    assert "bekreft det med --samtykke" in result.stderr
    assert not (tmp_path / "ut").exists()


def test_the_named_cohort_page_puts_each_name_in_its_answers_box(named_render) -> None:
    _, out = named_render
    html = (out / "kull.html").read_text(encoding="utf-8")
    assert "3 deltakere. Navn vises ved hvert svar: deltakerne har samtykket." in html
    # (nbconvert orders the attributes): the box's name, the name on top, then the answer, in one box
    boxes = re.findall(r'<section aria-label="([^"]*)" class="lk-said"><p class="lk-who">(.*?)</p>'
                       r'<div class="lk-answer">', html)
    assert boxes and all(label == who for label, who in boxes)
    assert {unescape(who) for _, who in boxes} == {"Kari Nordmann (kari)", "ola", "nina"}
    assert "Deltaker 1" not in html


def test_the_index_shows_names_progress_and_report_titles(named_render) -> None:
    _, out = named_render
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Kari Nordmann (kari)</td>" in index
    assert "svart på 2 av 18" in index and "svart på 1 av 18" in index  # in the round in use (the demo: March)
    assert "Kulloversikt med navn (deltakerne har samtykket)" in index
    assert ">Rapport (Word)</a>" in index and "-rapport.docx</a>" not in index


def test_every_page_links_back_to_the_index(named_render) -> None:
    _, out = named_render
    page = (out / "kari" / "09-oppsummering.html").read_text(encoding="utf-8")
    assert page.count('<a href="../index.html">← Til oversikten over kullet (index.html)</a>') == 2
    assert '<a href="index.html">' in (out / "kull.html").read_text(encoding="utf-8")


def test_pages_hold_nothing_their_reader_cannot_act_on(named_render) -> None:
    _, out = named_render
    page = (out / "kari" / "09-oppsummering.html").read_text(encoding="utf-8")
    assert "laste ned svarene" not in page and "laste den opp" not in page and "gå tilbake" not in page
    first = (out / "kari" / "01-brobygger.html").read_text(encoding="utf-8")
    assert "Ta med deg svarene" not in first and "Ja, men det har ikke kommet av seg selv." in first
    kull = (out / "kull.html").read_text(encoding="utf-8")
    assert "answers_dir" not in kull and "show_names" not in kull and "Denne notatboken" not in kull
    assert "Oppdater" not in kull and "Svarmappe" not in kull  # the controls are for the live notebook


def test_pages_of_a_withdrawn_share_are_removed_and_named(named_render, tmp_path: Path) -> None:
    answers, first = named_render
    out = tmp_path / "ut"
    shutil.copytree(first, out)
    folder = tmp_path / "svar"
    shutil.copytree(answers, folder)
    (folder / "nina.json").unlink()  # she withdrew her share
    result = lederkurs("render", "--answers", str(folder), "--out", str(out), "--jobs", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    assert not (out / "nina").exists() and (out / "kari").is_dir()
    assert "Fjernet sidene til deltakere som ikke lenger er i svarmappen: nina" in result.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Fjernet siden forrige gjengivelse" in index and "nina: svarfilen er ikke lenger i svarmappen" in index
    # the next render has nothing more to remove
    again = lederkurs("render", "--answers", str(folder), "--out", str(out), "--jobs", "2", "--quiet")
    assert "Fjernet" not in again.stdout
    assert "Fjernet siden forrige gjengivelse" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_folder_with_nothing_to_render_fails_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "tom").mkdir()
    result = lederkurs("render", "--answers", str(tmp_path / "tom"), "--out", str(tmp_path / "ut"))
    assert result.returncode == 1
    assert "Fant ingen svarfiler å gjengi i «" in result.stderr and "--demo" in result.stderr
    assert "Ferdig" not in result.stdout


def test_the_render_writes_into_the_course_folder_by_default(tmp_path: Path) -> None:
    course = tmp_path / "kurs"
    (course / "notater").mkdir(parents=True)
    (course / ".lederkurs").write_text("{}", encoding="utf-8")
    answers = _cohort(tmp_path / "svar")
    for name in ("ola", "nina"):
        (answers / f"{name}.json").unlink()
    result = lederkurs("render", "--answers", str(answers), "--quiet", cwd=course / "notater")
    assert result.returncode == 0, result.stderr
    assert (course / "gjengitt" / "index.html").is_file() and (course / "gjengitt" / "kari").is_dir()
