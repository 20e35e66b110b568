"""The cohort view in a real browser: each name lies inside its own answer's box, in Voilà (the trainer's
notebook with its controls: names only after the consent box is ticked) and in kull.html from a render.
Screenshots: test-output/screenshots/cohort-*.png."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser_support import (
    RUN_TIMEOUT,
    VOILA_SCROLLER,
    LabServer,
    VoilaServer,
    assert_no_browser_errors,
    new_page,
    open_notebook,
    shot,
    wait_idle,
)
from helpers import DEMO, lederkurs

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

RENDER_TIMEOUT = 120_000  # ms: Voilà runs the whole cohort notebook before it shows the page

# Every answer's box, measured: the name inside its box and above its answer; no box overlapping the next.
MEASURE = """() => {
  const bad = [];
  const all = [...document.querySelectorAll('.lk-said')];
  // JupyterLab leaves cells far off screen undrawn: those boxes have no size and are not measured
  const boxes = all.filter(b => b.getBoundingClientRect().height > 0);
  boxes.forEach((box, i) => {
    const r = box.getBoundingClientRect();
    const who = box.querySelector('.lk-who').getBoundingClientRect();
    const answer = box.querySelector('.lk-answer').getBoundingClientRect();
    if (!(who.height > 0 && who.top >= r.top && who.bottom <= r.bottom && who.left >= r.left && who.right <= r.right))
      bad.push(`name ${i} outside its box`);
    if (!(answer.top >= who.bottom && answer.bottom <= r.bottom))
      bad.push(`answer ${i} not under its name inside the box`);
    if (i > 0) {
      const before = boxes[i - 1].getBoundingClientRect();
      if (before.bottom > r.top) bad.push(`box ${i} overlaps the box before`);
      else if (r.top - before.bottom < 8) bad.push(`box ${i} only ${r.top - before.bottom}px below the one before`);
    }
  });
  return {count: all.length, measured: boxes.length, bad,
          names: all.map(b => b.querySelector('.lk-who').textContent)};
}"""


def test_voila_cohort_names_only_with_consent_each_inside_its_box(voila_page: Page,
                                                                  voila_server: VoilaServer) -> None:
    pg = voila_page
    pg.goto(voila_server.render_url("kursholder-kull.ipynb"))
    expect(pg.locator(".lk-said").first).to_be_visible(timeout=RENDER_TIMEOUT)
    anonymous = pg.evaluate(MEASURE)
    assert anonymous["count"] == anonymous["measured"] > 50 and anonymous["bad"] == []
    assert all(name.startswith("Deltaker ") for name in anonymous["names"])
    names = pg.get_by_role("checkbox", name="Vis navn")
    expect(names).to_be_disabled()  # not before the participants' consent is ticked
    pg.get_by_role("checkbox", name="Deltakerne har samtykket i at navnet deres vises sammen med svarene").check()
    expect(names).to_be_enabled()
    names.check()
    expect(pg.locator(".lk-who", has_text="kari").first).to_be_visible(timeout=30_000)
    expect(pg.get_by_text("Viser 12 deltakere fra «Eksempelkullet (oppdiktede deltakere)».")).to_be_visible()
    named = pg.evaluate(MEASURE)
    assert named["count"] == anonymous["count"] and named["bad"] == []
    assert "kari" in named["names"] and not any(n.startswith("Deltaker ") for n in named["names"])
    expect(pg.get_by_text("«Samarbeid med brukerne»: valgt av 1 – åse")).to_be_visible()  # her own area
    shot(pg, "cohort-voila-names.png", VOILA_SCROLLER)
    pg.get_by_role("checkbox", name="Deltakerne har samtykket i at navnet deres vises sammen med svarene").uncheck()
    expect(pg.locator(".lk-who", has_text="kari")).to_have_count(0, timeout=30_000)  # names gone with consent


def test_lab_cohort_notebook_shows_names_in_their_boxes_without_code(page: Page, lab_server: LabServer) -> None:
    """In JupyterLab the trainer opens the notebook (it runs itself) and uses the same controls."""
    panel = open_notebook(page, lab_server, "notebooks/kursholder-kull.ipynb")
    expect(panel.locator(".lk-said").first).to_be_visible(timeout=RUN_TIMEOUT)
    wait_idle(panel)
    consent = panel.get_by_role("checkbox", name="Deltakerne har samtykket i at navnet deres vises sammen med svarene")
    consent.check()
    panel.get_by_role("checkbox", name="Vis navn").check()
    expect(panel.locator(".lk-who", has_text="kari").first).to_be_attached(timeout=30_000)
    measured = page.evaluate(MEASURE)
    assert measured["count"] > 50 and measured["measured"] >= 3 and measured["bad"] == []
    assert "kari" in measured["names"] and not any(n.startswith("Deltaker ") for n in measured["names"])
    expect(panel.locator(".jp-CodeCell .cm-editor:visible")).to_have_count(0)  # no code to edit
    panel.locator(".lk-said").first.scroll_into_view_if_needed()
    shot(page, "cohort-lab-names.png")
    assert_no_browser_errors(page)


@pytest.fixture(scope="module")
def kull_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("kull")
    answers = base / "svar"
    answers.mkdir()
    for name in ("kari", "ola", "mohammed"):
        shutil.copy(DEMO / f"{name}.json", answers / f"{name}.json")
    kari = json.loads((answers / "kari.json").read_text(encoding="utf-8"))
    kari["name"] = "Kari Nordmann"
    (answers / "kari.json").write_text(json.dumps(kari, ensure_ascii=False), encoding="utf-8")
    result = lederkurs("render", "--answers", str(answers), "--out", str(base / "ut"), "--names", "--samtykke",
                       "--jobs", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    return base / "ut" / "kull.html"


@pytest.mark.parametrize("width, zoom", [(1366, 1), (390, 1), (1366, 2)])
def test_kull_html_each_name_inside_its_answers_box(browser, kull_html: Path, width: int, zoom: int) -> None:
    context, pg = new_page(browser)
    try:
        pg.set_viewport_size({"width": width // zoom, "height": 900 // zoom})  # 200 %: half the CSS pixels
        pg.goto(kull_html.as_uri())
        measured = pg.evaluate(MEASURE)
        assert measured["count"] == measured["measured"] > 20 and measured["bad"] == []
        assert "Kari Nordmann (kari)" in measured["names"] and "mohammed" in measured["names"]
        shot(pg, f"cohort-kull-{width}-{zoom}x.png")
    finally:
        context.close()
