"""One source of truth for dependencies: pyproject.toml says what the course supports, requirements.lock
pins the whole environment inside those ranges, and environment.yml (Binder) installs exactly the lock."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from helpers import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _lock() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            m = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)", line)
            assert m, f"not an exact pin: {line!r}"
            assert canonicalize_name(m[1]) not in pins, f"pinned twice: {m[1]}"
            pins[canonicalize_name(m[1])] = m[2]
    return pins


def test_the_lock_pins_every_declared_dependency_inside_its_range() -> None:
    pins = _lock()
    declared = [Requirement(r) for r in PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["test"]]
    for req in declared:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements.lock: run `make lock`"
        assert req.specifier.contains(pins[name], prereleases=True), f"{req.name}=={pins[name]} is not {req.specifier}"
    assert "lederkurs" not in pins  # the course itself is installed from the checkout or its wheel
    assert len(pins) > len(declared)  # transitive dependencies are pinned too


def test_ranges_are_ranges_and_the_lock_is_the_only_place_with_exact_pins() -> None:
    for r in PYPROJECT["dependencies"]:
        assert "==" not in r, f"an exact pin in pyproject.toml: {r} (exact versions belong in requirements.lock)"


def test_environment_yml_installs_exactly_the_lock() -> None:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip == ["-r requirements.lock"]
    assert "python=3.11" in env["dependencies"]
    assert PYPROJECT["requires-python"] == ">=3.11"


def test_make_installs_the_lock_and_the_course_without_other_dependencies() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet -r requirements.lock" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile


def test_postbuild_installs_the_package_and_is_executable() -> None:
    post = REPO / "postBuild"
    assert os.access(post, os.X_OK)
    text = post.read_text(encoding="utf-8")
    assert "set -e" in text and "pip install --no-deps -e ." in text
    assert "jupyter/install-settings.sh" in text


def test_make_installs_again_when_a_file_it_copies_changes() -> None:
    """A pulled change to the Voilà page or the extension reaches `make lab` and `make app`: every file the
    install puts into the environment (pyproject's data-files) is a prerequisite of make's install stamp."""
    out = subprocess.run(["make", "-pq", "install"], cwd=REPO, capture_output=True, text=True).stdout
    line = next(x for x in out.splitlines() if x.startswith(".venv/.installed:"))
    prerequisites = set(line.split(":", 1)[1].replace("|", " ").split())
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = pyproject["tool"]["setuptools"]["data-files"]
    copied = {str(p.relative_to(REPO)) for patterns in data_files.values() for pattern in patterns
              for p in REPO.glob(pattern) if p.is_file()}
    assert copied and not copied - prerequisites, sorted(copied - prerequisites)
