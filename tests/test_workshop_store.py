"""The live workshop's rules in the service's store, on SQLite and on a real PostgreSQL server.

What participants are promised: nothing is shown for an area fewer than three placed themselves on; own
areas only as a count; leaving deletes her row at once; ending deletes every row; a workshop left open ends
by itself after four hours; only the trainer who started it reads it; bounds on what comes in.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy")
pytest.importorskip("psycopg")

import sqlalchemy as sa  # noqa: E402

from lederkurs.course.content import load_course  # noqa: E402
from lederkurs.errors import ParameterError  # noqa: E402
from lederkurs.service.store import ShareStore, default_url  # noqa: E402
from lederkurs.service.workshops import (  # noqa: E402
    MAX_BODY,
    MAX_HOURS,
    Positions,
    WorkshopRefused,
    WorkshopStore,
    members,
    parse_positions,
    workshops,
)

import pg_support  # noqa: E402

COURSE = load_course("nb")
IDS = {a.id for a in COURSE.focus_areas}


@pytest.fixture(scope="module")
def postgres() -> Iterator[pg_support.Postgres]:
    pg = pg_support.start_postgres()
    try:
        yield pg
    finally:
        pg.stop("immediate")
        shutil.rmtree(pg.folder, ignore_errors=True)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[WorkshopStore, Clock]]:
    url = default_url(tmp_path) if request.param == "sqlite" else request.getfixturevalue("postgres").url
    store = ShareStore(url)
    store.create()
    clock = Clock()
    yield WorkshopStore(store, COURSE, clock), clock
    with store.engine.begin() as conn:  # the next test starts empty
        conn.execute(sa.delete(members))
        conn.execute(sa.delete(workshops))
    store.close()


def rows(ws: WorkshopStore) -> int:
    with ws.store.engine.begin() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(members)).scalar_one()


def place(ws: WorkshopStore, who: str, wid: int, before: int, now: int, own: int = 0) -> None:
    ws.place(who, wid, Positions({"veiledning": (before, now), "detaljer": (before, None)}, own))


def test_nothing_is_shown_below_three_and_medians_from_three(ws: tuple[WorkshopStore, Clock]) -> None:
    store, _ = ws
    w = store.start("kursholder", "Samling 1, Oslo")
    for who in ("anna", "bjorn"):
        store.join(who, w.id)
    place(store, "anna", w.id, 2, 8, own=1)
    place(store, "bjorn", w.id, 4, 6, own=2)
    agg = store.aggregate("kursholder", w.id)
    assert agg.joined == 2 and agg.own_areas == 3
    assert not any(a.shown for a in agg.areas) and all(a.n is None and a.now is None for a in agg.areas)
    store.join("cecilie", w.id)
    place(store, "cecilie", w.id, 3, 9)
    agg = store.aggregate("kursholder", w.id)
    shown = {a.id: a for a in agg.areas if a.shown}
    assert set(shown) == {"veiledning"}  # detaljer: nobody placed "now" there, so no complete pairs
    v = shown["veiledning"]
    assert (v.n, v.before.median, v.now.median) == (3, 3.0, 8.0)
    assert (v.before.low, v.before.high, v.now.low, v.now.high) == (2.5, 3.5, 7.0, 8.5)
    body = json.dumps(agg.to_json())
    for name in ("anna", "bjorn", "cecilie"):
        assert name not in body  # nobody's name reaches the trainer


def test_leaving_deletes_her_row_at_once_and_ending_deletes_all(ws: tuple[WorkshopStore, Clock]) -> None:
    store, _ = ws
    w = store.start("kursholder", "Samling 1")
    for who in ("anna", "bjorn", "cecilie"):
        store.join(who, w.id)
        place(store, who, w.id, 3, 7)
    assert store.aggregate("kursholder", w.id).areas[0].shown
    assert store.leave("cecilie", w.id) and rows(store) == 2
    agg = store.aggregate("kursholder", w.id)
    assert agg.joined == 2 and not agg.areas[0].shown
    with pytest.raises(WorkshopRefused) as e:  # after leaving, nothing of hers gets in
        place(store, "cecilie", w.id, 1, 1)
    assert e.value.key == "workshop_not_joined" and rows(store) == 2
    assert store.end("kursholder", w.id) == 2
    assert rows(store) == 0 and store.current("anna") == (None, False)


def test_only_the_trainer_who_started_it_reads_or_ends_it(ws: tuple[WorkshopStore, Clock]) -> None:
    store, _ = ws
    w = store.start("kursholder", "Samling 1")
    for who, call in (("annen-kursholder", store.aggregate), ("annen-kursholder", store.end), ("anna", store.end)):
        with pytest.raises(WorkshopRefused) as e:
            call(who, w.id)
        assert e.value.key == "workshop_not_running"
    with pytest.raises(WorkshopRefused) as e:  # one at a time
        store.start("annen-kursholder", "Samling 2")
    assert e.value.key == "workshop_running"


def test_a_workshop_left_open_ends_by_itself(ws: tuple[WorkshopStore, Clock]) -> None:
    store, clock = ws
    w = store.start("kursholder", "Samling 1")
    store.join("anna", w.id)
    place(store, "anna", w.id, 3, 7)
    clock.now += timedelta(hours=MAX_HOURS) - timedelta(seconds=1)
    assert store.current("anna")[1] is True
    clock.now += timedelta(seconds=1)
    assert store.expire() == 1 and rows(store) == 0
    assert store.current("anna") == (None, False)
    assert store.start("kursholder", "Samling 2").id != w.id


def test_positions_within_bounds() -> None:
    ok = parse_positions(b'{"areas": {"veiledning": [0, 10], "detaljer": [null, 5]}, "own_areas": 2}', IDS)
    assert ok.areas == {"veiledning": (0, 10), "detaljer": (None, 5)} and ok.own_areas == 2
    for body in (b'{"areas": {"veiledning": [0, 11]}}', b'{"areas": {"veiledning": [-1, 3]}}',
                 b'{"areas": {"veiledning": [true, 3]}}', b'{"areas": {"veiledning": [1.5, 3]}}',
                 b'{"areas": {"veiledning": [1]}}', b'{"areas": {"egen-1": [1, 2]}}',
                 b'{"areas": {}, "own_areas": 21}', b'{"areas": {}, "own_areas": -1}', b"[1]", b"not json",
                 b'{"areas": {"veiledning": [1, 2]}, "x": "' + b"a" * MAX_BODY + b'"}'):
        with pytest.raises(WorkshopRefused):
            parse_positions(body, IDS)


def test_a_title_is_one_short_line(ws: tuple[WorkshopStore, Clock]) -> None:
    store, _ = ws
    for title in ("", "  ", "a" * 81, "skjult\u202etekst"):
        with pytest.raises((WorkshopRefused, ParameterError)):
            store.start("kursholder", title)
    assert store.current("kursholder") == (None, False)
    assert store.start("kursholder", "Samling 1,\n  Oslo").title == "Samling 1, Oslo"
