"""Installed anywhere: the wheel from `python -m build`, in a new virtualenv, used from an empty folder.

Nothing of the checkout is visible to what runs here: no PYTHONPATH, no LEDERKURS_* settings, a home folder
of its own. The commands a trainer and an agency use must work from the wheel alone, and a participant's
copy of the notebooks must run (papermill and JupyterLab) with answers kept in that copy's answers/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lederkurs import paths

from helpers import REPO

pytestmark = [pytest.mark.install, pytest.mark.kernel]


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    home: Path
    install_seconds: float

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items()
                if not k.startswith(("LEDERKURS_", "JUPYTER", "PYTHON", "VIRTUAL_ENV"))}
        return {**keep, "HOME": str(self.home), "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}"}

    def run(self, *args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(a) for a in args], cwd=cwd, env=self.env(), capture_output=True, text=True,
                              timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("install")
    source = work / "source"  # a clean export of the repository, as a fresh clone would have it
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        if (REPO / rel).is_file():
            (source / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, source / rel)
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(source)],
                           capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel = next((work / "dist").glob("lederkurs-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    start = time.monotonic()
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--constraint",
                          str(REPO / "requirements.lock"), str(wheel)], capture_output=True, text=True, timeout=1200)
    assert pip.returncode == 0, pip.stderr[-3000:]
    home = work / "home"
    home.mkdir()
    yield Installed(wheel, venv, home, time.monotonic() - start)


def test_the_wheel_carries_the_course_and_nothing_of_the_checkout(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    for required in ("lederkurs/data/content/course.yml", "lederkurs/data/content/nn/messages.yml",
                     "lederkurs/data/notebooks/04-overgang.ipynb", "lederkurs/data/notebooks/en/09-oppsummering.ipynb",
                     "lederkurs/data/examples/cohort/kari.json", "lederkurs/reports/templates/page.html.j2",
                     "lederkurs/course/content.py"):
        assert required in names, required
    # The licences: the code's (BSD-3-Clause) and the course text's terms (CONTENT-LICENSE.md).
    licences = sorted(n.rsplit("/", 1)[1] for n in names if ".dist-info/licenses/" in n)
    assert licences == ["CONTENT-LICENSE.md", "LICENSE"]
    # the Voilà page, installed into <prefix>/share/jupyter (pyproject's data-files); no kernel of its own
    assert [n for n in names if n.endswith(".data/data/share/jupyter/voila/templates/lederkurs/index.html.j2")]
    assert not [n for n in names if "/share/jupyter/kernels/" in n]
    assert not [n for n in names if n.startswith(("tests/", "bench/", "lederkurs/data/tests"))]
    print(f"\nwheel {installed.wheel.name}: {installed.wheel.stat().st_size / 1e6:.2f} MB; "
          f"pip install into a new venv: {installed.install_seconds:.0f} s")


def test_trainer_and_agency_commands_work_from_an_empty_folder(installed: Installed, tmp_path: Path) -> None:
    here = tmp_path / "tom"
    here.mkdir()
    where = installed.run(installed.bin / "python", "-c", "import lederkurs, lederkurs.paths as p; "
                          "print(lederkurs.__file__); print(p.examples_dir())", cwd=here)
    module, examples = where.stdout.split()
    assert module.startswith(str(installed.venv)) and examples.startswith(str(installed.venv))
    assert installed.run(installed.bin / "lederkurs", "build", "--check", cwd=here).returncode == 0

    start = time.monotonic()
    render = installed.run(installed.bin / "lederkurs", "render", "--demo", "--out", "ut", "--jobs", "2",
                           "--quiet", cwd=here)
    assert render.returncode == 0, render.stderr
    assert "Ferdig: 13 av 13 notatbøker gjengitt for 12 deltakere." in render.stdout
    assert (here / "ut" / "kari" / "09-oppsummering.html").is_file() and (here / "ut" / "kull.html").is_file()
    print(f"\nrender of the sample cohort from the wheel: {time.monotonic() - start:.0f} s")

    export = installed.run(installed.bin / "lederkurs", "export", Path(examples) / "cohort" / "kari.json",
                           "--format", "html,docx,md", "--out", "rapporter", "--lang", "en", cwd=here)
    assert export.returncode == 0, export.stderr
    assert sorted(p.name for p in (here / "rapporter").iterdir()) == [
        "kari-reflections.docx", "kari-reflections.html", "kari-reflections.md"]


def test_the_copy_command_never_overwrites_a_changed_notebook(installed: Installed, tmp_path: Path) -> None:
    lederkurs = installed.bin / "lederkurs"
    first = installed.run(lederkurs, "copy", "kurs", "--lang", "nb", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Kopierte 10 notatbøker til kurs." in first.stdout
    copy = tmp_path / "kurs"
    assert sorted(p.name for p in copy.glob("*.ipynb"))[:2] == ["00-innledning.ipynb", "01-brobygger.ipynb"]
    assert not (copy / "kursholder-kull.ipynb").exists() and (copy / ".lederkurs").is_file()
    mine = copy / "01-brobygger.ipynb"
    changed = json.loads(mine.read_text(encoding="utf-8"))
    changed["cells"].append({"cell_type": "markdown", "id": "mine", "metadata": {}, "source": "Mitt notat"})
    mine.write_text(json.dumps(changed), encoding="utf-8")
    again = installed.run(lederkurs, "copy", "kurs", "--lang", "nb", cwd=tmp_path)
    assert again.returncode == 0 and "Beholdt kurs/01-brobygger.ipynb: du har endret den" in again.stderr
    assert "Mitt notat" in mine.read_text(encoding="utf-8")
    forced = installed.run(lederkurs, "copy", "kurs", "--lang", "nb", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    kept = list(copy.glob("01-brobygger.endret-*.ipynb"))
    assert len(kept) == 1 and "Mitt notat" in kept[0].read_text(encoding="utf-8")
    assert "Mitt notat" not in mine.read_text(encoding="utf-8")
    all_languages = installed.run(lederkurs, "copy", "kurs", cwd=tmp_path)
    assert all_languages.returncode == 0 and (copy / "nn" / "04-overgang.ipynb").is_file()
    assert (copy / "en" / "09-oppsummering.ipynb").is_file()


def test_a_copied_notebook_runs_with_papermill_and_saves_in_its_copy(installed: Installed, tmp_path: Path) -> None:
    assert installed.run(installed.bin / "lederkurs", "copy", "kurs", cwd=tmp_path).returncode == 0
    copy = tmp_path / "kurs"
    (copy / "answers").mkdir(exist_ok=True)
    shutil.copy(REPO / "examples" / "cohort" / "kari.json", copy / "answers" / "kari.json")
    kari = json.loads((copy / "answers" / "kari.json").read_text(encoding="utf-8"))
    for notebook in ("09-oppsummering.ipynb", "nn/09-oppsummering.ipynb"):
        out = tmp_path / notebook.replace("/", "-")
        done = installed.run(installed.bin / "papermill", copy / notebook, out, "-p", "participant", "kari",
                             "--cwd", (copy / notebook).parent, cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-2000:]
        outputs = json.dumps(json.loads(out.read_text(encoding="utf-8")), ensure_ascii=False)
        for answer in kari["answers"].values():  # her answers in the round in use, read from kurs/answers/
            assert answer["text"][:40] in outputs
    probe = tmp_path / "probe.ipynb"
    probe.write_text(json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "id": "p", "metadata": {},
                                            "outputs": [], "source": "import lederkurs; print(lederkurs.__file__)"}],
                                 "metadata": {"kernelspec": {"name": paths.KERNEL, "display_name": "Kurs",
                                                             "language": "python"}},
                                 "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    done = installed.run(installed.bin / "papermill", probe, tmp_path / "probe-out.ipynb", "--cwd", copy,
                         cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    printed = json.loads((tmp_path / "probe-out.ipynb").read_text(encoding="utf-8"))["cells"][0]["outputs"][0]
    # The course's kernel, installed by the wheel into the venv's share/jupyter, runs the venv's package.
    assert "".join(printed["text"]).strip().startswith(str(installed.venv))  # not the checkout's lib/


@pytest.mark.browser
def test_a_copied_notebook_works_in_jupyterlab(installed: Installed, tmp_path: Path, browser) -> None:
    from playwright.sync_api import expect

    import browser_support

    assert installed.run(installed.bin / "lederkurs", "copy", "kurs", "--lang", "nb", cwd=tmp_path).returncode == 0
    copy = tmp_path / "kurs"
    proc, server = browser_support.start_lab(tmp_path / "lab", root=copy, python=installed.bin / "python",
                                             answers_dir=copy / "answers")
    context, page = browser_support.new_page(browser)
    try:
        panel = browser_support.open_notebook(page, server, "01-brobygger.ipynb")  # it runs itself
        box = panel.locator(".lk-answer-box textarea")
        expect(box).to_be_visible(timeout=browser_support.RUN_TIMEOUT)
        box.click()
        page.keyboard.type("Fra en installert kopi.", delay=10)
        expect(panel.locator(".lk-status")).to_have_text(browser_support.SAVED, timeout=15_000)
        doc = browser_support.wait_for_answers(server, lambda d: "brobygger.relasjoner" in d.get("answers", {}))
        assert doc["answers"]["brobygger.relasjoner"]["text"] == "Fra en installert kopi."
        assert server.answers_file == copy / "answers" / f"{browser_support.PARTICIPANT}.json"
        browser_support.shot(page, "lab-installed-copy-01.png")
    finally:
        context.close()
        browser_support.stop(proc)
