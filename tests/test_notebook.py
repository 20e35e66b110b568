"""What a notebook's cells call: parameters checked in plain Norwegian, read-only views escaped."""

from __future__ import annotations

from pathlib import Path

import pytest

from lederkurs import start
from lederkurs.answers.store import AnswerStore
from lederkurs.course.languages import available_languages
from lederkurs.errors import Shown

LANGUAGES = ", ".join(available_languages())


@pytest.mark.parametrize("kwargs, message", [
    ({"participant": "../ola"}, "Deltakernavnet «../ola» kan ikke brukes"),
    ({"read_only": "ja"}, "Parameteren «read_only» må være True eller False"),
    ({"lang": "xx"}, f"Språket «xx» finnes ikke i kurset. Tilgjengelige språk: {LANGUAGES}"),
    ({"participant": 42}, "Parameteren «participant» må være tekst"),
])
def test_bad_parameters_get_a_plain_message(kwargs: dict, message: str, answers_dir: Path) -> None:
    args = {"participant": "kari", "answers_dir": str(answers_dir), **kwargs}
    with pytest.raises(Shown) as err:
        start("01", **args)
    assert message in str(err.value)
    assert err.value._render_traceback_() == [str(err.value)]


@pytest.mark.parametrize("kwargs, message", [
    ({"show_names": "ja"}, "Parameteren «show_names» må være True eller False, ikke «ja»"),
    ({"answers_dir": 3}, "Parameteren «answers_dir» må være tekst, ikke «3»"),
    ({"lang": "xx"}, f"Språket «xx» finnes ikke i kurset. Tilgjengelige språk: {LANGUAGES}"),
    ({"lang": "en", "show_names": 1}, "The parameter “show_names” must be True or False"),
])
def test_the_trainers_notebook_checks_its_parameters_the_same_way(kwargs: dict, message: str) -> None:
    from lederkurs.trainer.start import start_cohort

    with pytest.raises(Shown) as err:
        start_cohort(**kwargs)
    assert message in str(err.value)
    assert err.value._render_traceback_() == [str(err.value)]


def test_read_only_needs_an_existing_answers_folder(tmp_path: Path) -> None:
    with pytest.raises(Shown, match="Fant ikke svarmappen"):
        start("09", participant="kari", answers_dir=str(tmp_path / "finnes-ikke"), read_only=True)
    assert not (tmp_path / "finnes-ikke").exists()


def test_read_only_shows_answers_as_escaped_html(answers_dir: Path) -> None:
    AnswerStore(answers_dir, "kari").set_answer("brobygger.relasjoner", "<script>alert(1)</script>\nlinje to")
    kurs = start("01", participant="kari", answers_dir=str(answers_dir), read_only=True)
    html = kurs.question("brobygger.relasjoner").data
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\nlinje to" in html
    assert "Har du et aktivt forhold til relasjonsbygging?" not in html  # the Markdown cell above has it


def test_summary_lists_every_section_with_progress(answers_dir: Path) -> None:
    store = AnswerStore(answers_dir, "kari")
    store.set_answer("barken.skvis", "Ja, ofte.")
    store.set_answer("barken.buffer", "Som en støtdemper.")
    html = start("09", participant="kari", answers_dir=str(answers_dir), read_only=True).summary().data
    assert "Totalt: 2 av 18 spørsmålsgrupper besvart." in html
    assert "2 av 3 spørsmålsgrupper besvart" in html and "0 av 1 spørsmålsgruppe besvart" in html
    assert "Som en støtdemper." in html and html.count("Ikke besvart.") == 16
    assert "<h2>08 Resultatkompetanse – realiser gevinster</h2>" in html
    assert 'alt="Du har ikke plassert deg på noen områder ennå."' in html


def test_answers_location_tells_where_the_file_is(answers_dir: Path) -> None:
    html = start("00", participant="kari", answers_dir=str(answers_dir)).answers_location().children[0].value
    assert str(answers_dir / "kari.json") in html and "ikke lagret noen svar" in html


def test_default_participant_comes_from_the_environment(answers_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("LEDERKURS_PARTICIPANT", "hub-bruker")
    kurs = start("01", answers_dir=str(answers_dir))
    assert kurs.store.path == answers_dir / "hub-bruker.json"


def test_a_hub_user_is_the_participant_when_no_name_is_set(answers_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "anna")
    assert start("01", answers_dir=str(answers_dir)).store.participant == "anna"
    monkeypatch.setenv("LEDERKURS_PARTICIPANT", "kari")  # an explicit setting still wins
    assert start("01", answers_dir=str(answers_dir)).store.participant == "kari"


@pytest.mark.parametrize("lang, message", [
    ("nb", "Deltakernavnet «../ola» kan ikke brukes"),
    ("nn", "Deltakarnamnet «../ola» kan ikkje brukast"),
    ("en", "The participant name “../ola” cannot be used"),
])
def test_errors_speak_the_notebooks_language(lang: str, message: str, answers_dir: Path) -> None:
    with pytest.raises(Shown) as err:
        start("01", participant="../ola", answers_dir=str(answers_dir), lang=lang)
    assert message in str(err.value)


def test_importing_the_notebook_modules_changes_no_signal_handler_and_a_session_start_does(answers_dir: Path) -> None:
    """SIGTERM saves what was typed (tests/test_kernel.py) once a session has started; importing does nothing."""
    import subprocess
    import sys

    code = ("import signal\nbefore = signal.getsignal(signal.SIGTERM)\n"
            "import lederkurs.notebook.autosave, lederkurs.notebook.session, lederkurs.notebook.widgets\n"
            "print(signal.getsignal(signal.SIGTERM) is before)\n"
            f"lederkurs.notebook.session.start('01', participant='kari', answers_dir={str(answers_dir)!r})\n"
            "print(signal.getsignal(signal.SIGTERM) is lederkurs.notebook.autosave._on_sigterm)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "True" and out.split()[-1] == "True"
