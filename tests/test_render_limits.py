"""A render no participant's file can take down: each job bounded in time and memory, every file written by a
rename, staging folders of a killed render cleaned up. Real renders, real kernels."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from helpers import DEMO, REPO, lederkurs

pytestmark = [pytest.mark.kernel]

HOG_OR_HANG = """
import time
if participant == "kari":  # more memory than a job may have, then wait
    hog = b"x" * (1536 * 2**20)
    time.sleep(600)
if participant == "ola":  # a cell that never ends
    time.sleep(600)
"""


def _participants(tmp_path: Path, *names: str) -> Path:
    answers = tmp_path / "svar"
    answers.mkdir()
    for name in names:
        shutil.copy(DEMO / f"{name}.json", answers / f"{name}.json")
    return answers


def _notebooks_with(tmp_path: Path, file: str, source: str) -> dict[str, str]:
    """The course's notebooks with one more code cell at the end of `file`; the environment that uses them."""
    folder = tmp_path / "notebooks"
    shutil.copytree(REPO / "notebooks", folder)
    nb = nbformat.read(folder / file, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, folder / file)
    return {"LEDERKURS_NOTEBOOKS_DIR": str(folder)}


def test_a_job_over_its_memory_or_time_is_that_participants_named_failure(tmp_path: Path) -> None:
    env = _notebooks_with(tmp_path, "01-brobygger.ipynb", HOG_OR_HANG)
    out = tmp_path / "ut"
    done = lederkurs("render", "--answers", str(_participants(tmp_path, "kari", "ola", "nina")), "--out", str(out),
                     "--notebooks", "01", "--jobs", "2", "--job-seconds", "45", "--job-memory", "800",
                     "--cell-seconds", "600", "--quiet", env=env, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "kari / 01-brobygger: stoppet da den brukte over 800 MB minne" in done.stderr
    assert "ola / 01-brobygger: stoppet etter 45 sekunder" in done.stderr
    assert "Ferdig: 2 av 4 notatbøker gjengitt for 3 deltakere." in done.stdout  # nina and the cohort page
    assert (out / "nina" / "01-brobygger.html").is_file() and (out / "kull.html").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "800 MB" in index and "45 sekunder" in index


def test_a_cell_that_hangs_ends_at_the_cell_timeout(tmp_path: Path) -> None:
    env = _notebooks_with(tmp_path, "01-brobygger.ipynb", 'if participant == "ola":\n    import time\n'
                                                         '    time.sleep(600)\n')
    done = lederkurs("render", "--answers", str(_participants(tmp_path, "ola", "nina")), "--out",
                     str(tmp_path / "ut"), "--notebooks", "01", "--jobs", "2", "--cell-seconds", "5", "--quiet",
                     env=env, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "ola / 01-brobygger: en celle brukte mer enn 5 sekunder og ble stoppet" in done.stderr
    assert (tmp_path / "ut" / "nina" / "01-brobygger.html").is_file()


def test_a_hard_link_inside_out_is_replaced_never_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "annet-sted.ipynb"
    elsewhere.write_text("urørt", encoding="utf-8")
    out = tmp_path / "ut"
    (out / "kari").mkdir(parents=True)
    for name in ("09-oppsummering.ipynb", "09-oppsummering.html"):
        os.link(elsewhere, out / "kari" / name)
    os.link(elsewhere, out / "index.html")
    done = lederkurs("render", "--answers", str(_participants(tmp_path, "kari")), "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    assert elsewhere.read_text(encoding="utf-8") == "urørt" and elsewhere.stat().st_nlink == 1
    assert json.loads((out / "kari" / "09-oppsummering.ipynb").read_text(encoding="utf-8"))["cells"]


def _staging_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("lederkurs-render-*"))


def test_a_render_cleans_up_after_an_earlier_render_that_was_killed(tmp_path: Path) -> None:
    before = _staging_folders()
    proc = subprocess.Popen([sys.executable, "-m", "lederkurs.cli", "render", "--answers", str(DEMO), "--out",
                             str(tmp_path / "ut"), "--jobs", "1", "--quiet"], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed = set()
    while not killed:  # wait until its staging folder holds the answers' copies
        assert proc.poll() is None
        killed = {f for f in _staging_folders() - before if (f / "answers" / "kari.json").exists()}
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)  # the render and its workers: nothing cleans up
    proc.wait()
    assert all(f.is_dir() for f in killed)
    # A folder of a render that still runs (its lock held) is left alone.
    running = Path(tempfile.mkdtemp(prefix="lederkurs-render-"))
    with open(running / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        empty = tmp_path / "tom"
        empty.mkdir()
        done = lederkurs("render", "--answers", str(empty), "--out", str(tmp_path / "ut2"), "--quiet")
        assert done.returncode == 1 and "Fant ingen svarfiler å gjengi" in done.stderr  # nothing to render
        assert not any(f.exists() for f in killed)
        assert running.is_dir()
    shutil.rmtree(running)


def test_a_failure_is_named_on_the_terminal_and_its_traceback_logged_in_out(tmp_path: Path) -> None:
    env = _notebooks_with(tmp_path, "01-brobygger.ipynb",
                          'if participant == "kari":\n    raise RuntimeError("bom \\x1b[2J")\n')
    answers = _participants(tmp_path, "kari", "nina")
    done = lederkurs("render", "--answers", str(answers), "--out", str(tmp_path / "ut"), "--notebooks", "01",
                     "--jobs", "2", "--quiet", env=env, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "kari / 01-brobygger: en celle feilet: bom" in done.stderr
    assert "Traceback" not in done.stderr and "\x1b" not in done.stderr  # the terminal stays quiet
    log = (tmp_path / "ut" / "render.log").read_text(encoding="utf-8")
    assert f"Detaljer om feilene står i {tmp_path / 'ut' / 'render.log'}." in done.stderr
    assert "kari / 01-brobygger" in log and "RuntimeError" in log and "Traceback" in log
    assert "\x1b" not in log and "\\x1b" in log
    again = lederkurs("render", "--answers", str(answers), "--out", str(tmp_path / "ut2"), "--notebooks", "01",
                      "--jobs", "2", "--quiet", "--verbose", env=env, timeout=300)
    assert "RuntimeError" in again.stderr and "Traceback" in again.stderr  # live with --verbose
    assert "\x1b" not in again.stderr
