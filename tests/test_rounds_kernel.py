"""Rounds with real kernels and files: Kari's March story in a real python3 kernel (a schema-1 file opened, a new
round started, answers and positions saved, the file read back with both rounds), the notebooks run by papermill,
the report in three formats, and the demo cohort rendered with rounds."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import papermill
import pytest
from jupyter_client.manager import start_new_kernel

from lederkurs import paths
from lederkurs.answers.model import read_answers_file
from test_rounds import V1

from helpers import REPO, lederkurs, run_in_kernel

pytestmark = [pytest.mark.kernel]


def _run(kc, code: str) -> str:
    return run_in_kernel(kc, code, timeout=120)


def _html(nb: dict) -> str:
    return "\n".join("".join(o.get("data", {}).get("text/html", "")) for c in nb["cells"] for o in c.get("outputs", []))


def test_karis_march_story_in_a_real_kernel(answers_dir: Path, tmp_path: Path) -> None:
    answers_dir.mkdir(parents=True)
    (answers_dir / "kari.json").write_text(json.dumps(V1, ensure_ascii=False), encoding="utf-8")
    km, kc = start_new_kernel(kernel_name=paths.KERNEL, cwd=str(REPO / "notebooks"))
    try:
        out = _run(kc, f"""
from lederkurs import start
kurs = start('09', participant='kari', answers_dir={str(answers_dir)!r})
panel = kurs.summary()
rounds = kurs.boxes['rounds']
print(rounds.start('Oppfølging mars'))
kurs = start('04', participant='kari', answers_dir={str(answers_dir)!r})
box = kurs.question('overgang.refleksjon')
print('EARLIER' if 'Desember: jeg gjør mer veiledning.' in box.children[-1].value else 'NONE')
box.text.value = 'Mars: mer strategi, mindre detaljer.'
box.flush()
focus = kurs.focus_self()
row = next(r for r in focus.rows if r.point.id == 'veiledning')
print(row.before, row.now)
row.now = 8
row.goal = 9
focus.flush()
print('TIME', 'Oppfølging mars' in focus.time_view.value)
""")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert out.split()[:4] == ["True", "EARLIER", "3", "None"]  # «før» carried over, «nå» not set
    assert "TIME True" in out
    doc = read_answers_file(answers_dir / "kari.json")
    assert [r.name for r in doc.rounds] == ["", "Oppfølging mars"]
    december, march = doc.rounds
    assert december.answers["overgang.refleksjon"].text == "Desember: jeg gjør mer veiledning."
    assert (december.focus["veiledning"].before, december.focus["veiledning"].now) == (3, 6)
    assert march.answers["overgang.refleksjon"].text == "Mars: mer strategi, mindre detaljer."
    assert (march.focus["veiledning"].before, march.focus["veiledning"].now) == (3, 8)
    assert doc.goals["veiledning"].value == 9
    assert len(list(answers_dir.glob("kari.*-v1-*.json"))) == 1  # the schema-1 file kept once

    # 09 run by papermill (read-only) shows both rounds side by side and the chart over time.
    nb_path = tmp_path / "09.ipynb"
    papermill.execute_notebook(str(REPO / "notebooks" / "09-oppsummering.ipynb"), str(nb_path),
                               parameters={"participant": "kari", "answers_dir": str(answers_dir), "read_only": True},
                               kernel_name="python3", progress_bar=False, cwd=str(REPO / "notebooks"))
    html = _html(json.loads(nb_path.read_text(encoding="utf-8")))
    assert 'class="lk-rounds"' in html and "Oppfølging mars" in html and "Desember 2026" in html
    assert "Fokuset ditt over 2 runder" in html and "om et år 9" in html
    assert html.count('src="data:image/png;base64,') == 2  # before/now and over time


def test_the_report_shows_rounds_side_by_side_in_three_formats(tmp_path: Path) -> None:
    out = tmp_path / "rapport"
    done = lederkurs("export", str(REPO / "examples" / "cohort" / "kari.json"), "--format", "html,docx,md",
                     "--out", str(out))
    assert done.returncode == 0, done.stderr
    html = (out / "kari-refleksjoner.html").read_text(encoding="utf-8")
    assert html.count('<section class="lk-round">') >= 18 * 2 and "Første samling" in html
    assert "Oppfølging mars <small>(04.03.2027)</small>" in html
    assert "Fokuset ditt over 2 runder" in html and "<caption>Tallene i figuren over tid</caption>" in html
    md = (out / "kari-refleksjoner.md").read_text(encoding="utf-8")
    assert "**Oppfølging mars** (04.03.2027)" in md and "**Første samling** (16.11.2026)" in md
    assert "| Område | før | Første samling (16.11.2026) | Oppfølging mars (04.03.2027) | om et år |" in md
    with zipfile.ZipFile(out / "kari-refleksjoner.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
        images = [n for n in z.namelist() if n.startswith("word/media/")]
    assert "Oppfølging mars (04.03.2027)" in xml and "Første samling (16.11.2026)" in xml and len(images) == 2
    assert "Coaching er blitt lettere" in xml


def test_the_demo_cohort_renders_with_rounds(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    done = lederkurs("render", "--demo", "--out", str(out), "--notebooks", "04,09", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    kari = (out / "kari" / "09-oppsummering.html").read_text(encoding="utf-8")
    assert 'class="lk-rounds"' in kari and "Oppfølging mars" in kari and "Fokuset ditt over 2 runder" in kari
    four = (out / "kari" / "04-overgang.html").read_text(encoding="utf-8")
    assert "Fokuset ditt over 2 runder" in four
    lars = (out / "lars" / "09-oppsummering.html").read_text(encoding="utf-8")
    assert 'class="lk-rounds"' not in lars  # one round: as before
    cohort = (out / "kull.html").read_text(encoding="utf-8")
    assert "Endringen i kullet fra runde 1 til runde 2" in cohort
    assert re.search(r"Runde 2 \(n = 5\)", cohort)
    assert "Oppfølging mars" not in cohort and "kari" not in cohort  # anonymous: no names, no round names
