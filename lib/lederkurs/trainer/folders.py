"""Where a trainer's answers folders are: the folders inside the course folder that hold answers files, and
on a hub with the course's sharing service, the shares fetched into a private folder. Nothing outside the
course folder is offered, and nothing there is written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .. import paths
from ..answers.service_client import ServiceClient

# Folders of the course's own that hold no participant's file (or hold a render's output).
LEFT_OUT = {"node_modules", "lib", "tests", "bench", "content", "notebooks", "deploy", "jupyter", "gjengitt",
            "__pycache__", "build", "dist"}
MAX_DEPTH = 3  # folders below the course folder
MAX_SCANNED = 2000  # entries looked at, at most: a course folder with a huge tree is not searched through
MAX_FOLDERS = 40  # folders offered
SHARED_FOLDER = "shared-answers"


def course_folder(start: Path | None = None) -> Path:
    """The folder JupyterLab shows the course in: the nearest course folder above, else the current one."""
    return paths.course_root(start) or (start or Path.cwd()).resolve()


def answers_folders(root: Path) -> list[Path]:
    """Folders inside `root` (links not followed, hidden ones left out) that hold at least one .json file."""
    found: list[Path] = []
    queue: list[tuple[Path, int]] = [(root, 0)]
    scanned = 0
    while queue and len(found) < MAX_FOLDERS and scanned < MAX_SCANNED:
        folder, depth = queue.pop(0)
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        scanned += len(listed)
        has_json = False
        for entry in listed:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                if depth < MAX_DEPTH and not (depth == 0 and entry.name in LEFT_OUT) and entry.name != "__pycache__":
                    queue.append((Path(entry.path), depth + 1))
            elif entry.name.lower().endswith(".json"):
                has_json = True
        if has_json and folder != root:
            found.append(folder)
    return sorted(found)


def shared_folder() -> Path:
    """The trainer's private folder (0700) for the shares fetched from the service."""
    base = paths.cache_dir() or Path.home() / ".cache" / "lederkurs"
    folder = base / SHARED_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(str(folder))
    os.chmod(folder, 0o700)
    return folder


def fetch_shares(client: ServiceClient) -> Path:
    """Every share now on the service into the private folder; a share withdrawn since is gone from it too."""
    folder = shared_folder()
    for old in folder.glob("*.json"):
        old.unlink()
    client.download_all(folder)
    return folder
