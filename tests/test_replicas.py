"""Two `assistant serve` replicas with their own data folders, sharing a real Chroma server and PostgreSQL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import pytest
from gradio_client import Client

from .conftest import CORPUS, copy_live_index
from .services import CommandServer, free_port, start_chroma, start_postgres, stop_postgres


@pytest.fixture(scope="module")
def pg_url():
    yield from start_postgres()


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    yield from start_chroma(tmp_path_factory.mktemp("chroma-server"))


@pytest.fixture(scope="module")
def shared(settings, built_index, pg_url, chroma_url):
    """Settings on the shared services, whose live version starts as a copy of the session's index."""
    own = replace(settings, database_url=pg_url, chroma_url=chroma_url)
    copy_live_index(settings, own)
    return own


def _env(settings: Any, data_dir: Path, corpus_dir: Path = CORPUS) -> dict[str, str]:
    return {**os.environ, "ASSISTANT_DATABASE_URL": settings.database_url, "ASSISTANT_CHROMA_URL": settings.chroma_url,
            "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_CORPUS_DIR": str(corpus_dir)}


@pytest.fixture(scope="module")
def replicas(shared, commands, tmp_path_factory) -> Iterator[list[dict[str, Any]]]:
    """Two `assistant serve` processes, as on two machines: separate data folders, the same database and Chroma.
    Each is a process of its own, forked by the session's command server (tests/services.py)."""
    started = []
    for name in ("one", "two"):
        data = tmp_path_factory.mktemp(f"replica-{name}")
        out = data / "serve.log"
        port = free_port()
        with out.open("w") as log:
            proc = commands.popen(["serve", "--port", str(port)], _env(shared, data), stdout=log,
                                  stderr=subprocess.STDOUT)
        started.append({"name": name, "proc": proc, "data": data, "out": out, "url": f"http://127.0.0.1:{port}/"})
    try:
        deadline = time.monotonic() + 180
        for replica in started:
            while "Chat page ready" not in replica["out"].read_text(encoding="utf-8", errors="replace"):
                if replica["proc"].poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"replica {replica['name']} did not start:\n{replica['out'].read_text()}")
                time.sleep(0.3)
        yield started
    finally:
        for replica in started:
            replica["proc"].terminate()
        for replica in started:
            replica["proc"].communicate(timeout=20)


@pytest.fixture(scope="module")
def reindexer(shared, commands, tmp_path_factory) -> dict[str, Any]:
    """A third machine's folders: its own data folder and a copy of the corpus to edit. Its `assistant` commands
    each run in a process of their own (forked by the session's command server)."""
    root = tmp_path_factory.mktemp("reindexer")
    shutil.copytree(CORPUS, root / "corpus")
    return {"env": _env(shared, root / "data", root / "corpus"), "corpus": root / "corpus", "commands": commands}


def assistant_command(reindexer: dict[str, Any], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`assistant ARGS` on the third machine, in a process of its own; returns its exit code and output."""
    return reindexer["commands"].run(list(args), reindexer["env"], timeout=timeout)


def ask(url: str, question: str = "What does mapping systems involve?") -> tuple[Client, dict[str, Any]]:
    """One question through a replica's page; returns the client (its session) and the answer summary."""
    client = Client(url, verbose=False)
    *_, summary = client.predict(question, api_name="/ask")
    return client, summary


def edit_and_reindex(reindexer: dict[str, Any], sentence: str) -> str:
    """Add a sentence to P4 in the third machine's corpus and run `assistant index` there; returns its output."""
    page = reindexer["corpus"] / "practices" / "P4-mapping-systems.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    done = assistant_command(reindexer, "index", "--quiet")
    assert done.returncode == 0, done.stderr
    return done.stdout


def live_name(shared: Any) -> str:
    from assistant.state import open_state

    return open_state(shared).read()["live"]


def test_two_replicas_with_their_own_data_folders_answer_from_the_shared_index(replicas, shared):
    live = live_name(shared)
    for replica in replicas:
        _, summary = ask(replica["url"])
        assert not summary["refused"] and summary["cited_ids"][0] == "P4"
        assert summary["index_version"] == live
        assert not (replica["data"] / "manifest.json").exists() and not (replica["data"] / "chroma").exists()


def test_feedback_given_on_both_replicas_lands_in_one_table(replicas, shared):
    from sqlalchemy import func, select

    from assistant.db import Database, feedback, question_log

    for replica in replicas:
        client, _ = ask(replica["url"], "What are the four Approaches?")
        status, _ = client.predict(f"clear answer from replica {replica['name']}", api_name="/thumbs_up")
        assert status.startswith("Thanks")
    db = Database.open(shared.database_url)
    with db.begin() as conn:
        comments = set(conn.execute(select(feedback.c.comment)).scalars())
    assert {"clear answer from replica one", "clear answer from replica two"} <= comments
    deadline = time.monotonic() + 10  # replicas write question records in the background
    while True:
        with db.begin() as conn:
            logged = conn.execute(select(func.count()).select_from(question_log)).scalar()
        if logged >= 4 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert logged >= 4  # two questions on each replica
    for replica in replicas:
        assert not (replica["data"] / "feedback.sqlite3").exists()


def test_edit_reindexed_from_a_third_process_is_answered_by_both_within_5_seconds(replicas, shared, reindexer):
    before = live_name(shared)
    assert "changed: P4" in edit_and_reindex(reindexer, "The replica test adds this sentence to P4.")
    after = live_name(shared)
    assert after != before
    swapped = time.monotonic()
    for replica in replicas:
        while True:
            _, summary = ask(replica["url"])
            if summary["index_version"] == after:
                break
            assert time.monotonic() - swapped < 5, f"replica {replica['name']} still answers from {before}"
            time.sleep(0.2)
        assert not summary["refused"]


def test_second_reindex_exits_2_and_a_killed_reindex_leaves_replicas_answering_and_the_lock_free(
        replicas, shared, reindexer):
    from assistant.errors import IndexBusyError
    from assistant.state import open_state

    state = open_state(shared)
    live = live_name(shared)
    # Its own process group. --wait: the probe below holds the lock for an instant, and a full reindex starting in that
    # instant would otherwise refuse at once (seen once in a clean-clone run: "the full reindex never took the lock").
    full = reindexer["commands"].popen(["index", "--full", "--quiet", "--wait", "30"], reindexer["env"])
    try:
        deadline = time.monotonic() + 90
        while True:  # wait until the full reindex holds the lock (it is embedding then)
            try:
                with state.lock():
                    pass
            except IndexBusyError:
                break
            assert full.poll() is None and time.monotonic() < deadline, "the full reindex never took the lock"
            time.sleep(0.2)
        CommandServer.yield_cpu(full)  # it goes on embedding, but leaves the CPU to the commands and replicas below
        second = assistant_command(reindexer, "index", "--quiet", timeout=120)
        assert second.returncode == 2
        assert "Another reindex is running" in second.stderr and f"pid {full.pid}" in second.stderr
    finally:
        os.killpg(full.pid, signal.SIGKILL)
        full.communicate()
    with state.lock(wait_seconds=10):  # PostgreSQL freed the killed holder's advisory lock
        pass
    assert live_name(shared) == live
    for replica in replicas:
        _, summary = ask(replica["url"])
        assert summary["index_version"] == live and not summary["refused"]


def test_old_version_a_replica_still_serves_survives_a_reindex_until_prune(shared, reindexer):
    from assistant.index import IndexStore
    from assistant.state import open_state

    store = IndexStore(shared)
    if store.manifest()["previous"] is None:
        edit_and_reindex(reindexer, "A first sentence the prune test adds to P4.")
    oldest = store.manifest()["previous"]
    open_state(shared).serving(oldest)  # a replica that has not moved on yet
    edit_and_reindex(reindexer, "A second sentence the prune test adds to P4.")
    manifest = store.manifest()
    assert oldest not in (manifest["live"], manifest["previous"])
    names = {c if isinstance(c, str) else c.name for c in store.client.list_collections()}
    assert oldest in names  # within the grace period
    pruned = assistant_command(reindexer, "index", "--prune", timeout=120)
    assert pruned.returncode == 0 and oldest in pruned.stdout
    names = {c if isinstance(c, str) else c.name for c in store.client.list_collections()}
    assert oldest not in names and {manifest["live"], manifest["previous"]} <= names


def test_database_down_later_leaves_replicas_answering_and_feedback_says_it_could_not_save(replicas, shared):
    live = live_name(shared)
    for replica in replicas:  # an earlier test's reindex may be only seconds old: let both load it first
        deadline = time.monotonic() + 60
        while ask(replica["url"])[1]["index_version"] != live:
            assert time.monotonic() < deadline, f"replica {replica['name']} never loaded {live}"
            time.sleep(0.5)
    stop_postgres(shared.database_url)  # the last test of the module: the cluster stays down
    for replica in replicas:
        client, summary = ask(replica["url"], "What does mapping information involve?")
        assert summary["index_version"] == live and not summary["refused"]
        status, comment = client.predict("saved?", api_name="/thumbs_down")
        assert status.startswith("Sorry, your feedback could not be saved.") and comment == "saved?"
        assert "secret-pw" not in status
