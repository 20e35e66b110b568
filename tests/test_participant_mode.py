"""Participant mode in JupyterLab (jupyter/labextension): a course notebook opened in a real JupyterLab shows
its questions and answer boxes without any action, no code and no prompt numbers, styled links, and closing
its tab after typing asks nothing and loses nothing. The course's notebook files stay as they were."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser_support import REPO, RUN_TIMEOUT, SAVED, LabServer, assert_no_browser_errors, shot, wait_for_answers

pytestmark = [pytest.mark.browser, pytest.mark.kernel]


def _open(page: Page, server: LabServer, path: str):
    page.goto(server.lab_url(f"lab/tree/{path}?reset"))
    panel = page.locator(".jp-NotebookPanel:visible")
    expect(panel.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=60_000)
    return panel


def test_a_course_notebook_runs_itself_shows_no_code_and_closes_without_a_dialog(page: Page,
                                                                                  lab_server: LabServer) -> None:
    path = "notebooks/03-barken-og-veden.ipynb"
    before = (REPO / path).read_bytes()
    panel = _open(page, lab_server, path)
    # No menu, no click: the answer boxes come by themselves, under the questions (Markdown).
    boxes = panel.locator(".lk-answer-box textarea")
    expect(boxes.first).to_be_visible(timeout=RUN_TIMEOUT)
    expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute("data-status", "idle",
                                                                               timeout=RUN_TIMEOUT)
    expect(boxes).to_have_count(3, timeout=RUN_TIMEOUT)
    question = panel.locator(".jp-MarkdownOutput li strong", has_text="Kjenner du deg igjen i en beskrivelse")
    question.scroll_into_view_if_needed()
    expect(question).to_be_visible()
    # No code, no collapsed-code placeholder, no prompt number anywhere in the notebook.
    expect(panel.locator(".cm-editor:visible")).to_have_count(0)
    expect(panel.locator(".jp-InputPlaceholder:visible")).to_have_count(0)
    expect(panel.locator(".jp-InputPrompt:visible, .jp-OutputPrompt:visible")).to_have_count(0)
    assert not re.search(r"\[\d+\]:", panel.inner_text()), "a prompt number is shown"
    assert "kurs.question" not in panel.inner_text() and "from lederkurs" not in panel.inner_text()
    # Answers in the page's proportional font; links coloured and underlined.
    font = boxes.first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "mono" not in font.lower(), font
    link = panel.locator(".jp-RenderedHTMLCommon a[href]").first
    assert link.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"
    shot(page, "participant-lab-03-opened.png")

    boxes.first.click()
    page.keyboard.type("Skvisen kjenner jeg godt.", delay=10)
    expect(panel.locator(".lk-status").first).to_have_text(SAVED, timeout=15_000)
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current")
    expect(tab).not_to_have_class(re.compile(r"jp-mod-dirty"))
    page.keyboard.press("Control+s")  # her answers are saved; the course's notebook is not hers to save
    tab.locator(".lm-TabBar-tabCloseIcon").click()
    expect(panel).to_have_count(0)
    expect(page.locator(".jp-Dialog")).to_have_count(0)
    doc = wait_for_answers(lab_server, lambda d: "barken.skvis" in d.get("answers", {}))
    assert doc["answers"]["barken.skvis"]["text"] == "Skvisen kjenner jeg godt."
    assert (REPO / path).read_bytes() == before, "the course's notebook file was written"
    shot(page, "participant-lab-03-closed.png")
    assert_no_browser_errors(page)
