"""Talking to the course's sharing service (lederkurs.service) from a kernel on the hub: the participant's
notebook shares, shows and withdraws; the trainer's kernel or command lists and fetches what was shared.

On a hub with the service, a server's environment has the service's URL (LEDERKURS_SERVICE_URL, set in
deploy/jupyterhub_config.py) and the server's own token (JUPYTERHUB_API_TOKEN, set by JupyterHub). The
token is the only thing that says who calls: nothing here sends a name to share under. Outside a hub
`configured()` is None and nothing changes.

Only the standard library (urllib): this runs in every participant's kernel.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import LederkursError
from ..files import atomic_write
from .model import MAX_BYTES, check_participant, read_bounded

SERVICE_ENV = "LEDERKURS_SERVICE_URL"
TOKEN_ENV = "JUPYTERHUB_API_TOKEN"
TIMEOUT = 30  # seconds for one call; the service answers a share in milliseconds
# Keys the service may answer with that the message catalogue words (anything else: service_refused).
KNOWN_KEYS = {"service_unavailable", "share_refused", "share_other_participant"}


@dataclass(frozen=True)
class SharedCopy:
    """What the service holds of one participant: when it was shared, its size and SHA-256."""

    participant: str
    when: datetime
    size: int
    sha256: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SharedCopy:
        return cls(str(data["participant"]), datetime.fromisoformat(data["shared_at"]).astimezone(),
                   int(data["size"]), str(data["sha256"]))


class ServiceClient:
    def __init__(self, url: str, token: str) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.token = token

    # -- the participant's own share --

    def share(self, data: bytes) -> SharedCopy:
        """Share (or replace) one's own answers file, as the token's owner."""
        return SharedCopy.from_json(self._json("PUT", "api/share", data)["share"])

    def mine(self) -> SharedCopy | None:
        try:
            return SharedCopy.from_json(self._json("GET", "api/share")["share"])
        except _NotFound:
            return None

    def withdraw(self) -> bool:
        return bool(self._json("DELETE", "api/share")["withdrawn"])

    # -- the trainer (a token with the read scope) --

    def shares(self) -> list[SharedCopy]:
        return [SharedCopy.from_json(s) for s in self._json("GET", "api/shares")["shares"]]

    def read(self, participant: str) -> bytes:
        return self._call("GET", f"api/shares/{quote(check_participant(participant), safe='')}")

    def download_all(self, folder: Path) -> list[Path]:
        """Every shared file into `folder` as <participant>.json (0600), as the service holds it now; a share
        withdrawn between the list and its read is left out. The render (`lederkurs render --from-shares`)
        and the trainer's cohort notebook read that folder. Stable API: (folder) -> the files written."""
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        written = []
        for share in self.shares():
            name = check_participant(share.participant)
            try:
                data = self.read(name)
            except _NotFound:
                continue
            written.append(atomic_write(folder / f"{name}.json", data, mode=0o600))
        return written

    # -- HTTP --

    def _json(self, method: str, path: str, body: bytes | None = None) -> dict[str, Any]:
        return json.loads(self._call(method, path, body))

    def _call(self, method: str, path: str, body: bytes | None = None) -> bytes:
        request = urllib.request.Request(self.url + path, data=body, method=method, headers={
            "Authorization": f"token {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return _bounded(response)
        except urllib.error.HTTPError as e:
            if e.code == 404:
                raise _NotFound() from None
            raise _refusal(e.code, _bounded(e)) from None
        except (OSError, ValueError) as e:  # refused, unreachable, timed out, a bad URL
            raise LederkursError("service_unreachable", reason=getattr(e, "reason", e)) from None


class _NotFound(Exception):
    pass


def _bounded(response: Any) -> bytes:
    data: bytes = response.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise LederkursError("service_refused", status="too large")
    return data


def _refusal(status: int, body: bytes) -> LederkursError:
    """The service's JSON error as an error with a key the catalogue words."""
    try:
        error = error_from_json(json.loads(body))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        error = None
    if error is None or error.key not in KNOWN_KEYS:
        return LederkursError("service_refused", status=status)
    return error


def error_to_json(error: LederkursError, depth: int = 0) -> dict[str, Any]:
    """An error with its values as JSON; a value that is an error itself (the reason) stays one."""
    def value(v: object) -> object:
        return error_to_json(v, depth + 1) if isinstance(v, LederkursError) and depth < 3 else str(v)
    return {"error": error.key, "values": {k: value(v) for k, v in error.values.items()}}


def error_from_json(data: Any, depth: int = 0) -> LederkursError | None:
    """The reverse of error_to_json, for keys of the course's own answers errors and the service's."""
    if not isinstance(data, dict) or not isinstance(data.get("error"), str) or depth > 3:
        return None
    values: dict[str, object] = {}
    for k, v in dict(data.get("values") or {}).items():
        inner = error_from_json(v, depth + 1) if isinstance(v, dict) else None
        values[str(k)] = inner if inner is not None else str(v)
    key = data["error"]
    if depth and not key.startswith(("reason_", "error_")):
        return None  # a nested reason: only the answers model's keys, which the catalogue words
    return LederkursError(key, **values)


def configured() -> ServiceClient | None:
    """The sharing service of the hub this kernel runs on, if it has one."""
    url, token = os.environ.get(SERVICE_ENV), os.environ.get(TOKEN_ENV)
    return ServiceClient(url, token) if url and token else None


@contextmanager
def downloaded_shares(client: ServiceClient | None = None) -> Iterator[Path]:
    """What was shared with the trainer, in a new private folder (0700, removed afterwards): the source of
    `lederkurs render --from-shares` on a hub with the service (the trainer's server's token reads it)."""
    client = client or configured()
    if client is None:
        raise LederkursError("shares_no_service")
    folder = Path(tempfile.mkdtemp(prefix="lederkurs-shares-"))
    try:
        client.download_all(folder)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def share_file(client: ServiceClient, path: Path) -> SharedCopy:
    """Share the answers file at `path` as it is now (read within the model's bounds)."""
    return client.share(read_bounded(path))
