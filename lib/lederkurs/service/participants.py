"""`lederkurs approve`: the trainer or IT approves many participants at once, or adds them from a list.

One request to the course's endpoint on the hub, `POST /hub/lederkurs/participants` (deploy/jupyterhub_config.py,
the handler `Participants`), with a hub token that holds `custom:lederkurs:approve` (the trainer's own server's
token has it). For each name: a sign-up that waits is approved now; a name nobody has signed up with yet goes on
the course's list (the hub group `deltakerliste`), and NativeAuthenticator approves it the moment that person signs
up with her own password. The trainer never learns or sets a password.

Standard library only (urllib): it runs in the trainer's terminal on the hub.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LederkursError
from ..text import visible

# A hub user name becomes a Linux user name as it is (deploy/jupyterhub_config.py uses this pattern too).
USERNAME_PATTERN = r"^[a-z][a-z0-9_-]{1,31}$"
MAX_NAMES = 1000  # names in one list or one request
MAX_LIST_BYTES = 64 * 1024  # a list file: 1000 names of 32 characters, with room for comments
ENDPOINT = "lederkurs/participants"  # under the hub's base URL
TIMEOUT = 60


@dataclass
class NameList:
    names: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # line number, the line as it stood


def parse_names(lines: list[str]) -> NameList:
    """Names one per line (or separated by commas); blank lines and `#` comments are skipped, case is folded,
    a name given twice counts once. Anything that is not a usable hub name is a problem, with its line."""
    result = NameList()
    for number, line in enumerate(lines, 1):
        for part in line.split("#", 1)[0].split(","):
            name = part.strip().lower()
            if not name:
                continue
            if not re.fullmatch(USERNAME_PATTERN, name):
                result.problems.append((number, part.strip()))
            elif name not in result.names:
                result.names.append(name)
    if len(result.names) > MAX_NAMES:
        raise LederkursError("approve_too_many", count=len(result.names), limit=MAX_NAMES)
    return result


def read_names(path: Path) -> NameList:
    """A list file, within MAX_LIST_BYTES, UTF-8."""
    with path.open("rb") as f:
        data = f.read(MAX_LIST_BYTES + 1)
    if len(data) > MAX_LIST_BYTES:
        raise LederkursError("approve_list_too_large", path=visible(str(path)), limit=MAX_LIST_BYTES // 1024)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LederkursError("approve_list_not_text", path=visible(str(path))) from None
    return parse_names(text.splitlines())


def endpoint(hub_url: str | None = None) -> str:
    """The endpoint's URL: from --hub (the hub's address, e.g. https://kurs.example.no/hub/), else from the
    JUPYTERHUB_API_URL JupyterHub gives every server (http://127.0.0.1:8081/hub/api)."""
    base = hub_url or os.environ.get("JUPYTERHUB_API_URL", "")
    if not base:
        raise LederkursError("approve_no_hub")
    base = base.rstrip("/")
    base = base.removesuffix("/api")
    return f"{base}/{ENDPOINT}"


def approve(url: str, token: str, names: list[str], waiting: bool) -> dict[str, list[str]]:
    """Send the names (and/or "everyone waiting"); the hub answers what it did with each name."""
    body = json.dumps({"approve": names, "waiting": waiting}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Authorization": f"token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer: Any = json.loads(response.read(1024 * 1024))
    except urllib.error.HTTPError as e:
        raise LederkursError("approve_refused", status=e.code) from None
    except (OSError, ValueError) as e:
        raise LederkursError("approve_unreachable", reason=getattr(e, "reason", e)) from None
    return {key: [str(n) for n in answer.get(key, [])] for key in ("approved", "already", "listed")}


def command(names: list[str], file: str | None, waiting: bool, hub: str | None, lang: str) -> int:
    """`lederkurs approve`: nothing is sent while any name is unusable; then what the hub did, name by name."""
    from ..course.messages import msg

    listed = parse_names(names)
    if file:
        from_file = read_names(Path(file))
        listed.problems += from_file.problems
        listed.names += [n for n in from_file.names if n not in listed.names]
    for number, text in listed.problems:
        where = msg(lang, "approve_line", line=number) if file else ""
        print(msg(lang, "approve_bad_name", where=where, name=visible(text), pattern=USERNAME_PATTERN),
              file=sys.stderr)
    if listed.problems:
        print(msg(lang, "approve_nothing_sent"), file=sys.stderr)
        return 2
    if not listed.names and not waiting:
        print(msg(lang, "approve_no_names"), file=sys.stderr)
        return 2
    token = os.environ.get("JUPYTERHUB_API_TOKEN", "")
    if not token:
        raise LederkursError("approve_no_token")
    done = approve(endpoint(hub), token, listed.names, waiting)
    for key in ("approved", "already", "listed"):
        if done[key]:
            print(msg(lang, f"approve_{key}", count=len(done[key]), names=", ".join(done[key])))
    if not any(done.values()):
        print(msg(lang, "approve_none_waiting"))
    return 0
