"""The course as a web page (Voilà, `make app`): text and widgets, no code, real kernel, headless Chromium.

Voilà runs each notebook on its own kernel when its page is opened and shows the Markdown and the
outputs only. The server runs in directory mode on notebooks/, as `make app` does, so the notebooks'
own links lead from one page to the next. Answers go to the server's temporary answers folder;
screenshots go to test-output/screenshots/voila-*.png (git-ignored).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser_support import SAVED, VOILA_SCROLLER, VoilaServer, assert_no_browser_errors, shot, wait_for_answers

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

RENDER_TIMEOUT = 90_000  # ms: Voilà starts a kernel and runs the whole notebook before the widgets show
ANSWER = "Broer bygges i små steg: kaffe med ledergruppen, åpne dører, ærlige svar. ÆØÅ æøå!"
# Source text that must never reach the page: the cells' code and the papermill parameters.
CODE_TEXT = ["kurs.question", "kurs.take_away", "kurs.focus", "from lederkurs", "import ", "participant =",
             "participant:", "answers_dir", "read_only", "lang =", "lang:", "Traceback"]
# Where code or its prompts would be: a code cell's input area, an editor, an execution count.
CODE_SELECTORS = (".jp-CodeCell .jp-InputArea, .jp-CodeCell .jp-Cell-inputWrapper, .jp-InputPrompt, "
                  ".jp-OutputPrompt, .cm-editor, .CodeMirror, .jp-CodeMirrorEditor, .highlight")
# A warning or an exception printed by a cell: Voilà shows stderr and errors like any other output.
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type="application/vnd.jupyter.error"]'


def open_page(pg: Page, server: VoilaServer, name: str) -> None:
    """Open a notebook's page and wait until Voilà has run it.

    Voilà keeps the cells hidden (#rendered_cells) until every cell has run, so a visible answer box
    means the whole notebook is on the page, and its widgets are connected to the kernel.
    """
    pg.goto(server.render_url(name))
    expect(pg.locator(".lk-answer-box textarea").first).to_be_visible(timeout=RENDER_TIMEOUT)


def assert_no_code(pg: Page) -> None:
    text = pg.locator("body").inner_text()  # the text a reader sees (hidden elements excluded)
    shown = [t for t in CODE_TEXT if t in text]
    assert not shown, f"code on the page: {shown}"
    expect(pg.locator(CODE_SELECTORS)).to_have_count(0)
    expect(pg.locator(STDERR)).to_have_count(0)


def image_loaded(img) -> bool:
    return img.evaluate("el => el.complete && el.naturalWidth > 0 && el.naturalHeight > 0")


def test_answer_is_saved_and_next_link_opens_notebook_02(voila_page: Page, voila_server: VoilaServer) -> None:
    page = voila_page
    open_page(page, voila_server, "01-brobygger.ipynb")
    assert_no_code(page)
    expect(page.get_by_role("heading", level=1, name="Vær en brobygger")).to_be_visible()
    expect(page.get_by_text("Har du et aktivt forhold til relasjonsbygging?", exact=True)).to_be_visible()
    expect(page.locator(".lk-answer-box label")).to_have_text(re.compile(r"Ditt svar$"))
    # The box's accessible name: the questions (the Markdown above, repeated hidden in its label) and "Ditt svar".
    box = page.get_by_label(re.compile(r"^Har du et aktivt forhold til relasjonsbygging\?.*Ditt svar$"))
    expect(box).to_have_count(1)
    expect(box).to_have_class(re.compile(r"\bwidget-input\b"))
    status = page.locator(".lk-status")
    expect(status).to_contain_text("Ikke besvart")

    box.click()
    page.keyboard.type(ANSWER, delay=10)
    expect(status).to_have_text(SAVED, timeout=15_000)
    expect(box).to_have_value(ANSWER)
    doc = wait_for_answers(voila_server, lambda d: "brobygger.relasjoner" in d.get("answers", {}))
    assert doc["participant"] == voila_server.participant
    assert doc["answers"]["brobygger.relasjoner"]["text"] == ANSWER
    shot(page, "voila-01-answered.png", VOILA_SCROLLER)

    page.get_by_role("link", name="neste: Du bærer flere hatter samtidig →", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/voila/render/02-flere-hatter\.ipynb$"), timeout=RENDER_TIMEOUT)
    expect(page.locator(".lk-answer-box textarea").first).to_be_visible(timeout=RENDER_TIMEOUT)
    expect(page.get_by_role("heading", level=1, name="Du bærer flere hatter samtidig")).to_be_visible()
    assert_no_code(page)
    shot(page, "voila-02-from-next-link.png", VOILA_SCROLLER)
    assert_no_browser_errors(page)


def test_charts_show_in_notebook_04(voila_page: Page, voila_server: VoilaServer) -> None:
    page = voila_page
    voila_server.place("veiledning", 3, 8)  # a chart to draw: with nothing placed there is only its sentence
    open_page(page, voila_server, "04-overgang.ipynb")
    expect(page.locator(".lk-answer-box textarea")).to_have_count(2)
    assert_no_code(page)
    expect(page.get_by_role("heading", level=1, name="Reflekter over din overgang")).to_be_visible()

    # The guide's figure: a Markdown attachment, which Voilà inlines as a data URL.
    guide = page.locator('.jp-RenderedMarkdown img[alt^="Fokusskiftet i veilederen"]')
    expect(guide).to_have_count(1)
    guide.scroll_into_view_if_needed()
    expect(guide).to_be_visible()
    assert image_loaded(guide), f"the guide's chart did not load: {guide.get_attribute('src')[:80]}"

    # The participant's own chart, drawn by the kernel.
    chart = page.locator(".lk-chart img")
    expect(chart).to_have_count(1)
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    assert (chart.get_attribute("src") or "").startswith("data:image/png;base64,")
    assert image_loaded(chart), "the participant's chart did not load"
    assert page.locator(".lk-chart").first.inner_text().strip(), "the chart's sentence is missing"
    shot(page, "voila-04-charts.png", VOILA_SCROLLER)
    assert_no_browser_errors(page)
