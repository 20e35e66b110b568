"""The focus-shift chart: which area moved which way, and what the figure carries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.text import Annotation

from lederkurs.answers.model import AnswersFile, FocusRating
from lederkurs.charts import figures as chart
from lederkurs.charts.layout import NARROW, WIDE
from lederkurs.charts.live import LiveChart
from lederkurs.charts.points import FocusPoint, cohort_areas, describe, focus_points
from lederkurs.course.content import load_course
from lederkurs.course.languages import available_languages

COURSE = load_course("nb")


def _doc(**scores: tuple) -> AnswersFile:
    doc = AnswersFile("kari")
    for key, (before, now, *label) in scores.items():
        doc.focus[key.replace("_", "-")] = FocusRating(before, now, label[0] if label else None)
    return doc


@pytest.mark.parametrize("direction, before, now, verdict", [
    ("more", 3, 8, "with"), ("more", 8, 3, "against"), ("less", 8, 2, "with"), ("less", 2, 8, "against"),
    ("more", 5, 5, "unchanged"), ("less", None, 4, "missing"), ("more", 4, None, "missing"),
    (None, 2, 6, "own_up"), (None, 6, 2, "own_down"), (None, 6, 6, "unchanged"),
])
def test_verdict_of_each_move(direction, before, now, verdict) -> None:
    assert FocusPoint("x", "X", direction, before, now).verdict == verdict


def test_focus_points_follow_the_guide_then_own_areas() -> None:
    doc = _doc(veiledning=(2, 8), detaljer=(7, 3), egen_1=(1, 5, "Brukerne"), egen_2=(None, None))
    points = focus_points(COURSE, doc)
    assert [p.id for p in points][:8] == [a.id for a in COURSE.focus_areas]
    assert [p.label for p in points[8:]] == ["Brukerne"]  # an own area without a label is not drawn
    assert {p.id: p.verdict for p in points}["detaljer"] == "with"
    assert [p.verdict for p in points].count("missing") == 6


def test_summary_sentence_says_what_the_chart_shows() -> None:
    points = focus_points(COURSE, _doc(veiledning=(2, 8), oversikt=(6, 3), strategi=(5, 5), egen_1=(1, 5, "Brukerne")))
    assert describe(points, "nb") == (
        "Av 9 områder har du plassert deg på 4: 1 flytter seg slik veilederen beskriver (Veiledning av andre), "
        "1 flytter seg i en annen retning enn veilederen beskriver (Oversikt og helhet), "
        "1 står uendret (Strategisk og langsiktig) "
        "og 1 er et eget område (Brukerne). Veilederen sier selv at hvilke andre endringer du må gjøre, avhenger "
        "av virksomheten: En annen retning kan være den som passer for din. Ikke ferdig plassert ennå: "
        "Eksternt fokus, Døråpner for samarbeid, Egen ledergruppe, Enkeltmedarbeidere og Detaljer i "
        "arbeidsprosessene.")
    assert describe(focus_points(COURSE, AnswersFile("x")), "nb") == "Du har ikke plassert deg på noen områder ennå."


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


def test_guide_figure_has_every_area_its_direction_and_a_legend() -> None:
    fig = chart.guide_figure(COURSE)
    texts = _texts(fig)
    for area in COURSE.focus_areas:
        assert f"{area.label} {'↑' if area.direction == 'more' else '↓'}" in texts
    assert texts.count("mer oppmerksomhet") == 6 and texts.count("mindre oppmerksomhet") == 2
    assert "Som leder for medarbeidere" in texts and "Som leder for ledere" in texts
    assert any("ikke DFØs illustrasjon" in t for t in texts)
    arrows = [a for a in fig.axes[0].get_children() if isinstance(a, Annotation)]
    assert len(arrows) == len(COURSE.focus_areas)
    # Arrows point right for "more", left for "less": direction is not carried by colour alone.
    for area, arrow in zip(COURSE.focus_areas, arrows, strict=True):
        assert (arrow.xy[0] > arrow.xyann[0]) == (area.direction == "more")


def test_participant_figure_marks_each_area() -> None:
    doc = _doc(veiledning=(2, 8), detaljer=(3, 7), strategi=(5, 5), egen_1=(1, 5, "Brukerne"))
    fig = chart.points_figure(focus_points(COURSE, doc), "nb")
    texts = _texts(fig)
    assert "som veilederen" in texts and "annen retning" in texts
    assert "= uendret" in texts and texts.count("– ikke fylt ut") == 5
    assert "↑ eget område, økt" in texts and "Brukerne" in texts
    assert "Da jeg ledet medarbeidere" in texts and "Nå, som leder for ledere" in texts
    assert len([a for a in fig.axes[0].get_children() if isinstance(a, Annotation)]) == 3
    assert min(t.get_fontsize() for t in fig.axes[0].get_yticklabels()) >= 12
    width, _ = fig.get_size_inches() * fig.dpi
    assert width <= 1000


def _pixels(png: bytes):
    from io import BytesIO

    from PIL import Image

    return Image.open(BytesIO(png)).convert("RGB")


@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=["wide", "narrow"])
def test_live_chart_redraws_in_place_to_the_same_picture_as_a_full_draw(layout) -> None:
    from PIL import ImageChops

    live = LiveChart("nb", layout)
    doc = _doc(veiledning=(2, 8), detaljer=(7, 3), egen_1=(1, 5, "Brukerne"))
    first = live.png(focus_points(COURSE, doc))
    # Moves one row at a time (the others' pixels are kept): each redraw is, pixel for pixel, a full draw.
    for area, values in (("veiledning", (8, 2)), ("detaljer", (7, 7)), ("egen-1", (9, None)),
                         ("veiledning", (0, 10))):
        label = doc.focus[area].label
        doc.focus[area] = FocusRating(*values, label) if label else FocusRating(*values)
        moved = live.png(focus_points(COURSE, doc))
        assert first != moved and first[:8] == moved[:8] == b"\x89PNG\r\n\x1a\n"
        full = chart.to_png(chart.points_figure(focus_points(COURSE, doc), "nb", layout))
        partial, whole = _pixels(moved), _pixels(full)
        assert partial.size == whole.size == (layout.width, whole.size[1])
        assert ImageChops.difference(partial, whole).getbbox() is None, values
    doc.focus["veiledning"], doc.focus["detaljer"] = FocusRating(2, 8), FocusRating(7, 3)
    doc.focus["egen-1"] = FocusRating(1, 5, "Brukerne")
    assert live.png(focus_points(COURSE, doc)) == first  # nothing stacks up between redraws


def test_a_render_worker_draws_each_participants_chart_as_a_full_draw_would(tmp_path: Path) -> None:
    from lederkurs.charts import png as chart_png

    # One worker, a cohort in a row: same rows, then an own area (new rows), then the first rows again.
    docs = [_doc(veiledning=(2, 8), detaljer=(7, 3)), _doc(veiledning=(9, 1)),
            _doc(veiledning=(2, 8), egen_1=(1, 5, "Brukerne")), _doc(detaljer=(3, 3))]
    for doc in docs:
        points = focus_points(COURSE, doc)
        chart_png.prepare(points, "nb", tmp_path)
        for layout in (WIDE, NARROW):
            prepared = (tmp_path / f"{chart_png.points_key(points, 'nb', layout)}.png").read_bytes()
            assert prepared == chart.to_png(chart.points_figure(points, "nb", layout))
    assert len(list(tmp_path.glob("*.png"))) == 2 * len(docs)  # wide and narrow


def test_cohort_statistics_and_figure() -> None:
    docs = [_doc(veiledning=(b, n)) for b, n in ((2, 6), (3, 7), (4, 9), (5, 8))] + [_doc(veiledning=(3, None))]
    areas = cohort_areas(COURSE, docs)
    stats = {a.id: a for a in areas}
    v = stats["veiledning"]
    assert v.n == 4 and v.before_median == 3.5 and v.now_median == 7.5
    assert v.before_quartiles == (2.75, 4.25) and v.verdict == "with"
    assert stats["detaljer"].n == 0 and stats["detaljer"].now_median is None and stats["detaljer"].verdict == "missing"
    fig = chart.cohort_figure(areas, len(docs), "nb")
    assert "Fokusskiftet i kullet (n = 5)" in _texts(fig)
    assert "Veiledning av andre ↑ (n=4)" in _texts(fig)


def test_png_and_svg_are_written_for_a_participant_file(tmp_path: Path) -> None:
    files = chart.save(chart.points_figure(focus_points(COURSE, _doc(veiledning=(2, 8))), "nb"), tmp_path / "kari")
    assert files[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and files[0].stat().st_size > 10_000
    svg = files[1].read_text(encoding="utf-8")
    assert "<svg" in svg


def test_importing_the_package_does_not_import_matplotlib() -> None:
    code = ("import sys, lederkurs, lederkurs.answers.store, lederkurs.course.content, lederkurs.notebook.session; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_text_notebook_does_not_import_the_charts() -> None:
    # a text notebook (no chart) opens its session; the charts are imported only where one is shown
    code = ("import sys, lederkurs.notebook.session; "
            "print(sorted(m for m in sys.modules if m.startswith('lederkurs.charts')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_batch_chart_cache_gives_the_same_picture_without_matplotlib(tmp_path: Path) -> None:
    import json
    import os

    from lederkurs.charts import png as chart_png

    doc = _doc(veiledning=(2, 8), egen_1=(1, 5, "Brukerne"))
    chart_png.prepare(focus_points(COURSE, doc), "nb", tmp_path)
    script = ("import sys, json\nfrom lederkurs.answers.model import parse_answers\n"
              "from lederkurs.course.content import load_course\nfrom lederkurs.charts.png import participant_png\n"
              "from lederkurs.charts.points import focus_points\ndoc = parse_answers(json.loads(sys.stdin.read()))\n"
              "png = participant_png(focus_points(load_course(), doc), 'nb')\n"
              "sys.stdout.write(str('matplotlib' in sys.modules) + ' ' + png.hex())")
    payload = json.dumps(doc.to_json())
    cached = subprocess.run([sys.executable, "-c", script], input=payload, capture_output=True, text=True,
                            env={**os.environ, "LEDERKURS_CHART_CACHE": str(tmp_path)}, check=True).stdout.split()
    drawn = subprocess.run([sys.executable, "-c", script], input=payload, capture_output=True, text=True,
                           check=True).stdout.split()
    assert cached[0] == "False" and drawn[0] == "True"
    assert cached[1] == drawn[1]  # byte for byte the same picture


def test_a_kept_chart_is_shown_only_while_its_words_and_drawing_code_are_the_same(
        content_copy: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    from lederkurs import paths
    from lederkurs.charts import png as chart_png
    from lederkurs.charts import source
    from lederkurs.course import messages

    points = focus_points(COURSE, _doc(veiledning=(2, 8)))
    drawn = chart_png.participant_png(points, "nb")
    chart_png.keep(chart_png.points_key(points, "nb"), b"kept")
    assert chart_png.participant_png(points, "nb") == b"kept"  # the cache answers while nothing changed

    # A chart word changed in the content: the next picture is drawn with it.
    path = content_copy / "nb" / "messages.yml"
    path.write_text(path.read_text(encoding="utf-8").replace('chart_self_title: "Mitt fokusskifte"',
                                                             'chart_self_title: "Mitt nye fokusskifte"'),
                    encoding="utf-8")
    monkeypatch.setenv(paths.CONTENT_ENV, str(content_copy))
    request.addfinalizer(messages.catalogue.cache_clear)
    messages.catalogue.cache_clear()
    reworded = chart_png.participant_png(points, "nb")
    assert reworded[:8] == b"\x89PNG\r\n\x1a\n" and reworded not in (b"kept", drawn)
    assert "Mitt nye fokusskifte" in _texts(chart.points_figure(points, "nb"))

    # The drawing code changed (an edit of figures.py or theme.py, another matplotlib): drawn again.
    chart_png.keep(chart_png.points_key(points, "nb"), b"kept")
    monkeypatch.setattr(source, "drawing_code", lambda: "figures.py as edited")
    assert chart_png.participant_png(points, "nb") == reworded


def test_the_drawing_fingerprint_holds_every_file_that_draws(tmp_path: Path) -> None:
    import shutil

    from lederkurs.charts import source

    names = {p.name for p in source.drawing_files()}
    assert {"figures.py", "live.py", "points.py", "theme.py"} <= names
    copies = [Path(shutil.copy(p, tmp_path / p.name)) for p in source.drawing_files()]
    assert source.digest(copies) == source.drawing_code()
    theme = tmp_path / "theme.py"
    theme.write_text(theme.read_text(encoding="utf-8").replace("#0072B2", "#0072B3"), encoding="utf-8")
    assert source.digest(copies) != source.drawing_code()
    assert set(source.words("nb")) >= {"chart_self_title", "chart_before", "chart_now", "chart_verdict_with"}


def _clipped(fig) -> list[str]:
    """Texts that reach beyond the figure's edges (a pixel of slack for anti-aliasing)."""
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    found = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        extent = text.get_window_extent(renderer)
        if extent.x0 < box.x0 - 1 or extent.x1 > box.x1 + 1 or extent.y0 < box.y0 - 1 or extent.y1 > box.y1 + 1:
            found.append(f"{text.get_text()!r} at x {extent.x0:.0f}–{extent.x1:.0f} of {box.x1:.0f}")
    return found


def _labels_above_rows(fig, rows: int) -> list[str]:
    """A narrow chart's row labels, each checked to stand wholly above its row's markers and below the row
    before's: the axes' texts hung from their top (the round numbers are centred on their marker), top to bottom."""
    from matplotlib.lines import Line2D

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = sorted((t for t in ax.texts if t.get_va() == "top" and t.get_text().strip()),
                    key=lambda t: -t.get_window_extent(renderer).y1)
    assert len(labels) == rows
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert all(box.x0 >= 9 for box in boxes)  # at the figure's padding, not left of the scale
    markers = [line for line in ax.get_lines() if line.get_marker() not in ("None", None, "")
               and isinstance(line, Line2D) and len(line.get_xdata()) == 1]
    tops = [box.y0 for box in boxes]  # display y grows upwards
    for marker in markers:
        y = ax.transData.transform((0, marker.get_ydata()[0]))[1]
        row = max(i for i, top in enumerate(tops) if top >= y - 1)  # the last label above the marker
        assert boxes[row].y0 > y, f"{labels[row].get_text()!r} reaches down to its row's markers"
        if row + 1 < len(boxes):
            assert boxes[row + 1].y1 < y  # the next row's label is below this row's markers
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert lower.y1 < upper.y0  # no label runs into the next
    return [t.get_text() for t in labels]


@pytest.mark.parametrize("lang", available_languages())
def test_no_text_in_any_chart_is_clipped(lang: str) -> None:
    course = load_course(lang)
    every_verdict = AnswersFile("kari")
    scores = [(2, 8), (8, 2), (5, 5), (None, 4), (3, 7), (7, 3), (1, 9), (9, 1)]
    for area, (before, now) in zip(course.focus_areas, scores, strict=True):
        every_verdict.focus[area.id] = FocusRating(before, now)
    every_verdict.focus["egen-1"] = FocusRating(2, 9, "W" * 40)  # the longest own label the widget accepts
    every_verdict.focus["egen-2"] = FocusRating(9, 2, "Lønn $\\x$ bonus – " + "æøå" * 7)
    points = focus_points(course, every_verdict)
    figures = {"guide": chart.guide_figure(course), "participant": chart.points_figure(points, lang),
               "cohort": chart.cohort_figure(cohort_areas(course, [every_verdict] * 3), 3, lang)}
    figures["participant narrow"] = chart.points_figure(points, lang, NARROW)
    clipped = {name: _clipped(fig) for name, fig in figures.items()}
    assert clipped == {name: [] for name in figures}
    narrow = figures["participant narrow"]
    assert narrow.get_size_inches()[0] * narrow.dpi == NARROW.width
    assert len(_labels_above_rows(narrow, len(points))) == len(points)
    verdicts = [t for t in narrow.axes[0].texts if t.get_ha() == "right"]
    assert len(verdicts) == len(points)  # each row's verdict, right-aligned on its label's line


def test_the_narrow_chart_keeps_the_wide_ones_font_sizes_and_gives_the_scale_the_width() -> None:
    from matplotlib.text import Text

    points = focus_points(COURSE, _doc(veiledning=(2, 8), detaljer=(7, 3), egen_1=(1, 5, "Brukerne")))
    wide, narrow = (chart.points_figure(points, "nb", layout) for layout in (WIDE, NARROW))

    def sizes(fig) -> set[float]:
        return {t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()}

    assert sizes(narrow) == sizes(wide)
    assert min(sizes(narrow)) >= chart.FONT - 3
    box = narrow.axes[0].get_position()
    assert box.width * NARROW.width >= NARROW.width - 40  # the scale 0–10 spans nearly the whole width


SHOW_09 = """
import sys
from lederkurs import start
html = start("09", participant="kari", answers_dir=sys.argv[1], read_only=True).summary().data
print("matplotlib" in sys.modules, html.count('src="data:image/png;base64,'))
"""


def test_09_shows_the_chart_04_drew_without_drawing_it_again(answers_dir: Path, tmp_path: Path) -> None:
    """A kernel that opens 09 after the sliders of 04 moved shows that chart from the participant's own cache,
    without importing matplotlib; with another answer it draws (and keeps) a new one."""
    import os

    from lederkurs import start

    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    row = panel.rows[0]
    row.before, row.now = 2, 9
    row.flush()
    env = {**os.environ}
    show = subprocess.run([sys.executable, "-c", SHOW_09, str(answers_dir)], capture_output=True, text=True,
                          env=env, check=True, timeout=120).stdout.split()[-2:]
    assert show == ["False", "1"]
    from lederkurs.answers.store import AnswerStore

    AnswerStore(answers_dir, "kari").set_focus("oversikt", 1, 8)  # not what the sliders drew: drawn anew
    show = subprocess.run([sys.executable, "-c", SHOW_09, str(answers_dir)], capture_output=True, text=True,
                          env=env, check=True, timeout=120).stdout.split()[-2:]
    assert show == ["True", "1"]
    assert len(list((tmp_path / "cache" / "charts").glob("*.png"))) >= 2


def test_an_area_with_one_side_placed_is_named_as_not_placed_and_not_counted() -> None:
    points = focus_points(COURSE, _doc(veiledning=(None, 7), oversikt=(6, 3)))
    sentence = describe(points, "nb")
    assert sentence.startswith("Av 8 områder har du plassert deg på 1:")
    assert "Ikke ferdig plassert ennå: Veiledning av andre, " in sentence


def test_the_page_offers_the_narrow_chart_to_a_narrow_screen_and_the_sentence_alone_without_a_chart() -> None:
    import base64
    import re

    from lederkurs.reports import html

    markup = str(html.chart(b"wide", "Tre & fire", b"narrow"))
    wide, narrow = (base64.b64encode(b).decode() for b in (b"wide", b"narrow"))
    assert re.fullmatch(r'<picture><source media="\(max-width: 56em\)" srcset="data:image/png;base64,'
                        + narrow + r'"><img src="data:image/png;base64,' + wide
                        + r'" alt="Tre &amp; fire" [^>]*></picture><p>Tre &amp; fire</p>', markup), markup
    assert "<picture>" not in html.chart(b"wide", "Tre")  # the cohort's chart: wide only
    assert str(html.chart(None, "Ingenting plassert.", b"narrow")) == "<p>Ingenting plassert.</p>"
