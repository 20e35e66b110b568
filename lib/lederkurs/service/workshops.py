"""Live workshops in the sharing service: the room's focus shift, anonymous, while a trainer shows it.

A trainer starts a workshop; participants who say yes join it and send where they place themselves on the
guide's focus areas (before and now, 0–10) and how many areas of their own they have (a count, never a
label). Only the trainer who started it reads the aggregate: per guide area the median and middle half
(quartiles) of before and now over those who placed both, and nothing at all for an area fewer than
MIN_GROUP have placed. Leaving deletes her row at once; ending deletes the workshop and every row; a
workshop left open ends by itself after MAX_HOURS (every call first deletes what has run out).

Two tables beside the shares, in the same database (lederkurs.service.store's engine and metadata): one row
per workshop, one row per joined participant holding her positions as a small JSON text. At most one
workshop runs at a time (the course has one room at a time per hub).
"""

from __future__ import annotations

import json
import logging
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..answers.model import MAX_OWN_AREAS, SCALE, check_display_name, check_participant
from ..course.content import Course
from ..errors import LederkursError
from .store import NAME_LENGTH, ShareStore, metadata

log = logging.getLogger(__name__)

MAX_HOURS = 4  # a workshop left open ends by itself
MIN_GROUP = 3  # nothing is shown for an area fewer than this many have placed themselves on
MAX_BODY = 4 * 1024  # bytes of one positions or start request (eight areas take ~200)

workshops = sa.Table(
    "lederkurs_workshops", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(400), nullable=False),
    sa.Column("trainer", sa.String(NAME_LENGTH), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,  # an id is never used twice: a notebook knows "its" workshop ended
)
members = sa.Table(
    "lederkurs_workshop_members", metadata,
    sa.Column("workshop", sa.Integer, primary_key=True),
    sa.Column("participant", sa.String(NAME_LENGTH), primary_key=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("positions", sa.Text, nullable=False),  # {"<area id>": [before, now]}, each 0-10 or null
    sa.Column("own_areas", sa.Integer, nullable=False),
)


class WorkshopRefused(LederkursError):
    """A workshop call that cannot be done: none running, another running, not joined, a bad body."""


@dataclass(frozen=True)
class Workshop:
    id: int
    title: str
    trainer: str
    started_at: datetime
    ends_at: datetime

    def to_json(self, *, with_trainer: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "title": self.title,
                                "started_at": self.started_at.isoformat(timespec="seconds"),
                                "ends_at": self.ends_at.isoformat(timespec="seconds")}
        if with_trainer:
            data["trainer"] = self.trainer
        return data


@dataclass(frozen=True)
class Spread:
    median: float
    low: float  # first quartile
    high: float  # third quartile


@dataclass(frozen=True)
class AreaFigure:
    id: str
    label: str
    direction: str
    shown: bool  # False: fewer than MIN_GROUP placed themselves; n and the spreads are then None
    n: int | None
    before: Spread | None
    now: Spread | None


@dataclass(frozen=True)
class Aggregate:
    workshop: Workshop
    joined: int
    own_areas: int  # areas of their own, summed over those joined: a count, never a label
    areas: list[AreaFigure]

    def to_json(self) -> dict[str, Any]:
        return {"workshop": self.workshop.to_json(), "joined": self.joined, "own_areas": self.own_areas,
                "min_group": MIN_GROUP, "areas": [asdict(a) for a in self.areas]}


@dataclass(frozen=True)
class Positions:
    """What one participant sends: her guide areas (before, now) and how many own areas she has."""

    areas: dict[str, tuple[int | None, int | None]]
    own_areas: int


def parse_positions(body: bytes, area_ids: set[str]) -> Positions:
    """The body of a positions call, within the bounds: at most MAX_BODY bytes, only the guide's areas,
    scores on the answers model's SCALE (0–10) or null, own areas 0..MAX_OWN_AREAS."""
    if len(body) > MAX_BODY:
        raise WorkshopRefused("workshop_bad_request", reason="too large")
    try:
        data = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        raise WorkshopRefused("workshop_bad_request", reason="not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("areas", {}), dict):
        raise WorkshopRefused("workshop_bad_request", reason="not an object")
    raw_areas, own = data.get("areas", {}), data.get("own_areas", 0)
    if len(raw_areas) > len(area_ids) or not set(raw_areas) <= area_ids:
        raise WorkshopRefused("workshop_bad_request", reason="unknown area")
    areas: dict[str, tuple[int | None, int | None]] = {}
    for key, pair in raw_areas.items():
        if not isinstance(pair, list) or len(pair) != 2 or not all(_score(v) for v in pair):
            raise WorkshopRefused("workshop_bad_request", reason=f"bad position for {key}")
        areas[key] = (pair[0], pair[1])
    if isinstance(own, bool) or not isinstance(own, int) or not 0 <= own <= MAX_OWN_AREAS:
        raise WorkshopRefused("workshop_bad_request", reason="bad own_areas")
    return Positions(areas, own)


def _score(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value in SCALE)


def _quartiles(values: list[int]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=4, method="inclusive")
    return (q[0], q[2])


def _spread(values: list[int]) -> Spread:
    low, high = _quartiles(values)
    return Spread(float(statistics.median(values)), low, high)


def aggregate_areas(course: Course, rows: list[Positions]) -> list[AreaFigure]:
    """Per guide area, over the participants who placed both before and now there."""
    result = []
    for area in course.focus_areas:
        pairs = [p.areas[area.id] for p in rows if area.id in p.areas]
        complete = [(b, n) for b, n in pairs if b is not None and n is not None]
        if len(complete) < MIN_GROUP:
            result.append(AreaFigure(area.id, area.label, area.direction, False, None, None, None))
            continue
        result.append(AreaFigure(area.id, area.label, area.direction, True, len(complete),
                                 _spread([b for b, _ in complete]), _spread([n for _, n in complete])))
    return result


class WorkshopStore:
    """Workshops and their members in the share store's database; thread-safe like it."""

    def __init__(self, store: ShareStore, course: Course,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store, self.course, self.clock = store, course, clock
        self.area_ids = {a.id for a in course.focus_areas}

    def create(self) -> None:
        self.store.create()  # the tables share the store's metadata

    # -- the trainer -----------------------------------------------------------------------------------

    def start(self, trainer: str, title: str) -> Workshop:
        trainer, title = check_participant(trainer), check_display_name(title)
        if not title:
            raise WorkshopRefused("workshop_bad_request", reason="no title")
        now = self.clock()
        with self.store.transaction() as conn:
            self._expire(conn, now)
            running = conn.execute(sa.select(workshops.c.id)).first()
            if running is not None:
                raise WorkshopRefused("workshop_running")
            ends = now + timedelta(hours=MAX_HOURS)
            key = conn.execute(sa.insert(workshops).values(
                title=title, trainer=trainer, started_at=now, ends_at=ends)).inserted_primary_key
            assert key is not None
            new_id = key[0]
        log.info("%s started workshop %s", trainer, new_id)
        return Workshop(int(new_id), title, trainer, now, ends)

    def end(self, trainer: str, workshop_id: int) -> int:
        """End the trainer's workshop; every position sent to it is deleted. Returns how many were."""
        with self.store.transaction() as conn:
            self._expire(conn, self.clock())
            self._owned(conn, trainer, workshop_id)
            deleted = conn.execute(sa.delete(members).where(members.c.workshop == workshop_id)).rowcount
            conn.execute(sa.delete(workshops).where(workshops.c.id == workshop_id))
        log.info("%s ended workshop %s (%d participants' positions deleted)", trainer, workshop_id, deleted)
        return int(deleted)

    def aggregate(self, trainer: str, workshop_id: int) -> Aggregate:
        with self.store.transaction() as conn:
            self._expire(conn, self.clock())
            workshop = self._owned(conn, trainer, workshop_id)
            rows = conn.execute(sa.select(members.c.positions, members.c.own_areas)
                                .where(members.c.workshop == workshop_id)).all()
        positions = [_positions(r.positions, r.own_areas) for r in rows]
        return Aggregate(workshop, len(positions), sum(p.own_areas for p in positions),
                         aggregate_areas(self.course, positions))

    # -- everyone ---------------------------------------------------------------------------------------

    def current(self, participant: str) -> tuple[Workshop | None, bool]:
        """The running workshop (if any) and whether `participant` has joined it."""
        with self.store.transaction() as conn:
            self._expire(conn, self.clock())
            found = conn.execute(sa.select(workshops)).first()
            if found is None:
                return None, False
            joined = conn.execute(sa.select(members.c.participant).where(
                members.c.workshop == found.id, members.c.participant == participant)).first() is not None
        return _workshop(found), joined

    def join(self, participant: str, workshop_id: int) -> None:
        participant = check_participant(participant)
        now = self.clock()
        with self.store.transaction() as conn:
            self._expire(conn, now)
            self._running(conn, workshop_id)
            stmt = self.store.insert(members).values(workshop=workshop_id, participant=participant,
                                                      updated_at=now, positions="{}", own_areas=0)
            conn.execute(stmt.on_conflict_do_nothing(index_elements=[members.c.workshop, members.c.participant]))

    def leave(self, participant: str, workshop_id: int) -> bool:
        """Her row goes at once (nothing of hers stays in the aggregate)."""
        with self.store.transaction() as conn:
            return conn.execute(sa.delete(members).where(members.c.workshop == workshop_id,
                                                         members.c.participant == participant)).rowcount > 0

    def place(self, participant: str, workshop_id: int, positions: Positions) -> None:
        """Replace her positions; only while she has joined (else WorkshopRefused workshop_not_joined)."""
        now = self.clock()
        text = json.dumps({k: list(v) for k, v in positions.areas.items()}, separators=(",", ":"))
        with self.store.transaction() as conn:
            self._expire(conn, now)
            self._running(conn, workshop_id)
            done = conn.execute(sa.update(members).where(
                members.c.workshop == workshop_id, members.c.participant == participant).values(
                positions=text, own_areas=positions.own_areas, updated_at=now)).rowcount
        if not done:
            raise WorkshopRefused("workshop_not_joined")

    def expire(self) -> int:
        """End every workshop that has run out; returns how many."""
        with self.store.transaction() as conn:
            return self._expire(conn, self.clock())

    # -- inside a transaction -----------------------------------------------------------------------------

    def _expire(self, conn: sa.Connection, now: datetime) -> int:
        old = [r.id for r in conn.execute(sa.select(workshops.c.id).where(workshops.c.ends_at <= now))]
        if old:
            conn.execute(sa.delete(members).where(members.c.workshop.in_(old)))
            conn.execute(sa.delete(workshops).where(workshops.c.id.in_(old)))
            log.info("workshop(s) %s ended by themselves after %d hours", old, MAX_HOURS)
        return len(old)

    def _running(self, conn: sa.Connection, workshop_id: int) -> Workshop:
        found = conn.execute(sa.select(workshops).where(workshops.c.id == workshop_id)).first()
        if found is None:
            raise WorkshopRefused("workshop_not_running")
        return _workshop(found)

    def _owned(self, conn: sa.Connection, trainer: str, workshop_id: int) -> Workshop:
        """The workshop, if `trainer` started it: to anyone else it does not exist."""
        workshop = self._running(conn, workshop_id)
        if workshop.trainer != trainer:
            raise WorkshopRefused("workshop_not_running")
        return workshop


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)  # SQLite keeps no zone


def _workshop(row: Any) -> Workshop:
    return Workshop(int(row.id), row.title, row.trainer, _utc(row.started_at), _utc(row.ends_at))


def _positions(text: str, own: int) -> Positions:
    data = json.loads(text)
    return Positions({k: (v[0], v[1]) for k, v in data.items()}, int(own))
