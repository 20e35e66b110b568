"""Where the focus shift comes from, said truthfully: each area rests on the guide's text or only on its
description of DFØ's illustration, and notebook 04 and the chart's caption say which, in every language.

And the chart does not grade: its words say "the same direction as the guide" or "another", never ✓/✗,
right or wrong (the guide calls its figure a starting point for reflection and says changes depend on the agency).
"""

from __future__ import annotations

import re

import pytest
import yaml

from lederkurs.charts import figures
from lederkurs.charts.points import describe, focus_points
from lederkurs.course.content import Course, DirectiveBlock, TextBlock, load_course
from lederkurs.course.languages import available_languages
from lederkurs.course.messages import catalogue

from helpers import DATA

GUIDE = yaml.safe_load((DATA / "guide" / "focus_shift.yml").read_text(encoding="utf-8"))
LANGUAGES = tuple(available_languages())


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+(?=[A-ZÆØÅ«“])", text.strip()) if s]


def _labels(course: Course, rests_on: str) -> list[str]:
    return [a.label for a in course.focus_areas if a.rests_on == rests_on]


def test_every_basis_is_the_guides_own_sentences_and_says_what_it_rests_on() -> None:
    course = load_course("nb")
    assert GUIDE["source"] == "DFØ, «Leder for ledere», oppdatert 18.04.2024"
    known = set(GUIDE["illustration"]) | set(GUIDE["text"])
    for area in course.focus_areas:
        found = sentences(area.basis)
        assert found and all(s in known for s in found), (area.id, [s for s in found if s not in known])
        on_illustration = any(s in GUIDE["illustration"] for s in found)
        assert area.rests_on == ("illustration" if on_illustration else "text"), area.id
    # The guide's description names the four illustration areas; the others come from its text.
    assert [a.id for a in course.focus_areas if a.rests_on == "illustration"] == [
        "veiledning", "oversikt", "eksternt-fokus", "strategi"]


def test_a_cut_sentence_is_not_a_basis() -> None:
    """«Du skal jobbe mer strategisk enn førstelinjeledere.» is half a sentence, about first-line managers."""
    for area in load_course("nb").focus_areas:
        assert "førstelinjeledere" not in area.basis, area.id


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_translated_bases_have_the_same_sentences(lang: str) -> None:
    source, translated = load_course("nb"), load_course(lang)
    for a, b in zip(source.focus_areas, translated.focus_areas, strict=True):
        assert len(sentences(b.basis)) == len(sentences(a.basis)), b.id
        assert b.rests_on == a.rests_on


def _provenance_block(course: Course) -> str:
    """Notebook 04's text right below the guide's chart."""
    blocks = course.section("04").blocks
    at = next(i for i, b in enumerate(blocks) if isinstance(b, DirectiveBlock) and b.kind.name == "focus-guide")
    block = blocks[at + 1]
    assert isinstance(block, TextBlock)
    return block.markdown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_04_lists_the_areas_under_what_they_rest_on(lang: str) -> None:
    course, nb = load_course(lang), load_course("nb")
    paragraphs = _provenance_block(course).split("\n\n")
    lists = [i for i, p in enumerate(paragraphs) if p.startswith("- ")]
    assert len(lists) == 2
    bold = [[label.rstrip(":") for label in re.findall(r"\*\*(.+?)\*\*", paragraphs[i])] for i in lists]
    assert bold == [_labels(course, "illustration"), _labels(course, "text")]
    # The illustration's list follows the guide's description of the illustration, quoted.
    lead = paragraphs[lists[0] - 1]
    first = next(a for a in course.focus_areas if a.rests_on == "illustration")
    original = next(a for a in nb.focus_areas if a.rests_on == "illustration")
    assert sentences(first.basis)[0] in lead or sentences(original.basis)[0] in lead


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_charts_caption_says_which_area_rests_on_what(lang: str) -> None:
    course = load_course(lang)
    caption = figures.guide_caption(course)
    illustration, text = _labels(course, "illustration"), _labels(course, "text")
    assert all(caption.count(label) == 1 for label in illustration + text)
    assert max(caption.index(label) for label in illustration) < min(caption.index(label) for label in text)
    assert re.search(r"illustrasjon|illustration", caption[: caption.index(illustration[0])], re.IGNORECASE)
    drawn = [" ".join(t.get_text().split()) for t in figures.guide_figure(course).texts]
    assert " ".join(caption.split()) in drawn


# -- the chart does not grade -----------------------------------------------------------------------------

CHECK_MARKS = re.compile("[✓✔✗✘☑☒✅❌]")
GRADING = {
    "nb": r"feil|galt|gale|riktig|korrekt|motsatt|bra|dårlig|poeng|bestått|stryk|avvik",
    "nn": r"feil|gale|galt|rett|riktig|korrekt|motsett|bra|dårleg|poeng|bestått|stryk|avvik",
    "en": r"wrong|right|correct|incorrect|opposite|against|good|bad|score|pass|passed|fail|failed",
}


def _chart_words(lang: str) -> dict[str, str]:
    """Every message the charts, their text alternatives and the cohort's discussion of the shift use."""
    words = {}
    for key, entry in catalogue(lang).items():
        if key.startswith(("chart_", "summary_")) or key in ("cohort_chart_alt", "cohort_discussion_focus"):
            forms = [entry] if isinstance(entry, str) else [v for k, v in entry.items() if k != "plural"]
            for i, form in enumerate(forms):
                words[f"{key}[{i}]"] = form
    return words


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_check_marks_or_grading_words_in_the_charts_words(lang: str) -> None:
    grading = re.compile(rf"\b({GRADING[lang]})\b", re.IGNORECASE)
    words = _chart_words(lang)
    assert {"chart_verdict_with[0]", "chart_verdict_against[0]", "chart_legend_direction[0]"} <= set(words)
    offenders = {key: text for key, text in words.items() if CHECK_MARKS.search(text) or grading.search(text)}
    assert offenders == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_move_against_the_guide_is_drawn_and_told_without_a_grade(lang: str) -> None:
    from lederkurs.answers.model import AnswersFile, FocusRating

    course = load_course(lang)
    doc = AnswersFile("kari")
    doc.focus["veiledning"] = FocusRating(8, 2)  # the other way than the guide's
    doc.focus["detaljer"] = FocusRating(8, 2)  # the guide's way
    points = focus_points(course, doc)
    sentence = describe(points, lang)
    drawn = [t.get_text() for t in figures.points_figure(points, lang).findobj(lambda a: hasattr(a, "get_text"))]
    grading = re.compile(rf"\b({GRADING[lang]})\b", re.IGNORECASE)
    for text in [sentence, *drawn]:
        assert not CHECK_MARKS.search(text) and not grading.search(text), text
    # A different direction can be right for her agency: the summary says so when she moved another way.
    assert catalogue(lang)["summary_other_direction"] in sentence
    assert catalogue(lang)["chart_verdict_against"] in drawn
