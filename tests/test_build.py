"""Notebooks come from content alone; the check fails when one lags behind."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from lederkurs import build, paths
from lederkurs.course.content import load_course
from lederkurs.course.languages import available_languages
from lederkurs.course.messages import msg

from helpers import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def test_committed_notebooks_match_content() -> None:
    course = load_course()
    assert [p.name for p in NOTEBOOKS] == [f"{s.file}.ipynb" for s in course.sections]
    assert (REPO / "notebooks" / "kursholder-kull.ipynb").exists()
    assert build.check() == []


ALL_SECTION_NOTEBOOKS = [(lang, p) for lang in available_languages()
                         for p in sorted(paths.notebooks_for(lang).glob("[0-9][0-9]-*.ipynb"))]


@pytest.mark.parametrize("lang, path", ALL_SECTION_NOTEBOOKS, ids=lambda x: str(x)[-30:])
def test_notebook_conventions(lang: str, path: Path) -> None:
    course = load_course(lang)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"  # the standard kernel, on any Jupyter
    first = nb.cells[0]
    section = course.section(path.stem)
    expected_first = msg(lang, "first_line" if section.groups else "first_line_no_answers")
    assert first.cell_type == "markdown" and first.source.startswith(expected_first)
    assert f"00-innledning.ipynb#{msg(lang, 'contents_heading')})" in first.source
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.metadata["jupyter"]["source_hidden"] for c in code)
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert code[0].metadata["tags"] == ["parameters"]
    for name, kind in (("participant", "str"), ("answers_dir", "str"), ("read_only", "bool"), ("lang", "str")):
        assert f"\n{name}: {kind} = " in "\n" + code[0].source
    assert f'lang: str = "{lang}"  # ' in code[0].source
    assert "participant=participant, answers_dir=answers_dir, read_only=read_only, lang=lang)" in code[1].source
    assert all(len(c.source.splitlines()) <= 2 for c in code[1:])  # tiny cells: logic lives in lib
    assert nb.cells[-2].source.count(course.source) == 1
    heading = next(c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("# "))
    assert heading.splitlines()[0] == f"# {course.section(path.stem).title}"


def test_navigation_links_lead_to_the_neighbours() -> None:
    nb = nbformat.read(REPO / "notebooks" / "03-barken-og-veden.ipynb", as_version=4)
    nav = nb.cells[0].source
    assert "[← forrige: Du bærer flere hatter samtidig](02-flere-hatter.ipynb)" in nav
    assert "[neste: Reflekter over din overgang →](04-overgang.ipynb)" in nav
    first = nbformat.read(NOTEBOOKS[0], as_version=4).cells[0].source
    last = nbformat.read(NOTEBOOKS[-1], as_version=4).cells[0].source
    assert "forrige" not in first and "neste" not in last


def _cli(*args: str, cwd: Path = REPO, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lederkurs.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=env)


def test_check_fails_when_content_changes(content_copy: Path, tmp_path: Path, monkeypatch) -> None:
    import os
    import shutil

    from lederkurs.course.content import _load_course

    # One language is enough to show drift; each language's build draws the guide's chart once.
    for lang in ("nn", "en"):
        shutil.rmtree(content_copy / lang)
    out = tmp_path / "notebooks"
    env = {**os.environ, "LEDERKURS_CONTENT_DIR": str(content_copy), "LEDERKURS_NOTEBOOKS_DIR": str(out)}
    monkeypatch.setenv("LEDERKURS_CONTENT_DIR", str(content_copy))
    monkeypatch.setenv("LEDERKURS_NOTEBOOKS_DIR", str(out))
    assert _cli("build", env=env).returncode == 0
    assert build.check() == []
    path = content_copy / "nb" / "02-flere-hatter.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nEn ny setning.\n", encoding="utf-8")
    _load_course.cache_clear()
    assert sorted(d.path.name for d in build.check()) == ["02-flere-hatter.ipynb"]
    # A notebook no content generates is reported too; the command fails naming both.
    (out / "gammel.ipynb").write_text("{}", encoding="utf-8")
    result = _cli("build", "--check", env=env)
    assert result.returncode == 1 and "02-flere-hatter.ipynb" in result.stderr
    assert "gammel.ipynb: no content file generates it" in result.stderr
    _load_course.cache_clear()


def test_build_reports_bad_content_with_file_and_line(content_copy: Path) -> None:
    import os

    path = content_copy / "nb" / "01-brobygger.md"
    path.write_text(path.read_text(encoding="utf-8").replace("brobygger.relasjoner", "brobygger.x"), "utf-8")
    result = _cli("build", env={**os.environ, "LEDERKURS_CONTENT_DIR": str(content_copy)})
    assert result.returncode == 2
    assert f"{path}:" in result.stderr and "unknown question id 'brobygger.x'" in result.stderr
    assert "Traceback" not in result.stderr


def test_generated_json_is_stable() -> None:
    text = build.render_all(load_course())
    assert text == build.render_all(load_course())
    assert json.loads(text["01-brobygger.ipynb"])["cells"][1]["id"] == "brobygger-01"


def test_guide_chart_is_drawn_at_build_time_with_a_text_alternative() -> None:
    import base64

    nb = nbformat.read(REPO / "notebooks" / "04-overgang.ipynb", as_version=4)
    cells = [c for c in nb.cells if c.get("attachments")]
    assert len(cells) == 1
    cell = cells[0]
    assert cell.source.startswith("![Fokusskiftet i veilederen. Mer oppmerksomhet som leder for ledere: Veiledning ")
    assert cell.source.endswith("](attachment:fokusskifte-veileder.png)")
    png = base64.b64decode(cell.attachments["fokusskifte-veileder.png"]["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_drift_is_judged_on_a_pictures_source_not_on_its_bytes(content_copy: Path, tmp_path: Path,
                                                                  monkeypatch) -> None:
    """Another matplotlib or Pillow encodes the same guide chart into other bytes: that is not drift. A changed
    label in the content is."""
    from lederkurs.course.content import _load_course
    from lederkurs.course.messages import catalogue

    out = tmp_path / "notebooks"
    monkeypatch.setenv("LEDERKURS_CONTENT_DIR", str(content_copy))
    monkeypatch.setenv("LEDERKURS_NOTEBOOKS_DIR", str(out))
    build.build("nb")
    path = out / "04-overgang.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c.get("attachments"))
    (name, data), = cell["attachments"].items()
    data["image/png"] = data["image/png"][:-8] + "AAAAAAA="  # other bytes, same picture source
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert build.check("nb") == []
    course_yml = content_copy / "nb" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8").replace("label: Veiledning", "label: Coaching"),
                          encoding="utf-8")
    _load_course.cache_clear()
    catalogue.cache_clear()
    assert sorted(d.path.name for d in build.check("nb")) == ["04-overgang.ipynb"]


def test_each_notebook_says_at_its_top_about_how_long_it_takes() -> None:
    from lederkurs.course.content import QuestionBlock, QuestionGroup, Section, TextBlock

    # Reading time of the text and the questions, two minutes per question, rounded up to whole five minutes.
    one = Section("x", "01-x", "X", (TextBlock("ord " * 185), QuestionBlock(QuestionGroup("x.y", ("Hva?",)))))
    assert build.minutes_needed(one) == 5  # 1 + 1/185 + 2 minutes
    four = Section("x", "01-x", "X", (QuestionBlock(QuestionGroup("x.y", ("Hva?",) * 4)),))
    assert build.minutes_needed(four) == 10  # 8 minutes and a little reading
    assert build.minutes_needed(Section("x", "01-x", "X", ())) == 5  # never "0 minutes"
    for lang in available_languages():
        course = load_course(lang)
        for section in course.sections:
            nb = nbformat.read(paths.notebooks_for(lang) / build.notebook_name(section), as_version=4)
            line = msg(lang, "time_estimate", minutes=build.minutes_needed(section))
            assert nb.cells[0].source.split("\n\n")[1] == f"*{line}*", section.file
    course = load_course("nb")
    assert build.minutes_needed(course.section("04")) > build.minutes_needed(course.section("01"))
    assert msg("nb", "time_estimate", minutes=10) == "Tid: ca. 10 minutter"


def test_an_edit_of_the_drawing_code_is_drift_only_where_the_guides_chart_changed(content_copy: Path, tmp_path: Path,
                                                                                   monkeypatch) -> None:
    """The guide's chart records the fingerprint it was drawn from; another fingerprint (figures.py edited,
    another matplotlib) is drift only when the chart drawn now shows other pixels."""
    from lederkurs import theme
    from lederkurs.charts import source

    monkeypatch.setenv("LEDERKURS_CONTENT_DIR", str(content_copy))
    monkeypatch.setenv("LEDERKURS_NOTEBOOKS_DIR", str(tmp_path / "notebooks"))
    build.build("nb")
    monkeypatch.setattr(source, "drawing_code", lambda: "figures.py, edited where the guide's chart does not show")
    assert build.check("nb") == []
    assert build.build("nb") == []  # nothing to write: the notebooks stay as they are
    monkeypatch.setitem(theme.CHART, "more", "#000000")  # an edit the guide's chart shows
    assert [d.path.name for d in build.check("nb")] == ["04-overgang.ipynb"]
