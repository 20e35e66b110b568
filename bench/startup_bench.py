"""Start-up benchmark: from server start to a rendered notebook 01, in Voilà and in JupyterLab.

Each measurement starts a fresh server (the one the browser tests use), opens the page in a fresh
browser context (cold cache) and stops the clock when the notebook is ready for the participant:

* Voilà: the answer box is visible (Voilà has run the whole notebook);
* JupyterLab: the notebook is open with its kernel idle, Run → Run All Cells is done and the answer box
  is visible.

The floor is a one-cell notebook (`print(...)`; ready = its output is visible), measured the same way in
the same run by the same server: both are served from a temporary folder that holds `trivial.ipynb` and
a symlink `notebooks` -> the repo's notebooks/. The clock starts just before the server process is
spawned; the browser is launched once, before any measurement. Not a test: nothing here asserts.

Prints one JSON line (medians in seconds, ratios to the floor) and writes bench/results/startup.json.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser_support import CHROMIUM_ARGS, _stop, chromium_executable, new_page, start_lab, start_voila  # noqa: E402

RUNS = int(os.environ.get("STARTUP_BENCH_RUNS", "5"))
TIMEOUT = 120_000  # ms
TRIVIAL_TEXT = "trivial-ok"
COURSE = "notebooks/01-brobygger.ipynb"
TRIVIAL = "trivial.ipynb"
RESULTS = REPO / "bench" / "results" / "startup.json"


def make_root(tmp: Path) -> Path:
    root = tmp / "root"
    root.mkdir()
    (root / "notebooks").symlink_to(REPO / "notebooks", target_is_directory=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"print({TRIVIAL_TEXT!r})")],
                                  metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nbformat.write(nb, root / TRIVIAL)
    return root


def voila_ready(pg, url: str, notebook: str) -> None:
    from playwright.sync_api import expect

    pg.goto(f"{url}voila/render/{notebook}")
    if notebook == TRIVIAL:
        expect(pg.locator(".jp-OutputArea-output", has_text=TRIVIAL_TEXT)).to_be_visible(timeout=TIMEOUT)
    else:
        expect(pg.locator(".lk-answer-box textarea").first).to_be_visible(timeout=TIMEOUT)


def lab_ready(pg, server, notebook: str) -> None:
    from playwright.sync_api import expect

    pg.goto(server.lab_url(f"lab/tree/{notebook}?reset"))
    panel = pg.locator(".jp-NotebookPanel:visible")
    expect(panel.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=TIMEOUT)
    expect(panel.locator(".jp-KernelName")).to_contain_text("Python 3", timeout=TIMEOUT)
    expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute("data-status", "idle",
                                                                               timeout=TIMEOUT)
    pg.get_by_role("menuitem", name="Run", exact=True).click()
    pg.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    if notebook == TRIVIAL:
        expect(panel.locator(".jp-OutputArea-output", has_text=TRIVIAL_TEXT)).to_be_visible(timeout=TIMEOUT)
    else:
        expect(panel.locator(".lk-answer-box textarea").first).to_be_visible(timeout=TIMEOUT)


def measure(browser, kind: str, notebook: str, root: Path, base: Path) -> tuple[float, float]:
    """(seconds to the server answering, seconds to the rendered notebook), both from the spawn."""
    start = time.perf_counter()
    if kind == "voila":
        proc, server = start_voila(base, cwd=root, path=".")
    else:
        proc, server = start_lab(base, root=root)
    up = time.perf_counter() - start
    context, pg = new_page(browser)
    try:
        if kind == "voila":
            voila_ready(pg, server.url, notebook)
        else:
            lab_ready(pg, server, notebook)
        elapsed = time.perf_counter() - start
        if pg.lk_errors:
            print(f"  note: browser errors on {kind} {notebook}: {pg.lk_errors}", file=sys.stderr)
        return up, elapsed
    finally:
        context.close()
        _stop(proc)


def main() -> int:
    from playwright.sync_api import sync_playwright

    exe = chromium_executable()
    if not exe:
        print("no chromium on PATH", file=sys.stderr)
        return 1
    samples: dict[str, list[float]] = {f"{k}_{n}": [] for k in ("voila", "lab") for n in ("course", "trivial")}
    server_up: dict[str, list[float]] = {"voila": [], "lab": []}
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp_name, sync_playwright() as p:
        tmp = Path(tmp_name)
        root = make_root(tmp)
        browser = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        try:
            for kind in ("voila", "lab"):  # one warm-up each (disk cache, .pyc files), not counted
                measure(browser, kind, COURSE, root, tmp / f"warmup-{kind}")
            for i in range(RUNS):
                order = [("course", COURSE), ("trivial", TRIVIAL)]
                if i % 2:
                    order.reverse()  # alternate, so neither always runs second
                for kind in ("voila", "lab"):
                    for label, notebook in order:
                        up, t = measure(browser, kind, notebook, root, tmp / f"{kind}-{label}-{i}")
                        samples[f"{kind}_{label}"].append(t)
                        server_up[kind].append(up)
                        print(f"  run {i + 1}/{RUNS} {kind:<5} {label:<7} {t:6.2f} s (server up {up:5.2f} s)",
                              file=sys.stderr)
        finally:
            browser.close()

    medians = {k: round(statistics.median(v), 3) for k, v in samples.items()}
    result = {
        "bench": "startup",
        "runs": RUNS,
        "median_s": medians,
        "ratio_to_trivial": {k: round(medians[f"{k}_course"] / medians[f"{k}_trivial"], 2)
                             for k in ("voila", "lab")},
        "lab_over_voila_course": round(medians["lab_course"] / medians["voila_course"], 2),
        "median_server_up_s": {k: round(statistics.median(v), 3) for k, v in server_up.items()},
        "samples_s": {k: [round(x, 3) for x in v] for k, v in samples.items()},
        "measures": {"voila": "server start -> answer box visible (trivial: output visible)",
                     "lab": "server start -> notebook open, kernel idle, Run All Cells, answer box visible "
                            "(trivial: output visible)"},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }
    print(json.dumps({k: result[k] for k in ("bench", "runs", "median_s", "ratio_to_trivial",
                                             "lab_over_voila_course", "median_server_up_s")}))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
