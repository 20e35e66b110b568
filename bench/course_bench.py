"""The course's benchmark: does a participant wait? Four measurements, each against a floor measured in the
same run (not a test: nothing here asserts; README, maintainers' section, says when to run it).

    python bench/course_bench.py [notebooks] [redraws] [lab] [--rounds N] [--only 01,04,09,kull] [--baseline DIR]
                                 [--cold] [--answer-rounds N]

--answer-rounds N: the participant's answers file holds N rounds of reflection (each answered and placed, with a
goal per area), so 04 and 09 draw the chart over time and show every round's answers.

notebooks (targets: a chart notebook ≤ 1.1× the hand-written chart floor, a text notebook ≤ 1.15× the widget
floor). Every course notebook (the ten, and the trainers' cohort notebook) and the floors are executed with
nbclient in a new python3 kernel, with their default parameters, in interleaved rounds (a shuffled order, so
all see the same machine load); each time is the median over the rounds. Floors:
* trivial: one cell `1 + 1` (a kernel start, one cell, a shutdown), reported;
* widget: one cell that imports ipywidgets and shows one Textarea: the least a notebook with an answer box
  costs (the text notebooks' floor);
* hand-written chart: one cell that imports ipywidgets and matplotlib, shows one Textarea and one figure as
  PNG (the chart notebooks' floor);
* floor-cells-<notebook>: the notebook with every code cell replaced by `1 + 1` (what the course adds beyond
  IPython's ~8 ms per cell).
The participant's answers are pre-filled in a temporary LEDERKURS_ANSWERS_DIR (LEDERKURS_PARTICIPANT names
them), so 04 and 09 draw real charts; the runs share one LEDERKURS_CACHE_DIR (a participant's second kernel);
the kernel's CPU time and each run's phases (kernel start, cells, shutdown) are reported too.
--baseline DIR runs DIR's notebooks with DIR's package and content (another checkout, e.g. `git worktree add`
of the commit before a change) in the same rounds, as "<notebook> [base]" rows. --cold adds runs of 01 and the
chart notebooks each with an empty cache of its own (a machine's very first kernel), reported apart.

redraws (target: p95 ≤ 100 ms): the participant's chart redrawn after a slider move (LiveChart), wide alone and
both layouts with their HTML (what 04 does), against a full figure.

lab (target: the first answer box within 2 s of opening): JupyterLab in headless Chromium (tests/browser_support's
public helpers), each notebook opened in a new page: seconds from opening to the kernel idle, and from Run All
Cells to the first answer box; with --baseline, DIR's notebooks in a server of their own, in the same rounds.

Prints tables and writes bench/results/course.json.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("LEDERKURS_CONTENT_DIR", str(REPO / "content"))
os.environ.setdefault("LEDERKURS_NOTEBOOKS_DIR", str(REPO / "notebooks"))
if str(REPO / "lib") not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "lib"), os.environ.get("PYTHONPATH")) if p)
sys.path.insert(0, str(REPO / "lib"))

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from lederkurs import paths  # noqa: E402
from lederkurs.answers.store import AnswerStore  # noqa: E402
from lederkurs.course.content import load_course  # noqa: E402

ROUNDS = 5
PARTICIPANT = "bench"
TRIVIAL = "1 + 1"
CHART_FLOOR = ("import ipywidgets as w, matplotlib.pyplot as plt\n"
               "display(w.Textarea())\n"
               "fig, ax = plt.subplots()\n"
               "ax.plot([1, 2])\n"
               "display(fig)\n"
               "plt.close(fig)")
WIDGET_FLOOR = "import ipywidgets as w\ndisplay(w.Textarea())"  # what any answer box costs
CHART_NOTEBOOKS = {"04-overgang", "09-oppsummering", "kursholder-kull"}
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _one_cell(source: str, kernel: str = "python3") -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)],
                                    metadata={"kernelspec": {**KERNELSPEC, "name": kernel}})


def _same_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_code_cell(TRIVIAL) if c.cell_type == "code" else c for c in nb.cells]
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC})


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


LAST_CPU: dict[str, float] = {}  # CPU seconds of the last execute(): the kernel's (a reaped child) and this process's
PHASES = ("start", "cells", "shutdown")
LAST_PHASES: dict[str, float] = {}  # seconds of the last execute(): kernel start to ready, the cells, the shutdown


def execute(nb: nbformat.NotebookNode, cwd: Path, cache: Path | None = None,
            env: dict[str, str] | None = None) -> tuple[float, nbformat.NotebookNode]:
    """Run `nb` in a new kernel; `cache` and `env` change the kernel's environment for this run only."""
    nb = nbformat.from_dict(nb)  # a fresh copy: outputs never carry over
    kernel0, client0 = _cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF)
    env = {**(env or {}), **({"LEDERKURS_CACHE_DIR": str(cache)} if cache is not None else {})}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernel inherits it
    try:
        marks: dict[str, float] = {}
        start = time.perf_counter()
        NotebookClient(nb, kernel_name=nb.metadata.kernelspec.name, resources={"metadata": {"path": str(cwd)}},
                       on_notebook_start=lambda **_: marks.setdefault("ready", time.perf_counter()),
                       on_cell_executed=lambda **_: marks.__setitem__("cells", time.perf_counter()),
                       on_notebook_complete=lambda **_: marks.setdefault("done", time.perf_counter())).execute()
        wall = time.perf_counter() - start
        LAST_PHASES.update(start=marks["ready"] - start, cells=marks["cells"] - marks["ready"],
                           shutdown=marks["done"] - marks["cells"])
        LAST_CPU.update(kernel=_cpu(resource.RUSAGE_CHILDREN) - kernel0, client=_cpu(resource.RUSAGE_SELF) - client0)
        return wall, nb
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


ANSWER_ROUNDS = int(sys.argv[sys.argv.index("--answer-rounds") + 1]) if "--answer-rounds" in sys.argv else 1


def fill(folder: Path, participant: str = PARTICIPANT, answer_rounds: int = ANSWER_ROUNDS) -> AnswerStore:
    """Every question answered and every focus area placed (fixed seed: the same charts every run), in each of
    `answer_rounds` rounds, with a goal per area when there is more than one."""
    rng = random.Random(15)
    store = AnswerStore(folder, participant)
    course = load_course()
    for n in range(answer_rounds):
        if n:
            store.start_round(f"Runde {n + 1}")
            for a in course.focus_areas:
                store.set_goal(a.id, rng.randint(0, 10))
        for g in course.groups:
            store.set_answer(g.id, "Refleksjon om ledelse. " * 60)
        for a in course.focus_areas:
            store.set_focus(a.id, rng.randint(0, 10), rng.randint(0, 10))
    return store


def check_kernel_env(cwd: Path) -> str:  # the kernels import the package from this checkout
    _, nb = execute(_one_cell("import lederkurs; print(lederkurs.__file__, end='')", paths.KERNEL), cwd)
    where = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    if not Path(where).resolve().is_relative_to(REPO / "lib"):
        raise SystemExit(f"the kernel imports lederkurs from {where}, not from {REPO / 'lib'}")
    return where


def outputs_summary(nb: nbformat.NotebookNode) -> dict:
    """What a participant sees, in brief: output kinds per cell and any error (a failing cell is no result)."""
    kinds, errors = [], []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            kinds.append(o.output_type if o.output_type != "display_data" else "+".join(sorted(o.data)))
            if o.output_type == "error":
                errors.append(f"{o.ename}: {o.evalue}")
    return {"outputs": len(kinds), "errors": errors}


def run(rounds: int = ROUNDS, only: list[str] | None = None, cold: bool = False,
        base: Path | None = None) -> dict:
    """Execute every subject `rounds` times, interleaved; return the medians, floors and ratios."""
    # The package's bytecode, as pip or a first import leaves it on a participant's machine (where Python may not
    # write it, e.g. PYTHONDONTWRITEBYTECODE=1, every kernel would compile the package again: not what we measure).
    import compileall

    compileall.compile_dir(str(REPO / "lib"), quiet=1)
    envs: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["LEDERKURS_CACHE_DIR"] = str(tmp / "cache")
        answers = tmp / "answers"
        fill(answers)
        os.environ["LEDERKURS_ANSWERS_DIR"] = str(answers)
        os.environ["LEDERKURS_PARTICIPANT"] = PARTICIPANT
        nb_dir = paths.notebooks_dir()
        course = sorted(nb_dir.glob("[0-9][0-9]-*.ipynb")) + [nb_dir / "kursholder-kull.ipynb"]
        if only:
            course = [p for p in course if any(p.stem.startswith(o) or o in p.stem for o in only)]
        subjects = {p.stem: (nbformat.read(p, as_version=4), p.parent) for p in course}
        subjects["floor-trivial"] = (_one_cell(TRIVIAL), tmp)
        subjects["floor-chart"] = (_one_cell(CHART_FLOOR), tmp)
        subjects["floor-widget"] = (_one_cell(WIDGET_FLOOR), tmp)
        for p in course:
            subjects[f"floor-cells-{p.stem}"] = (_same_cells(subjects[p.stem][0]), p.parent)
        if base is not None:
            compileall.compile_dir(str(base / "lib"), quiet=1)
            for p in course:
                name = f"{p.stem} [base]"
                based = base / "notebooks" / p.name
                if not based.exists():  # a notebook renamed since (the trainers' kursholder-kohort, now -kull)
                    based = next((base / "notebooks").glob(f"{p.stem.split('-')[0]}-*.ipynb"))
                subjects[name] = (nbformat.read(based, as_version=4), base / "notebooks")
                envs[name] = {"PYTHONPATH": str(base / "lib"), "LEDERKURS_CONTENT_DIR": str(base / "content"),
                              "LEDERKURS_NOTEBOOKS_DIR": str(base / "notebooks")}
        if cold:
            for p in course:
                if p.stem in CHART_NOTEBOOKS or p.stem.startswith("01"):
                    subjects[f"{p.stem} (cold)"] = subjects[p.stem]
        print("kernel imports", check_kernel_env(tmp), flush=True)
        times: dict[str, list[float]] = {name: [] for name in subjects}
        cpu: dict[str, list[float]] = {name: [] for name in subjects}  # the kernel's CPU time
        phases: dict[str, dict[str, list[float]]] = {name: {p: [] for p in PHASES} for name in subjects}
        seen: dict[str, dict] = {}
        order = list(subjects)
        rng = random.Random(0)
        for r in range(rounds):
            rng.shuffle(order)
            for i, name in enumerate(order):
                nb, cwd = subjects[name]
                t, out = execute(nb, cwd, tmp / f"cold-{r}-{i}" if name.endswith("(cold)") else None, envs.get(name))
                times[name].append(t)
                cpu[name].append(LAST_CPU["kernel"])
                for p in PHASES:
                    phases[name][p].append(LAST_PHASES[p])
                seen[name] = outputs_summary(out)
            print(f"round {r + 1}/{rounds} done", file=sys.stderr, flush=True)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    mcpu = {name: statistics.median(ts) for name, ts in cpu.items()}
    rows, course_t, floor_t, course_cpu, floor_cpu = [], 0.0, 0.0, 0.0, 0.0
    for name in subjects:
        if name.startswith("floor-"):
            continue
        stem = name.removesuffix(" (cold)").removesuffix(" [base]")
        floor = "floor-chart" if stem in CHART_NOTEBOOKS else "floor-widget"
        if not name.endswith(("(cold)", "[base]")):
            course_t += med[name]
            floor_t += med[floor]
            course_cpu += mcpu[name]
            floor_cpu += mcpu[floor]
        rows.append({"notebook": name, "s": round(med[name], 3), "floor": floor, "floor_s": round(med[floor], 3),
                     "ratio": round(med[name] / med[floor], 3), "min_s": round(min(times[name]), 3),
                     "kernel_cpu_s": round(mcpu[name], 3), "floor_kernel_cpu_s": round(mcpu[floor], 3),
                     "cpu_ratio": round(mcpu[name] / mcpu[floor], 3),
                     "phases_s": {p: round(statistics.median(phases[name][p]), 3) for p in PHASES},
                     "cells_floor_s": round(med[f"floor-cells-{stem}"], 3),
                     "cells_ratio": round(med[name] / med[f"floor-cells-{stem}"], 3), **seen[name]})
    floors = ("floor-trivial", "floor-chart", "floor-widget")
    result = {"rounds": rounds, "floors": {k: round(med[k], 3) for k in floors},
              "floor_min": {k: round(min(times[k]), 3) for k in floors},
              "floor_kernel_cpu": {k: round(mcpu[k], 3) for k in floors},
              "floor_phases_s": {k: {p: round(statistics.median(phases[k][p]), 3) for p in PHASES} for k in floors},
              "rows": rows, "course_s": round(course_t, 3), "course_floor_s": round(floor_t, 3),
              "course_ratio": round(course_t / floor_t, 3) if floor_t else None,
              "course_kernel_cpu_s": round(course_cpu, 3), "course_floor_kernel_cpu_s": round(floor_cpu, 3),
              "course_cpu_ratio": round(course_cpu / floor_cpu, 3) if floor_cpu else None}
    if base is not None:
        based = [r for r in rows if r["notebook"].endswith("[base]")]
        result["baseline_course_s"] = round(sum(r["s"] for r in based), 3)
        result["baseline_course_ratio"] = round(result["baseline_course_s"] / floor_t, 3) if floor_t else None
        result["baseline_course_cpu_ratio"] = round(sum(r["kernel_cpu_s"] for r in based) / floor_cpu, 3)
    return result


def print_table(result: dict) -> None:
    rows, floor_t = result["rows"], result["course_floor_s"]
    print(f"{'notebook':28} {'time s':>7} {'floor':>14} {'floor s':>8} {'ratio':>6}   {'kernel CPU s':>12} "
          f"{'floor CPU s':>11} {'CPU ratio':>9} {'same cells s':>12} {'ratio':>6}")
    for row in rows:
        print(f"{row['notebook']:28} {row['s']:7.3f} {row['floor']:>14} {row['floor_s']:8.3f} {row['ratio']:6.3f}   "
              f"{row['kernel_cpu_s']:12.3f} {row['floor_kernel_cpu_s']:11.3f} {row['cpu_ratio']:9.3f} "
              f"{row['cells_floor_s']:12.3f} {row['cells_ratio']:6.3f}"
              + (f"  ERRORS: {row['errors']}" if row["errors"] else ""))
    med, mcpu = result["floors"], result["floor_kernel_cpu"]
    for k in med:
        print(f"{k:28} {med[k]:7.3f} {'':>14} {'':>8} {med[k] / med['floor-trivial']:6.3f}   {mcpu[k]:12.3f} "
              f"{'':>11} {mcpu[k] / mcpu['floor-trivial']:9.3f}  (against floor-trivial)")
    print(f"{'course (sum)':28} {result['course_s']:7.3f} {'sum of floors':>14} {result['course_floor_s']:8.3f} "
          f"{result['course_ratio']:6.3f}")
    print(f"{'course kernel CPU (sum)':28} {result['course_kernel_cpu_s']:7.3f} {'sum of floors':>14} "
          f"{result['course_floor_kernel_cpu_s']:8.3f} {result['course_cpu_ratio']:6.3f}")
    if "baseline_course_s" in result:
        print(f"{'baseline course (sum)':28} {result['baseline_course_s']:7.3f} {'sum of floors':>14} "
              f"{floor_t:8.3f} {result['baseline_course_ratio']:6.3f}   (kernel CPU ratio "
              f"{result['baseline_course_cpu_ratio']:.3f})")
    print(f"\n{'phases (median s)':28} {'start':>7} {'cells':>7} {'shutdown':>9}   "
          "(kernel start to ready; ready to the last cell's end; then to the kernel gone)")
    phased = [(r["notebook"], r["phases_s"]) for r in rows] + list(result["floor_phases_s"].items())
    for name, ph in phased:
        print(f"{name:28} {ph['start']:7.3f} {ph['cells']:7.3f} {ph['shutdown']:9.3f}")



def redraws(count: int = 60) -> dict:
    """A slider move: the wide chart alone (live_*), and what 04 does now: the chart in both layouts (wide and
    narrow) and the HTML that carries them (both_*)."""
    from lederkurs.charts import figures as chart
    from lederkurs.charts.layout import NARROW, WIDE
    from lederkurs.charts.live import LiveChart
    from lederkurs.charts.points import FocusPoint
    from lederkurs.reports import html

    course = load_course()
    wide, narrow = LiveChart(course.lang, WIDE), LiveChart(course.lang, NARROW)
    points = [FocusPoint(a.id, a.label, a.direction, 3, 7) for a in course.focus_areas]
    wide.png(points)  # the frames are drawn once, when the panel opens
    narrow.png(points)
    rng, times, both, full = random.Random(0), [], [], []
    for n in range(2 * count):  # each move measured once: even moves the wide chart alone, odd ones both
        i = rng.randrange(len(points))
        p = points[i]
        points[i] = FocusPoint(p.id, p.label, p.direction, rng.randint(0, 10), rng.randint(0, 10))
        start = time.perf_counter()
        if n % 2:
            html.chart(wide.png(points), "", narrow.png(points))
            both.append(time.perf_counter() - start)
        else:
            wide.png(points)
            times.append(time.perf_counter() - start)
    for _ in range(10):
        start = time.perf_counter()
        chart.to_png(chart.points_figure(points, course.lang))
        full.append(time.perf_counter() - start)
    times.sort()
    both.sort()
    return {"redraws": count, "live_p50_ms": round(times[count // 2] * 1000, 1),
            "live_p95_ms": round(times[int(count * 0.95) - 1] * 1000, 1),
            "both_p50_ms": round(both[count // 2] * 1000, 1),
            "both_p95_ms": round(both[int(count * 0.95) - 1] * 1000, 1),
            "full_figure_p50_ms": round(statistics.median(full) * 1000, 1)}


def _to_box(browser, server, box: str, action, before=None) -> float:
    """Seconds from `action` (in a new page, after `before`) until the first answer box is visible."""
    from playwright.sync_api import expect

    import browser_support as bs

    context, pg = bs.new_page(browser)
    try:
        if before:
            before(pg)
        start = time.perf_counter()
        action(pg)
        expect(pg.locator(box).first).to_be_visible(timeout=120_000)
        return time.perf_counter() - start
    finally:
        context.close()
        if server:
            server.shutdown_sessions()


def lab(rounds: int, only: list[str] | None, base: Path | None) -> dict:
    sys.path.insert(0, str(REPO / "tests"))

    import browser_support as bs

    found = sorted(paths.notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
    names = [p.name for p in found if any(p.stem.startswith(o) for o in only or ("01", "04"))]
    browser, stop_browser = bs.launch_browser()
    servers: dict[str, tuple] = {}
    voila: dict[str, tuple] = {}
    times: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for label, root in [("", REPO)] + ([(" [base]", base)] if base else []):
                saved = os.environ.get("PYTHONPATH")
                os.environ["PYTHONPATH"] = str(root / "lib")  # the server's kernels import that checkout
                try:
                    servers[label] = bs.start_lab(Path(tmp) / f"lab{len(servers)}", root=root)
                    voila[label] = bs.start_voila(Path(tmp) / f"voila{len(voila)}", cwd=root)
                finally:
                    os.environ["PYTHONPATH"] = saved or ""
            for r in range(rounds + 1):  # the first round warms the disk cache and .pyc files: not counted
                for label, (_, server) in servers.items():
                    for name in names:
                        # As a leader meets it: a new page straight to the notebook, a link in 00 to it, and
                        # Voilà's page. Participant mode runs the notebook by itself; the clock stops at its
                        # first answer box.
                        lab_box = ".jp-NotebookPanel:visible .lk-answer-box textarea"
                        page_s = _to_box(browser, server, lab_box, lambda pg, s=server, n=name: pg.goto(
                            s.lab_url(f"lab/tree/notebooks/{n}?reset")))
                        link_s = _to_box(browser, server, lab_box, lambda pg, n=name: pg.locator(
                            f".jp-NotebookPanel:visible .jp-MarkdownCell a[href*='/{n}']").first.click(),
                            before=lambda pg, s=server: bs.open_notebook(pg, s, "notebooks/00-innledning.ipynb"))
                        voila_s = _to_box(browser, None, ".lk-answer-box textarea", lambda pg, v=voila[label][1],
                                          n=name: pg.goto(v.render_url(n)))
                        if r:
                            row = times.setdefault(name + label, {"page_to_box_s": [], "link_in_00_to_box_s": [],
                                                                  "voila_page_to_box_s": []})
                            row["page_to_box_s"].append(page_s)
                            row["link_in_00_to_box_s"].append(link_s)
                            row["voila_page_to_box_s"].append(voila_s)
                print(f"lab round {r}/{rounds} done", file=sys.stderr, flush=True)
        finally:
            for proc, _ in [*servers.values(), *voila.values()]:
                bs.stop(proc)
            stop_browser()
    return {name: {k: round(statistics.median(v), 3) for k, v in row.items()} for name, row in times.items()}


def main() -> None:
    args = sys.argv[1:]
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else ROUNDS
    only = args[args.index("--only") + 1].split(",") if "--only" in args else None
    base = Path(args[args.index("--baseline") + 1]).resolve() if "--baseline" in args else None
    which = [a for a in args if a in ("notebooks", "redraws", "lab")] or ["notebooks", "redraws", "lab"]
    results: dict = {}
    if "redraws" in which:
        results["redraws"] = redraws()
        print("redraws", json.dumps(results["redraws"]), flush=True)
    if "notebooks" in which:
        results["notebooks"] = run(rounds, only, "--cold" in args, base)
        print_table(results["notebooks"])
    if "lab" in which:
        results["lab"] = lab(rounds, only, base)
        print("lab", json.dumps(results["lab"], indent=1), flush=True)
    out = REPO / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "course.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
