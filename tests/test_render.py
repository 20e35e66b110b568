"""Trainers' batch rendering with real papermill runs: the demo cohort, hostile files, retries, failures."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lederkurs.course.languages import available_languages

from helpers import DATA, DEMO, lederkurs

pytestmark = [pytest.mark.kernel]  # every test renders with real kernels

HOSTILE = DATA / "hostile"


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def answer_texts(html: str) -> list[str]:
    """The answers as a reader sees them: the text inside each answer box, entities decoded."""
    from html import unescape

    return [unescape(t) for t in re.findall(r'<div class="lk-answer">(.*?)</div>', html, flags=re.S)]


def _no_network_no_script(html: str) -> None:
    assert "<script" not in html.lower()
    assert not re.search(r'(?:src|href)\s*=\s*"(?:https?:)?//', html)


@pytest.fixture(scope="module")
def demo_render(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path_factory.mktemp("render") / "ut"
    result = lederkurs("render", "--answers", str(DEMO), "--out", str(out), "--jobs", "2")
    return result, out


def test_demo_cohort_renders_every_participant(demo_render) -> None:
    result, out = demo_render
    assert result.returncode == 0, result.stderr
    names = sorted(p.stem for p in DEMO.glob("*.json"))
    assert len(names) == 12
    assert "Ferdig: 13 av 13 notatbøker gjengitt for 12 deltakere." in result.stdout
    assert "Gjengir" in result.stderr and "100%" in result.stderr  # the progress bar
    # the progress bar and nothing else: no kernel log line (like "KeyboardInterrupt caught in kernel.")
    assert [line for line in re.split(r"[\r\n]+", result.stderr) if line.strip() and "Gjengir" not in line] == []
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in names:
        page = out / name / "09-oppsummering.html"
        assert page.exists() and (out / name / "09-oppsummering.ipynb").exists()
        assert f">{name}</td>" in index
        html = page.read_text(encoding="utf-8")
        _no_network_no_script(html)
        assert f"Svarene til «{name}»" in html
        assert 'src="data:image/png;base64,' in html  # the focus chart, inline
        assert "kurs = start(" not in html and "participant =" not in html  # code hidden
        assert "Slik starter du" not in html  # navigation cells left out of the report
    assert 'href="kull.html"' in index and 'href="%C3%A5se/09-oppsummering.html"' in index
    assert not (out / ".staging").exists()  # the staging copies are gone


def test_escaped_markup_from_a_demo_answer(demo_render) -> None:
    _, out = demo_render
    html = (out / "mohammed" / "09-oppsummering.html").read_text(encoding="utf-8")
    assert "<b>mye</b>" not in html
    assert any("Vi brukte <b>mye</b> tid på *mål* & resultater" in t for t in answer_texts(html))


def test_cohort_page_is_anonymous(demo_render) -> None:
    """Without --names, each answer stands under a number («Deltaker 3»), never under a name."""
    _, out = demo_render
    html = (out / "kull.html").read_text(encoding="utf-8")
    _no_network_no_script(html)
    assert "12 deltakere. Navn vises ikke: hvert svar står under et nummer («Deltaker 3»)." in html
    assert "Fokusskiftet i kullet, n = 12." in html
    for path in DEMO.glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert f">{doc['participant']}<" not in html and f" {doc['participant']} " not in html
    whos = re.findall(r'<p class="lk-who">(.*?)</p>', html)
    assert whos and all(re.fullmatch(r"Deltaker (1[0-2]|[1-9])", w) for w in whos)
    assert "av 12" in html and "Samtaleguide" in html and "Færrest har svart her" in html
    # nothing the reader of the page cannot act on: no parameters to set
    assert "answers_dir" not in html and "show_names" not in html and "Denne notatboken" not in html


def test_hostile_files_are_skipped_with_reasons_and_nothing_leaves_out(tmp_path: Path) -> None:
    answers = tmp_path / "svar"
    shutil.copytree(HOSTILE, answers)
    out = tmp_path / "ut"
    before = _tree(tmp_path)
    result = lederkurs("render", "--answers", str(answers), "--out", str(out), "--notebooks", "09", "--jobs", "2",
                       cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    skipped = {line.split(":", 1)[0].strip(): line.split(":", 1)[1] for line in result.stderr.splitlines()
               if line.startswith("  ")}
    assert "ikke en .json-fil" in skipped["notater.txt"]
    assert "ikke gyldig JSON" in skipped["broken.json"]
    assert "ikke en svarfil fra dette kurset" in skipped["foreign.json"]
    assert "ikke en svarfil fra dette kurset" in skipped["wrongtype.json"]
    assert "nyere versjon" in skipped["newer.json"]
    assert "deltakernavnet i filen kan ikke brukes" in skipped["evil.json"]
    assert "deltakernavnet i filen kan ikke brukes" in skipped["reserved.json"]  # would be index.html/
    assert "eldre fil for deltaker «kari»: kari.json brukes, fordi den ble lagret sist" in skipped["kari (1).json"]
    # Nothing outside --out; the trainer's own cache may hold the course's compiled templates and parsed
    # content (course/kept.py): no one's answers.
    created = {p for p in _tree(tmp_path) - before
               if p != "cache" and not p.startswith(("cache/templates", "cache/content"))}
    assert all(p.startswith("ut") for p in created), created
    assert not any("evil" in p for p in _tree(tmp_path) - _tree(answers).union({"svar"}) if not p.startswith("svar"))
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["hacker", "kari"]
    kari = (out / "kari" / "09-oppsummering.html").read_text(encoding="utf-8")
    assert "Ja, jeg står ofte i skvis." in kari and "En eldre kopi." not in kari
    html = (out / "hacker" / "09-oppsummering.html").read_text(encoding="utf-8")
    _no_network_no_script(html)
    original = json.loads((HOSTILE / "hacker.json").read_text(encoding="utf-8"))["answers"]
    shown = answer_texts(html)
    for key in ("brobygger.relasjoner", "hatter.roller", "resultat.gevinster"):
        assert original[key]["text"] in shown  # escaped in the page, intact once unescaped
    assert "<img src=x" not in html and "<b>ikke fet" not in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "notater.txt" in index and "Filer som ble hoppet over" in index


@pytest.mark.parametrize("args, message", [
    (["--notebooks", "04,99"], "Notatboken «99» finnes ikke. Velg blant: 00-innledning, 01-brobygger"),
    (["--lang", "xx"], "Språket «xx» finnes ikke i kurset. Tilgjengelige språk: " + ", ".join(available_languages())),
])
def test_unknown_notebook_or_language_is_refused_before_anything_runs(tmp_path: Path, args: list[str],
                                                                        message: str) -> None:
    out = tmp_path / "ut"
    result = lederkurs("render", "--answers", str(DEMO), "--out", str(out), *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_kernel_jupyter_does_not_know_is_refused_before_anything_runs(tmp_path: Path) -> None:
    """As when the course's kernel was never installed: one sentence, not a failed start per participant."""
    out = tmp_path / "ut"
    result = lederkurs("render", "--demo", "--out", str(out), "--kernel", "finnes-ikke")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Fant ikke Jupyter-kjernen «finnes-ikke»" in result.stderr and "make install" in result.stderr
    assert not out.exists()


def test_missing_answers_folder(tmp_path: Path) -> None:
    result = lederkurs("render", "--answers", str(tmp_path / "finnes-ikke"), "--out", str(tmp_path / "ut"))
    assert result.returncode == 2 and "Fant ikke svarmappen" in result.stderr


FLAKY = """
import fcntl, os, sys
with open(os.environ["FLAKY_COUNTER"], "a+") as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    f.seek(0)
    launch = len(f.read()) + 1
    f.write("x")
if str(launch) in os.environ["FLAKY_FAIL"].split(","):
    sys.exit(3)  # this kernel never starts
from ipykernel import kernelapp
kernelapp.launch_new_instance()
"""


def _kernel(tmp_path: Path, name: str, script: str) -> dict:
    """A kernel named `name` that runs `script`; the environment that makes it findable."""
    spec = tmp_path / "jupyter" / "kernels" / name
    spec.mkdir(parents=True)
    (tmp_path / f"{name}.py").write_text(script, encoding="utf-8")
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(tmp_path / f"{name}.py"), "-f", "{connection_file}"],
        "display_name": name, "language": "python"}), encoding="utf-8")
    return {"JUPYTER_PATH": str(tmp_path / "jupyter")}


def _flaky_kernel(tmp_path: Path, fail: str) -> dict:
    return {**_kernel(tmp_path, "flaky", FLAKY), "FLAKY_COUNTER": str(tmp_path / "launches"), "FLAKY_FAIL": fail}


def _two_participants(tmp_path: Path) -> Path:
    answers = tmp_path / "svar"
    answers.mkdir()
    for name in ("kari", "ola"):
        shutil.copy(DEMO / f"{name}.json", answers / f"{name}.json")
    return answers


def test_a_kernel_that_fails_to_start_is_retried(tmp_path: Path) -> None:
    env = _flaky_kernel(tmp_path, fail="1")
    result = lederkurs("render", "--answers", str(_two_participants(tmp_path)), "--out", str(tmp_path / "ut"),
                       "--notebooks", "01", "--jobs", "1", "--kernel", "flaky", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "launches").read_text() == "x" * 4  # 3 jobs, one of them started twice
    assert (tmp_path / "ut" / "kari" / "01-brobygger.html").exists()


def test_one_failing_participant_does_not_stop_the_others(tmp_path: Path) -> None:
    env = _flaky_kernel(tmp_path, fail="1,2,3")  # the first job's kernel never starts
    result = lederkurs("render", "--answers", str(_two_participants(tmp_path)), "--out", str(tmp_path / "ut"),
                       "--notebooks", "01", "--jobs", "1", "--kernel", "flaky", env=env)
    assert result.returncode == 1
    assert "Feilet:" in result.stderr and "kari / 01-brobygger: kjernen startet ikke etter 3 forsøk" in result.stderr
    assert (tmp_path / "ut" / "ola" / "01-brobygger.html").exists()
    assert (tmp_path / "ut" / "kull.html").exists()
    index = (tmp_path / "ut" / "index.html").read_text(encoding="utf-8")
    assert "feilet" in index and "kjernen startet ikke" in index


HANGS_AT_EXIT = """
import atexit, os, signal, sys, time
log = os.environ["HANG_LOG"]

def hang():  # what ipykernel 7.4 sometimes does after a shutdown request: wait on a flush that never comes
    with open(log, "a") as f:
        f.write(f"exit {time.time()}\\n")
    time.sleep(60)

def terminated(*_):
    with open(log, "a") as f:
        f.write(f"sigterm {time.time()}\\n")
    os._exit(0)

signal.signal(signal.SIGTERM, terminated)
atexit.register(hang)
from ipykernel import kernelapp
kernelapp.launch_new_instance()
"""


def test_a_kernel_that_hangs_after_its_shutdown_request_is_ended_within_a_second(tmp_path: Path) -> None:
    log = tmp_path / "kernels.log"
    result = lederkurs("render", "--answers", str(_two_participants(tmp_path)), "--out", str(tmp_path / "ut"),
                       "--notebooks", "01", "--jobs", "1", "--kernel", "hangs",
                       env={**_kernel(tmp_path, "hangs", HANGS_AT_EXIT), "HANG_LOG": str(log)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ut" / "kari" / "01-brobygger.html").exists()
    events = [line.split() for line in log.read_text().splitlines()]
    exits = [float(t) for kind, t in events if kind == "exit"]
    terms = [float(t) for kind, t in events if kind == "sigterm"]
    # Two participants and the cohort page: each kernel that hung after its shutdown request was ended by
    # SIGTERM (after KernelManager.shutdown_wait_time), and the render finished.
    assert len(exits) == len(terms) == 3
    assert all(end <= term for end, term in zip(exits, terms, strict=True))


@pytest.mark.parametrize("lang, expected, report", [
    ("nn", "Svara til «kari», slik dei er lagra.", "kari-refleksjonar.docx"),
    ("en", "Answers from “kari”, as saved.", "kari-reflections.docx"),
])
def test_render_in_another_language_than_the_answers(tmp_path: Path, lang: str, expected: str,
                                                     report: str) -> None:
    answers = tmp_path / "svar"
    answers.mkdir()
    shutil.copy(DEMO / "kari.json", answers / "kari.json")
    out = tmp_path / "ut"
    result = lederkurs("render", "--answers", str(answers), "--out", str(out), "--lang", lang,
                       "--format", "docx", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    html = (out / "kari" / "09-oppsummering.html").read_text(encoding="utf-8")
    assert expected in html and f'<html lang="{lang}">' in html
    answers_now = json.loads((DEMO / "kari.json").read_text(encoding="utf-8"))["answers"]
    assert all(a["text"] in answer_texts(html) for a in answers_now.values())  # her answers of the round in use
    assert (out / "kari" / report).exists()
    assert report in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, words", [
    ("en", ["not an answers file from this course", "not valid JSON", "older file for participant",
            "a newer version of the course", "cannot be used as a file name", "not a .json file"]),
    ("nn", ["ikkje ei svarfil frå dette kurset", "ikkje gyldig JSON", "eldre fil for deltakaren",
            "ein nyare versjon av kurset", "kan ikkje brukast som filnamn", "ikkje ei .json-fil"]),
])
def test_every_reason_a_trainer_reads_is_in_the_chosen_language(tmp_path: Path, lang: str, words: list[str]) -> None:
    """No bokmål leaks into an English or nynorsk render: skip reasons come from the catalogue of --lang."""
    answers = tmp_path / "svar"
    shutil.copytree(HOSTILE, answers)
    result = lederkurs("render", "--answers", str(answers), "--out", str(tmp_path / "ut"), "--notebooks", "01",
                       "--jobs", "2", "--lang", lang)
    assert result.returncode == 1
    for phrase in words:
        assert phrase in result.stderr, phrase
    bokmal = re.compile(r"\b(ikke|filen|deltaker|brukes|mangler|hoppet)\b")
    assert not bokmal.search(result.stderr + result.stdout), bokmal.findall(result.stderr + result.stdout)
    index = (tmp_path / "ut" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in index and not bokmal.search(index)
