"""Real papermill runs with real kernels: read-only views from saved answers, and bad parameters."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import papermill
import pytest

from lederkurs.answers.store import AnswerStore

from helpers import REPO

pytestmark = [pytest.mark.kernel]

HOSTILE = "<script>alert('x')</script> **fet** & <b>ikke fet</b>\nlinje 2 😀"


def _run(name: str, out: Path, **parameters) -> dict:
    papermill.execute_notebook(str(REPO / "notebooks" / name), str(out), parameters=parameters,
                               kernel_name="python3", progress_bar=False, cwd=str(REPO / "notebooks"))
    return json.loads(out.read_text(encoding="utf-8"))


def _html_outputs(nb: dict) -> str:
    return "\n".join("".join(o.get("data", {}).get("text/html", ""))
                     for c in nb["cells"] for o in c.get("outputs", []))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def kari(answers_dir: Path) -> Path:
    store = AnswerStore(answers_dir, "kari")
    store.set_answer("brobygger.relasjoner", HOSTILE)
    store.set_answer("resultat.gevinster", "Vi måler gevinster kvartalsvis.")
    store.set_focus("veiledning", 2, 8)
    store.set_focus("detaljer", 8, 3)
    store.set_focus("egen-1", 3, 7, "Samarbeid med brukerne")
    return answers_dir


def test_summary_in_read_only_batch_run_shows_saved_answers_and_chart(kari: Path, tmp_path: Path) -> None:
    before = _snapshot(kari)
    nb = _run("09-oppsummering.ipynb", tmp_path / "09.ipynb", participant="kari", answers_dir=str(kari),
              read_only=True)
    html = _html_outputs(nb)
    answers = [unescape(t) for t in re.findall(r'<div class="lk-answer">(.*?)</div>', html, flags=re.S)]
    assert HOSTILE in answers  # escaped in the page, intact once unescaped
    assert "<script>alert" not in html and "<b>ikke fet" not in html
    assert "Vi måler gevinster kvartalsvis." in html
    assert "Totalt: 2 av 18 spørsmålsgrupper besvart." in html
    assert 'src="data:image/png;base64,' in html
    assert "2 flytter seg slik veilederen beskriver (Veiledning av andre, Detaljer i arbeidsprosessene)" in html
    assert "application/vnd.jupyter.widget-view+json" not in json.dumps(nb)  # no widget JS needed to view it
    assert _snapshot(kari) == before  # read-only wrote nothing


def test_focus_notebook_in_batch_run_draws_from_saved_answers(kari: Path, tmp_path: Path) -> None:
    nb = _run("04-overgang.ipynb", tmp_path / "04.ipynb", participant="kari", answers_dir=str(kari),
              read_only=True)
    html = _html_outputs(nb)
    assert html.count('src="data:image/png;base64,') == 1  # the participant's chart, from the saved answers
    assert "1 er et eget område (Samarbeid med brukerne)" in html


@pytest.mark.parametrize("parameters, message", [
    ({"participant": "../../etc/passwd"}, "Deltakernavnet «../../etc/passwd» kan ikke brukes"),
    ({"lang": "sv"}, "Språket «sv» finnes ikke i kurset"),
    ({"read_only": "kanskje"}, "Parameteren «read_only» må være True eller False"),
])
def test_wrong_papermill_parameter_fails_with_a_plain_message(parameters: dict, message: str, answers_dir: Path,
                                                              tmp_path: Path) -> None:
    with pytest.raises(papermill.PapermillExecutionError) as err:
        _run("01-brobygger.ipynb", tmp_path / "out.ipynb", answers_dir=str(answers_dir), **parameters)
    assert message in str(err.value)
    assert not any(tmp_path.parent.glob("etc"))
