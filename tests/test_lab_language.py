"""JupyterLab's chrome around a course notebook, as a participant meets it, is in bokmål: the course's own
language pack (jupyter/language-pack, locale nb_NO) is the default, Settings → Language offers «Norsk bokmål»,
and every menu, dialog and status string she can meet (tests/lab_chrome.py gathers them in a real browser)
is the pack's Norwegian, a name, or one of the few strings JupyterLab does not let a pack translate."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from lab_chrome import chrome_strings

from browser_support import REPO, LabServer, assert_no_browser_errors, open_notebook, shot

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

PACK = REPO / "jupyter" / "language-pack" / "locale" / "nb_NO" / "LC_MESSAGES" / "jupyterlab.json"
# Names and keys, the same in every language: the kernel, the notebook's file, shortcuts, dates.
NAMES = re.compile(r"^(Python 3 \(ipykernel\)|JupyterLab|[\w.-]+\.ipynb|[A-Z][a-z]+\+[\w+]+|\d[\d ,]*|"
                   r"[A-Z], [A-Z]|\d, \d|notebooks)$")
# Hard-coded in English in JupyterLab 4 (no translation call): a skip link shown only on keyboard focus, and
# a toolbar's accessible name set before the language is loaded.
NOT_TRANSLATABLE = {"Skip to main panel", "main area toolbar"}


def _norwegian(pack: dict) -> list[re.Pattern]:
    """The pack's translations as patterns (%1 … stand for any value), line by line."""
    patterns = []
    for key, value in pack.items():
        for text in (value if key else []):
            for line in filter(None, text.split("\n")):
                parts = re.split(r"%\d", line)
                patterns.append(re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$", re.S))
    return patterns


def _is_norwegian(text: str, patterns: list[re.Pattern]) -> bool:
    """Every line and every « | »-joined part (the kernel's name | its status) is a name or the pack's."""
    parts = [p.strip() for line in text.split("\n") for p in line.split(" | ") if p.strip()]
    return all(NAMES.match(p) or any(pattern.match(p) for pattern in patterns) for p in parts)


def test_chrome_a_participant_meets_is_norwegian(page: Page, lab_server: LabServer) -> None:
    schema = lab_server.api("GET", "lab/api/settings/@jupyterlab/translation-extension:plugin")["schema"]
    assert schema["properties"]["locale"]["default"] == "nb_NO", "jupyter/overrides.json is not installed"
    languages = lab_server.api("GET", "lab/api/translations/")["data"]
    assert languages["nb_NO"]["nativeName"].startswith("Norsk bokmål")

    panel = open_notebook(page, lab_server, "notebooks/01-brobygger.ipynb")
    expect(page.locator("html")).to_have_attribute("lang", "nb-NO")
    # The kernel's status, in the status bar (its only item) and the toolbar.
    expect(page.locator("#jp-main-statusbar .jp-StatusBar-Item:visible")).to_have_count(1)
    expect(page.locator("#jp-main-statusbar")).to_contain_text("Python 3 (ipykernel) | Klar")
    expect(page.locator("#jp-left-stack")).to_be_hidden()
    shot(page, "lab-language-status.png")

    page.get_by_role("menuitem", name="Fil", exact=True).click()
    expect(page.locator(".lm-Menu-itemLabel").get_by_text("Lagre", exact=True)).to_be_visible()
    shot(page, "lab-language-file-menu.png")
    page.keyboard.press("Escape")
    page.get_by_role("menuitem", name="Kjør", exact=True).click()
    expect(page.locator(".lm-Menu-itemLabel").get_by_text("Kjør hele notatboken", exact=True)).to_be_visible()
    shot(page, "lab-language-run-menu.png")
    page.keyboard.press("Escape")
    page.get_by_role("menuitem", name="Kjerne", exact=True).click()
    labels = page.locator(".lm-Menu:visible .lm-Menu-itemLabel")
    expect(labels.get_by_text("Start på nytt og kjør hele notatboken…", exact=True)).to_be_visible()
    assert not [t for t in labels.all_inner_texts() if re.search(r" og [A-ZÆØÅ]", t)], labels.all_inner_texts()
    shot(page, "lab-language-kernel-menu.png")
    page.keyboard.press("Escape")
    page.get_by_role("menuitem", name="Innstillinger", exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Språk", exact=True).click()
    shot(page, "lab-language-settings-menu.png")
    expect(page.locator(".lm-Menu-itemLabel", has_text=re.compile("bokmål", re.I))).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")

    strings = chrome_strings(page)
    norwegian = _norwegian(json.loads(PACK.read_text(encoding="utf-8")))
    english = sorted(s for s in strings if not NAMES.match(s) and s not in NOT_TRANSLATABLE
                     and not _is_norwegian(s, norwegian) and not re.search("bokmål", s, re.I))
    names = sorted(s for s in strings if NAMES.match(s))
    print(f"chrome strings: {len(strings)}; names: {len(names)}; not translatable: "
          f"{len(NOT_TRANSLATABLE & strings)}; English: {len(english)}")
    assert not english, f"not in Norwegian: {english}"
    expect(panel).to_be_visible()
    assert_no_browser_errors(page)
