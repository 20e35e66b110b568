"""The live workshop's calls on the course's sharing service (lederkurs.service.workshop_api), from a kernel.

With the server's own token, as answers.service_client: the hub says who calls. Only the standard library.
What a participant sends is `positions_body`: the guide's areas (before, now) and how many own areas she
has; never a label, a name or an answer.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from typing import Any, Protocol

from .service_client import ServiceClient

TIMEOUT = 5  # seconds for one call; a background thread waits, nobody else does
MIN_GROUP, MAX_HOURS = 3, 4  # as lederkurs.service.workshops (the service is not imported in a kernel)


class Point(Protocol):
    """A focus point as charts.points.FocusPoint has it (direction None: her own area)."""

    @property
    def id(self) -> str: ...
    @property
    def direction(self) -> Any: ...
    @property
    def before(self) -> int | None: ...
    @property
    def now(self) -> int | None: ...


class WorkshopClient:
    """The workshop's calls on the sharing service, with the server's own token (standard library only)."""

    def __init__(self, service: ServiceClient) -> None:
        self.url, self.token = service.url, service.token

    def call(self, method: str, path: str, body: object | None = None) -> tuple[int, dict[str, Any]]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"token {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.status, json.loads(response.read(64 * 1024) or b"{}")
        except urllib.error.HTTPError as e:
            try:
                return e.code, json.loads(e.read(64 * 1024) or b"{}")
            except ValueError:
                return e.code, {}

    def current(self) -> dict[str, Any] | None:
        status, body = self.call("GET", "api/workshop")
        return body if status == 200 else None


def positions_body(points: Iterable[Point]) -> dict[str, Any]:
    """What is sent: the guide's areas (before, now) and how many own areas; no label, no name."""
    points = list(points)
    return {"areas": {p.id: [p.before, p.now] for p in points if p.direction is not None},
            "own_areas": sum(1 for p in points if p.direction is None)}


