"""Where the index's shared state lives: which version is live and previous, the reindex lock, who serves what.

Embedded (no `ASSISTANT_DATABASE_URL`): `data/manifest.json` and a file lock, as on one machine.
With a database: tables and a PostgreSQL advisory lock, shared by every replica.

>>> state = open_state(settings)
>>> with state.lock():
...     state.write({"live": "v2", "previous": "v1", "versions": {...}})
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
import uuid
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Protocol

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from .config import Settings
from .db import Database, index_pointer, index_versions, replicas
from .errors import AssistantError, IndexBusyError

EMPTY: dict[str, Any] = {"live": None, "previous": None, "versions": {}}


@dataclass(frozen=True)
class ReplicaTiming:
    """How replicas share the live version; chosen for the issue's 'within a few seconds' and '10 minutes'."""

    poll_seconds: float = 1.0  # a replica reads the live pointer this often: a new version answers within ~2 s
    report_seconds: float = 15.0  # a replica reports the version it serves this often
    grace_seconds: float = 600.0  # a version no replica reported for this long may be deleted from Chroma


class IndexState(Protocol):
    """The index's state shared by everything that serves or builds it."""

    def read(self) -> dict[str, Any]:
        """The manifest: live and previous version names and their records."""

    def write(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically (call while holding the lock)."""

    def live_key(self) -> Any:
        """A cheap value that changes whenever the manifest does."""

    def lock(self, wait_seconds: float = 0.0) -> Any:
        """A context manager holding the reindex lock; a second holder waits, then raises IndexBusyError."""

    def serving(self, version: str) -> None:
        """Note the version this process answers from, for `in_use` in other processes."""

    def in_use(self) -> set[str]:
        """Versions some replica reported serving within the grace period."""


def open_state(settings: Settings, timing: ReplicaTiming = ReplicaTiming()) -> IndexState:
    """The database state when `database_url` is set, else the data folder's files."""
    if settings.database_url:
        return DatabaseState(Database.open(settings.database_url), settings.collection_prefix, timing)
    return FileState(settings)


@contextmanager
def file_lock(path: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on a file (released by the kernel if the process dies)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise IndexBusyError(
                        f"Another reindex is running ({holder}); wait for it to finish and try again.") from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(_holder())
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


class FileState:
    """The manifest file and file lock in one data folder: one machine's state."""

    def __init__(self, settings: Settings) -> None:
        self.path = settings.manifest_path
        self.lock_path = settings.lock_path

    def read(self) -> dict[str, Any]:
        """The manifest file, or an empty manifest before the first index."""
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return json.loads(json.dumps(EMPTY))
        except json.JSONDecodeError as exc:
            raise AssistantError(f"{self.path} is damaged ({exc}); run `assistant index --full`.") from None

    def write(self, manifest: dict[str, Any]) -> None:
        """Write then rename: a reader sees the old manifest or the new one, never half of one."""
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)

    def live_key(self) -> Any:
        """The manifest's inode, mtime and size: it is replaced, never rewritten in place."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def lock(self, wait_seconds: float = 0.0) -> Any:
        """The data folder's lock file."""
        return file_lock(self.lock_path, wait_seconds)

    def serving(self, version: str) -> None:
        """Nothing to share: on one machine the server reads the manifest itself."""

    def in_use(self) -> set[str]:
        """None beyond live and previous: one machine's server moves to the new version on its next question."""
        return set()


class DatabaseState:
    """The state in the shared database; the lock is a PostgreSQL advisory lock held by a connection."""

    def __init__(self, db: Database, prefix: str, timing: ReplicaTiming = ReplicaTiming()) -> None:
        self.db = db
        self.timing = timing
        self.lock_key = zlib.crc32(f"assistant-reindex:{prefix}".encode())
        self.replica = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._key: Any = None
        self._serving: str | None = None
        self._poller: threading.Thread | None = None
        self._start = threading.Lock()

    def read(self) -> dict[str, Any]:
        """Live and previous from the pointer row, with their records."""
        with self.db.begin() as conn:
            pointer = conn.execute(select(index_pointer).where(index_pointer.c.id == 1)).mappings().first()
            rows = conn.execute(select(index_versions.c.name, index_versions.c.record)).all()
        versions = {name: json.loads(record) for name, record in rows}
        if pointer is None:
            return {"live": None, "previous": None, "versions": versions}
        return {"live": pointer["live"], "previous": pointer["previous"], "versions": versions}

    def write(self, manifest: dict[str, Any]) -> None:
        """Replace the version records and move the pointer in one transaction."""
        versions = manifest.get("versions", {})
        with self.db.begin() as conn:
            conn.execute(delete(index_versions).where(index_versions.c.name.not_in(list(versions) or [""])))
            known = set(conn.execute(select(index_versions.c.name)).scalars())
            for name, record in versions.items():
                values = {"created": record.get("created", ""), "record": json.dumps(record)}
                if name in known:
                    conn.execute(update(index_versions).where(index_versions.c.name == name).values(**values))
                else:
                    conn.execute(insert(index_versions).values(name=name, **values))
            pointer = {"live": manifest.get("live"), "previous": manifest.get("previous"), "changed": _now()}
            moved = conn.execute(update(index_pointer).where(index_pointer.c.id == 1)
                                 .values(generation=index_pointer.c.generation + 1, **pointer))
            if moved.rowcount == 0:
                conn.execute(insert(index_pointer).values(id=1, generation=1, **pointer))

    def generation(self) -> Any:
        """The pointer's generation (None before the first index): one indexed row read."""
        with self.db.begin() as conn:
            return conn.execute(select(index_pointer.c.generation).where(index_pointer.c.id == 1)).scalar()

    def live_key(self) -> Any:
        """The last generation read; a background thread reads it every `poll_seconds` and reports serving.

        Questions never wait for the database: when it is down the key stays put and the loaded
        version keeps answering.
        """
        if self._poller is None:
            with self._start:
                if self._poller is None:
                    try:
                        self._key = self.generation()
                    except AssistantError:
                        self._key = None
                    self._poller = threading.Thread(target=self._poll, name="live-version-poll", daemon=True)
                    self._poller.start()
        return self._key

    def _poll(self) -> None:
        reported = 0.0
        while True:
            time.sleep(self.timing.poll_seconds)
            try:
                self._key = self.generation()
                if self._serving and time.monotonic() - reported >= self.timing.report_seconds:
                    self._report(self._serving)
                    reported = time.monotonic()
            except AssistantError:
                continue  # down for now: keep the last key, try again on the next tick

    def serving(self, version: str) -> None:
        """Report the version at once (when the database answers) and then every `report_seconds`."""
        self._serving = version
        try:
            self._report(version)
        except AssistantError:
            pass  # the poller reports it when the database is back

    def _report(self, version: str) -> None:
        with self.db.begin() as conn:
            values = {"version": version, "seen": time.time()}
            if conn.execute(update(replicas).where(replicas.c.replica == self.replica).values(**values)).rowcount == 0:
                conn.execute(insert(replicas).values(replica=self.replica, **values))

    def in_use(self) -> set[str]:
        """Versions reported within `grace_seconds`; older reports are dropped as replicas long gone."""
        cutoff = time.time() - self.timing.grace_seconds
        with self.db.begin() as conn:
            conn.execute(delete(replicas).where(replicas.c.seen < cutoff))
            return set(conn.execute(select(replicas.c.version)).scalars())

    def lock(self, wait_seconds: float = 0.0) -> Any:
        """An advisory lock on PostgreSQL (freed when the holder's connection ends); a file lock beside SQLite."""
        if not self.db.postgres:
            database = self.db.engine.url.database or "state.sqlite3"
            return file_lock(Path(f"{database}.index.lock"), wait_seconds)
        return self._advisory_lock(wait_seconds)

    @contextmanager
    def _advisory_lock(self, wait_seconds: float) -> Iterator[None]:
        try:
            conn = self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except SQLAlchemyError as exc:
            raise self.db.error(exc) from None
        try:
            # The holder's name shows in pg_stat_activity, so a refused reindex can say who holds the lock.
            conn.execute(text("SELECT set_config('application_name', :name, false)"), {"name": _holder()[:63]})
            deadline = time.monotonic() + wait_seconds
            while not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.lock_key}).scalar():
                if time.monotonic() >= deadline:
                    holder = conn.execute(text(
                        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                        "WHERE l.locktype = 'advisory' AND l.objid::bigint = :k AND l.granted"),
                        {"k": self.lock_key}).scalar() or "another process"
                    raise IndexBusyError(
                        f"Another reindex is running ({holder}); wait for it to finish and try again.")
                time.sleep(0.2)
        except SQLAlchemyError as exc:
            conn.close()
            raise self.db.error(exc) from None
        except BaseException:
            conn.close()
            raise
        try:
            yield
        finally:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.lock_key})
                conn.execute(text("SELECT set_config('application_name', '', false)"))
            except SQLAlchemyError:
                conn.invalidate()  # the connection is gone, and the lock with it
            conn.close()


def _holder() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()} since {_now()}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
