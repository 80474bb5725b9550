"""The shared database (`ASSISTANT_DATABASE_URL`): one engine per URL, the schema and its migrations.

SQLAlchemy Core over PostgreSQL (psycopg 3) or SQLite, so replicas and a single machine run the
same statements. `assistant db upgrade` applies the migrations; `index` and `serve` apply them on
start when the schema is behind.
"""

from __future__ import annotations

import logging
import queue
import threading
from datetime import datetime, timezone
from typing import Any, Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import (CheckConstraint, Column, Float, Integer, MetaData, String, Table, Text, create_engine, event, func,
                        insert, select, text)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from .errors import AssistantError

_warn = logging.getLogger(__name__)
LOG_QUEUE = 10_000  # question records waiting for the database; beyond this they are dropped, never the answer
CONNECT_TIMEOUT = 5  # seconds: a database host that does not answer fails a start-up quickly

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied", String(40), nullable=False),
)
index_versions = Table(  # one row per index version that is live or previous; `record` is its JSON
    "index_versions", metadata,
    Column("name", String(200), primary_key=True),
    Column("created", String(40), nullable=False),
    Column("record", Text, nullable=False),
)
index_pointer = Table(  # a single row: which version is live and previous; `generation` grows on each change
    "index_pointer", metadata,
    Column("id", Integer, primary_key=True),
    Column("live", String(200)),
    Column("previous", String(200)),
    Column("generation", Integer, nullable=False),
    Column("changed", String(40), nullable=False),
)
replicas = Table(  # the version each running replica answers from, reported every few seconds
    "replicas", metadata,
    Column("replica", String(200), primary_key=True),
    Column("version", String(200), nullable=False),
    Column("seen", Float, nullable=False),  # Unix time of the last report
)
feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created", String(40), nullable=False),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("citations", Text, nullable=False),
    Column("rating", Integer, nullable=False),
    Column("comment", Text, nullable=False),
    Column("index_version", String(200), nullable=False),
    CheckConstraint("rating IN (1, -1)", name="feedback_rating"),
)
question_log = Table(  # one row per logged question: the same JSON object the log file would hold
    "question_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("time", String(40), nullable=False),
    Column("record", Text, nullable=False),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[index_versions, index_pointer, replicas, feedback, question_log])


# Append only: a migration once released is never edited, a change is a new entry.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "index versions, live pointer, replicas, feedback, question log", _v1),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
_UPGRADE_LOCK = 7_301_140_001  # PostgreSQL advisory lock key: two replicas starting at once migrate in turn


def safe_url(url: str) -> str:
    """The URL as it may be printed: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(a malformed URL)"


class Database:
    """One database URL's engine, with errors written for the person at the screen.

    >>> db = Database.open("postgresql://assistant@db:5432/assistant")
    >>> with db.begin() as conn:
    ...     conn.execute(select(feedback.c.id))
    """

    _engines: dict[str, "Database"] = {}
    _registry = threading.Lock()

    def __init__(self, url: str) -> None:
        self.url = url
        self.shown = safe_url(url)
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise AssistantError(f"ASSISTANT_DATABASE_URL is not a database URL like "
                                 "postgresql://user@host:5432/name: fix or unset it.") from None
        args: dict[str, Any] = {}
        if parsed.get_backend_name() == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
            args = {"connect_args": {"connect_timeout": CONNECT_TIMEOUT}, "pool_pre_ping": True, "pool_size": 5}
        elif parsed.get_backend_name() != "sqlite":
            raise AssistantError(f"ASSISTANT_DATABASE_URL={self.shown} names neither PostgreSQL nor SQLite: "
                                 "use postgresql://user@host:5432/name.")
        self.postgres = parsed.get_backend_name() == "postgresql"
        try:
            self.engine: Engine = create_engine(parsed, **args)
        except (ArgumentError, ImportError) as exc:
            raise AssistantError(f"Cannot use the database {self.shown} ({exc}): fix ASSISTANT_DATABASE_URL.") from None
        if not self.postgres:
            event.listen(self.engine, "connect", _sqlite_pragmas)

    @classmethod
    def open(cls, url: str, upgrade: bool = True) -> "Database":
        """The process's engine for this URL, checked reachable and (by default) migrated."""
        with cls._registry:
            db = cls._engines.get(url)
            if db is None:
                db = cls(url)
                if upgrade:
                    db.upgrade()
                else:
                    db.version()
                cls._engines[url] = db
            return db

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction; a database that is down or refuses is an AssistantError naming the URL."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise self.error(exc) from None

    def error(self, exc: BaseException) -> AssistantError:
        """A one-line error for a failed database call (the URL without its password)."""
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return AssistantError(f"Cannot use the database at {self.shown} ({detail}): check that it is running "
                              "and that ASSISTANT_DATABASE_URL is right.")

    def version(self) -> int:
        """The schema version applied so far (0 for an empty database)."""
        with self.begin() as conn:
            if not conn.dialect.has_table(conn, "schema_migrations"):
                return 0
            return int(conn.execute(select(func.max(schema_migrations.c.version))).scalar() or 0)

    def upgrade(self) -> list[int]:
        """Apply the migrations not yet applied, in order; returns the versions applied now."""
        applied: list[int] = []
        with self.begin() as conn:
            if self.postgres:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _UPGRADE_LOCK})
            metadata.create_all(conn, tables=[schema_migrations])
            done = int(conn.execute(select(func.max(schema_migrations.c.version))).scalar() or 0)
            for number, _, migrate in MIGRATIONS:
                if number > done:
                    migrate(conn)
                    conn.execute(insert(schema_migrations).values(version=number, applied=_now()))
                    applied.append(number)
        return applied

    def dispose(self) -> None:
        """Close every pooled connection (after a fork, or in tests)."""
        self.engine.dispose()


class QuestionTable:
    """The question log's records in the shared database, written by a background thread.

    >>> QuestionTable.open(url).put("2026-12-02T10:00:00.000+00:00", '{"latency_ms": 41.0}')

    An answer never waits for the database: records queue up while it is down and are written when it is back.
    """

    _tables: dict[str, "QuestionTable"] = {}

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pending: queue.Queue[tuple[str, str]] = queue.Queue(LOG_QUEUE)
        threading.Thread(target=self._drain, name="question-log-writer", daemon=True).start()

    @classmethod
    def open(cls, url: str) -> "QuestionTable":
        """The process's writer for this URL (the database is checked and migrated now)."""
        db = Database.open(url)
        with Database._registry:
            table = cls._tables.get(url)
            if table is None:
                table = cls._tables[url] = cls(db)
            return table

    def put(self, time: str, record: str) -> None:
        """Queue one record; never raises."""
        try:
            self.pending.put_nowait((time, record))
        except queue.Full:
            _warn.warning("The question log's queue is full (database %s down?): a record was dropped.", self.db.shown)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued record is written; False if the database did not take them in time."""
        deadline = threading.Event()
        timer = threading.Timer(timeout, deadline.set)
        timer.start()
        try:
            while self.pending.unfinished_tasks and not deadline.is_set():
                deadline.wait(0.05)
        finally:
            timer.cancel()
        return not self.pending.unfinished_tasks

    def _drain(self) -> None:
        while True:
            item = self.pending.get()
            while True:
                try:
                    with self.db.begin() as conn:
                        conn.execute(insert(question_log).values(time=item[0], record=item[1]))
                    break
                except AssistantError as exc:
                    _warn.warning("Question log not written yet: %s", exc)
                    threading.Event().wait(5.0)  # try again when the database may be back
            self.pending.task_done()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA busy_timeout = 10000")  # several processes on one file wait instead of failing
    cursor.close()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
