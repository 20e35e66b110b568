"""Accessibility of every page the course makes: axe-core (WCAG 2.0/2.1 A and AA rules) in headless Chromium.

axe-core comes from PyPI (the axe-playwright-python package carries axe.min.js; we inject it ourselves and
run it with the rules below). The tests walk every page there is, found on disk, so a new notebook or page
kind is checked without editing them:

* every notebook, in every language, in Voilà (`make app`), after Voilà has run it and its widgets rendered;
* every file `lederkurs render` writes (index, the cohort page, each participant's notebook pages and report),
  in every language;
* the personal HTML report of `lederkurs export`, in every language;
* the course's own output inside JupyterLab (Markdown and outputs of each notebook, run on opening).

Every violation axe finds is printed (rule, impact, element), whatever its impact, so that `pytest -s`
or a failure report shows them all. The tests fail on a *serious* or *critical* violation in our own
markup: all of the report page, and on a Voilà page everything inside the notebook's cells (Markdown,
outputs, the widgets the course creates). Voilà's own page around the cells is not ours; a violation
there fails the test too, unless it is in CHROME_ALLOWED below with its reason.
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import Page, expect

from browser_support import (
    REPO,
    SAVED,
    VOILA_SCROLLER,
    LabServer,
    VoilaServer,
    new_page,
    open_notebook,
    open_voila,
    shot,
    wait_for_widgets,
    wait_idle,
)
from helpers import DEMO, lederkurs

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

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
RUN_AXE = """async ({tags, ours, only}) => {
  // `only`: check just these elements (JupyterLab's own chrome is not ours); otherwise the whole page.
  const context = only ? {include: only.split(',').map(s => [s.trim()])} : document;
  const result = await axe.run(context, {runOnly: {type: 'tag', values: tags},
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


def run_axe(pg: Page, script: Path, ours: str, only: str | None = None) -> list[dict]:
    """axe's violations on the page as it is now. Checks it could not decide are printed, not judged."""
    if not pg.evaluate("typeof window.axe !== 'undefined'"):
        pg.add_script_tag(content=_script(script))
    if only:
        assert pg.locator(only).count() > 0, f"nothing on the page matches {only}: axe would check nothing"
    review, violations = pg.evaluate(RUN_AXE, {"tags": TAGS, "ours": ours, "only": only})
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


NOTEBOOKS = REPO / "notebooks"
ALL_NOTEBOOKS = sorted(p.relative_to(NOTEBOOKS).as_posix() for p in NOTEBOOKS.rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)
LANGUAGES = sorted({"nb"} | {p.parent.name for p in NOTEBOOKS.glob("*/*.ipynb")})
# In JupyterLab: the course's own markup, not JupyterLab's around it.
OURS_IN_LAB = ".jp-OutputArea, .jp-MarkdownCell .jp-RenderedHTMLCommon"


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS)
def test_every_notebook_in_voila_has_no_serious_violations(voila_page: Page, voila_server: VoilaServer,
                                                           axe_script: Path, notebook: str) -> None:
    page = voila_page
    open_voila(page, voila_server, notebook)
    lang = page.evaluate("document.documentElement.lang")
    blocking = report(f"Voilà {notebook} (lang {lang})", run_axe(page, axe_script, OURS_IN_VOILA))
    shot(page, f"voila-axe-{notebook.replace('/', '-')}.png", VOILA_SCROLLER)
    assert not blocking, "serious accessibility problems:\n" + "\n".join(blocking)


def test_voila_01_answered_has_no_serious_violations(voila_page: Page, voila_server: VoilaServer,
                                                     axe_script: Path) -> None:
    """Notebook 01 once an answer is saved: the status line and the download link are there too."""
    page = voila_page
    open_voila(page, voila_server, "01-brobygger.ipynb")
    page.get_by_label("Ditt svar").fill("Et svar, så statuslinjen og nedlastingslenken vises.")
    expect(page.locator(".lk-status")).to_have_text(SAVED, timeout=15_000)
    expect(page.get_by_role("link", name=re.compile("testdeltaker.json"))).to_be_visible()
    blocking = report("Voilà 01-brobygger.ipynb, answered", run_axe(page, axe_script, OURS_IN_VOILA))
    assert not blocking, "serious accessibility problems:\n" + "\n".join(blocking)


def _check_files(browser, pages: list[Path], axe_script: Path, root: Path) -> list[str]:
    context, page = new_page(browser)
    blocking: list[str] = []
    try:
        for path in pages:
            page.goto(path.as_uri())
            expect(page.locator("main")).to_be_visible()
            blocking += report(str(path.relative_to(root)), run_axe(page, axe_script, "*"))
            assert page.lk_errors == [], "\n".join(page.lk_errors)
    finally:
        context.close()
    return blocking


# Every notebook in the source language; in the others (the same templates, other words) the pages that hold
# the most: the first notebook, the chart's, and the summary.
SOURCE = "nb"
IN_EVERY_LANGUAGE = ("00", "04", "09")


def _notebooks(lang: str) -> list[str]:
    every = [p.stem for p in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))]
    return every if lang == SOURCE else [n for n in every if n.startswith(IN_EVERY_LANGUAGE)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every page kind `lederkurs render` writes, in every language: two participants (a full one and a nearly
    empty one), their notebooks, and their personal reports."""
    root = tmp_path_factory.mktemp("rendered")
    answers = root / "svar"
    answers.mkdir()
    for name in ("kari", "nina", "mohammed"):  # complete; nearly empty; an answer with markup
        shutil.copy(DEMO / f"{name}.json", answers)
    for lang in LANGUAGES:
        done = lederkurs("render", "--answers", str(answers), "--out", str(root / lang), "--notebooks",
                         ",".join(_notebooks(lang)), "--format", "html", "--jobs", "2", "--lang", lang, "--quiet",
                         timeout=900)
        assert done.returncode == 0, done.stderr
    return root


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_a_render_writes_has_no_serious_violations(browser, rendered: Path, axe_script: Path,
                                                              lang: str) -> None:
    pages = sorted((rendered / lang).rglob("*.html"))
    assert len(pages) == 2 + 3 * (len(_notebooks(lang)) + 1)  # index, cohort, 3 × (notebooks, report)
    blocking = _check_files(browser, pages, axe_script, rendered)
    assert not blocking, "serious accessibility problems:\n" + "\n".join(blocking)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_html_report_has_no_serious_violations(browser, tmp_path: Path, axe_script: Path, lang: str) -> None:
    done = lederkurs("export", str(DEMO / "kari.json"), "--format", "html", "--out", str(tmp_path / "r.html"),
                     "--lang", lang, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    blocking = _check_files(browser, [tmp_path / "r.html"], axe_script, tmp_path)
    assert not blocking, "serious accessibility problems:\n" + "\n".join(blocking)


@pytest.mark.parametrize("notebook", [n for n in ALL_NOTEBOOKS if "/" not in n])
def test_the_course_output_in_jupyterlab_has_no_serious_violations(page: Page, lab_server: LabServer,
                                                                   axe_script: Path, notebook: str) -> None:
    panel = open_notebook(page, lab_server, f"notebooks/{notebook}")  # it runs itself (participant mode)
    wait_idle(panel)
    expect(panel.locator(".jp-OutputArea-output").first).to_be_attached(timeout=RENDER_TIMEOUT)
    wait_for_widgets(page)
    blocking = report(f"JupyterLab {notebook}", run_axe(page, axe_script, OURS_IN_LAB, only=OURS_IN_LAB))
    assert not blocking, "serious accessibility problems:\n" + "\n".join(blocking)
