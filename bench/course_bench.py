"""Benchmarks for the course (figures for the issues' closing notes; not a test: nothing here asserts).

1. Execute every course notebook (and the trainers' cohort notebook) with nbclient, and in the same run the
   floors the same way: a trivial one-cell notebook for the text notebooks, a hand-written one (ipywidgets,
   matplotlib, one Textarea, one PNG figure) for the chart notebooks. Report each notebook's ratio and the
   course's (notebook_floor_bench.py does the work and tells how).
2. Save one answer into a file that holds every answer: p50/p99 time per save.
3. Redraw the participant's focus chart after a slider move (LiveChart), and a full figure for comparison.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lederkurs.course.content import load_course

sys.path.insert(0, str(Path(__file__).parent))
import notebook_floor_bench  # noqa: E402  (sets the kernels' environment)


def notebooks(tmp: Path) -> dict:
    result = notebook_floor_bench.run(5)
    notebook_floor_bench.print_table(result)
    return {"course_s": result["course_s"], "floors_s": result["course_floor_s"],
            "ratio": result["course_ratio"], "cpu_ratio": result["course_cpu_ratio"],
            "per_notebook": {r["notebook"]: r["ratio"] for r in result["rows"]}}


def saves(tmp: Path, count: int = 500) -> dict:
    store = notebook_floor_bench.fill(tmp / "save", "kari")
    size = store.path.stat().st_size
    ids = [g.id for g in load_course().groups]
    times = []
    for i in range(count):
        start = time.perf_counter()
        store.set_answer(ids[i % len(ids)], f"Svar nummer {i}. " * 80)
        times.append(time.perf_counter() - start)
    times.sort()
    return {"saves": count, "file_bytes": size, "p50_ms": round(times[count // 2] * 1000, 2),
            "p99_ms": round(times[int(count * 0.99) - 1] * 1000, 2)}


def redraws(count: int = 60) -> dict:
    from lederkurs.charts import figures as chart
    from lederkurs.charts.live import LiveChart
    from lederkurs.charts.points import FocusPoint

    course = load_course()
    live = LiveChart("nb")
    points = [FocusPoint(a.id, a.label, a.direction, 3, 7) for a in course.focus_areas]
    live.png(points)  # the frame is drawn once, when the panel opens
    times = []
    for _ in range(count):
        i = random.randrange(len(points))
        p = points[i]
        points[i] = FocusPoint(p.id, p.label, p.direction, random.randint(0, 10), random.randint(0, 10))
        start = time.perf_counter()
        live.png(points)
        times.append(time.perf_counter() - start)
    full = []
    for _ in range(10):
        start = time.perf_counter()
        chart.to_png(chart.points_figure(points, "nb"))
        full.append(time.perf_counter() - start)
    times.sort()
    return {"redraws": count, "live_p50_ms": round(times[count // 2] * 1000, 1),
            "live_p95_ms": round(times[int(count * 0.95) - 1] * 1000, 1),
            "full_figure_p50_ms": round(statistics.median(full) * 1000, 1)}


def import_check() -> dict:
    code = "import sys, time; t=time.perf_counter(); import lederkurs.notebook.session; " \
           "print(round((time.perf_counter()-t)*1000,1), 'matplotlib' in sys.modules)"
    ms, mpl = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.split()
    return {"import_ms": float(ms), "matplotlib_imported": mpl == "True"}


def main() -> None:
    which = sys.argv[1:] or ["import", "saves", "redraws", "notebooks"]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in which:
            results[name] = {"import": import_check, "saves": lambda: saves(Path(tmp)), "redraws": redraws,
                             "notebooks": lambda: notebooks(Path(tmp))}[name]()
            print(name, json.dumps(results[name]), flush=True)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "course.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
