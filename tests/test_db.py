"""The shared database against a real PostgreSQL on loopback: schema, pointer, lock, replicas."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from .services import free_port, start_postgres


@pytest.fixture(scope="module")
def pg_url():
    yield from start_postgres()


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_db_upgrade_creates_the_schema_once(pg_url, tmp_path):
    from assistant.db import SCHEMA_VERSION, Database

    first = _cli("db", "upgrade", env={"ASSISTANT_DATABASE_URL": pg_url, "ASSISTANT_DATA_DIR": str(tmp_path)})
    assert first.returncode == 0, first.stderr
    assert f"schema version {SCHEMA_VERSION}" in first.stdout
    assert "secret-pw" not in first.stdout and "***" in first.stdout
    again = _cli("db", "upgrade", env={"ASSISTANT_DATABASE_URL": pg_url, "ASSISTANT_DATA_DIR": str(tmp_path)})
    assert again.returncode == 0 and "already up to date" in again.stdout
    assert Database(pg_url).version() == SCHEMA_VERSION


def test_database_down_at_start_is_one_line_naming_the_url_without_password(tmp_path):
    port = free_port()
    url = f"postgresql://assistant:secret-pw@127.0.0.1:{port}/assistant"
    done = _cli("status", env={"ASSISTANT_DATABASE_URL": url, "ASSISTANT_DATA_DIR": str(tmp_path)})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: Cannot use the database at")
    assert f"127.0.0.1:{port}" in lines[0] and "secret-pw" not in lines[0]


def test_pointer_write_and_read_move_the_generation(pg_url, settings):
    from assistant.state import open_state

    state = open_state(replace(settings, database_url=pg_url, collection_prefix="dbtest"))
    before = state.generation()
    record = {"name": "v1", "created": "2026-12-02T10:00:00+00:00", "doc_hashes": {"P3": "abc"}}
    state.write({"live": "v1", "previous": None, "versions": {"v1": record}})
    state.write({"live": "v2", "previous": "v1", "versions": {"v1": record, "v2": {**record, "name": "v2"}}})
    got = state.read()
    assert (got["live"], got["previous"]) == ("v2", "v1")
    assert got["versions"]["v1"]["doc_hashes"] == {"P3": "abc"}
    assert state.generation() == (before or 0) + 2
    state.write({"live": "v2", "previous": None, "versions": {"v2": {**record, "name": "v2"}}})
    assert set(state.read()["versions"]) == {"v2"}


HOLD = """
import sys, time
from assistant.config import Settings
from assistant.state import open_state
state = open_state(Settings(database_url=sys.argv[1], collection_prefix="locktest"))
with state.lock():
    print("held", flush=True)
    time.sleep(600)
"""


def test_advisory_lock_refuses_a_second_holder_and_frees_when_the_holder_dies(pg_url, settings):
    from assistant.errors import IndexBusyError
    from assistant.state import open_state

    holder = subprocess.Popen([sys.executable, "-c", HOLD, pg_url], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        state = open_state(replace(settings, database_url=pg_url, collection_prefix="locktest"))
        with pytest.raises(IndexBusyError, match=f"pid {holder.pid}"):
            with state.lock():
                pass
    finally:
        holder.kill()
        holder.wait()
    with state.lock(wait_seconds=10):  # the server frees a dead holder's lock with its connection
        pass


def test_versions_reported_within_the_grace_period_are_in_use(pg_url, settings):
    from assistant.db import Database
    from assistant.state import DatabaseState, ReplicaTiming

    db = Database.open(pg_url)
    serving = DatabaseState(db, "gracetest", ReplicaTiming(grace_seconds=600))
    serving.serving("framework_old")
    assert "framework_old" in DatabaseState(db, "gracetest").in_use()
    time.sleep(0.1)
    assert "framework_old" not in DatabaseState(db, "gracetest", ReplicaTiming(grace_seconds=0.05)).in_use()
