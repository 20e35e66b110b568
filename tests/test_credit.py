"""Source, credit and licence: every notebook, report and rendered page says whose guide the course rests on,
what is quoted, what is left out, who made the course and which version; the repository and the wheel carry
the licences; and the trainers' discussion guide gives each question its context."""

from __future__ import annotations

import re
import tomllib
from html import unescape
from pathlib import Path

import nbformat
import pytest

import lederkurs
from lederkurs import paths
from lederkurs.course.content import load_course
from lederkurs.course.languages import available_languages
from lederkurs.reports import html

from helpers import DEMO, REPO

LANGUAGES = tuple(available_languages())
# What the footer must name in each language: publisher, the date, quoted/adapted, what was left out, maker, version.
FOOTER = {
    "nb": ("Direktoratet for forvaltning og økonomistyring", "18.04.2024", "DFØs nettsider", "sitert", "tilpasset",
           "Ingrid Olram", "UDI", "lenkene", "lederkurs-prosjektet, ikke av DFØ",
           f"Kursversjon {lederkurs.__version__}", "CC BY 4.0", "spør DFØ"),
    "nn": ("Direktoratet for forvaltning og økonomistyring", "18.04.2024", "nettsidene til DFØ", "ordlyden",
           "tilpassa", "Ingrid Olram", "UDI", "lenkjene", "lederkurs-prosjektet, ikkje av DFØ",
           f"Kursversjon {lederkurs.__version__}", "CC BY 4.0", "spør DFØ"),
    "en": ("Direktoratet for forvaltning og økonomistyring", "18 April 2024", "DFØ's website", "translations",
           "adapted", "Ingrid Olram", "UDI", "links", "lederkurs project, not by DFØ",
           f"Course version {lederkurs.__version__}", "CC BY 4.0", "ask DFØ"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_footer_names_source_omissions_maker_and_version(lang: str) -> None:
    source = load_course(lang).source
    assert [part for part in FOOTER[lang] if part not in source] == []
    assert "http" not in source  # no address the guide itself does not give


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_notebook_ends_with_the_footer(lang: str) -> None:
    source = load_course(lang).source
    notebooks = sorted(paths.notebooks_for(lang).glob("*.ipynb"))
    assert len(notebooks) == 11  # ten sections and the trainers' cohort notebook
    for path in notebooks:
        footers = [c.source for c in nbformat.read(path, as_version=4).cells if c.source == f"---\n\n*{source}*"]
        assert len(footers) == 1, path.name


def test_the_render_index_ends_with_the_footer() -> None:
    page = html.render("index.html.j2", title="t", lang="en", generated="now", rows=[], cohort_href=None,
                       failures=[], skipped=[])
    assert unescape(page).rstrip().endswith(f"<p><em>{load_course('en').source}</em></p></main>\n</body>\n</html>")


def test_licences_are_in_the_repository_readme_and_wheel_metadata() -> None:
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("BSD 3-Clause License")
    content = (REPO / "CONTENT-LICENSE.md").read_text(encoding="utf-8")
    for needed in ("«Leder for ledere»", "Direktoratet for forvaltning og økonomistyring", "CC BY 4.0",
                   "ikke kunnet bekrefte", "spør DFØ", "Ingrid Olram"):
        assert needed in content
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "[LICENSE](LICENSE)" in readme and "[CONTENT-LICENSE.md](CONTENT-LICENSE.md)" in readme
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "BSD-3-Clause"
    assert project["license-files"] == ["LICENSE", "CONTENT-LICENSE.md"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_question_in_the_discussion_guide_comes_with_its_lead_in(lang: str) -> None:
    from lederkurs.trainer.cohort import read_cohort
    from lederkurs.trainer.view import CohortView

    course = load_course(lang)
    page = unescape(CohortView(course, read_cohort(DEMO), False).discussion_html())
    for group in course.groups:
        lead = course.lead(group.id)
        assert lead and re.search(r"[.!?]$", lead), group.id
        assert page.index(f"<p>{lead}</p>") < page.index(group.questions[0]), group.id


def test_a_lead_in_for_an_unknown_group_names_its_file_and_line(content_copy: Path) -> None:
    from lederkurs.course.problems import ContentError

    path = content_copy / "nn" / "course.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  hatter.roller:", "  hatter.ukjend:"), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_course("nn", content_copy)
    assert err.value.path == path and "hatter.ukjend" in str(err.value)
    path.write_text(text.replace("  hatter.roller:", "#  hatter.roller:"), encoding="utf-8")
    with pytest.raises(ContentError, match="missing: hatter.roller"):
        load_course("nn", content_copy)
