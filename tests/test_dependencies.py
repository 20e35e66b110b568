"""One source of truth for dependencies: environment.yml names exactly the pins of pyproject.toml."""

from __future__ import annotations

import os
import tomllib

import yaml

from helpers import REPO


def test_environment_yml_matches_pyproject() -> None:
    pins = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert sorted(pip) == sorted(pins)
    assert all("==" in p for p in pins)
    assert "python=3.11" in env["dependencies"]


def test_postbuild_installs_the_package_and_is_executable() -> None:
    post = REPO / "postBuild"
    assert os.access(post, os.X_OK)
    text = post.read_text(encoding="utf-8")
    assert "set -e" in text and "pip install --no-deps -e ." in text
    assert "jupyter/install-settings.sh" in text
