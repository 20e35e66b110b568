"""Time from opening a course notebook to its first answer box, in JupyterLab and in Voilà (headless Chromium).

JupyterLab is timed two ways: with the course's participant mode (the notebook runs itself) and without it
(`--no-participant-mode`: the extension's setting off, and the participant chooses Run → Run All Cells as soon
as the kernel is connected, as before participant mode). Usage: python bench/participant_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import browser_support as bs  # noqa: E402

NOTEBOOK = "01-brobygger.ipynb"


def _lab(browser, participant_mode: bool) -> float:
    base = Path(tempfile.mkdtemp(prefix="lk-bench-"))
    if not participant_mode:  # the course's documented switch, as a programmer would set it
        setting = base / "settings" / "lederkurs-participant" / "plugin.jupyterlab-settings"
        setting.parent.mkdir(parents=True)
        setting.write_text(json.dumps({"participantMode": False}), encoding="utf-8")
    proc, server = bs.start_lab(base)
    try:
        context, page = bs.new_page(browser)
        start = time.monotonic()
        if participant_mode:
            page.goto(server.lab_url(f"lab/tree/notebooks/{NOTEBOOK}?reset"))
        else:  # Run All works once the kernel is connected: she clicks it then
            bs.open_notebook(page, server, f"notebooks/{NOTEBOOK}")
            bs.menu(page, "Run", "Run All Cells")
        page.wait_for_selector(".lk-answer-box textarea", timeout=120_000)
        took = time.monotonic() - start
        context.close()
        server.shutdown_sessions()
        return took
    finally:
        bs.stop(proc)


def _voila(browser) -> float:
    proc, server = bs.start_voila(Path(tempfile.mkdtemp(prefix="lk-bench-")))
    try:
        context, page = bs.new_page(browser)
        start = time.monotonic()
        page.goto(server.render_url(NOTEBOOK))
        page.wait_for_selector(".lk-answer-box textarea", timeout=120_000)
        took = time.monotonic() - start
        context.close()
        return took
    finally:
        bs.stop(proc)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-participant-mode", action="store_true")
    parser.add_argument("--voila", action="store_true")
    args = parser.parse_args()
    browser, stop = bs.launch_browser()
    try:
        if args.voila:
            times = [_voila(browser) for _ in range(args.runs)]
        else:
            times = [_lab(browser, not args.no_participant_mode) for _ in range(args.runs)]
    finally:
        stop()
    print(json.dumps({"runs": [round(t, 1) for t in times], "median_s": round(statistics.median(times), 1)}))


if __name__ == "__main__":
    main()
