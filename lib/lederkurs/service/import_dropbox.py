"""`python -m lederkurs.service.import_dropbox FOLDER`: a one-off move of the old drop box's shares into the
sharing service's store (deploy/sharing-service.md, "Moving from the drop box"). For IT, as root, once.

The drop box (mode 3773, before issue 28) held `<name>.json` files that participants wrote as their own
system users. A file is imported only when it is what the drop box promised: a plain file with one link,
owned by the system user its file name names, whose participant inside is that name too (the store checks
the last part, with the answers model's bounds). Anything else is left where it is and named with its reason;
nothing in the folder is changed or removed. A share already in the store (she shared through the service
since) is kept: the drop box's copy is older.

The store is the service's: LEDERKURS_SERVICE_DB, else the SQLite file in LEDERKURS_SERVICE_DATA. Run it as
the service's account so a new SQLite file is its own (`runuser -u lederkurs-deling -- ...` cannot read the
drop box, so run as root and `chown` the file afterwards if the store was made here; see the guide).
"""

from __future__ import annotations

import argparse
import os
import pwd
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..answers.model import MAX_BYTES
from ..errors import LederkursError
from .store import ShareStore, default_url


@dataclass
class Imported:
    imported: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already shared through the service
    refused: list[tuple[str, str]] = field(default_factory=list)  # file name, reason


def _owner(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def import_folder(folder: Path, store: ShareStore) -> Imported:
    done = Imported()
    for path in sorted(folder.iterdir()):
        name = path.stem
        if path.name.startswith(".") or path.suffix != ".json":
            done.refused.append((path.name, "not a <name>.json file"))
            continue
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            done.refused.append((path.name, "not a plain file with one link"))
            continue
        if _owner(info.st_uid) != name:
            done.refused.append((path.name, f"written by {_owner(info.st_uid)}, not by {name}"))
            continue
        if info.st_size > MAX_BYTES:
            done.refused.append((path.name, f"larger than {MAX_BYTES} bytes"))
            continue
        if store.get(name) is not None:
            done.kept.append(name)
            continue
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as f:
            data = f.read(MAX_BYTES + 1)
        try:
            store.put(name, data)
        except LederkursError as e:  # another participant inside, not an answers file, an impossible name
            done.refused.append((path.name, f"{e.key} {e.values}"))
            continue
        done.imported.append(name)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lederkurs.service.import_dropbox",
                                     description="Import the old drop box's shares into the sharing service")
    parser.add_argument("folder", help="the drop box, e.g. /srv/lederkurs/innlevering")
    args = parser.parse_args(argv)
    url = os.environ.get("LEDERKURS_SERVICE_DB") or default_url(
        Path(os.environ.get("LEDERKURS_SERVICE_DATA") or "/var/lib/lederkurs-deling"))
    store = ShareStore(url)
    try:
        store.create()
        done = import_folder(Path(args.folder), store)
    finally:
        store.close()
    print(f"imported {len(done.imported)}: {', '.join(done.imported)}")
    if done.kept:
        print(f"already shared through the service (kept, the drop box's copy is older): {', '.join(done.kept)}")
    for file, reason in done.refused:
        print(f"left out {file}: {reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
