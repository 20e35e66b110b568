"""Kari's March story in real JupyterLab and headless Chromium: her December file (schema 1) is there; in 00 she
starts «Oppfølging mars»; in 04 her December answer waits under the box, she places herself again and sets a goal,
and the chart over time shows both rounds and the goal. The same in Voilà, and 04 there on a phone and at 200 % zoom."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Locator, Page, expect

from test_rounds import V1
from test_voila_narrow import shown_chart

from browser_support import (
    RUN_TIMEOUT,
    SAVED,
    SCREENSHOTS,
    VOILA_SCROLLER,
    CourseServer,
    LabServer,
    VoilaServer,
    assert_no_browser_errors,
    open_notebook,
    open_voila,
    shot,
    wait_for_answers,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.kernel]


def _place_in_march(scope: Page | Locator, server: CourseServer) -> dict:
    """Kari in March, by keyboard: «Nå» for Veiledning two steps up from its resting middle (to 7), her goal
    three (to 8); the answers file once both are saved."""
    for label, steps in (("Nå, som leder for ledere", 2), ("Om et år", 3)):
        slider = scope.get_by_label(f"Veiledning av andre – {label}")
        slider.scroll_into_view_if_needed()
        for _ in range(steps):
            slider.press("ArrowRight")
    return wait_for_answers(server, lambda d: d.get("goals", {}).get("veiledning", {}).get("value") == 8
                            and d.get("focus", {}).get("veiledning", {}).get("now") == 7, timeout=30)


def test_karis_march_story_in_jupyterlab(page: Page, lab_server: LabServer) -> None:
    path = lab_server.answers_file
    kept = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**V1, "participant": lab_server.participant}, ensure_ascii=False), encoding="utf-8")
    try:
        panel = open_notebook(page, lab_server, "notebooks/00-innledning.ipynb")
        start = panel.get_by_role("button", name="Start ny runde")
        expect(start).to_be_visible(timeout=RUN_TIMEOUT)
        wait_idle(panel)
        expect(panel.get_by_text("Runde i bruk:")).to_contain_text("runde 1 av 1")
        field = panel.get_by_label("Navn på ny runde")
        field.fill("Oppfølging mars")
        field.press("Tab")
        start.click()
        expect(panel.get_by_text("Ny runde startet: Oppfølging mars.")).to_be_visible(timeout=15_000)
        expect(panel.get_by_text("Runde i bruk:").first).to_contain_text("Oppfølging mars (runde 2 av 2)")
        shot(page, "lab-00-new-round.png")
        doc = wait_for_answers(lab_server, lambda d: len(d.get("earlier_rounds", [])) == 1)
        assert doc["round"]["name"] == "Oppfølging mars" and doc["answers"] == {}

        panel = open_notebook(page, lab_server, "notebooks/04-overgang.ipynb")
        expect(panel.locator(".lk-answer-box textarea")).to_have_count(2, timeout=RUN_TIMEOUT)
        wait_idle(panel)
        expect(panel.get_by_text("Runde i bruk: Oppfølging mars").first).to_be_visible()
        earlier = panel.locator("details.lk-earlier")
        expect(earlier).to_have_count(1)
        earlier.locator("summary").click()
        expect(earlier).to_contain_text("Desember: jeg gjør mer veiledning.")
        expect(earlier).to_contain_text("04.12.2026")
        doc = _place_in_march(panel, lab_server)
        assert doc["focus"]["veiledning"]["before"] == 3  # «før» carried from December
        goal = panel.get_by_label("Veiledning av andre – Om et år")
        # Drawn from the saved file after each save: before, December, March and the goal, in order.
        time_chart = panel.locator(".lk-chart img[alt*='Veiledning av andre: før 3, Desember 2026 6, "
                                   "Oppfølging mars 7, om et år 8']")
        expect(time_chart).to_be_visible(timeout=30_000)
        expect(panel.locator(".lk-chart").last).to_contain_text("Fokuset ditt over 2 runder")
        row = goal.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' lk-area ')][1]")
        expect(row.get_by_text(SAVED).first).to_be_visible(timeout=15_000)
        time_chart.scroll_into_view_if_needed()
        shot(page, "lab-04-over-time.png")
        assert_no_browser_errors(page)
    finally:
        if kept is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(kept)


# What must lie whole inside the viewport on 04 with two rounds: the sliders, buttons, answer boxes, the chart
# over time and the box its table of numbers scrolls in.
CONTROLS = (".lk-range, .lk-range output, .lk-range input, .jupyter-button, .widget-text input, .lk-chart img, "
            ".lk-answer-box textarea, .lk-chart details.lk-data")


def _outside(page: Page) -> list[str]:
    return page.evaluate("""selector => { const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll(selector)]
        .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width > 0 && (r.left < -0.5 || r.right > width + 0.5
                                             || (e.tagName !== 'DETAILS' && e.scrollWidth > e.clientWidth + 1)))
        .map(([e, r]) => `${e.tagName}.${e.className} ${Math.round(r.left)}..${Math.round(r.right)}`) }""",
                         CONTROLS)


def test_karis_march_story_in_voila(voila_page: Page, voila_server: VoilaServer) -> None:
    """The same story in the app: 00 starts the round, 04's chart over time and its numbers show both rounds;
    04 read on a phone (390 px) and at 200 % zoom keeps every control and the chart inside the page."""
    page = voila_page
    path = voila_server.answers_file
    path.write_text(json.dumps({**V1, "participant": voila_server.participant}, ensure_ascii=False),
                    encoding="utf-8")
    open_voila(page, voila_server, "00-innledning.ipynb")
    start = page.get_by_role("button", name="Start ny runde")
    expect(start).to_be_visible(timeout=RUN_TIMEOUT)
    expect(page.get_by_text("Runde i bruk:").first).to_contain_text("runde 1 av 1")
    field = page.get_by_label("Navn på ny runde")
    field.fill("Oppfølging mars")
    field.press("Tab")
    start.click()
    expect(page.get_by_text("Ny runde startet: Oppfølging mars.")).to_be_visible(timeout=15_000)
    doc = wait_for_answers(voila_server, lambda d: len(d.get("earlier_rounds", [])) == 1)
    assert doc["round"]["name"] == "Oppfølging mars" and doc["answers"] == {}

    open_voila(page, voila_server, "04-overgang.ipynb")
    expect(page.get_by_text("Runde i bruk: Oppfølging mars").first).to_be_visible(timeout=RUN_TIMEOUT)
    doc = _place_in_march(page, voila_server)
    assert doc["focus"]["veiledning"]["before"] == 3
    both = "img[alt*='Veiledning av andre: før 3, Desember 2026 6, Oppfølging mars 7, om et år 8']"
    chart = page.locator(f".lk-chart {both}")
    expect(chart).to_be_visible(timeout=30_000)
    box = page.locator(".lk-chart").filter(has=page.locator(both))
    expect(box).to_contain_text("Fokuset ditt over 2 runder")
    box.locator("details.lk-data summary").click()  # the chart's numbers, for those who cannot see it
    table = box.locator("table")
    expect(table).to_be_visible()
    expect(table).to_contain_text("Desember 2026")
    expect(table).to_contain_text("Oppfølging mars")
    chart.scroll_into_view_if_needed()
    shot(page, "voila-04-two-rounds-1366.png", scroller=VOILA_SCROLLER)
    assert shown_chart(chart)["wide"]  # a wide screen: the wide drawing
    assert_no_browser_errors(page)

    # The same page on a phone and at 200 % zoom (a 1366 px window: 683 CSS px, twice the pixels).
    for name, viewport, scale in (("390", {"width": 390, "height": 844}, 1),
                                  ("zoom-200", {"width": 683, "height": 450}, 2)):
        context = page.context.browser.new_context(viewport=viewport, device_scale_factor=scale,
                                                   locale="nb-NO", timezone_id="Europe/Oslo")
        try:
            narrow = context.new_page()
            open_voila(narrow, voila_server, "04-overgang.ipynb")
            chart = narrow.locator(f".lk-chart {both}")
            expect(chart).to_be_visible(timeout=RUN_TIMEOUT)
            shown = shown_chart(chart)  # the drawing for a narrow screen, at (nearly) its own size
            assert shown["narrow"] and shown["width"] == 390 and shown["scale"] >= 0.85, (name, shown)
            narrow.locator(".lk-chart").filter(has=narrow.locator(both)).locator("details.lk-data summary").click()
            outside = _outside(narrow)
            chart.scroll_into_view_if_needed()
            shot(narrow, f"voila-04-two-rounds-{name}.png", scroller=VOILA_SCROLLER)
            narrow.locator(".lk-chart").filter(has=narrow.locator(both)).screenshot(
                path=str(SCREENSHOTS / f"voila-04-time-chart-{name}.png"))
            assert not outside, f"clipped at {name}: {outside}"
        finally:
            context.close()


def test_the_trainer_chooses_two_rounds_in_voila(voila_page: Page, voila_server: VoilaServer) -> None:
    """The cohort notebook in the app: «Fra runde» and «Til runde» turn the sample cohort's shift table round,
    in place, with no code to edit."""
    page = voila_page
    open_voila(page, voila_server, "kursholder-kull.ipynb")
    table = page.locator("table.lk-table").filter(has_text="Endringen i kullet fra runde")
    expect(table).to_contain_text("fra runde 1 til runde 2", timeout=RUN_TIMEOUT)
    page.get_by_label("Fra runde").select_option("2")
    expect(page.get_by_text("velg to forskjellige runder")).to_be_visible(timeout=30_000)
    page.get_by_label("Til runde").select_option("1")
    expect(table).to_contain_text("fra runde 2 til runde 1", timeout=30_000)
    page.get_by_label("Fra runde").scroll_into_view_if_needed()
    shot(page, "voila-cohort-rounds-chosen.png")
    assert_no_browser_errors(page)
