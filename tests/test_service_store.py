"""The sharing service's store, the same suite against SQLite and against a real PostgreSQL server.

What a participant and the trainer rely on: a share is stored as it was sent, replaced whole, withdrawn
completely; a file that is not the participant's own answers file never gets in; many shares at once lose
nothing; a database that goes away gives StoreUnavailable and loses nothing that was stored, and a share
that the store confirmed survives a crash of the database server.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy")
pytest.importorskip("psycopg")

from lederkurs.answers.model import MAX_BYTES, Answer, AnswersFile  # noqa: E402
from lederkurs.errors import ParameterError  # noqa: E402
from lederkurs.service.store import ShareRefused, ShareStore, StoreUnavailable, default_url  # noqa: E402

import pg_support  # noqa: E402


def answers(name: str, text: str = "Jeg bygger bro.") -> bytes:
    return AnswersFile(name, answers={"brobygger": Answer(text, "2026-12-06T10:00:00+01:00")},
                       updated="2026-12-06T10:00:00+01:00").encode()


postgres = pg_support.postgres  # a real PostgreSQL server for the module (Debian's postgresql)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield default_url(tmp_path)
        return
    pg: pg_support.Postgres = request.getfixturevalue("postgres")
    yield pg.url
    store = ShareStore(pg.url)  # the next test starts empty
    try:
        for share in store.list():
            store.delete(share.participant)
    finally:
        store.close()


@pytest.fixture
def store(url: str) -> Iterator[ShareStore]:
    s = ShareStore(url)
    s.create()
    try:
        yield s
    finally:
        s.close()


def test_share_show_read_list_and_withdraw(store: ShareStore) -> None:
    data = answers("anna")
    share = store.put("anna", data)
    assert (share.participant, share.size, share.sha256) == ("anna", len(data), hashlib.sha256(data).hexdigest())
    assert store.get("anna") == share
    assert store.read("anna") == data  # the file as she shared it, byte for byte
    assert store.list() == [share]
    assert store.get("bjorn") is None and store.read("bjorn") is None
    assert store.delete("anna") is True
    assert store.get("anna") is None and store.read("anna") is None and store.list() == []
    assert store.delete("anna") is False


def test_a_new_share_replaces_the_old_one_whole(store: ShareStore) -> None:
    first = store.put("anna", answers("anna", "første"))
    second = store.put("anna", answers("anna", "andre"))
    assert store.read("anna") == answers("anna", "andre")
    assert second.shared_at >= first.shared_at
    assert [s.participant for s in store.list()] == ["anna"]


@pytest.mark.parametrize(("data", "key"), [
    (answers("bjorn"), "share_other_participant"),  # her name on the request, his file: refused
    (b"not json", "share_refused"),
    (b"\x00\xff" * 10, "share_refused"),
    (b'{"schema": 99, "participant": "anna"}', "share_refused"),
    (b'{"schema": 1, "participant": "anna", "focus": {"x": {"before": 11}}}', "share_refused"),
    (b"[" * 100_000 + b"]" * 100_000, "share_refused"),
    (b" " * (MAX_BYTES + 1), "share_refused"),
], ids=["other-name", "not-json", "binary", "newer-schema", "out-of-scale", "deep", "too-large"])
def test_what_is_not_her_own_answers_file_never_gets_in(store: ShareStore, data: bytes, key: str) -> None:
    kept = store.put("anna", answers("anna"))
    with pytest.raises(ShareRefused) as refused:
        store.put("anna", data)
    assert refused.value.key == key
    assert store.list() == [kept] and store.read("anna") == answers("anna")  # the earlier share is untouched


@pytest.mark.parametrize("name", ["../anna", "", "a" * 300, "anna/kari", "con"])
def test_a_name_that_cannot_be_a_participant_is_refused(store: ShareStore, name: str) -> None:
    with pytest.raises(ParameterError):
        store.put(name, answers(name))
    assert store.list() == []


def test_many_shares_at_once_lose_nothing(store: ShareStore) -> None:
    names = [f"deltaker{i:02d}" for i in range(50)]
    replacements = [answers("anna", f"versjon {i}") for i in range(20)]
    barrier = threading.Barrier(70)

    def share(name: str, data: bytes) -> None:
        barrier.wait(timeout=60)
        store.put(name, data)

    with ThreadPoolExecutor(70) as pool:
        futures = [pool.submit(share, n, answers(n, f"svar fra {n}")) for n in names]
        futures += [pool.submit(share, "anna", data) for data in replacements]
        for f in futures:
            f.result(timeout=120)
    assert [s.participant for s in store.list()] == sorted(["anna", *names])
    for n in names:
        assert store.read(n) == answers(n, f"svar fra {n}")
    assert store.read("anna") in replacements  # the last of the twenty, whole


def test_two_processes_share_one_postgres(postgres: pg_support.Postgres) -> None:
    """What two service replicas do: a share written by another process is read here, and back."""
    url = postgres.url
    store = ShareStore(url)
    store.create()
    code = ("import sys\nfrom lederkurs.service.store import ShareStore\nfrom test_service_store import answers\n"
            "s = ShareStore(sys.argv[1]); s.put('kari', answers('kari', 'fra den andre prosessen'))\n"
            "print(s.read('anna').decode())")
    store.put("anna", answers("anna", "fra denne prosessen"))
    done = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).parent)
    assert done.returncode == 0, done.stderr
    assert "fra denne prosessen" in done.stdout
    try:
        assert store.read("kari") == answers("kari", "fra den andre prosessen")
    finally:
        for s in store.list():
            store.delete(s.participant)
        store.close()


def test_a_database_that_cannot_be_opened_says_so(tmp_path: Path) -> None:
    store = ShareStore(default_url(tmp_path / "missing-folder"))
    with pytest.raises(StoreUnavailable) as e:
        store.create()
    assert e.value.key == "service_unavailable" and "unable to open" in str(e.value.values["reason"])


def test_postgres_down_gives_unavailable_and_keeps_every_confirmed_share(postgres: pg_support.Postgres) -> None:
    """Shares run while the server crashes (immediate stop) and comes back: each share the store confirmed
    is there afterwards, whole; each one that failed failed with StoreUnavailable; then sharing works again."""
    store = ShareStore(postgres.url)
    store.create()
    try:
        store.put("anna", answers("anna"))
        confirmed: dict[str, bytes] = {}
        failed: list[BaseException] = []
        crashed = threading.Event()

        def share(i: int) -> None:
            name, data = f"deltaker{i:03d}", answers(f"deltaker{i:03d}", f"svar {i} " * 200)
            if i == 40:
                postgres.stop("immediate")  # like a crash: no checkpoint, connections cut
                crashed.set()
            try:
                store.put(name, data)
                confirmed[name] = data
            except StoreUnavailable as e:
                failed.append(e)

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(share, range(80)))
        assert crashed.is_set() and failed, "the server's stop should have failed some shares"
        with pytest.raises(StoreUnavailable):
            store.list()
        postgres.start()
        rows = {s.participant: s for s in store.list()}
        for name, data in confirmed.items():
            assert store.read(name) == data, f"{name}'s confirmed share was lost"
            assert rows[name].sha256 == hashlib.sha256(data).hexdigest()
        for name in rows:  # nothing half-written: every row is a whole file that was sent
            data = store.read(name)
            assert data is not None and hashlib.sha256(data).hexdigest() == rows[name].sha256
        assert store.read("anna") == answers("anna")
        store.put("kari", answers("kari"))  # the pool reconnects: sharing works again
        assert store.get("kari") is not None
        print(f"\n{len(confirmed)} shares confirmed, {len(failed)} refused with StoreUnavailable during the crash")
    finally:
        if not (postgres.data / "postmaster.pid").exists():
            postgres.start()
        for s in store.list():
            store.delete(s.participant)
        store.close()


def test_the_old_drop_box_is_imported_once_and_only_files_of_the_participant_they_name(tmp_path: Path) -> None:
    """The one-off move from the drop box (deploy/sharing-service.md): a file counts only if it is a plain file
    of the system user its name names, with that participant inside; nothing in the folder is changed."""
    import getpass

    from lederkurs.service.import_dropbox import import_folder

    me = getpass.getuser()
    box = tmp_path / "innlevering"
    box.mkdir()
    (box / f"{me}.json").write_bytes(answers(me))
    (box / "ola.json").write_bytes(answers("ola"))  # named ola, but written by me
    (box / "lenke.json").symlink_to(box / f"{me}.json")
    (box / "notes.txt").write_text("x")
    before = {p.name: (p.lstat().st_mtime_ns, p.lstat().st_size) for p in box.iterdir()}
    store = ShareStore(default_url(tmp_path))
    store.create()
    try:
        done = import_folder(box, store)
        assert done.imported == [me] and store.read(me) == answers(me)
        assert {f for f, _ in done.refused} == {"ola.json", "lenke.json", "notes.txt"}
        again = import_folder(box, store)  # a second run (or a newer share through the service) keeps hers
        assert again.imported == [] and again.kept == [me]
    finally:
        store.close()
    assert {p.name: (p.lstat().st_mtime_ns, p.lstat().st_size) for p in box.iterdir()} == before
    data = tmp_path / "deling"
    data.mkdir()
    env = {"LEDERKURS_SERVICE_DATA": str(data), "LEDERKURS_SERVICE_DB": ""}
    done_cli = subprocess.run([sys.executable, "-m", "lederkurs.service.import_dropbox", str(box)],
                              capture_output=True, text=True, env={**os.environ, **env})
    assert done_cli.returncode == 0 and f"imported 1: {me}" in done_cli.stdout, done_cli.stderr
    assert "left out ola.json: written by" in done_cli.stderr
