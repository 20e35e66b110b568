"""The participant mode's JupyterLab extension is shipped prebuilt (jupyter/labextension/dist): those files must
be exactly what its source builds. This rebuilds it from the source and the lock file in a scratch folder (npm ci
from the npm registry, then the standard @jupyterlab/builder) and compares every file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.install]

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "jupyter" / "labextension"
SHIPPED = SOURCE / "dist" / "lederkurs-participant"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_shipped_extension_is_what_its_source_builds(tmp_path: Path) -> None:
    npm = shutil.which("npm")
    assert npm, "npm is needed to rebuild the extension (Node 20: apt-get install nodejs npm)"
    work = tmp_path / "labextension"
    work.mkdir()
    for name in ("package.json", "package-lock.json", "webpack.config.js", "src", "style", "schema"):
        source = SOURCE / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, work / name)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=work, check=True,
                   capture_output=True, timeout=900)
    import jupyterlab

    shutil.copytree(Path(jupyterlab.__file__).parent / "staging", work / ".core")  # as `make labextension` does
    subprocess.run([str(work / "node_modules" / ".bin" / "build-labextension"), "--core-path", ".core", "."],
                   cwd=work, check=True, capture_output=True, timeout=600)
    built, shipped = _files(work / "dist" / "lederkurs-participant"), _files(SHIPPED)
    assert sorted(built) == sorted(shipped), "rebuild with `make labextension` and commit jupyter/labextension/dist"
    differ = [name for name in built if built[name] != shipped[name]]
    assert not differ, f"{differ} differ from the source's build: run `make labextension` and commit"
