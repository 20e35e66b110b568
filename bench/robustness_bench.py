"""Robustness benchmark (issue 10): a folder of 200 entries, the sample cohort among every kind of odd file,
rendered with --notebooks 09 --jobs 2, against the good participants alone in the same run; then Ctrl-C
and SIGTERM: seconds to stop and processes left. Nothing here asserts; it prints figures.

    .venv/bin/python bench/robustness_bench.py [rounds]
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from lederkurs import paths

ENTRIES = 200
GOOD = 24  # the sample cohort twice, under new names


def _good(folder: Path) -> None:
    demo = sorted(paths.demo_cohort_dir().glob("*.json"))
    for i in range(GOOD):
        doc = json.loads(demo[i % len(demo)].read_text(encoding="utf-8"))
        doc["participant"] = f"deltaker{i + 1:02d}"
        (folder / f"{doc['participant']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _odd(folder: Path, count: int) -> None:
    """Every kind of odd entry of issue 10, in turn, until `count` entries."""
    kinds = [
        lambda p: p.write_text("[" * 100_000 + "]" * 100_000, encoding="ascii"),
        lambda p: p.write_text('{"schema": 1, "participant": "x", "n": ' + "9" * 5000 + "}", encoding="ascii"),
        lambda p: p.write_text(json.dumps({"schema": 1, "participant": "\U0001d504" * 64}), encoding="utf-8"),
        lambda p: os.symlink(p.with_name("nowhere"), p),
        lambda p: os.mkfifo(p),
        lambda p: os.symlink("/dev/zero", p),
        lambda p: p.write_text("{ ikke json", encoding="utf-8"),
        lambda p: p.write_text(json.dumps({"schema": 99, "participant": "ny"}), encoding="utf-8"),
        lambda p: p.write_text(json.dumps({"hei": "på deg"}), encoding="utf-8"),
        lambda p: p.write_bytes(b"\xff\xfe\x00\xd8 not text"),
    ]
    for i in range(count):
        kinds[i % len(kinds)](folder / f"rar-{i:03d}.json")


def _render(answers: Path, out: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "lederkurs.cli", "render", "--answers", str(answers), "--out",
                           str(out), "--notebooks", "09", "--jobs", "2", "--quiet"], capture_output=True, text=True,
                          env=env)
    return time.perf_counter() - start, done


def _left(marker: str) -> int:
    count = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    count += f"LEDERKURS_BENCH_MARK={marker}".encode() in f.read()
            except OSError:
                pass
    return count


def _stop(answers: Path, out: Path, how: str) -> dict[str, float | int]:
    marker = uuid.uuid4().hex
    proc = subprocess.Popen([sys.executable, "-m", "lederkurs.cli", "render", "--answers", str(answers), "--out",
                             str(out), "--notebooks", "04,09", "--jobs", "2", "--quiet"],
                            env={**os.environ, "LEDERKURS_BENCH_MARK": marker}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not list(out.glob("*/*.html")):
        time.sleep(0.1)
    sent = time.perf_counter()
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.terminate()
    proc.wait(60)
    took = time.perf_counter() - sent
    time.sleep(1.5)
    return {"seconds_to_stop": round(took, 2), "exit_code": proc.returncode, "processes_left": _left(marker)}


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        good, mixed = tmp / "good", tmp / "mixed"
        good.mkdir()
        mixed.mkdir()
        _good(good)
        _good(mixed)
        _odd(mixed, ENTRIES - GOOD)
        env = dict(os.environ)
        mixed_t, good_t, result = [], [], None
        for r in range(rounds):  # interleaved: both see the same machine
            t, _ = _render(good, tmp / f"g{r}", env)
            good_t.append(t)
            t, result = _render(mixed, tmp / f"m{r}", env)
            mixed_t.append(t)
            shutil.rmtree(tmp / f"g{r}")
        assert result is not None
        named = sum(1 for line in result.stderr.splitlines() if line.startswith("  rar-"))
        rendered = len([p for p in (tmp / f"m{rounds - 1}").iterdir() if p.is_dir()])
        figures = {
            "entries": len(list(mixed.iterdir())), "good": GOOD, "odd": ENTRIES - GOOD,
            "good_rendered": rendered, "odd_named": named, "exit_code": result.returncode,
            "mixed_s": round(statistics.median(mixed_t), 1), "good_alone_s": round(statistics.median(good_t), 1),
            "ratio": round(statistics.median(mixed_t) / statistics.median(good_t), 3),
            "ctrl_c": _stop(good, tmp / "stop-int", "ctrl-c"), "sigterm": _stop(good, tmp / "stop-term", "sigterm"),
            "load_average": os.getloadavg(),
        }
    print(json.dumps(figures, indent=2))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "robustness.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
