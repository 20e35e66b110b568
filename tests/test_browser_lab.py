"""The course as a participant sees it: real JupyterLab, real kernel, headless Chromium.

Each test opens a notebook on a clean workspace, runs it like a participant would (menus, typing,
sliders) and waits on real states (the kernel's execution indicator, the widgets' status text), never
on fixed sleeps. Answers go to the server's temporary answers folder; screenshots of the key states
go to test-output/screenshots/ (git-ignored).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from test_voila_narrow import shown_chart

from browser_support import (
    RUN_TIMEOUT,
    SAVED,
    LabServer,
    assert_no_browser_errors,
    menu,
    open_notebook,
    shot,
    wait_for_answers,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

ANSWER = "Jeg møter lederne mine hver uke; vi bygger bro på tvers – særlig når det blåser. ÆØÅ æøå!"


def assert_code_hidden(panel: Locator) -> None:
    """Participant mode: no code cell shows its editor, its collapsed-code placeholder or a prompt number."""
    cells = panel.locator(".jp-CodeCell")
    assert cells.count() >= 2
    for i in range(cells.count()):
        cell = cells.nth(i)
        expect(cell.locator(".jp-InputPlaceholder")).to_be_hidden()
        expect(cell.locator(".cm-editor")).to_be_hidden()
        expect(cell.locator(".jp-InputPrompt:visible, .jp-OutputPrompt:visible")).to_have_count(0)
    expect(panel.locator(".jp-CodeCell .cm-editor:visible")).to_have_count(0)


def test_answer_is_saved_and_comes_back_after_restart(page: Page, lab_server: LabServer) -> None:
    panel = open_notebook(page, lab_server, "notebooks/01-brobygger.ipynb")  # it runs itself
    box = panel.locator(".lk-answer-box textarea")
    expect(box).to_be_visible(timeout=RUN_TIMEOUT)
    wait_idle(panel)
    status = panel.locator(".lk-status")
    expect(status).to_contain_text("Ikke besvart")
    cells_before = panel.locator(".jp-Cell").count()

    box.click()
    page.keyboard.type(ANSWER, delay=10)  # real key presses: letters must not reach notebook shortcuts
    expect(status).to_have_text(SAVED, timeout=15_000)
    expect(box).to_have_value(ANSWER)
    assert panel.locator(".jp-Cell").count() == cells_before, "typing in the answer box edited the notebook"
    doc = wait_for_answers(lab_server, lambda d: "brobygger.relasjoner" in d.get("answers", {}))
    assert doc["participant"] == lab_server.participant
    assert doc["answers"]["brobygger.relasjoner"]["text"] == ANSWER
    status.scroll_into_view_if_needed()
    shot(page, "lab-01-answered.png")

    old_id = box.get_attribute("id")
    menu(page, "Kjerne", "Start på nytt og kjør hele notatboken…")
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible()
    dialog.locator("button.jp-mod-accept").click()
    expect(dialog).to_be_hidden()
    # A new widget view (new id) holding the saved answer, not the old one left on screen.
    fresh = panel.locator(f".lk-answer-box textarea:not([id='{old_id}'])")
    expect(fresh).to_be_visible(timeout=RUN_TIMEOUT)
    expect(fresh).to_have_value(ANSWER)
    expect(panel.locator(".lk-answer-box textarea")).to_have_count(1)
    expect(panel.locator(".lk-status")).to_have_text(SAVED)
    wait_idle(panel)
    assert_code_hidden(panel)
    panel.locator(".lk-status").scroll_into_view_if_needed()
    shot(page, "lab-01-after-restart.png")
    assert_no_browser_errors(page)


def test_focus_slider_redraws_chart_and_saves(page: Page, lab_server: LabServer) -> None:
    lab_server.clear_answers()
    panel = open_notebook(page, lab_server, "notebooks/04-overgang.ipynb")  # it runs itself
    chart = panel.locator(".lk-chart").first
    expect(panel.locator(".lk-answer-box textarea")).to_have_count(2, timeout=RUN_TIMEOUT)  # last cell ran
    wait_idle(panel)
    # Nothing placed yet: the sentence, no picture of nothing.
    expect(chart).to_contain_text("Du har ikke plassert deg på noen områder ennå.")
    img = panel.locator(".lk-chart img")
    expect(img).to_have_count(0)
    focus_before = set(lab_server.answers().get("focus", {}))

    slider = panel.locator(".lk-range").first
    assert slider.locator("label").inner_text() == "Da jeg ledet medarbeidere"
    handle = slider.locator("input[type=range]")
    assert handle.get_attribute("aria-label") == "Veiledning av andre – Da jeg ledet medarbeidere"
    readout = slider.locator("output")
    expect(readout).to_have_text("ikke satt")  # not set: nothing saved until she moves it
    assert "veiledning" not in lab_server.answers().get("focus", {})
    start = 5  # the handle rests in the middle while not set
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(readout).to_have_text(str(min(start + 3, 10)))
    expect(img).to_be_visible(timeout=30_000)
    assert img.get_attribute("src").startswith("data:image/png;base64,")
    # The HTML widget keeps the <picture>: the wide drawing here, the narrow one when the window is a phone's.
    assert shown_chart(img)["wide"]
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        assert shown_chart(img, "narrow")["narrow"]
        img.scroll_into_view_if_needed()
        shot(page, "lab-04-chart-390.png")
    finally:
        page.set_viewport_size(size)

    row = slider.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' lk-area ')][1]")  # its focus area
    expect(row.get_by_text(SAVED).first).to_be_visible(timeout=15_000)
    doc = wait_for_answers(lab_server, lambda d: set(d.get("focus", {})) - focus_before)
    new = set(doc.get("focus", {})) - focus_before
    assert new, f"no focus entry saved: {doc}"
    entry = doc["focus"][new.pop()]
    assert "now" not in entry, f"the untouched «Nå» slider was saved: {entry}"
    assert entry["before"] == min(start + 3, 10), entry
    assert_code_hidden(panel)
    panel.locator(".lk-chart").first.scroll_into_view_if_needed()
    shot(page, "lab-04-slider.png")
    handle.scroll_into_view_if_needed()
    shot(page, "lab-04-slider-row.png")
    assert_no_browser_errors(page)


@pytest.mark.parametrize(("notebook", "heading"), [("01-brobygger.ipynb", "Vær en brobygger"),
                                                   ("04-overgang.ipynb", "Reflekter over din overgang")],
                         ids=["01", "04"])
def test_code_is_hidden_when_opened(page: Page, lab_server: LabServer, notebook: str, heading: str) -> None:
    panel = open_notebook(page, lab_server, f"notebooks/{notebook}")
    title = panel.locator(".jp-MarkdownCell h1", has_text=heading)
    expect(title).to_be_visible()
    assert_code_hidden(panel)
    title.scroll_into_view_if_needed()
    shot(page, f"lab-{notebook.split('-')[0]}-opened.png")
    assert_no_browser_errors(page)
