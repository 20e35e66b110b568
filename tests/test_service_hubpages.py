"""The hub's own pages in the course's language, and `lederkurs approve`'s list, without a hub (the hub's
side, with real users and a browser, is in tests/test_hub.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lederkurs.errors import LederkursError
from lederkurs.service import hubpages
from lederkurs.service.participants import MAX_LIST_BYTES, MAX_NAMES, parse_names, read_names

from helpers import lederkurs


def test_the_pages_words_come_from_the_course_with_its_name() -> None:
    nb = hubpages.template_vars("nb", min_password=8)
    assert nb["lang"] == "nb" and nb["course_name"]
    t = nb["t"](None)  # JupyterHub calls each callable with the page's user
    assert t("hub_login_heading") == f"Logg inn på «{nb['course_name']}»"
    assert "minst 8 tegn" in t("hub_signup_intro")
    en = hubpages.template_vars("en", min_password=8)["t"](None)
    assert en("hub_login_button") == "Log in"


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Invalid username or password.", "Feil brukernavn eller passord."),
    ("User kari has not been authorized by an administrator yet.", "Du er registrert som kari, men kursholderen"),
    ("Your information has been sent to the admin.", "Registreringen er mottatt"),
    ("Something went wrong!  It appears that this username is already in use. Please try again", "allerede tatt"),
    ("Something else entirely.", "Something else entirely."),  # an unknown sentence stays as it came
])
def test_native_authenticators_sentences_are_worded_in_norwegian(sentence: str, expected: str) -> None:
    native = hubpages.template_vars("nb", min_password=8)["native"](None)
    assert expected in native(sentence)


def test_a_list_of_names_is_read_with_comments_and_its_problems_named(tmp_path: Path) -> None:
    names = parse_names(["kari", "  Ola , per-h  # kommentar", "", "# bare kommentar", "kari", "Kari Nordmann",
                         "../root"])
    assert names.names == ["kari", "ola", "per-h"]
    assert names.problems == [(6, "Kari Nordmann"), (7, "../root")]
    listed = tmp_path / "deltakere.txt"
    listed.write_text("\ufeffanne\nbjorn\n", encoding="utf-8")
    assert read_names(listed).names == ["anne", "bjorn"]
    with pytest.raises(LederkursError) as too_many:
        parse_names([f"d{i}" for i in range(MAX_NAMES + 1)])
    assert too_many.value.key == "approve_too_many"
    big = tmp_path / "stor.txt"
    big.write_bytes(b"a\n" * (MAX_LIST_BYTES // 2 + 1))
    with pytest.raises(LederkursError) as too_large:
        read_names(big)
    assert too_large.value.key == "approve_list_too_large"


def test_approve_sends_nothing_while_a_name_is_unusable(tmp_path: Path) -> None:
    listed = tmp_path / "deltakere.txt"
    listed.write_text("kari\nOla Nordmann\n", encoding="utf-8")
    done = lederkurs("approve", "--file", str(listed), env={"JUPYTERHUB_API_TOKEN": "t",
                                                            "JUPYTERHUB_API_URL": "http://127.0.0.1:1/hub/api"})
    assert done.returncode == 2
    assert "linje 2: «Ola Nordmann» kan ikke være et brukernavn" in done.stderr
    assert "Ingenting er sendt til huben" in done.stderr and "Traceback" not in done.stderr
    outside = lederkurs("approve", "kari", env={"JUPYTERHUB_API_TOKEN": "", "JUPYTERHUB_API_URL": ""})
    assert outside.returncode == 2 and "Traceback" not in outside.stderr and outside.stderr.strip()
