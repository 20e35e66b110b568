"""Every language holds the whole course: the same sections, question groups, focus areas and messages."""

from __future__ import annotations

import io
import re
import string
import tokenize
from pathlib import Path

import pytest
import yaml

from lederkurs.course.content import load_course, parse_section
from lederkurs.course.languages import available_languages

from helpers import REPO

CONTENT = REPO / "content"
SOURCE = yaml.safe_load((CONTENT / "course.yml").read_text(encoding="utf-8"))["source_language"]
LANGUAGES = available_languages()
TRANSLATIONS = [lang for lang in LANGUAGES if lang != SOURCE]


def test_the_course_is_written_in_one_of_its_languages() -> None:
    assert SOURCE in LANGUAGES and len(LANGUAGES) > 1


def _messages(lang: str) -> dict[str, str]:
    return yaml.safe_load((CONTENT / lang / "messages.yml").read_text(encoding="utf-8"))


def _forms(entry: str | dict[str, str]) -> list[str]:
    return [entry] if isinstance(entry, str) else [v for k, v in entry.items() if k != "plural"]


def _fields(entry: str | dict[str, str]) -> set[str]:
    return {name for text in _forms(entry) for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_messages_are_complete_with_the_same_placeholders(lang: str) -> None:
    source, translated = _messages(SOURCE), _messages(lang)
    assert sorted(set(source) - set(translated)) == [], "missing"
    assert sorted(set(translated) - set(source)) == [], "not in the source"
    for key, entry in source.items():
        assert _fields(translated[key]) == _fields(entry), key
        assert all(form.strip() for form in _forms(translated[key])), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_follow_the_languages_rules(lang: str) -> None:
    from babel import Locale

    categories = set(Locale.parse(lang).plural_form.tags) | {"other"}
    for key, entry in _messages(lang).items():
        if isinstance(entry, dict):
            forms = set(entry) - {"plural"}
            assert "other" in forms and forms <= categories, (key, forms)
            number = entry.get("plural", "count")
            assert all("{" + number + "}" in text or number in _fields(text) for text in _forms(entry)), key


@pytest.mark.parametrize("lang, one, other", [
    ("nb", "1 av 1 spørsmålsgruppe besvart", "0 av 3 spørsmålsgrupper besvart"),
    ("nn", "1 av 1 spørsmålsgruppe har svar", "0 av 3 spørsmålsgrupper har svar"),
    ("en", "1 of 1 question group answered", "0 of 3 question groups answered"),
])
def test_a_count_of_one_takes_the_singular(lang: str, one: str, other: str) -> None:
    from lederkurs.course.messages import msg

    assert msg(lang, "summary_progress", answered=1, total=1) == one
    assert msg(lang, "summary_progress", answered=0, total=3) == other


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_sections_groups_and_focus_areas_match_the_source(lang: str) -> None:
    source, translated = load_course(SOURCE), load_course(lang)
    assert [s.id for s in translated.sections] == [s.id for s in source.sections]
    assert [s.id for s in translated.trainer_sections] == [s.id for s in source.trainer_sections]
    pairs = zip(source.sections + source.trainer_sections, translated.sections + translated.trainer_sections,
                strict=True)
    for s, t in pairs:
        assert t.directives() == s.directives(), s.file
        assert [len(g.questions) for g in t.groups] == [len(g.questions) for g in s.groups], s.file
        assert t.title and t.title != "", s.file
    assert [(a.id, a.direction) for a in translated.focus_areas] == [(a.id, a.direction)
                                                                    for a in source.focus_areas]
    files = sorted(p.name for p in (CONTENT / SOURCE).iterdir())
    assert sorted(p.name for p in (CONTENT / lang).iterdir()) == files


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_source_line_says_it_is_a_translation(lang: str) -> None:
    course = load_course(lang)
    assert "DFØ" in course.source and ("«Leder for ledere»" in course.source or "“Leder for ledere”" in course.source)
    assert course.source != load_course(SOURCE).source


def test_a_missing_translation_is_caught(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(CONTENT, tmp_path / "content")
    path = tmp_path / "content" / "en" / "03-barken-og-veden.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("```{question} barken.buffer")
    end = text.index("```", start + 3)
    path.write_text(text[:start] + text[text.index("\n", end) + 1:], encoding="utf-8")
    from lederkurs.course.problems import ContentError

    with pytest.raises(ContentError, match="missing here: barken.buffer"):
        parse_section(path, "barken", "03-barken-og-veden", ("barken.skvis", "barken.buffer", "barken.prioritering"))


def _literals(path: Path) -> list[str]:
    """String literals in a module that are not docstrings."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    found = []
    for i, tok in enumerate(tokens):
        if tok.type != tokenize.STRING:
            continue
        before = [t for t in tokens[:i] if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                                                           tokenize.DEDENT, tokenize.COMMENT)]
        if not before or before[-1].string == ":":
            continue  # a module, class or function docstring
        found.append(tok.string)
    return found


def test_no_participant_visible_norwegian_is_hard_coded_in_code() -> None:
    norwegian = re.compile(r"[æøåÆØÅ]|\b(ikke|ikkje|deltaker|svar|lagret|lagra|notatbok|kohort|rapport)\b",
                           re.IGNORECASE)
    offenders = [(p.name, s) for p in sorted((REPO / "lib" / "lederkurs").rglob("*.py"))
                 for s in _literals(p) if norwegian.search(s)]
    assert offenders == []


def test_one_answers_file_reports_in_any_language(tmp_path: Path) -> None:
    from lederkurs.answers.model import read_answers_file
    from lederkurs.reports.formats import FORMATS
    from lederkurs.reports.personal import build_report

    doc = read_answers_file(REPO / "examples" / "cohort" / "kari.json")
    answer = doc.rounds[0].answers["brobygger.relasjoner"].text  # her first round's (side by side with the second)
    for lang, heading in (("nb", "01 Vær en brobygger"), ("nn", "01 Ver ein brubyggjar"),
                          ("en", "01 Be a bridge builder")):
        html = FORMATS["html"].write(build_report(load_course(lang), doc)).decode("utf-8")
        assert heading in html and answer.split(".")[0] in html
        assert f'<html lang="{lang}">' in html


@pytest.mark.kernel
def test_a_new_language_needs_no_code_only_a_content_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fourth language (the source copied under another code) builds, passes the check and runs: every one
    of its notebooks in a real kernel, without an error, the answer boxes shown."""
    import shutil

    import nbformat
    from nbclient import NotebookClient

    from helpers import lederkurs

    content, notebooks = tmp_path / "content", tmp_path / "notebooks"
    shutil.copytree(CONTENT, content)
    shutil.copytree(content / SOURCE, content / "sv")
    env = {"LEDERKURS_CONTENT_DIR": str(content), "LEDERKURS_NOTEBOOKS_DIR": str(notebooks)}
    for name, value in {**env, "LEDERKURS_PARTICIPANT": "kari"}.items():
        monkeypatch.setenv(name, value)  # the kernels inherit them
    assert lederkurs("build", env=env).returncode == 0
    assert lederkurs("build", "--check", env=env).returncode == 0
    built = sorted((notebooks / "sv").glob("*.ipynb"))
    assert [p.name for p in built] == sorted(p.name for p in notebooks.glob("*.ipynb"))
    for path in built:
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata.lederkurs.lang == "sv" and nb.metadata.kernelspec.name == "python3"
        NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(path.parent)}}).execute()
        outputs = [o for c in nb.cells for o in c.get("outputs", [])]
        assert not [o for o in outputs if o.output_type == "error"], path.name
        if path.name.startswith("01"):
            assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
