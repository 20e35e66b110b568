"""The `lederkurs` command speaks the course's language, argparse's own words included."""

from __future__ import annotations

import pytest

from helpers import lederkurs


def test_help_is_in_bokmal_with_every_option_described() -> None:
    result = lederkurs("render", "-h")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())  # as read, not as wrapped
    assert text.startswith("bruk: lederkurs render")
    assert "valg:" in text and "vis denne hjelpen og avslutt" in text
    assert "usage" not in text and "show this help" not in text and "options:" not in text
    assert "--lang SPRÅK" in text and "nb (bokmål), nn (nynorsk) eller en (engelsk)" in text
    assert "--samtykke, --consent" in text


@pytest.mark.parametrize("args, said", [
    (["render"], "lederkurs render: ett av disse må oppgis: --answers --demo"),
    (["render", "--demo", "--jobs", "mange"], "--jobs: ugyldig verdi 'mange'"),
    (["render", "--demo", "--bogus"], "ukjente argumenter: --bogus"),
    ([], "dette må oppgis: KOMMANDO"),
    (["export", "x.json"], "dette må oppgis: --out"),
])
def test_errors_are_in_bokmal(args: list[str], said: str) -> None:
    result = lederkurs(*args)
    assert result.returncode == 2
    assert said in result.stderr, result.stderr
    assert "bruk: lederkurs" in result.stderr and "error:" not in result.stderr and "required" not in result.stderr


def test_lang_switches_the_commands_own_words() -> None:
    result = lederkurs("render", "--lang", "en", "-h")
    assert result.stdout.startswith("usage: lederkurs render") and "show this help and exit" in result.stdout
