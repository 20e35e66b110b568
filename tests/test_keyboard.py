"""The course from the keyboard alone, in Voilà: every answer box, slider, button and link of 04 and 09 is
reached with Tab (and back with Shift-Tab), shows a visible focus ring, and works with keys.

Real pages, a real kernel, real key presses in headless Chromium; nothing is clicked with the mouse.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser_support import SAVED, VOILA_SCROLLER, VoilaServer, open_voila, shot, wait_for_answers

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

# Everything a participant can use inside the notebook's cells.
INTERACTIVE = (f"{VOILA_SCROLLER} textarea, {VOILA_SCROLLER} input:not([type=file]), {VOILA_SCROLLER} button, "
               f"{VOILA_SCROLLER} a[href]")

MARK_AND_LIST = """(selector) => {
  const found = [...document.querySelectorAll(selector)].filter(el => {
    const style = getComputedStyle(el);
    return el.offsetParent !== null && style.visibility !== 'hidden' && !el.disabled;
  });
  found.forEach((el, i) => el.setAttribute('data-kb', String(i)));
  const name = el => (el.getAttribute('aria-label') || el.textContent || el.placeholder || '').trim();
  return found.map(el => `${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''} ${name(el).slice(0, 50)}`);
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {kb: el.getAttribute('data-kb'), tag: el.tagName.toLowerCase(),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0,
          shadow: style.boxShadow, visible: el.matches(':focus-visible')};
}"""


def open_page(pg: Page, server: VoilaServer, notebook: str) -> list[str]:
    """Open a page and number every control on it (data-kb)."""
    open_voila(pg, server, notebook)
    return pg.evaluate(MARK_AND_LIST, INTERACTIVE)


def tab_through(pg: Page, key: str = "Tab", limit: int = 400) -> list[dict]:
    """Press `key` until focus comes back round to the first element; what was focused, in order."""
    seen: list[dict] = []
    for _ in range(limit):
        pg.keyboard.press(key)
        now = pg.evaluate(FOCUSED)
        if now and now["kb"] is not None:
            if seen and now["kb"] == seen[0]["kb"]:
                break
            seen.append(now)
    return seen


def assert_all_reached_with_a_ring(elements: list[str], order: list[dict]) -> None:
    reached = {f["kb"] for f in order}
    missing = [e for i, e in enumerate(elements) if str(i) not in reached]
    assert not missing, f"not reachable with Tab: {missing}"
    no_ring = [elements[int(f["kb"])] for f in order
               if not ((f["outline"] not in ("none", "") and f["width"] >= 2) or f["shadow"] not in ("none", ""))]
    assert not no_ring, f"focused without a visible focus ring: {no_ring}"


@pytest.mark.parametrize("notebook", ["04-overgang.ipynb", "09-oppsummering.ipynb"])
def test_every_control_is_reached_with_tab_and_shift_tab(voila_page: Page, voila_server: VoilaServer,
                                                         notebook: str) -> None:
    page = voila_page
    elements = open_page(page, voila_server, notebook)
    kinds = [e.split(" ", 1)[0] for e in elements]
    if notebook.startswith("04"):  # two answer boxes, before, now and the goal for eight areas, the own-area field
        assert kinds.count("textarea[textarea]") == 2 and kinds.count("input[range]") == 24 and "input[text]" in kinds
    else:  # the download, report and upload controls, and the refresh button
        assert kinds.count("button[submit]") >= 3, elements
    page.locator(VOILA_SCROLLER).focus()  # where a keyboard user starts: the page's cell region
    forward = tab_through(page)
    assert_all_reached_with_a_ring(elements, forward)
    backward = tab_through(page, "Shift+Tab")
    assert [f["kb"] for f in backward] == [f["kb"] for f in reversed(forward)]  # the same way back
    shot(page, f"keyboard-{notebook[:2]}.png", VOILA_SCROLLER)


def focus_by_tab(pg: Page, selector: str, limit: int = 400) -> None:
    """Tab (never click) until the element matching `selector` has focus."""
    target = pg.locator(selector).first
    target_kb = target.get_attribute("data-kb")
    for _ in range(limit):
        pg.keyboard.press("Tab")
        if pg.evaluate("() => document.activeElement && document.activeElement.getAttribute('data-kb')") == target_kb:
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_04_sliders_answer_boxes_and_buttons_work_from_the_keyboard(voila_page: Page,
                                                                    voila_server: VoilaServer) -> None:
    page = voila_page
    open_page(page, voila_server, "04-overgang.ipynb")
    page.locator(VOILA_SCROLLER).focus()
    focus_by_tab(page, ".lk-answer-box textarea")
    page.keyboard.type("Skrevet uten mus.")
    expect(page.locator(".lk-status").first).to_have_text(SAVED, timeout=15_000)

    slider = page.locator("input[type=range]").first
    focus_by_tab(page, "input[type=range]")
    before = int(slider.input_value())
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_value(str(min(before + 2, 10)))
    doc = wait_for_answers(voila_server, lambda d: bool(d.get("focus")))
    assert next(iter(doc["focus"].values()))["before"] == min(before + 2, 10)

    focus_by_tab(page, "input[type=text]")  # "Eget område"
    page.keyboard.type("Tastaturet")
    page.keyboard.press("Tab")  # to "Legg til område"
    expect(page.locator(":focus")).to_have_text(re.compile("Legg til område"))
    page.keyboard.press("Enter")
    added = page.locator(".lk-area-head strong", has_text="Tastaturet")
    try:
        expect(added).to_be_visible(timeout=15_000)
    finally:
        shot(page, "keyboard-04-added.png", VOILA_SCROLLER)
        print("own area field:", page.locator("input[type=text]").input_value(), "| alerts:",
              page.locator(".lk-error").all_inner_texts())
    assert "Tastaturet" in str(wait_for_answers(voila_server, lambda d: "Tastaturet" in str(d)))


def test_09_report_button_and_its_links_work_from_the_keyboard(voila_page: Page, voila_server: VoilaServer) -> None:
    page = voila_page
    open_page(page, voila_server, "09-oppsummering.ipynb")
    page.locator(VOILA_SCROLLER).focus()
    focus_by_tab(page, "button:has-text('Lag rapporten min')")
    page.keyboard.press("Space")
    report = page.get_by_role("link", name=re.compile("Word"))
    expect(report).to_be_visible(timeout=30_000)
    elements = page.evaluate(MARK_AND_LIST, INTERACTIVE)  # the new links are part of the page now
    assert_all_reached_with_a_ring(elements, tab_through(page))
