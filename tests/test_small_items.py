"""Issue 24's smaller items, each as a leader meets it: a removed own area can be taken back («Angre»), Enter
in «Eget område» adds the area, the upload button says only what it does, an unanswered question in 09 links
to its notebook, and the report names the focus chart once."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from ipywidgets import FileUpload

from lederkurs import start
from lederkurs.answers.store import AnswerStore
from lederkurs.course.content import load_course
from lederkurs.notebook.transfer import Upload
from lederkurs.reports import html
from lederkurs.reports.formats import FORMATS
from lederkurs.reports.personal import build_report


def test_a_removed_own_area_comes_back_with_angre(answers_dir: Path) -> None:
    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    first = panel.add_area("Samarbeid med brukerne")
    second = panel.add_area("Digitalisering")
    assert first is not None and second is not None
    first.before, first.now = 3, 8
    panel.remove_area(first)
    assert "egen-1" not in AnswerStore(answers_dir, "kari").load().focus
    text, undo = panel.undo_box.children
    assert "«Samarbeid med brukerne» er fjernet." in text.value and 'role="status"' in text.value
    assert undo.description == "Angre"

    undo.click()
    saved = AnswerStore(answers_dir, "kari").load().focus["egen-1"]
    assert (saved.label, saved.before, saved.now) == ("Samarbeid med brukerne", 3, 8)
    own = [r.point.label for r in panel.rows if r.point.direction is None]
    assert own == ["Samarbeid med brukerne", "Digitalisering"], "not back in its place"
    assert panel.undo_box.children == ()
    assert "Samarbeid med brukerne" in panel.chart_view.value


def test_the_offer_to_undo_ends_when_an_area_is_added(answers_dir: Path) -> None:
    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    row = panel.add_area("Samarbeid med brukerne")
    assert row is not None
    panel.remove_area(row)
    assert panel.undo_box.children
    panel.add_area("Digitalisering")
    assert panel.undo_box.children == ()


def test_enter_in_the_own_area_field_adds_the_area(answers_dir: Path) -> None:
    """The browser sends Enter («submit») before the field's new value; the area is added when it comes."""
    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    field = panel.new_label
    field._handle_custom_msg({"event": "submit"}, [])  # what the comm calls; the browser test presses Enter
    assert [r.point.label for r in panel.rows if r.point.direction is None] == []
    field.value = "Samarbeid med brukerne"
    assert [r.point.label for r in panel.rows if r.point.direction is None] == ["Samarbeid med brukerne"]
    assert field.value == ""
    # Left and came back unchanged: the value is already here, and Enter adds it at once.
    field.value = "Digitalisering"  # a change without Enter (the field was left): nothing is added
    assert len([r for r in panel.rows if r.point.direction is None]) == 1
    field._handle_custom_msg({"event": "submit"}, [])
    assert [r.point.label for r in panel.rows if r.point.direction is None][-1] == "Digitalisering"


def test_the_upload_button_shows_no_count(answers_dir: Path) -> None:
    upload = Upload(load_course(), AnswerStore(answers_dir, "kari"), "nb")
    assert upload.picker.description == "Last opp svarfil"  # the button's whole text (browser: test_browser_lab)
    assert not isinstance(upload.picker, FileUpload)  # FileUpload adds «(0)»


def test_an_unanswered_question_in_09_links_to_its_notebook(answers_dir: Path) -> None:
    kurs = start("09", participant="kari", answers_dir=str(answers_dir))
    page = kurs.summary_html()
    assert 'Ikke besvart. <a class="lk-link" href="01-brobygger.ipynb">Svar i 01 Vær en brobygger</a>' in page
    assert 'href="04-overgang.ipynb"' in page
    # A trainer's render (read-only) has no notebooks beside it to link to.
    course = load_course()
    assert "href=" not in str(html.summary(course, AnswerStore(answers_dir, "kari").load(), "nb", links=False))


def test_the_report_names_the_focus_chart_once(answers_dir: Path, tmp_path: Path) -> None:
    course = load_course()
    report = build_report(course, AnswerStore(answers_dir, "kari").load(), keep_chart=False)
    page = FORMATS["html"].write(report).decode("utf-8")
    # The chart's own title says «Mitt fokusskifte»; the heading is for screen readers only.
    assert re.findall(r"<h2[^>]*>Mitt fokusskifte</h2>", page) == ['<h2 class="lk-sr-only">Mitt fokusskifte</h2>']
    path = tmp_path / "r.docx"
    path.write_bytes(FORMATS["docx"].write(report))
    assert "Mitt fokusskifte" not in [p.text for p in Document(str(path)).paragraphs]
