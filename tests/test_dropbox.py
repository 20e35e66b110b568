"""Sharing with the trainer through a drop box: the widget in notebook 09, and the render's owner check.

The whole thing with real system users on a real hub is tests/test_hub.py; here the same code runs as one
user against a folder with the drop box's sticky bit (and, as root, files of another owner).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from lederkurs import start
from lederkurs.answers.store import AnswerStore
from lederkurs.course.messages import describe
from lederkurs.trainer.cohort import read_cohort

from helpers import DEMO, lederkurs, readable_by_others

ROOT = os.geteuid() == 0


@pytest.fixture
def dropbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "innlevering"
    folder.mkdir()
    os.chmod(folder, 0o3777 if not ROOT else 0o3773)  # sticky + setgid, as deploy/start-hub.sh makes it
    monkeypatch.setenv("LEDERKURS_DROPBOX", str(folder))
    return folder


def _panel(answers_dir: Path):
    return start("09", participant="kari", answers_dir=str(answers_dir)).summary()


def test_outside_a_course_server_there_is_nothing_to_share(answers_dir: Path) -> None:
    summary = _panel(answers_dir)
    assert summary.sharing is None
    assert "Del svarene med kursholderen" not in str(summary.children)


def test_share_shows_when_and_withdraw_takes_it_back(answers_dir: Path, dropbox: Path) -> None:
    AnswerStore(answers_dir, "kari").set_answer("brobygger.relasjoner", "Til kursholderen.")
    sharing = _panel(answers_dir).sharing
    assert "Du har ikke delt svarene dine" in sharing.status.value
    assert sharing.withdraw_button.layout.display == "none"
    sharing.share_button.click()
    copy = dropbox / "kari.json"
    assert copy.read_bytes() == (answers_dir / "kari.json").read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o640  # the participant and the trainer group, nobody else
    assert "Delt med kursholderen" in sharing.status.value and "Svarene er delt" in sharing.said.value
    assert sharing.share_button.description.startswith("Del på nytt")
    assert [p.name for p in dropbox.iterdir()] == ["kari.json"]  # no temporary file left behind
    sharing.withdraw_button.click()
    assert not copy.exists() and "trukket tilbake" in sharing.said.value
    assert "Du har ikke delt" in sharing.status.value


def test_the_time_of_sharing_is_written_as_the_language_writes_dates(answers_dir: Path, dropbox: Path) -> None:
    from datetime import date

    AnswerStore(answers_dir, "kari").set_answer("brobygger.relasjoner", "Til kursholderen.")
    for lang, day in (("nb", date.today().strftime("%d.%m.%Y")),
                      ("en", f"{date.today().day} {date.today().strftime('%B')} {date.today().year}")):
        sharing = start("09", participant="kari", answers_dir=str(answers_dir), lang=lang).summary().sharing
        sharing.share_button.click()
        expected = {"nb": f"Delt med kursholderen {day} kl. ", "en": f"Shared with the facilitator on {day} at "}
        assert expected[lang] in sharing.status.value


def test_what_was_typed_a_moment_ago_is_shared_too(answers_dir: Path, dropbox: Path) -> None:
    kurs = start("01", participant="kari", answers_dir=str(answers_dir))
    box = kurs.question("brobygger.relasjoner")
    box.text.value = "skrevet rett før deling"  # not yet saved: the debounce has not fired
    from lederkurs.notebook.transfer import SharePanel

    SharePanel(kurs.store, "nb", dropbox, kurs.flush).share()
    doc = json.loads((dropbox / "kari.json").read_text(encoding="utf-8"))
    assert doc["answers"]["brobygger.relasjoner"]["text"] == "skrevet rett før deling"


def test_nothing_saved_means_nothing_to_share(answers_dir: Path, dropbox: Path) -> None:
    sharing = _panel(answers_dir).sharing
    sharing.share_button.click()
    assert "ingenting å dele" in sharing.said.value and list(dropbox.iterdir()) == []


SHARE_AS_NOBODY = """
import sys
from pathlib import Path
from lederkurs.answers import dropbox
from lederkurs.course.messages import describe
from lederkurs.errors import LederkursError
folder = Path(sys.argv[1])
try:
    dropbox.share(folder, "nobody", b'{"schema": 1, "participant": "nobody"}')
    print("SHARED")
except LederkursError as e:
    print(describe(e, "nb"))
print("WITHDRAWN" if dropbox.withdraw(folder, "nobody") else "NOT WITHDRAWN")
"""


@pytest.mark.root
@pytest.mark.skipif(not ROOT or not os.access("/usr/bin/python3", os.X_OK),
                    reason="needs root, and the system's python3, to share as another user (nobody)")
def test_a_name_taken_by_someone_else_is_said_plainly_and_left_alone() -> None:
    import subprocess
    import uuid

    folder = Path(f"/tmp/lk-dropbox-{uuid.uuid4().hex}")
    folder.mkdir()
    try:
        os.chmod(folder, 0o3773)  # root's, as start-hub.sh makes it: others may add files but not list
        squat = folder / "nobody.json"
        squat.write_text('{"schema": 1, "participant": "nobody", "answers": {}}', encoding="utf-8")
        os.chmod(squat, 0o644)  # someone else (here root) took the name first
        with readable_by_others() as env:  # the checkout may sit where nobody cannot enter (a clone in /root)
            done = subprocess.run(["/usr/bin/python3", "-c", SHARE_AS_NOBODY, str(folder)], user="nobody",
                                  capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert lines[0].startswith("Svarene kunne ikke deles: det ligger allerede en fil med navnet ditt")
        assert lines[1] == "NOT WITHDRAWN" and squat.exists() and squat.stat().st_uid == 0
        assert [p.name for p in folder.iterdir()] == ["nobody.json"]  # no temporary file of nobody's left
    finally:
        shutil.rmtree(folder)


@pytest.mark.kernel
def test_the_render_of_a_drop_box_takes_only_files_from_the_participant_they_name(dropbox: Path,
                                                                                   tmp_path: Path) -> None:
    me = __import__("pwd").getpwuid(os.geteuid()).pw_name
    mine = dropbox / f"{me}.json"
    doc = json.loads((DEMO / "kari.json").read_text(encoding="utf-8"))
    mine.write_text(json.dumps({**doc, "participant": me}), encoding="utf-8")
    shutil.copy(DEMO / "ola.json", dropbox / "ola.json")  # named ola, but put there by me
    (dropbox / "lenke.json").symlink_to(mine)
    cohort = read_cohort(dropbox)
    assert [m.name for m in cohort.members] == [me]
    reasons = {s.path.name: describe(s.reason, "nb") for s in cohort.skipped}
    assert reasons["ola.json"] == f"lagt i innleveringsmappen av {me}, ikke av deltakeren «ola» som navnet sier"
    assert "en lenke" in reasons["lenke.json"]
    done = lederkurs("render", "--answers", str(dropbox), "--out", str(tmp_path / "ut"), "--jobs", "1")
    assert done.returncode == 1 and "ola.json: lagt i innleveringsmappen av" in done.stderr
    assert (tmp_path / "ut" / me / "09-oppsummering.html").is_file() and not (tmp_path / "ut" / "ola").exists()
