"""Kari's March story in real JupyterLab and headless Chromium: her December file (schema 1) is there; in 00 she
starts «Oppfølging mars»; in 04 her December answer waits under the box, she places herself again and sets a goal,
and the chart over time shows both rounds and the goal."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from test_rounds import V1

from browser_support import (
    RUN_TIMEOUT,
    SAVED,
    LabServer,
    assert_no_browser_errors,
    open_notebook,
    shot,
    wait_for_answers,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.kernel]


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
        goal = panel.get_by_label("Veiledning av andre – Om et år")
        goal.scroll_into_view_if_needed()
        goal.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        now = panel.get_by_label("Veiledning av andre – Nå, som leder for ledere")
        now.focus()
        for _ in range(2):
            page.keyboard.press("ArrowRight")
        doc = wait_for_answers(lab_server, lambda d: d.get("goals", {}).get("veiledning", {}).get("value") == 8
                               and d.get("focus", {}).get("veiledning", {}).get("now") == 7, timeout=30)
        assert doc["focus"]["veiledning"]["before"] == 3  # «før» carried from December
        # Drawn from the saved file after each save: before, December, March and the goal, in order.
        time_chart = panel.locator(".lk-chart img[alt*='Veiledning av andre: før 3, Desember 2026 6, "
                                   "Oppfølging mars 7, om et år 8']")
        expect(time_chart).to_be_visible(timeout=30_000)
        expect(panel.locator(".lk-chart").last).to_contain_text("Fokuset ditt over 2 runder")
        row = goal.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
        expect(row.get_by_text(SAVED).first).to_be_visible(timeout=15_000)
        time_chart.scroll_into_view_if_needed()
        shot(page, "lab-04-over-time.png")
        assert_no_browser_errors(page)
    finally:
        if kept is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(kept)
