"""Things several test modules use (no fixtures: those are in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "cohort"
DATA = REPO / "tests" / "data"


def lederkurs(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
              timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the `lederkurs` command as a trainer would, in this test's environment."""
    return subprocess.run([sys.executable, "-m", "lederkurs.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=timeout)
