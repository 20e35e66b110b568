"""The render's benchmark: how long does a trainer wait for a cohort? 30 participants' summary notebooks
rendered, and in the same run 30 trivial notebooks through the same papermill job runner with the same number
of workers (the floor), all in python3 kernels. Prints the ratio and the peak memory of a worker (the papermill
client) and of a kernel. Not a test: nothing here asserts.

    python bench/render_bench.py [WORKERS] [ROUNDS]

Each round times the floor and the summaries back to back and takes their ratio; the result is the median
of the rounds' ratios (a shared machine's load drifts over minutes, less within one round)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from lederkurs import paths
from lederkurs.course.content import load_course
from lederkurs.trainer.job import Job
from lederkurs.trainer.plan import plan
from lederkurs.trainer.pool import run_jobs

PARTICIPANTS = 30
ROUNDS = 3


def _cohort(folder: Path) -> None:
    """30 answers files made from the demo cohort under new names."""
    demo = sorted(paths.demo_cohort_dir().glob("*.json"))
    folder.mkdir()
    for i in range(PARTICIPANTS):
        doc = json.loads(demo[i % len(demo)].read_text(encoding="utf-8"))
        doc["participant"] = f"deltaker{i + 1:02d}"
        (folder / f"{doc['participant']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def main() -> None:
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else (os.cpu_count() or 1)
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else ROUNDS
    course = load_course()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        _cohort(tmp / "svar")
        trivial_nb = tmp / "trivial.ipynb"
        nbformat.write(nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("1 + 1")],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}),
            trivial_nb)
        course_t, floor_t, outcomes = [], [], []
        for r in range(rounds):
            out = tmp / f"ut{r}"
            staging = tmp / f"staging{r}"
            out.mkdir()
            staging.mkdir()
            jobs, _ = plan(course, tmp / "svar", out, staging, ["09-oppsummering"])
            jobs = [j for j in jobs if j.participant]  # the 30 summaries (the cohort page is one more job)
            floor = [Job(j.participant, trivial_nb, {}, j.out_ipynb.with_name("trivial.ipynb"),
                         j.out_html.with_name("trivial.html"), "trivial", course.lang, staging) for j in jobs]
            start = time.perf_counter()
            list(run_jobs(floor, workers, course.lang, progress=False))
            floor_t.append(time.perf_counter() - start)
            start = time.perf_counter()
            outcomes = [o for _, o in run_jobs(jobs, workers, course.lang, progress=False)]
            course_t.append(time.perf_counter() - start)
            assert all(o.ok for o in outcomes), [o.reason for o in outcomes if not o.ok]
            shutil.rmtree(out)
            shutil.rmtree(staging)
        result = {
            "participants": PARTICIPANTS, "workers": workers,
            "summaries_s": round(statistics.median(course_t), 2), "floor_s": round(statistics.median(floor_t), 2),
            "ratio": round(statistics.median(c / f for c, f in zip(course_t, floor_t, strict=True)), 3),
            "ratios": [round(c / f, 3) for c, f in zip(course_t, floor_t, strict=True)],
        }
    print(json.dumps(result))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "render.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
