"""Widgets bound to the store: what a participant types or slides is saved, and shown again next time."""

from __future__ import annotations

import time
from pathlib import Path

from lederkurs import start
from lederkurs.answers.store import AnswerStore
from lederkurs.notebook.autosave import flush_all


def _wait_for(predicate, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_typing_saves_without_a_button(answers_dir: Path) -> None:
    kurs = start("01", participant="kari", answers_dir=str(answers_dir))
    box = kurs.question("brobygger.relasjoner")
    # The questions are the Markdown cell above; the box's label carries them for a screen reader.
    assert box.text.description_allow_html
    assert box.text.description.endswith("Ditt svar")
    assert '<span class="lk-sr-only">Har du et aktivt forhold til relasjonsbygging?' in box.text.description
    box.text.value = "Jeg tar kontakt med nye kolleger."
    assert box.status.value.count("Lagrer") == 1
    store = AnswerStore(answers_dir, "kari")
    assert _wait_for(lambda: "brobygger.relasjoner" in store.load().answers)  # debounced save, no flush
    assert store.load().answers["brobygger.relasjoner"].text == "Jeg tar kontakt med nye kolleger."
    assert _wait_for(lambda: "Lagret kl." in box.status.value)


def test_a_new_kernel_shows_the_saved_answer(answers_dir: Path) -> None:
    first = start("02", participant="kari", answers_dir=str(answers_dir)).question("hatter.roller")
    first.text.value = "Fire hatter, minst."
    first.flush()
    again = start("02", participant="kari", answers_dir=str(answers_dir)).question("hatter.roller")
    assert again.text.value == "Fire hatter, minst."
    assert "Lagret kl." in again.status.value


def test_pending_saves_are_flushed_when_the_kernel_exits(answers_dir: Path) -> None:
    box = start("01", participant="kari", answers_dir=str(answers_dir)).question("brobygger.relasjoner")
    box.text.value = "skrevet rett før omstart"
    flush_all()  # what atexit runs on kernel shutdown
    assert AnswerStore(answers_dir, "kari").load().answers["brobygger.relasjoner"].text == "skrevet rett før omstart"


def test_sliders_save_like_answers_and_redraw_the_chart(answers_dir: Path) -> None:
    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    row = next(r for r in panel.rows if r.point.id == "veiledning")
    first_chart = panel.chart_view.value
    row.before = 2
    row.now = 9
    assert panel.chart_view.value != first_chart
    assert "1 flytter seg slik veilederen beskriver (Veiledning av andre)" in panel.chart_view.value
    row.flush()
    saved = AnswerStore(answers_dir, "kari").load().focus["veiledning"]
    assert (saved.before, saved.now) == (2, 9)
    # Back in a new session, the sliders stand where they were left.
    panel2 = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    row2 = next(r for r in panel2.rows if r.point.id == "veiledning")
    assert (row2.before, row2.now) == (2, 9)


def test_nothing_placed_shows_the_sentence_and_no_picture_until_a_slider_moves(answers_dir: Path) -> None:
    """A chart of nothing tells her nothing (and would make 04 wait for matplotlib as it opens)."""
    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    assert "<img" not in panel.chart_view.value
    assert "Du har ikke plassert deg på noen områder ennå." in panel.chart_view.value
    panel.rows[0].now = 6
    assert panel.chart_view.value.startswith("<picture>") and "<img" in panel.chart_view.value  # wide and narrow


def test_own_focus_areas_can_be_added_and_removed(answers_dir: Path) -> None:
    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    assert panel.add_area("   ") is None and "Skriv et navn" in panel.add_status.value
    row = panel.add_area("Samarbeid med brukerne")
    assert row is not None and row.point.id == "egen-1"
    row.before, row.now = 3, 8
    row.flush()
    saved = AnswerStore(answers_dir, "kari").load().focus["egen-1"]
    assert saved.label == "Samarbeid med brukerne" and (saved.before, saved.now) == (3, 8)
    assert "Samarbeid med brukerne" in panel.chart_view.value
    panel.remove_area(row)
    assert "egen-1" not in AnswerStore(answers_dir, "kari").load().focus


def test_chart_can_be_saved_as_png_and_svg(answers_dir: Path) -> None:
    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    files = panel.save_chart()
    assert [p.suffix for p in files] == [".png", ".svg"]
    assert files[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in files[1].read_bytes()[:500]
    assert 'download="kari-fokusskifte.png"' in panel.save_status.value


def test_a_reopened_panel_shows_its_chart_at_once_and_still_redraws(answers_dir: Path) -> None:
    """Opened again with the same answers, 04 shows the chart already drawn for them (no drawing on the way);
    matplotlib comes in the background, and a slider move redraws as before."""
    first = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    row = first.rows[0]
    row.before, row.now = 1, 9
    row.flush()
    drawn = first.chart_view.value
    again = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    assert again.chart_view.value == drawn  # the same picture, from the participant's cache
    moved = next(r for r in again.rows if r.point.id == "detaljer")
    moved.before, moved.now = 8, 2
    assert again.chart_view.value != drawn
    assert "2 flytter seg slik veilederen beskriver (Veiledning av andre, Detaljer i arbeidsprosessene)" in \
        again.chart_view.value


def test_an_untouched_slider_is_not_saved_drawn_or_counted(answers_dir: Path) -> None:
    """Moving only «Nå» saves «Nå»: «Da jeg …» stays unset in the file, not a middle value she never chose."""
    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    row = next(r for r in panel.rows if r.point.id == "veiledning")
    assert (row.before, row.now) == (None, None)
    assert "Ikke ferdig plassert ennå: Veiledning" not in panel.chart_view.value  # nothing placed: one sentence
    row.now = 7
    row.flush()
    raw = (answers_dir / "kari.json").read_text(encoding="utf-8")
    assert '"now": 7' in raw and '"before"' not in raw
    saved = AnswerStore(answers_dir, "kari").load().focus["veiledning"]
    assert (saved.before, saved.now) == (None, 7)
    assert "Du har ikke plassert deg på noen områder ennå." in panel.chart_view.value  # one side is not a place
    other = next(r for r in panel.rows if r.point.id == "oversikt")
    other.before, other.now = 3, 8
    assert "plassert deg på 1:" in panel.chart_view.value
    assert "Ikke ferdig plassert ennå: Veiledning av andre, Eksternt fokus" in panel.chart_view.value
    other.flush()
    again = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    row2 = next(r for r in again.rows if r.point.id == "veiledning")
    assert (row2.before, row2.now) == (None, 7)
    assert set(AnswerStore(answers_dir, "kari").load().focus) == {"veiledning", "oversikt"}


def test_her_own_name_is_kept_in_the_file_and_used_in_the_report(answers_dir: Path) -> None:
    from lederkurs.course.content import load_course
    from lederkurs.reports.personal import build_report

    area = start("00", participant="kari", answers_dir=str(answers_dir)).answers_location()
    field = area.children[1]
    assert (answers_dir / "kari.json").exists() is False  # showing the field writes nothing
    field.field.value = "  Kari   Nordmann "
    assert "Lagret kl." in field.status.value
    doc = AnswerStore(answers_dir, "kari").load()
    assert (doc.participant, doc.name) == ("kari", "Kari Nordmann")
    assert "Deltaker: Kari Nordmann" in build_report(load_course("nb"), doc).meta
    field.field.value = "x" * 81
    assert "høyst 80 tegn" in field.status.value and 'role="alert"' in field.status.value
    assert AnswerStore(answers_dir, "kari").load().name == "Kari Nordmann"
    summary = start("09", participant="kari", answers_dir=str(answers_dir)).summary()
    assert summary.name.field.value == "Kari Nordmann"
    summary.name.field.value = ""
    assert '"name"' not in (answers_dir / "kari.json").read_text(encoding="utf-8")


def test_a_slider_value_off_the_scale_is_refused_and_nothing_saved(answers_dir: Path) -> None:
    """What the browser sends is a person's input: a crafted 99, -1 or true is not taken, drawn or saved (a true
    saved would make her file unreadable)."""
    import pytest
    from traitlets import TraitError

    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    row = next(r for r in panel.rows if r.point.id == "veiledning")
    for bad in (99, -1, True):
        with pytest.raises(TraitError):
            row.set_state({"before": bad})  # what the comm calls with the browser's message
    row.set_state({"goal": 10})
    row.flush()
    assert (row.before, row.goal) == (None, 10)
    saved = AnswerStore(answers_dir, "kari").load()
    assert "veiledning" not in saved.focus and saved.goals["veiledning"].value == 10


def test_fjern_in_the_browser_removes_her_own_area_and_never_the_guides(answers_dir: Path) -> None:
    panel = start("04", participant="kari", answers_dir=str(answers_dir)).focus_self()
    guide = panel.rows[0]
    assert guide.remove_text == ""  # the guide's areas have no «Fjern»
    guide._handle_custom_msg({"event": "remove"}, [])  # what the comm calls; the browser test clicks «Fjern»
    assert guide in panel.rows
    own = panel.add_area("Samarbeid med brukerne")
    assert own is not None and own.remove_text == "Fjern" and own.remove_name == "Fjern «Samarbeid med brukerne»"
    own._handle_custom_msg({"event": "remove"}, [])
    assert own not in panel.rows and "egen-1" not in AnswerStore(answers_dir, "kari").load().focus
