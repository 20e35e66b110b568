"""The answer store: round trips, concurrent writers, interrupted writes, unreadable files, names."""

from __future__ import annotations

import json
import multiprocessing
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lederkurs.answers.model import SCHEMA, check_display_name, check_participant, read_answers_file
from lederkurs.answers.store import AnswerStore
from lederkurs.course.messages import describe
from lederkurs.errors import AnswersFileError, ParameterError, SaveError


def test_round_trip_keeps_text_and_scores(answers_dir: Path) -> None:
    store = AnswerStore(answers_dir, "kari")
    store.set_answer("brobygger.relasjoner", "Jeg bygger relasjoner på tvers.\nOg oppover.")
    store.set_focus("veiledning", 3, 8)
    store.set_focus("egen-1", 2, None, "Samarbeid med brukerne")
    again = AnswerStore(answers_dir, "kari").load()
    assert again.answers["brobygger.relasjoner"].text == "Jeg bygger relasjoner på tvers.\nOg oppover."
    assert (again.focus["veiledning"].before, again.focus["veiledning"].now) == (3, 8)
    assert again.focus["egen-1"].label == "Samarbeid med brukerne" and again.focus["egen-1"].now is None
    raw = json.loads((answers_dir / "kari.json").read_text(encoding="utf-8"))
    assert raw["schema"] == SCHEMA and raw["participant"] == "kari"
    # Human-readable: æøå written as themselves, indented.
    store.set_answer("hatter.roller", "blåbærsyltetøy")
    assert "blåbærsyltetøy" in (answers_dir / "kari.json").read_text(encoding="utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_any_text_survives_save_and_load(answers_dir: Path, text: str) -> None:
    store = AnswerStore(answers_dir, "hyp")
    store.set_answer("system.kontekst", text)
    assert AnswerStore(answers_dir, "hyp").load().answers["system.kontekst"].text == text


@pytest.mark.parametrize("text", [
    "æøå ÆØÅ 😀👩🏽‍💼 ∑", "<script>alert('x')</script><b>fet</b>", "x" * 100_000, "\ud800 ensom surrogat",
    "", "  \n\t ", "null", '{"schema": 99}',
])
def test_special_texts_survive(answers_dir: Path, text: str) -> None:
    AnswerStore(answers_dir, "kari").set_answer("brobygger.relasjoner", text)
    assert AnswerStore(answers_dir, "kari").load().answers["brobygger.relasjoner"].text == text


def _writer(folder: str, who: str, count: int) -> None:
    store = AnswerStore(folder, "kari")
    for i in range(count):
        store.set_answer(f"{who}.{i}", f"{who} svar {i}")


def test_two_processes_writing_the_same_participant_lose_nothing(answers_dir: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(answers_dir), who, 60)) for who in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    doc = AnswerStore(answers_dir, "kari").load()
    assert len(doc.answers) == 120
    assert doc.answers["a.59"].text == "a svar 59" and doc.answers["b.0"].text == "b svar 0"


CRASH = """
import os, sys, time
from lederkurs.answers.store import AnswerStore
store = AnswerStore(sys.argv[1], "kari")
def hang(fd):  # the new file is written but not yet renamed into place when the process dies
    print("writing", flush=True)
    time.sleep(60)
os.fsync = hang
store.set_answer("brobygger.relasjoner", "NY TEKST " * 10000)
"""


def _read_line(proc: subprocess.Popen, timeout: float = 30) -> str:
    """One line from a child's stdout, or fail after `timeout` seconds (never hang the test run)."""
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, f"no output from the child within {timeout} s"
    return proc.stdout.readline()


def test_a_crash_mid_write_leaves_the_old_file_whole(answers_dir: Path) -> None:
    AnswerStore(answers_dir, "kari").set_answer("brobygger.relasjoner", "gammel tekst")
    before = (answers_dir / "kari.json").read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", CRASH, str(answers_dir)], stdout=subprocess.PIPE, text=True)
    assert _read_line(proc).strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert (answers_dir / "kari.json").read_bytes() == before
    assert AnswerStore(answers_dir, "kari").load().answers["brobygger.relasjoner"].text == "gammel tekst"
    # The dead writer's lock does not block the next save.
    AnswerStore(answers_dir, "kari").set_answer("hatter.roller", "videre")


@pytest.mark.parametrize("content", [b"{ not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]",
                                     b'{"schema": 1, "participant": "kari", "answers": {"x": 5}}',
                                     b'{"schema": 1, "participant": "ola", "answers": {}}',
                                     b'{"schema": 1, "participant": "kari", "focus": {"a": {"before": 11}}}'])
def test_unreadable_file_is_kept_aside_and_the_participant_told(answers_dir: Path, content: bytes) -> None:
    answers_dir.mkdir(parents=True)
    (answers_dir / "kari.json").write_bytes(content)
    store = AnswerStore(answers_dir, "kari", kept_aside="uleselig")
    assert store.load().answers == {}
    kept = list(answers_dir.glob("kari.uleselig-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert len(store.problems) == 1
    note = describe(store.problems[0], "nb")
    assert "kunne ikke leses" in note and kept[0].name in note
    store.set_answer("brobygger.relasjoner", "ny start")
    assert kept[0].read_bytes() == content  # never overwritten
    assert read_answers_file(answers_dir / "kari.json").answers["brobygger.relasjoner"].text == "ny start"


def test_a_file_from_a_newer_course_is_shown_but_never_changed(answers_dir: Path) -> None:
    answers_dir.mkdir(parents=True)
    newer = json.dumps({"schema": SCHEMA + 1, "participant": "kari", "answers": {}}).encode()
    (answers_dir / "kari.json").write_bytes(newer)
    store = AnswerStore(answers_dir, "kari")
    store.load()
    assert not store.writable
    assert "nyere versjon" in describe(store.problems[0], "nb")
    with pytest.raises(SaveError) as err:
        store.set_answer("brobygger.relasjoner", "x")
    assert "nyere versjon" in describe(err.value, "nb") and "newer version" in describe(err.value, "en")
    assert (answers_dir / "kari.json").read_bytes() == newer


def test_read_only_store_writes_nothing(answers_dir: Path) -> None:
    AnswerStore(answers_dir, "kari").set_answer("brobygger.relasjoner", "tekst")
    before = {p.name: p.read_bytes() for p in answers_dir.iterdir()}
    store = AnswerStore(answers_dir, "kari", read_only=True)
    assert store.load().answers["brobygger.relasjoner"].text == "tekst"
    with pytest.raises(SaveError):
        store.set_answer("brobygger.relasjoner", "endret")
    assert {p.name: p.read_bytes() for p in answers_dir.iterdir()} == before


@pytest.mark.parametrize("name", ["../kari", "a/b", "a\\b", "..", ".skjult", "", "x" * 65, "ka\nri", "<b>", 5,
                                  "kari/../../etc/passwd", "\U0001d504" * 64, "kari.", "CON", "nul.txt"])
def test_unsafe_participant_names_are_refused_in_plain_words(name: object) -> None:
    with pytest.raises(ParameterError) as err:
        check_participant(name)
    assert "kan ikke brukes" in describe(err.value, "nb") and "cannot be used" in describe(err.value, "en")


@pytest.mark.parametrize("name", ["kari", "Kari Nordmann", "ola.normann", "Åse-Marit_2", "per@dfo"])
def test_ordinary_participant_names_are_accepted(name: str, answers_dir: Path) -> None:
    store = AnswerStore(answers_dir, name)
    store.set_answer("brobygger.relasjoner", "ok")
    assert store.path.parent == answers_dir and store.path.exists()


def test_a_shown_error_has_no_traceback_in_ipython() -> None:
    from lederkurs.errors import Shown

    err = Shown("Noe gikk galt.")
    assert err._render_traceback_() == ["Noe gikk galt."] and str(err) == "Noe gikk galt."


def test_read_only_view_of_an_unreadable_file_leaves_it_alone(answers_dir: Path) -> None:
    answers_dir.mkdir(parents=True)
    (answers_dir / "kari.json").write_bytes(b"{ broken")
    store = AnswerStore(answers_dir, "kari", read_only=True)
    assert store.load().answers == {}
    note = describe(store.problems[0], "nb")
    assert "kunne ikke leses" in note and "ingenting blir endret" in note
    assert [p.name for p in answers_dir.iterdir()] == ["kari.json"]


@pytest.mark.parametrize("name, kept", [("Kari Nordmann", "Kari Nordmann"), ("  Åse \t Marit ", "Åse Marit"),
                                        ("שרה כהן", "שרה כהן"), ("", ""),
                                        ("Kari\nNordmann", "Kari Nordmann"), ("x" * 80, "x" * 80)])
def test_a_display_name_is_kept_beside_the_login(answers_dir: Path, name: str, kept: str) -> None:
    store = AnswerStore(answers_dir, "kari")
    store.set_name(check_display_name(name))
    raw = json.loads((answers_dir / "kari.json").read_text(encoding="utf-8"))
    assert raw["participant"] == "kari" and raw.get("name", "") == kept
    assert ("name" in raw) == bool(kept)  # no name given: none written
    assert AnswerStore(answers_dir, "kari").load().shown_name == (kept or "kari")


@pytest.mark.parametrize("name", ["x" * 81, "Kari\x1b[31m", "Kari\u202eNordmann", 5, None])
def test_a_display_name_out_of_bounds_is_refused(answers_dir: Path, name: object) -> None:
    with pytest.raises(ParameterError) as e:
        check_display_name(name)
    assert "høyst 80 tegn" in describe(e.value, "nb")
    answers_dir.mkdir(exist_ok=True)
    (answers_dir / "kari.json").write_text(json.dumps({"schema": SCHEMA, "participant": "kari", "name": name}))
    with pytest.raises(AnswersFileError):
        read_answers_file(answers_dir / "kari.json")


def test_the_store_never_writes_a_file_its_own_reader_refuses(answers_dir: Path) -> None:
    """A value off the scale (from a crafted message, or a bug) is refused with a plain reason and the file is
    left as it was: written, the next load would set her whole file aside and her answers would vanish."""
    store = AnswerStore(answers_dir, "kari")
    store.set_answer("brobygger.relasjoner", "Mitt svar.")
    before = store.path.read_bytes()
    for bad in (99, -1, True):
        with pytest.raises(SaveError) as caught:
            store.set_focus("veiledning", bad, None)
        assert describe(caught.value, "nb") == "verdien passer ikke i svarfilen, så svarfilen er ikke endret"
    assert store.path.read_bytes() == before
    assert store.load().answers["brobygger.relasjoner"].text == "Mitt svar."
    assert not list(answers_dir.glob("*unreadable*"))
