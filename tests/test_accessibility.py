"""Accessibility of what participants read: axe-core (WCAG 2.0/2.1 A and AA rules) in headless Chromium.

axe-core comes from PyPI (the axe-playwright-python package carries axe.min.js; we inject it ourselves and
run it with the rules below). The script is injected into two kinds of page:

* a course notebook in Voilà (`make app`), after Voilà has run it and the widgets have rendered;
* the personal HTML report that `lederkurs export` writes, opened as a file.

Every violation axe finds is printed (rule, impact, element), whatever its impact, so that `pytest -s`
or a failure report shows them all. The tests fail on a *serious* or *critical* violation in our own
markup: all of the report page, and on a Voilà page everything inside the notebook's cells (Markdown,
outputs, the widgets the course creates). Voilà's own page around the cells is not ours; a violation
there fails the test too, unless it is in CHROME_ALLOWED below with its reason.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import Page, expect

from browser_support import REPO, SAVED, VOILA_SCROLLER, VoilaServer, new_page, shot

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")  # axe-core, shipped on PyPI: no Node needed
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
RENDER_TIMEOUT = 90_000  # ms
# On a Voilà page: an element inside one of these is the course's markup (cells, outputs, our widgets).
OURS_IN_VOILA = ".jp-Cell, .jp-OutputArea, .jp-RenderedHTMLCommon, .jupyter-widgets, .widget-container"
# Violations of Voilà's/JupyterLab's own page (never of an element inside OURS_IN_VOILA) that we accept:
# (rule id, regular expression on the node's CSS target, reason). Empty: axe finds none at present.
CHROME_ALLOWED: list[tuple[str, re.Pattern[str], str]] = []

# Runs axe in the page. Each node says whether it lies inside `ours` (a CSS selector; "*" = whole page).
RUN_AXE = """async ({tags, ours}) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  const inside = (target) => {
    if (ours === '*') return true;
    if (target.length !== 1) return false;  // inside an iframe or a shadow root: not a cell's markup
    try { const el = document.querySelector(target[0]); return !!(el && el.closest(ours)); }
    catch (e) { return false; }
  };
  const review = result.incomplete.map(v => `${v.id} (${v.impact}, ${v.nodes.length})`);
  return [review, result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html.slice(0, 240),
                              impact: n.impact || v.impact, ours: inside(n.target),
                              summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 400)}))}))];
}"""


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: reinstall axe-playwright-python (make install does)")
    return AXE


@functools.cache
def _script(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def run_axe(pg: Page, script: Path, ours: str) -> list[dict]:
    """axe's violations on the page as it is now. Checks it could not decide are printed, not judged."""
    if not pg.evaluate("typeof window.axe !== 'undefined'"):
        pg.add_script_tag(content=_script(script))
    review, violations = pg.evaluate(RUN_AXE, {"tags": TAGS, "ours": ours})
    if review:
        print(f"\naxe-core needs a human to review (rule, impact, elements): {'; '.join(review)}")
    return violations


def allowed(rule: str, node: dict) -> str | None:
    target = " ".join(node["target"])
    for rule_id, pattern, reason in CHROME_ALLOWED:
        if rule_id == rule and pattern.search(target):
            return reason
    return None


def report(where: str, violations: list[dict]) -> list[str]:
    """Print every violation; return the blocking ones (serious/critical, ours or not allow-listed)."""
    print(f"\naxe-core on {where}: {len(violations)} violated rule(s) (tags {', '.join(TAGS)})")
    blocking: dict[tuple, list[str]] = {}
    for v in violations:
        print(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for n in v["nodes"]:
            reason = None if n["ours"] else allowed(v["id"], n)
            owner = "OUR MARKUP" if n["ours"] else (f"chrome, allowed: {reason}" if reason else "chrome")
            print(f"      {n['impact']:<8} {owner:<10} {short(n['target'])}\n"
                  f"               {n['html'][:160]}\n               {n['summary']}")
            if n["impact"] in BLOCKING and not reason:
                key = (v["id"], n["impact"], "ours" if n["ours"] else "chrome", n["summary"])
                blocking.setdefault(key, []).append(short(n["target"]))
    return [f"{where}: {rule} [{impact}] {owner}, {len(targets)} element(s), e.g. {targets[0]}: {summary}"
            for (rule, impact, owner, summary), targets in blocking.items()]


def short(target: list[str]) -> str:
    """A node's CSS target, its last three steps: enough to find it, short enough to read."""
    parts = " ".join(target).split(" > ")
    return ("… > " if len(parts) > 3 else "") + " > ".join(parts[-3:])


def open_voila(pg: Page, server: VoilaServer, notebook: str) -> None:
    pg.goto(server.render_url(notebook))
    expect(pg.locator(".lk-answer-box textarea").first).to_be_visible(timeout=RENDER_TIMEOUT)
    expect(pg.locator(".lk-status").first).to_contain_text("Ikke besvart")  # the widgets are live (no answers)
    print(f"\n<html lang={pg.evaluate('document.documentElement.lang')!r}> on {notebook} in Voilà")


def test_voila_01_has_no_serious_violations(voila_page: Page, voila_server: VoilaServer, axe_script: Path) -> None:
    """Notebook 01 as it opens, and again once an answer is saved (status line, download link)."""
    page = voila_page
    open_voila(page, voila_server, "01-brobygger.ipynb")
    blocking = report("Voilà 01-brobygger.ipynb", run_axe(page, axe_script, OURS_IN_VOILA))
    page.get_by_label("Ditt svar").fill("Et svar, så statuslinjen og nedlastingslenken vises.")
    expect(page.locator(".lk-status")).to_have_text(SAVED, timeout=15_000)
    expect(page.get_by_role("link", name=re.compile("testdeltaker.json"))).to_be_visible()
    blocking += report("Voilà 01-brobygger.ipynb, answered", run_axe(page, axe_script, OURS_IN_VOILA))
    shot(page, "voila-axe-01.png", VOILA_SCROLLER)
    assert not blocking, "serious accessibility problems:\n" + "\n".join(blocking)


def test_voila_04_has_no_serious_violations(voila_page: Page, voila_server: VoilaServer, axe_script: Path) -> None:
    """Notebook 04: the guide's figure, the focus sliders, the participant's chart."""
    page = voila_page
    open_voila(page, voila_server, "04-overgang.ipynb")
    expect(page.locator(".lk-chart img")).to_be_visible()
    blocking = report("Voilà 04-overgang.ipynb", run_axe(page, axe_script, OURS_IN_VOILA))
    shot(page, "voila-axe-04.png", VOILA_SCROLLER)
    assert not blocking, "serious accessibility problems:\n" + "\n".join(blocking)


def test_html_report_has_no_serious_violations(browser, tmp_path: Path, axe_script: Path) -> None:
    out = tmp_path / "r.html"
    done = subprocess.run([sys.executable, "-m", "lederkurs.cli", "export",
                           str(REPO / "examples" / "cohort" / "kari.json"), "--format", "html", "--out", str(out)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    context, page = new_page(browser)
    try:
        page.goto(out.as_uri())
        expect(page.locator("h1")).to_be_visible()
        blocking = report("the HTML report (lederkurs export)", run_axe(page, axe_script, "*"))
        shot(page, "report-axe.png")
        assert page.lk_errors == [], "\n".join(page.lk_errors)
    finally:
        context.close()
    assert not blocking, "serious accessibility problems:\n" + "\n".join(blocking)
