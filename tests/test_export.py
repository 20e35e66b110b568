"""The personal report: every section and answer, in HTML, DOCX and Markdown, with answers kept as data."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from markdown_it import MarkdownIt

from lederkurs.answers.model import read_answers_file
from lederkurs.answers.store import AnswerStore
from lederkurs.course.content import load_course
from lederkurs.reports.formats import FORMATS
from lederkurs.reports.personal import build_report

from helpers import REPO, lederkurs


def render_report(report, fmt: str) -> bytes:
    return FORMATS[fmt].write(report)

TRICKY = {
    "brobygger.relasjoner": "<script>alert(1)</script> & <b>fet</b>",
    "hatter.roller": "# Ikke en overskrift\n```\n## Heller ikke\n````\n- ikke en liste",
    "barken.skvis": "Emoji 😀 og æøå ÆØÅ",
    "barken.buffer": "kontrolltegn\x00\x0bher",
    "system.kontekst": "",
}


@pytest.fixture
def answers_file(answers_dir: Path) -> Path:
    store = AnswerStore(answers_dir, "kari")
    for key, text in TRICKY.items():
        store.set_answer(key, text)
    store.set_focus("veiledning", 2, 8)
    return store.path


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_is_complete_escaped_and_self_contained(answers_file: Path) -> None:
    course = load_course()
    html = render_report(build_report(course, read_answers_file(answers_file)), "html").decode("utf-8")
    parser = _Text()
    parser.feed(html)
    assert "script" not in parser.tags and parser.tags.count("b") == 0
    text = "".join(parser.text)
    for s in course.sections:
        if s.groups:
            assert f"{s.number} {s.title}" in text
    for q in (q for g in course.groups for q in g.questions):
        assert q in text
    for key, answer in TRICKY.items():
        if answer and key != "barken.buffer":
            assert answer in text
    assert text.count("Ikke besvart.") == len(course.groups) - 4  # the empty answer counts as unanswered
    assert "Deltaker: kari · Eksportert " in text and course.source in text
    assert html.count('src="data:image/png;base64,') == 1 and not re.search(r'(src|href)="https?:', html)
    assert "@media print" in html and "size:A4" in html


def test_docx_report_has_real_headings_and_every_answer(answers_file: Path, tmp_path: Path) -> None:
    course = load_course()
    path = tmp_path / "r.docx"
    path.write_bytes(render_report(build_report(course, read_answers_file(answers_file)), "docx"))
    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "01 Vær en brobygger"  # the chart names itself («Mitt fokusskifte»)
    assert "01 Vær en brobygger" in headings and "08 Resultatkompetanse – realiser gevinster" in headings
    assert any(p.style.name == "Title" and p.text == "Mine refleksjoner – Leder for ledere"
               for p in document.paragraphs)
    body = "\n".join(p.text for p in document.paragraphs)
    assert TRICKY["brobygger.relasjoner"] in body and "Emoji 😀 og æøå ÆØÅ" in body
    assert "# Ikke en overskrift" in body and "kontrolltegn\ufffd\ufffdher" in body
    assert len(document.inline_shapes) == 1  # the chart


def test_markdown_answers_cannot_break_out(answers_file: Path) -> None:
    md = render_report(build_report(load_course(), read_answers_file(answers_file)), "md").decode("utf-8")
    tokens = MarkdownIt("commonmark").parse(md)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "Ikke en overskrift" not in headings and "Heller ikke" not in headings
    fences = [t.content for t in tokens if t.type == "fence"]
    assert TRICKY["hatter.roller"] + "\n" in fences  # the answer is one verbatim block, whole
    assert TRICKY["brobygger.relasjoner"] + "\n" in fences
    html = MarkdownIt("commonmark").render(md)
    assert "<script>" not in html


def _cli(*args: str) -> subprocess.CompletedProcess:
    return lederkurs(*args)


def test_export_command_writes_each_format_into_the_folder(answers_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "rapporter"
    result = _cli("export", str(answers_file), "--format", "html,docx,md", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["kari-refleksjoner.docx", "kari-refleksjoner.html",
                                                     "kari-refleksjoner.md"]
    single = tmp_path / "min.html"
    assert _cli("export", str(answers_file), "--out", str(single)).returncode == 0 and single.exists()


def test_export_refuses_bad_input_plainly(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"schema": 1, "participant": "../../ut", "answers": {}}', encoding="utf-8")
    result = _cli("export", str(bad), "--format", "md", "--out", str(tmp_path / "ut"))
    assert result.returncode == 2 and "kan ikke brukes" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("**/*.md"))
    result = _cli("export", str(REPO / "examples" / "cohort" / "kari.json"), "--format", "pdf", "--out",
                  str(tmp_path))
    assert result.returncode == 2 and "Formatet «pdf» finnes ikke" in result.stderr
    broken = tmp_path / "b.json"
    broken.write_text("{", encoding="utf-8")
    result = _cli("export", str(broken), "--out", str(tmp_path / "r.html"))
    assert result.returncode == 2 and "ikke gyldig JSON" in result.stderr


def test_markdown_report_shows_brackets_and_dashes_as_they_are(tmp_path: Path) -> None:
    """A question's "(…)" or "–" reads as written in the .md file, not as `\\(`; markup is still escaped."""
    from lederkurs.answers.model import AnswersFile
    from lederkurs.reports.formats import _md_line

    assert _md_line("Hvordan (og hvorfor) gjør du det – i praksis?") == "Hvordan (og hvorfor) gjør du det – i praksis?"
    assert MarkdownIt("commonmark").render(_md_line("- 1. [x](y) *z* <b>")) == \
        "<p>- 1. [x](y) *z* &lt;b&gt;</p>\n"
    md = render_report(build_report(load_course(), AnswersFile("kari")), "md").decode("utf-8")
    assert "\\(" not in md and "\\-" not in md.split("\n", 3)[2]
