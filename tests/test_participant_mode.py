"""Participant mode in JupyterLab (jupyter/labextension): a course notebook opened in a real JupyterLab shows
its questions and answer boxes without any action, no code and no prompt numbers, styled links, and closing
its tab after typing asks nothing and loses nothing. The course's notebook files stay as they were."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser_support import REPO, RUN_TIMEOUT, SAVED, LabServer, assert_no_browser_errors, shot, wait_for_answers

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

FILE_MENU, SAVE = "Fil", "Lagre"  # the course's language pack (jupyter/language-pack)


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
    # A cell she clicks offers no copy, move, insert or delete (JupyterLab's cell toolbar).
    panel.locator(".jp-MarkdownCell").nth(1).click()
    panel.locator(".jp-MarkdownCell").nth(1).hover()
    expect(panel.locator(".jp-MarkdownCell.jp-mod-active")).to_have_count(1)
    expect(panel.locator(".jp-cell-toolbar:visible")).to_have_count(0)
    expect(panel.get_by_role("button", name=re.compile("Slett|Delete"))).to_have_count(0)
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


# Records how far any scroller in a notebook panel has been scrolled, from the page's first script on.
MAX_SCROLL = """
window.lkMaxScroll = 0;
document.addEventListener("scroll", event => {
  const target = event.target;
  if (target instanceof Element && target.closest(".jp-NotebookPanel")) {
    window.lkMaxScroll = Math.max(window.lkMaxScroll, target.scrollTop);
  }
}, true);
"""


def test_a_notebook_opens_at_its_top_and_stays_there_while_it_runs(page: Page, lab_server: LabServer) -> None:
    """She starts reading at the title while the notebook runs itself; the page never jumps to its end and
    back (the first answer boxes come while she reads)."""
    page.add_init_script(MAX_SCROLL)
    panel = _open(page, lab_server, "notebooks/04-overgang.ipynb")
    expect(panel.locator(".lk-answer-box textarea").first).to_be_attached(timeout=RUN_TIMEOUT)
    expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute("data-status", "idle",
                                                                               timeout=RUN_TIMEOUT)
    expect(panel.get_by_role("heading", name="Reflekter over din overgang")).to_be_in_viewport()
    assert page.evaluate("window.lkMaxScroll") == 0, "the notebook scrolled while it ran"


def test_own_area_enter_adds_fjern_offers_angre(page: Page, lab_server: LabServer) -> None:
    """Notebook 04: Enter in «Eget område» adds the area; «Fjern» removes it and «Angre» puts it back."""
    panel = _open(page, lab_server, "notebooks/04-overgang.ipynb")
    field = panel.get_by_role("textbox", name="Eget område")
    expect(field).to_be_visible(timeout=RUN_TIMEOUT)
    field.scroll_into_view_if_needed()
    field.click()
    page.keyboard.type("Samarbeid med brukerne", delay=10)
    page.keyboard.press("Enter")
    area = panel.get_by_text("Samarbeid med brukerne", exact=True)
    expect(area).to_be_visible(timeout=15_000)
    expect(field).to_have_value("")
    doc = wait_for_answers(lab_server, lambda d: any(r.get("label") == "Samarbeid med brukerne"
                                                     for r in d.get("focus", {}).values()))
    assert doc
    # Its name says which area, for a screen reader among several «Fjern».
    panel.get_by_role("button", name="Fjern «Samarbeid med brukerne»", exact=True).click()
    expect(area).to_have_count(0, timeout=15_000)
    expect(panel.get_by_text("«Samarbeid med brukerne» er fjernet.")).to_be_visible()
    wait_for_answers(lab_server, lambda d: not any(r.get("label") for r in d.get("focus", {}).values()))
    shot(page, "participant-lab-04-removed.png")
    panel.get_by_role("button", name="Angre").click()
    expect(area).to_be_visible(timeout=15_000)
    expect(panel.get_by_role("button", name="Angre")).to_have_count(0)
    wait_for_answers(lab_server, lambda d: any(r.get("label") == "Samarbeid med brukerne"
                                               for r in d.get("focus", {}).values()))
    assert_no_browser_errors(page)


def test_09_upload_button_and_links_to_unanswered_questions(page: Page, lab_server: LabServer,
                                                              tmp_path: Path) -> None:
    lab_server.clear_answers()  # 01 unanswered, whatever earlier tests on this server wrote
    panel = _open(page, lab_server, "notebooks/09-oppsummering.ipynb")
    upload = panel.locator("button.lk-upload")
    expect(upload).to_be_visible(timeout=RUN_TIMEOUT)
    expect(upload).to_have_text("Last opp svarfil")  # no «(0)»
    link = panel.get_by_role("link", name="Svar i 01 Vær en brobygger").first
    expect(link).to_have_attribute("href", "01-brobygger.ipynb", timeout=RUN_TIMEOUT)
    link.scroll_into_view_if_needed()
    shot(page, "participant-lab-09-unanswered-link.png")
    # A file chosen with the button is read and taken in.
    own = tmp_path / "mine.json"
    own.write_text(json.dumps({"schema": 1, "participant": lab_server.participant,
                               "answers": {"hatter.roller": {"text": "Fra en annen maskin",
                                                            "updated": "2026-01-01T10:00:00"}}}),
                   encoding="utf-8")
    panel.locator("input[type=file]").set_input_files(str(own))
    expect(panel.get_by_text("Svarene er hentet inn: 1 nytt").first).to_be_visible(timeout=15_000)
    doc = wait_for_answers(lab_server, lambda d: "hatter.roller" in d.get("answers", {}))
    assert doc["answers"]["hatter.roller"]["text"] == "Fra en annen maskin"
    assert_no_browser_errors(page)


def _git_status(path: str) -> str:
    return subprocess.run(["git", "status", "--porcelain", "--", path], cwd=REPO, capture_output=True, text=True,
                          check=True).stdout


def test_file_save_writes_nothing_to_a_course_notebook(page: Page, lab_server: LabServer) -> None:
    """Fil → Lagre and Ctrl+S in a course notebook: the tracked notebook stays as it is (git status clean), and
    she is told her answers are saved already."""
    path = "notebooks/05-systemkompetanse.ipynb"
    assert _git_status("notebooks") == "", "start from a clean checkout of the notebooks"
    before = (REPO / path).read_bytes()
    panel = _open(page, lab_server, path)
    box = panel.locator(".lk-answer-box textarea").first
    expect(box).to_be_visible(timeout=RUN_TIMEOUT)
    expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute("data-status", "idle",
                                                                               timeout=RUN_TIMEOUT)
    box.click()
    page.keyboard.type("Jeg kjenner forvaltningen.", delay=10)
    expect(panel.locator(".lk-status").first).to_have_text(SAVED, timeout=15_000)
    told = page.get_by_text("Svarene dine lagres av seg selv")
    # Ctrl+S while writing in the answer box: JupyterLab's save (which tells her), not the browser's «Save page».
    page.evaluate("""() => window.addEventListener("keydown", e => {  // read once the key has gone everywhere
        if (e.ctrlKey && e.key === "s") setTimeout(() => { window.lkSaveKeyPrevented = e.defaultPrevented; });
    }, true)""")
    page.keyboard.press("Control+s")
    expect(told.first).to_be_visible(timeout=15_000)
    assert page.evaluate("window.lkSaveKeyPrevented") is True, "the browser's own save would open"
    expect(box).to_be_focused()
    expect(box).to_have_value("Jeg kjenner forvaltningen.")
    expect(told).to_have_count(0, timeout=30_000)
    page.get_by_role("menuitem", name=FILE_MENU, exact=True).click()
    page.locator(".lm-Menu .lm-Menu-itemLabel").get_by_text(SAVE, exact=True).click()
    expect(told.first).to_be_visible(timeout=15_000)
    shot(page, "participant-lab-05-saved.png")
    expect(told).to_have_count(0, timeout=30_000)  # the notice closes by itself
    panel.locator(".jp-MarkdownCell").first.click()  # in the notebook, not in a text box
    page.keyboard.press("Control+s")
    expect(told.first).to_be_visible(timeout=15_000)
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current .lm-TabBar-tabCloseIcon").click()
    expect(panel).to_have_count(0)
    expect(page.locator(".jp-Dialog")).to_have_count(0)
    assert (REPO / path).read_bytes() == before, "File → Save wrote the executed notebook over the course's"
    assert _git_status("notebooks") == ""
    assert_no_browser_errors(page)
