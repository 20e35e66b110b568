"""Where a notebook's kernel time goes: per-cell times, imports made by the cells, and a profile.

    python bench/profile_kernel.py NOTEBOOK [--mode cells|imports|cprofile|pyinstrument] [--out FILE]

Executes NOTEBOOK (a path, or a stem under notebooks/) with nbclient exactly as notebook_floor_bench.py does
(same environment, pre-filled answers), with extra cells around the notebook's own:

* cells: the kernel-side time of each cell (nbclient's execution timestamps) and the whole run;
* imports: PYTHONPROFILEIMPORTTIME for the kernel, keeping only the imports the notebook's cells made
  (cumulative ms of top-level imports, largest first);
* cprofile / pyinstrument: a profile of all the notebook's cells in the kernel, written to --out.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbformat  # noqa: E402

import notebook_floor_bench as nfb  # noqa: E402  (sets the environment for the kernels)

MARK = "@@LK-CELLS-START@@"


def _notebook(arg: str) -> Path:
    path = Path(arg)
    if path.exists():
        return path
    return next(nfb.paths.notebooks_dir().glob(f"{arg}*.ipynb"))


def _ts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def run(path: Path, mode: str, out: str) -> None:
    nb = nbformat.read(path, as_version=4)
    head, tail = [], []
    if mode == "imports":
        head.append(f"import os; os.write(2, b'{MARK}\\n')")
    elif mode == "cprofile":
        head.append("import cProfile as _cp; _pr = _cp.Profile(); _pr.enable()")
        tail.append(f"_pr.disable(); _pr.dump_stats({out!r})")
    elif mode == "pyinstrument":
        head.append("from pyinstrument import Profiler as _P; _pi = _P(interval=0.0005, async_mode='disabled'); "
                    "_pi.start()")
        tail.append(f"_pi.stop(); open({out!r}, 'w').write(_pi.output_text(unicode=True, color=False, "
                    "show_all=False))")
    nb.cells = ([nbformat.v4.new_code_cell(s) for s in head] + nb.cells
                + [nbformat.v4.new_code_cell(s) for s in tail])
    t, done = nfb.execute(nb, path.parent)
    total = 0.0
    for cell in done.cells:
        if cell.cell_type != "code":
            continue
        ex = cell.metadata.get("execution", {})
        if "iopub.execute_input" in ex and "shell.execute_reply" in ex:
            ms = (_ts(ex["shell.execute_reply"]) - _ts(ex["iopub.execute_input"])).total_seconds() * 1000
            total += ms
            print(f"{ms:8.1f} ms  {cell.source.splitlines()[-1][:90]}")
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                print("   ERROR", o.ename, o.evalue)
    print(f"{total:8.1f} ms  cells (kernel side); whole run {t * 1000:.0f} ms")


def imports(path: Path) -> None:
    """Run this script again with PYTHONPROFILEIMPORTTIME=1 (the kernel inherits it) and read its stderr."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    with tempfile.TemporaryFile("w+") as err:
        subprocess.run([sys.executable, __file__, str(path), "--mode", "imports-inner"], env=env, stderr=err,
                       check=True)
        err.seek(0)
        lines = err.read().splitlines()
    after = lines[lines.index(MARK) + 1:] if MARK in lines else []
    top, total = [], 0
    for line in after:
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        cumulative = cumulative.strip()
        if not cumulative.isdigit():
            continue
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        if depth == 0:
            top.append((int(cumulative), name.strip()))
            total += int(cumulative)
    print(f"imports made by the notebook's cells: {total / 1000:.1f} ms in {len(top)} top-level imports")
    for us, name in sorted(top, reverse=True)[:25]:
        print(f"{us / 1000:8.1f} ms  {name}")


def main() -> None:
    args = sys.argv[1:]
    mode = args[args.index("--mode") + 1] if "--mode" in args else "cells"
    out = args[args.index("--out") + 1] if "--out" in args else str(Path(tempfile.gettempdir()) / "lk.prof")
    path = _notebook(args[0]).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "answers"
        nfb.fill(answers)
        os.environ["LEDERKURS_ANSWERS_DIR"] = str(answers)
        os.environ["LEDERKURS_PARTICIPANT"] = nfb.PARTICIPANT
        if mode == "imports":
            imports(path)
        else:
            run(path, "imports" if mode == "imports-inner" else mode, out)


if __name__ == "__main__":
    main()
