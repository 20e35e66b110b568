"""The sharing service's store: one row per participant who shares, through SQLAlchemy.

SQLite by default (one file in the service's data folder), PostgreSQL by URL (a cluster, or two service
replicas on one database). A share is one row (who, when, the file's bytes as shared, its size and
SHA-256), written by one INSERT .. ON CONFLICT DO UPDATE in one transaction: a reader sees the old share or
the new one, never half of either, and concurrent shares of different participants never touch each other's
rows. Every file passes the answers model's checks (lederkurs.answers.model: size, JSON, schema, and the
participant it names) before it reaches the database.

Every failure of the database itself (down, unreachable, locked too long, disk full) becomes
StoreUnavailable; the service answers it with 503, and nothing was written.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ..answers.model import check_participant, decode_answers
from ..errors import LederkursError

log = logging.getLogger(__name__)

DB_FILE = "lederkurs-deling.sqlite"
NAME_LENGTH = 200  # > MAX_NAME_BYTES of the answers model: check_participant bounds the names first

metadata = sa.MetaData()
shares = sa.Table(
    "lederkurs_shares", metadata,
    sa.Column("participant", sa.String(NAME_LENGTH), primary_key=True),
    sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)


class StoreUnavailable(LederkursError):
    """The database cannot be reached or refused the operation; nothing was written."""

    def __init__(self, reason: object) -> None:
        super().__init__("service_unavailable", reason=reason)


class ShareRefused(LederkursError):
    """A file that cannot be shared as this participant (not an answers file, too large, another name)."""


@dataclass(frozen=True)
class Share:
    participant: str
    shared_at: datetime
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"participant": self.participant, "shared_at": self.shared_at.isoformat(timespec="seconds"),
                "size": self.size, "sha256": self.sha256}


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / DB_FILE}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL: readers never wait for the writer; busy_timeout: a writer waits for another instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


class ShareStore:
    """The shares in one database; thread-safe (the service calls it from a small thread pool)."""

    def __init__(self, url: str) -> None:
        self.url = sa.engine.make_url(url)
        kwargs: dict[str, Any] = {"pool_pre_ping": True}  # a connection the server dropped is replaced
        if self.url.get_backend_name() == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": 10}
        self.engine = sa.create_engine(self.url, **kwargs)
        if self.url.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        # The dialect's INSERT (with its upsert), for the workshop tables that share this database.
        self.insert = postgresql.insert if self.url.get_backend_name() == "postgresql" else sqlite.insert

    def __repr__(self) -> str:
        return f"ShareStore({self.url.render_as_string(hide_password=True)})"

    def create(self) -> None:
        """Create the table if it is missing (two replicas starting at once may race: the loser finds it)."""
        try:
            metadata.create_all(self.engine, checkfirst=True)
        except (IntegrityError, sa.exc.ProgrammingError):
            metadata.create_all(self.engine, checkfirst=True)
        except DBAPIError as e:
            raise StoreUnavailable(_reason(e)) from e

    def close(self) -> None:
        self.engine.dispose()

    # -- the participant's own share --------------------------------------------------------------------

    def put(self, participant: str, data: bytes) -> Share:
        """Share (or replace) `participant`'s file; ShareRefused if it is not theirs or not an answers file."""
        participant = check_participant(participant)
        try:
            doc = decode_answers(data)  # size, encoding, JSON, schema, fields: the answers model's own bounds
        except LederkursError as e:
            raise ShareRefused("share_refused", reason=e) from None
        if doc.participant != participant:
            raise ShareRefused("share_other_participant", owner=doc.participant, participant=participant)
        now, digest = datetime.now(UTC), hashlib.sha256(data).hexdigest()
        row = {"participant": participant, "shared_at": now, "size": len(data), "sha256": digest, "data": data}
        stmt = self.insert(shares).values(**row)
        stmt = stmt.on_conflict_do_update(index_elements=[shares.c.participant],
                                          set_={k: stmt.excluded[k] for k in row if k != "participant"})
        with self.transaction() as conn:
            conn.execute(stmt)
        return Share(participant, now, len(data), digest)

    def get(self, participant: str) -> Share | None:
        with self.transaction() as conn:
            found = conn.execute(sa.select(shares.c.participant, shares.c.shared_at, shares.c.size,
                                           shares.c.sha256).where(shares.c.participant == participant)).first()
        return _share(found) if found else None

    def read(self, participant: str) -> bytes | None:
        with self.transaction() as conn:
            found = conn.execute(sa.select(shares.c.data).where(shares.c.participant == participant)).first()
        return bytes(found[0]) if found else None

    def delete(self, participant: str) -> bool:
        with self.transaction() as conn:
            return conn.execute(sa.delete(shares).where(shares.c.participant == participant)).rowcount > 0

    def list(self) -> list[Share]:
        with self.transaction() as conn:
            rows = conn.execute(sa.select(shares.c.participant, shares.c.shared_at, shares.c.size,
                                          shares.c.sha256).order_by(shares.c.participant)).all()
        return [_share(r) for r in rows]

    def transaction(self) -> _Transaction:
        """One transaction on the store's database (the workshop tables use it too)."""
        return _Transaction(self.engine)


class _Transaction:
    """engine.begin() with every database failure turned into StoreUnavailable (after the rollback)."""

    def __init__(self, engine: sa.Engine) -> None:
        self._begin = engine.begin()

    def __enter__(self) -> sa.Connection:
        try:
            return self._begin.__enter__()
        except DBAPIError as e:
            raise StoreUnavailable(_reason(e)) from e

    def __exit__(self, kind: Any, error: Any, tb: Any) -> None:
        try:
            self._begin.__exit__(kind, error, tb)
        except DBAPIError as e:
            raise StoreUnavailable(_reason(e)) from e
        if isinstance(error, DBAPIError):
            raise StoreUnavailable(_reason(error)) from error


def _reason(error: DBAPIError) -> str:
    """The driver's first line, without the statement and parameters (they hold a participant's file)."""
    log.warning("database error: %s", error.orig)
    first = str(error.orig).strip().splitlines()
    kind = "database unavailable" if isinstance(error, OperationalError) else "database error"
    return f"{kind}: {first[0] if first else type(error.orig).__name__}"


def _share(row: Any) -> Share:
    when = row.shared_at if row.shared_at.tzinfo else row.shared_at.replace(tzinfo=UTC)  # SQLite keeps no zone
    return Share(row.participant, when, row.size, row.sha256)
