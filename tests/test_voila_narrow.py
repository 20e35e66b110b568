"""The app (Voilà, `make app`) as a leader meets it: a start page in Norwegian with the course's notebooks in
order by their titles, and a notebook page readable on a phone (390 px) and at 200 % zoom: every control's box
lies inside the viewport (nothing clipped), and text keeps a comfortable line length on a wide screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from browser_support import SCREENSHOTS, VoilaServer, assert_no_browser_errors, shot

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

RENDER_TIMEOUT = 90_000
# What must be whole on the page: the slider rows with their numbers, the buttons, the chart, the answer boxes.
CONTROLS = (".lk-range, .lk-range output, .lk-range input, .jupyter-button, .widget-text input, .lk-chart img, "
            ".lk-answer-box textarea")


def test_start_page_lists_the_course_by_title(voila_page: Page, voila_server: VoilaServer) -> None:
    page = voila_page
    page.goto(voila_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leder for ledere")
    links = page.locator("ol.lk-notebooks a")
    expect(links).to_have_count(10)
    expect(links.first).to_have_text("00 Leder for ledere")
    expect(links.nth(1)).to_have_text("01 Vær en brobygger")
    text = page.locator("body").inner_text()
    assert ".ipynb" not in text and "kursholder" not in text.lower() and "Select items" not in text
    languages = page.get_by_role("navigation").get_by_role("link")
    expect(languages).to_have_text(["Nynorsk", "English"])
    shot(page, "voila-start-1366.png")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "voila-start-390.png")
    languages.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leiar for leiarar")
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    page.locator("ol.lk-notebooks a").nth(1).click()
    expect(page.locator(".lk-answer-box textarea").first).to_be_visible(timeout=RENDER_TIMEOUT)
    assert "/voila/render/nn/01-brobygger.ipynb" in page.url
    assert_no_browser_errors(page)


def _outside(page: Page, width: int) -> list[str]:
    return page.evaluate("""([selector, width]) => [...document.querySelectorAll(selector)]
        .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width > 0 && (r.left < -0.5 || r.right > width + 0.5
                                             || e.scrollWidth > e.clientWidth + 1))
        .map(([e, r]) => `${e.tagName}.${e.className} ${Math.round(r.left)}..${Math.round(r.right)}`)""",
                         [CONTROLS, width])


SHOWN = """img => { const source = img.closest('picture')?.querySelector('source');
    return {narrow: !!source && img.currentSrc === source.srcset, wide: img.currentSrc === img.src,
            loaded: img.complete && img.naturalWidth > 0, width: img.naturalWidth,
            scale: img.getBoundingClientRect().width / img.naturalWidth} }"""


def shown_chart(chart: Locator, want: str = "") -> dict:
    """Which of a chart's drawings the browser shows (its <picture>'s narrow source, or the wide <img>), and at
    what scale of its own pixels, once the picture is loaded (and, with `want`, once it is that one: a window
    just resized may not have switched yet)."""
    ready = f"([img, want]) => {{ const s = ({SHOWN})(img); return s.loaded && (!want || s[want]) }}"
    chart.page.wait_for_function(ready, arg=[chart.element_handle(), want])
    return chart.evaluate(SHOWN)


@pytest.mark.parametrize(("width", "zoom"), [(390, 1), (683, 2), (1366, 1)],
                         ids=["phone-390", "zoom-200", "wide-1366"])
def test_notebook_04_fits_a_narrow_screen(voila_page: Page, voila_server: VoilaServer, width: int,
                                          zoom: int) -> None:
    """At 390 px, and at 200 % zoom of a 1366 px window (683 CSS px), no control sticks out of the page, and the
    chart is the one drawn for a narrow screen, shown at (nearly) its own size so that its text stays readable;
    at 1366 px the wide one is shown."""
    page = voila_page
    page.set_viewport_size({"width": width, "height": 844})
    voila_server.place("veiledning", 3, 8)  # a chart to draw: with nothing placed there is only its sentence
    page.goto(voila_server.render_url("04-overgang.ipynb"))
    chart = page.locator(".lk-chart img")
    expect(chart).to_be_visible(timeout=RENDER_TIMEOUT)
    expect(page.locator(".lk-answer-box textarea").first).to_be_visible(timeout=RENDER_TIMEOUT)
    client = page.evaluate("document.documentElement.clientWidth")
    outside = _outside(page, client)
    shown = shown_chart(chart)
    page.locator(".lk-range").first.scroll_into_view_if_needed()
    shot(page, f"voila-04-{width}-sliders.png", scroller="#rendered_cells")
    page.get_by_role("button", name="Legg til område").scroll_into_view_if_needed()
    shot(page, f"voila-04-{width}-add.png", scroller="#rendered_cells")
    chart.screenshot(path=str(SCREENSHOTS / f"voila-04-{width}-chart.png"))
    assert not outside, f"clipped or cut short at {width} px: {outside}"
    if width < 896:
        assert shown["narrow"] and shown["width"] == 390, shown
        assert shown["scale"] >= 0.85, shown  # 13 pt text at 100 dpi: at least 11 px on the screen
    else:
        assert shown["wide"] and not shown["narrow"] and shown["width"] == 1000, shown
        assert shown["scale"] >= 0.85, shown  # the chart's cell is wider than the text's column
    # A slider moved: both drawings are redrawn, and the browser still shows the one for its width.
    before = chart.get_attribute("src")
    now = page.get_by_label("Veiledning av andre – Nå, som leder for ledere")
    now.focus()
    page.keyboard.press("ArrowLeft")
    expect(chart).not_to_have_attribute("src", before or "", timeout=30_000)
    again = shown_chart(chart)
    assert again["narrow"] == shown["narrow"] and again["wide"] == shown["wide"], again
    assert_no_browser_errors(page)


def test_text_keeps_a_readable_line_length(voila_page: Page, voila_server: VoilaServer) -> None:
    page = voila_page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(voila_server.render_url("01-brobygger.ipynb"))
    expect(page.locator(".lk-answer-box textarea").first).to_be_visible(timeout=RENDER_TIMEOUT)
    paragraph = page.locator(".jp-MarkdownOutput p").nth(2)
    chars = paragraph.evaluate("""e => { const r = e.getBoundingClientRect();
        const size = parseFloat(getComputedStyle(e).fontSize); return r.width / (size * 0.5); }""")
    assert chars <= 90, f"a line holds about {chars:.0f} characters"
    shot(page, "voila-01-1366.png", scroller="#rendered_cells")
    assert_no_browser_errors(page)


def test_the_html_report_shows_its_charts_drawn_for_a_phone_on_a_phone(browser, tmp_path) -> None:
    """The personal HTML report (09's download, `lederkurs export`): both charts, the focus shift and the chart
    over time, are the narrow drawings at 390 px and at 200 % zoom, and the wide ones at 1366 px."""
    from lederkurs.reports.formats import to_html
    from lederkurs.reports.personal import build_report
    from test_rounds import _with_rounds

    from browser_support import new_page

    course, doc = _with_rounds(2, "nb")
    path = tmp_path / "rapport.html"
    path.write_bytes(to_html(build_report(course, doc, keep_chart=False)))
    context, page = new_page(browser)
    try:
        page.goto(path.as_uri())
        charts = page.locator("main img")
        expect(charts).to_have_count(2)
        for width in (1366, 683, 390):
            page.set_viewport_size({"width": width, "height": 900})
            shown = [shown_chart(charts.nth(i), "narrow" if width < 896 else "wide") for i in range(2)]
            if width < 896:
                assert all(s["narrow"] and s["scale"] >= 0.85 for s in shown), (width, shown)
            else:
                assert all(s["wide"] and not s["narrow"] for s in shown), (width, shown)
            wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert wide <= 0, f"the report scrolls sideways at {width} px (by {wide} px)"
            shot(page, f"report-{width}.png")
        assert page.lk_errors == [], "\n".join(page.lk_errors)
    finally:
        context.close()
