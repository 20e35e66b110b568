"""Bounds on what one participant's file can hold, from one source (answers.model), held everywhere it enters:
the notebook, an upload, a cohort, and a render (which reads the cohort)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lederkurs import start
from lederkurs.answers.model import MAX_LABEL, MAX_OWN_AREAS, decode_answers
from lederkurs.answers.store import AnswerStore
from lederkurs.course.messages import describe
from lederkurs.errors import AnswersFileError
from lederkurs.trainer.cohort import read_cohort


def own_areas(count: int, label: str = "Område {n}") -> dict[str, dict[str, object]]:
    return {f"egen-{n}": {"label": label.format(n=n), "before": 2, "now": 7} for n in range(1, count + 1)}


def file_with(participant: str, focus: dict[str, dict[str, object]]) -> bytes:
    return json.dumps({"schema": 1, "participant": participant, "answers": {}, "focus": focus},
                      ensure_ascii=False).encode()


def test_the_most_own_areas_and_the_longest_label_are_read() -> None:
    doc = decode_answers(file_with("kari", own_areas(MAX_OWN_AREAS, "x" * (MAX_LABEL - 2) + "{n:02}")))
    assert len(doc.focus) == MAX_OWN_AREAS


@pytest.mark.parametrize("focus, key", [
    (own_areas(MAX_OWN_AREAS + 1), "reason_too_many_areas"),
    (own_areas(30_000), "reason_too_many_areas"),
    ({f"x{n}": {"before": 1} for n in range(1000)}, "reason_too_many_areas"),  # unnamed entries count too
    (own_areas(1, "x" * (MAX_LABEL + 1)), "reason_label_too_long"),
])
def test_a_file_over_the_bounds_is_refused_with_its_reason(focus: dict, key: str) -> None:
    with pytest.raises(AnswersFileError) as caught:
        decode_answers(file_with("kari", focus))
    assert caught.value.key == key
    assert describe(caught.value, "nb")  # worded in every language (test_content checks the keys)


def test_the_notebook_says_so_and_adds_nothing_beyond_the_bound(answers_dir: Path) -> None:
    store = AnswerStore(answers_dir, "kari")
    for n in range(1, MAX_OWN_AREAS):  # all but the last through the store: each add in the panel redraws
        store.set_focus(f"egen-{n}", None, None, f"Område {n}")
    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    assert panel.add_area("x" * (MAX_LABEL + 1)) is None and "40" in panel.add_status.value
    assert panel.add_area("Det siste") is not None
    assert panel.add_area("Ett til") is None
    assert f"allerede {MAX_OWN_AREAS} egne områder" in panel.add_status.value
    saved = AnswerStore(answers_dir, "kari").load().focus
    assert sum(1 for r in saved.values() if r.label) == MAX_OWN_AREAS
    assert "Ett til" not in {r.label for r in saved.values()}


def test_an_upload_that_would_pass_the_bound_is_refused_and_nothing_taken_in(answers_dir: Path) -> None:
    store = AnswerStore(answers_dir, "kari")
    for n in range(1, 12):
        store.set_focus(f"egen-{n}", 1, 2, f"Mitt {n}")
    before = store.path.read_bytes()
    upload = start("09", participant="kari", answers_dir=str(answers_dir)).summary().upload
    upload.receive(file_with("kari", own_areas(12, "Annet {n}")))  # 11 + 12 > 20, each alone within
    assert "Filen kan ikke brukes" in upload.status.value and str(MAX_OWN_AREAS) in upload.status.value
    upload.take_in("theirs")  # nothing is waiting to be taken in
    assert store.path.read_bytes() == before
    upload.receive(file_with("kari", own_areas(MAX_OWN_AREAS + 1)))
    assert "høyst 20" in upload.status.value
    assert store.path.read_bytes() == before


def test_a_cohort_file_over_the_bounds_is_named_never_drawn(tmp_path: Path) -> None:
    folder = tmp_path / "kull"
    folder.mkdir()
    (folder / "kari.json").write_bytes(file_with("kari", own_areas(30_000)))
    (folder / "ola.json").write_bytes(file_with("ola", own_areas(2)))
    cohort = read_cohort(folder)
    assert [m.name for m in cohort.members] == ["ola"]
    assert [(s.path.name, s.reason.key) for s in cohort.skipped] == [("kari.json", "reason_too_many_areas")]


# -- the chart draws any label the bounds allow ----------------------------------------------------------

LONGEST = {
    "latin with spaces": ("Samarbeid med " * 5)[:MAX_LABEL],
    "latin without spaces": "Tverrsektoriellsamordningsutfordringer" * 2,
    "cjk": "跨部门协作与领导力发展" * 4,
    "emoji": "🚀🤝📈🧭" * 10,
    "right to left": "التعاون بين القادة والمديرين في القطاع العام"[:MAX_LABEL],
}


def _text_extents_inside(fig) -> list[str]:
    """Every drawn text that reaches past the figure's edge, by its text."""
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    outside = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text():
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height:
            outside.append(text.get_text())
    return outside


@pytest.mark.parametrize("layout", ["wide", "narrow"])
@pytest.mark.parametrize("script", list(LONGEST))
def test_the_chart_lays_out_the_longest_label_in_any_script(script: str, layout: str) -> None:
    from lederkurs.charts.figures import points_figure, to_png
    from lederkurs.charts.frame import ROW
    from lederkurs.charts.layout import NARROW, WIDE
    from lederkurs.charts.points import focus_points
    from lederkurs.course.content import load_course
    from test_chart import _labels_above_rows

    label = LONGEST[script][:MAX_LABEL]
    assert len(label) == MAX_LABEL
    doc = decode_answers(file_with("kari", own_areas(MAX_OWN_AREAS, label[:-2] + "{n:02}")))
    points = focus_points(load_course("nb"), doc)
    fig = points_figure(points, "nb", NARROW if layout == "narrow" else WIDE)
    assert to_png(fig).startswith(b"\x89PNG")
    assert _text_extents_inside(fig) == []
    if layout == "narrow":  # each label above its row, on at most two lines
        labels = _labels_above_rows(fig, len(points))
        assert all(text.count("\n") <= 1 for text in labels)
        return
    ticks = [t for t in fig.axes[0].get_yticklabels() if t.get_text()]
    assert len(ticks) == len(points)
    renderer = fig.canvas.get_renderer()
    assert all(t.get_window_extent(renderer).height < ROW for t in ticks)  # no row runs into the next


def test_a_label_too_long_for_its_room_is_shortened_with_an_ellipsis() -> None:
    from lederkurs.charts.frame import FONT, LABEL_WIDTH, Measure, fit_label

    measure = Measure()
    fitted = fit_label(measure, "W" * MAX_LABEL, FONT)
    assert fitted.endswith("…") and fitted.count("\n") == 1
    assert all(measure.width(line, FONT) <= LABEL_WIDTH for line in fitted.split("\n"))
    assert fit_label(measure, "Kort navn", FONT) == "Kort navn"
    assert fit_label(measure, "Samarbeid med brukerne i hele sektoren", FONT, width=200).split("\n")[0] \
        .endswith(("med", "brukerne"))  # broken at a space


# -- what a file says reaches no page or terminal raw -----------------------------------------------------

CONTROL_LABEL = "Ondt\u202e\x1b[2J\x00navn"


def test_control_characters_in_a_label_are_made_visible_in_the_sentence_and_the_chart(
        capfd: pytest.CaptureFixture[str]) -> None:
    import warnings

    from lederkurs.charts.figures import points_figure, to_png
    from lederkurs.charts.points import describe, focus_points
    from lederkurs.course.content import load_course

    doc = decode_answers(file_with("kari", own_areas(1, CONTROL_LABEL)))
    points = focus_points(load_course("nb"), doc)
    sentence = describe(points, "nb")
    assert "\u202e" not in sentence and "\x1b" not in sentence and "\x00" not in sentence
    assert "\\u202e" in sentence and "\\x1b" in sentence
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = points_figure(points, "nb")
        to_png(fig)
    assert caught == []  # matplotlib's missing-glyph warnings stay in the log
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert not any(c in "".join(labels) for c in "\u202e\x1b\x00")
    out, err = capfd.readouterr()
    assert "\x1b" not in out + err
