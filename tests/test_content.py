"""Content parsing and validation: the whole guide is there, and bad content names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lederkurs.course.blocks import BLOCK_KINDS
from lederkurs.course.content import QuestionBlock, load_course
from lederkurs.course.languages import available_languages
from lederkurs.course.problems import ContentError
from lederkurs.errors import ParameterError

from helpers import DATA

GUIDE_QUESTIONS = yaml.safe_load((DATA / "guide" / "questions.yml").read_text(encoding="utf-8"))


def test_every_reflection_question_of_the_guide_is_in_the_course_verbatim() -> None:
    course = load_course("nb")
    assert GUIDE_QUESTIONS["source"] == "DFØ, «Leder for ledere», oppdatert 18.04.2024"
    expected = [tuple(g["questions"]) for g in GUIDE_QUESTIONS["groups"]]
    assert len(expected) == 18 and sum(len(g) for g in expected) == 46
    # Every question, word for word, in the guide's groups and order, under the guide's headings.
    assert [g.questions for g in course.groups] == expected
    titles = {g.id: s.title for s in course.sections for g in s.groups}
    assert [titles[g.id].split(" – ")[0] for g in course.groups] == \
        [g["section"].split(" – ")[0] for g in GUIDE_QUESTIONS["groups"]]


def test_sections_follow_the_guide_and_cite_the_source() -> None:
    course = load_course("nb")
    assert [s.title for s in course.sections] == [
        "Leder for ledere", "Vær en brobygger", "Du bærer flere hatter samtidig", "Mellom barken og veden?",
        "Reflekter over din overgang", "Systemkompetanse – forstå forvaltningen",
        "Relasjonskompetanse – få med deg folka", "Utviklingskompetanse – skap endring",
        "Resultatkompetanse – realiser gevinster", "Oppsummering"]
    assert course.source.startswith("Kilde: DFØ (Direktoratet for forvaltning og økonomistyring), veilederen "
                                    "«Leder for ledere», oppdatert 18.04.2024, på DFØs nettsider.")
    assert "Spørsmålene er sitert slik veilederen stiller dem" in course.source and "tilpasset" in course.source
    assert course.section("04").directives() == ["focus-guide", "workshop", "focus-self"]  # workshop: issue 29
    assert course.section("09").directives() == ["summary"]


def test_web_page_leftovers_are_not_content() -> None:
    text = " ".join(b.markdown for s in load_course("nb").sections for b in s.blocks if hasattr(b, "markdown"))
    for leftover in ("Fant du det du lette etter", "Tilbakemeldingen din er anonym", "kundesenter", "telefon"):
        assert leftover not in text


def test_question_blocks_sit_between_text_where_the_guide_asks_them() -> None:
    section = load_course("nb").section("barken")
    kinds = [type(b).__name__ for b in section.blocks]
    assert kinds.count("QuestionBlock") == 3
    assert kinds[0] == "TextBlock"
    group = next(b.group for b in section.blocks if isinstance(b, QuestionBlock))
    assert group.questions[0].startswith("Kjenner du deg igjen")


def _edit(content: Path, name: str, old: str, new: str) -> Path:
    path = content / "nb" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    return path.read_text(encoding="utf-8").split("\n").index(needle) + 1


def test_unknown_question_id_names_file_and_line(content_copy: Path) -> None:
    path = _edit(content_copy, "01-brobygger.md", "{question} brobygger.relasjoner", "{question} brobygger.ukjent")
    with pytest.raises(ContentError) as err:
        load_course("nb", content_copy)
    assert err.value.path == path
    assert err.value.line == _line(path, "```{question} brobygger.ukjent")
    assert "unknown question id 'brobygger.ukjent'" in str(err.value)
    assert str(err.value).startswith(f"{path}:{err.value.line}:")


def test_duplicate_question_id_is_refused(content_copy: Path) -> None:
    path = _edit(content_copy, "03-barken-og-veden.md", "{question} barken.buffer", "{question} barken.skvis")
    with pytest.raises(ContentError) as err:
        load_course("nb", content_copy)
    assert err.value.path == path
    assert "duplicate question id 'barken.skvis'" in str(err.value)
    assert err.value.line == [i + 1 for i, text in enumerate(path.read_text().split("\n"))
                              if text == "```{question} barken.skvis"][1]


def test_section_without_title_is_refused(content_copy: Path) -> None:
    path = _edit(content_copy, "02-flere-hatter.md", "title: Du bærer flere hatter samtidig", "title:")
    with pytest.raises(ContentError, match="has no title") as err:
        load_course("nb", content_copy)
    assert err.value.path == path and err.value.line == 1


def test_missing_question_group_is_refused(content_copy: Path) -> None:
    path = content_copy / "nb" / "08-resultatkompetanse.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("```{question} resultat.gevinster")
    path.write_text(text[:start], encoding="utf-8")
    with pytest.raises(ContentError, match="missing here: resultat.gevinster"):
        load_course("nb", content_copy)


def test_unknown_block_and_unclosed_block(content_copy: Path) -> None:
    path = _edit(content_copy, "01-brobygger.md", "```{question} brobygger.relasjoner", "```{sporsmal} x")
    with pytest.raises(ContentError, match=r"unknown block '\{sporsmal\} x'") as err:
        load_course("nb", content_copy)
    assert err.value.line == _line(path, "```{sporsmal} x")


def test_bad_yaml_names_its_line(content_copy: Path) -> None:
    path = content_copy / "nb" / "course.yml"
    path.write_text("title: ok\nsource: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_course("nb", content_copy)
    assert err.value.path == path and err.value.line >= 2


@pytest.mark.parametrize("text, problem", [("bad: [unclosed\n", "not valid YAML"),
                                           ("- a list, not messages\n", "expected 'key: text' lines")])
def test_a_broken_message_catalogue_names_its_file_and_line(content_copy: Path, text: str, problem: str) -> None:
    from lederkurs.course.messages import parse_catalogue

    path = content_copy / "nb" / "messages.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=problem) as err:
        parse_catalogue("nb", content_copy)
    assert err.value.path == path and err.value.line >= 1


def test_a_message_without_its_other_form_names_its_line(content_copy: Path) -> None:
    from lederkurs.course.messages import parse_catalogue

    path = content_copy / "nb" / "messages.yml"
    path.write_text("first: tekst\nantall:\n  one: \"{count} svar\"\n", encoding="utf-8")
    with pytest.raises(ContentError, match="message 'antall' must be text") as err:
        parse_catalogue("nb", content_copy)
    assert err.value.line == 2


def test_unknown_language_lists_the_available_ones() -> None:
    with pytest.raises(ParameterError) as err:
        load_course("xx")
    assert err.value.key == "error_unknown_language"
    assert err.value.values == {"lang": "xx", "available": ", ".join(available_languages())}


def test_a_trainer_block_in_a_participant_notebook_is_refused_at_load(content_copy: Path) -> None:
    path = _edit(content_copy, "01-brobygger.md", "```{question} brobygger.relasjoner",
                 "```{cohort-chart}\n```\n\n```{question} brobygger.relasjoner")
    with pytest.raises(ContentError) as err:
        load_course("nb", content_copy)
    assert err.value.path == path and err.value.line == _line(path, "```{cohort-chart}")
    assert "block {cohort-chart} cannot be used in a section notebook (only in trainer notebooks)" in str(err.value)


def test_every_block_a_cell_calls_exists_on_its_session() -> None:
    from lederkurs.build import DRAWN_AT_BUILD
    from lederkurs.notebook.session import Session
    from lederkurs.trainer.view import CohortView

    for kind in BLOCK_KINDS.values():
        if kind.call is None:
            assert kind.name in DRAWN_AT_BUILD, kind.name
        else:
            owner = Session if kind.notebook == "section" else CohortView
            assert callable(getattr(owner, kind.call, None)), f"{owner.__name__}.{kind.call}"


def test_the_source_language_must_be_one_of_the_courses(content_copy: Path) -> None:
    path = content_copy / "course.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("source_language: nb", "source_language: xx"),
                    encoding="utf-8")
    with pytest.raises(ContentError, match="source_language 'xx' is not a language of the course") as err:
        load_course("nb", content_copy)
    assert err.value.line == 3


def test_the_kept_course_follows_every_edit_of_the_content(content_copy: Path, tmp_path: Path) -> None:
    """The next kernel reads the parsed course from the user's cache (course/kept.py) only while the content is
    as it was: an edited title is parsed again, and an entry someone else could have written is never loaded."""
    import os

    from lederkurs.course import kept
    from lederkurs.course.content import _load_course

    def fresh(root: Path):  # what a new kernel sees
        _load_course.cache_clear()
        kept.fingerprint.cache_clear()
        return load_course("nb", root)

    first = fresh(content_copy)
    [entry] = (tmp_path / "cache" / "content").glob("course-nb-*.pickle")  # conftest's LEDERKURS_CACHE_DIR
    assert fresh(content_copy) == first
    entry.write_bytes(entry.read_bytes().replace("Vær en brobygger".encode(), "Vær en brobyggar".encode()))
    assert fresh(content_copy).sections[1].title == "Vær en brobyggar"  # proof that it reads the kept copy
    os.chmod(entry, 0o666)
    assert fresh(content_copy) == first  # writable by others: parsed again, not loaded
    path = content_copy / "nb" / "01-brobygger.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Vær en brobygger", "Vær en god brobygger"), "utf-8")
    assert fresh(content_copy).sections[1].title == "Vær en god brobygger"
    assert len(list((tmp_path / "cache" / "content").glob("course-nb-*.pickle"))) == 1  # the old one replaced
    _load_course.cache_clear()



def test_the_parsed_content_kept_between_kernels_is_parsed_again_when_its_parser_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pickled course made by other parsing code (another dataclass, another parser) is never loaded."""
    import shutil

    from lederkurs.course import kept

    code = tmp_path / "code"
    shutil.copytree(Path(kept.__file__).parent, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(kept, "__file__", str(code / "kept.py"))
    root = tmp_path / "content"
    root.mkdir()
    (root / "course.yml").write_text("a: 1\n", encoding="utf-8")
    calls: list[int] = []

    def parse() -> int:
        calls.append(1)
        return len(calls)

    kept.fingerprint.cache_clear()
    assert kept.kept("probe", root, parse) == 1
    assert kept.kept("probe", root, parse) == 1  # from the cache: not parsed again
    content_py = code / "content.py"
    content_py.write_text(content_py.read_text(encoding="utf-8") + "\n# another parser\n", encoding="utf-8")
    kept.fingerprint.cache_clear()
    assert kept.kept("probe", root, parse) == 2
    kept.fingerprint.cache_clear()
