"""Incremental reindexing with the real model and real Chroma: changes, deletions, kills, locks, live serving."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from gradio_client import Client

from assistant.cli import main
from assistant.errors import IndexBusyError
from assistant.index import IndexStore
from assistant.indexing import reindex
from assistant.retrieve import Retriever
from assistant.service import Assistant

from .conftest import CORPUS, ROOT
from .test_ui import chat_page

P3_FILE = "practices/P3-mapping-information.md"
P3_ANCHOR = "Four were fairly well defined; the detail on the others could not be read."
P3_ADDED = ("\n- **Kirklees:** staff drew a one-page wall chart of every form that records early language, "
            "which showed three forms asking parents the same question.")
WALL_CHART = "Which site drew a wall chart of the forms that record early language?"
OLDHAM_QUESTIONS = (
    "What did Oldham's information use project do?",
    "Tell me about Oldham's work on early communication.",
    "Which site looked at what is recorded from pregnancy up to a child's second birthday?",
)


def add_kirklees_example(settings) -> None:
    """Edit P3: one new example at the end of a section."""
    path = settings.corpus_dir / P3_FILE
    text = path.read_text(encoding="utf-8")
    assert P3_ANCHOR in text
    path.write_text(text.replace(P3_ANCHOR, P3_ANCHOR + P3_ADDED), encoding="utf-8")


def add_generated_documents(settings, count: int) -> list[str]:
    """Extra plain-text documents, each with sentences of its own, to give the embedder work."""
    folder = settings.corpus_dir / "generated"
    folder.mkdir()
    topics = ("case notes", "referral forms", "school census returns", "health visiting records", "audit logs")
    for i in range(count):
        sentences = [f"Meeting {i}.{j} of the records group reviewed {topics[(i + j) % len(topics)]} "
                     f"for district {i * 7 + j} and agreed {j + 2} changes to the wording." for j in range(12)]
        (folder / f"minutes-{i:02d}.txt").write_text(" ".join(sentences), encoding="utf-8")
    return [f"doc:generated/minutes-{i:02d}.txt" for i in range(count)]


def cli_args(settings, *args: str) -> list[str]:
    return ["--data-dir", str(settings.data_dir), "--corpus-dir", str(settings.corpus_dir), *args]


def cli_command(settings, *args: str) -> list[str]:
    return [sys.executable, "-m", "assistant.cli", *cli_args(settings, *args)]


def metadatas(store: IndexStore, name: str) -> list[dict]:
    return store.open(name).get(include=["metadatas"])["metadatas"]


def test_changing_one_document_reembeds_only_its_chunks_and_answers_follow(corpus_copy, embedder):
    before = Assistant(corpus_copy, embedder=embedder).ask(WALL_CHART)
    assert "Kirklees" not in before.text
    add_kirklees_example(corpus_copy)
    store = IndexStore(corpus_copy, embedder)
    old = store.live_version()

    report = reindex(corpus_copy, embedder=embedder, store=store)

    assert report.changed == ["P3"] and report.added == [] and report.removed == []
    assert report.unchanged == old.documents - 1
    old_hashes = {m["hash"] for m in metadatas(store, old.name)}
    new = metadatas(store, report.version)
    fresh = [m for m in new if m["hash"] not in old_hashes]
    assert report.embedded == len(fresh) > 0
    assert {m["doc_id"] for m in fresh} == {"P3"}
    assert report.embedded < sum(m["doc_id"] == "P3" for m in new), "only the changed chunk, not all of P3"
    assert report.reused == len(new) - report.embedded
    answer = Assistant(corpus_copy, embedder=embedder).ask(WALL_CHART)
    assert "Kirklees" in answer.text and "P3" in answer.cited_ids
    assert answer.index_version == report.version


def test_deleted_document_leaves_the_index_and_is_never_cited(corpus_copy, embedder):
    assistant = Assistant(corpus_copy, embedder=embedder)
    assert "site-oldham" in assistant.ask(OLDHAM_QUESTIONS[0]).cited_ids
    (corpus_copy.corpus_dir / "report" / "site-oldham.md").unlink()

    report = reindex(corpus_copy, embedder=embedder)

    assert report.removed == ["site-oldham"] and report.added == report.changed == []
    assert report.embedded == 0, "nothing else changed"
    store = IndexStore(corpus_copy)
    assert store.open(report.version).get(where={"doc_id": "site-oldham"})["ids"] == []
    assert "site-oldham" not in store.live_version().doc_hashes
    assert assistant.snapshot().doc_chunks("site-oldham") == []
    for question in OLDHAM_QUESTIONS:
        answer = assistant.ask(question)
        assert "site-oldham" not in answer.cited_ids + answer.retrieved_ids, question


def test_unchanged_corpus_keeps_the_live_version_and_full_rebuilds_everything(tmp_path, settings, embedder):
    corpus = tmp_path / "corpus"
    for name in ("framework.md", P3_FILE, "enablers/E1-infrastructure-and-governance.md"):
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, corpus / name)
    small = replace(settings, data_dir=tmp_path / "data", corpus_dir=corpus)

    first = reindex(small, embedder=embedder)
    assert first.added == ["E1", "P3", "framework"] and first.reused == 0 and first.embedded > 0
    again = reindex(small, embedder=embedder)
    assert not again.swapped and again.version == first.version and again.embedded == 0
    assert "Nothing changed" in again.summary()
    full = reindex(small, embedder=embedder, full=True)
    assert full.swapped and full.embedded == first.embedded and full.reused == 0
    add_kirklees_example(small)
    third = reindex(small, embedder=embedder)
    assert third.changed == ["P3"] and 0 < third.embedded < first.embedded

    store = IndexStore(small)
    manifest = store.manifest()
    assert (manifest["live"], manifest["previous"]) == (third.version, full.version)
    assert set(manifest["versions"]) == {third.version, full.version}
    names = {c.name for c in store.client.list_collections() if c.name.startswith(small.collection_prefix + "_")}
    assert names == {third.version, full.version}, "older versions are deleted"
    record = manifest["versions"][third.version]
    assert record["model"] and record["corpus_hash"] and record["created"] and record["documents"] == 3
    assert record["chunks"] == third.chunks and record["sentences"] > third.chunks


def test_status_and_rollback_through_the_cli(tmp_path, settings, embedder, capsys):
    corpus = tmp_path / "corpus"
    (corpus / "practices").mkdir(parents=True)
    shutil.copy(CORPUS / P3_FILE, corpus / P3_FILE)
    small = replace(settings, data_dir=tmp_path / "data", corpus_dir=corpus)
    first = reindex(small, embedder=embedder)
    add_kirklees_example(small)
    second = reindex(small, embedder=embedder)
    assistant = Assistant(small, embedder=embedder)
    assert "Kirklees" in assistant.ask(WALL_CHART).text
    args = ["--data-dir", str(small.data_dir), "--corpus-dir", str(corpus)]

    assert main(args + ["status"]) == 0
    out = capsys.readouterr().out
    assert f"Live version: {second.version}" in out and f"Previous version: {first.version}" in out
    assert "1 documents" in out and "all-MiniLM-L6-v2" in out

    assert main(args + ["index", "--rollback"]) == 0
    assert first.version in capsys.readouterr().out
    answer = assistant.ask(WALL_CHART)
    assert answer.index_version == first.version and "Kirklees" not in answer.text


def test_reindex_killed_while_embedding_leaves_the_live_version_serving(corpus_copy, embedder, commands):
    add_generated_documents(corpus_copy, 20)
    live = IndexStore(corpus_copy).live_version()
    manifest_before = corpus_copy.manifest_path.read_bytes()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = commands.popen(cli_args(corpus_copy, "index"), env, cwd=ROOT)  # `assistant index`, a process of its own
    seen = b""
    try:
        deadline = time.monotonic() + 120
        while b"Embedding" not in seen and time.monotonic() < deadline:
            chunk = os.read(proc.stderr.fileno(), 4096)  # the progress bar: "Embedding:  0%|..."
            if not chunk:
                break
            seen += chunk
        assert b"Embedding" in seen, seen.decode(errors="replace")
        time.sleep(1.0)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert corpus_copy.manifest_path.read_bytes() == manifest_before, "killed before the swap"

    answer = Assistant(corpus_copy, embedder=embedder).ask("What does mapping information involve?")
    assert answer.index_version == live.name and "P3" in answer.cited_ids

    report = reindex(corpus_copy, embedder=embedder)
    assert report.swapped and len(report.added) == 20 and not report.problems
    store = IndexStore(corpus_copy)
    assert store.live_version().name == report.version and store.manifest()["previous"] == live.name
    names = {c.name for c in store.client.list_collections()}
    assert names == {report.version, live.name}


def test_second_reindex_at_the_same_time_refuses_or_waits(corpus_copy, embedder, capsys):
    added = add_generated_documents(corpus_copy, 20)
    embedding = threading.Event()
    result: dict = {}

    def first() -> None:
        def progress(message: str, fraction: float) -> None:
            if message.startswith("Embedding"):
                embedding.set()
        try:
            result["report"] = reindex(corpus_copy, embedder=embedder, on_progress=progress)
        finally:
            embedding.set()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert embedding.wait(120)
        with pytest.raises(IndexBusyError, match="Another reindex is running"):
            reindex(corpus_copy, embedder=embedder)
        code = main(["--data-dir", str(corpus_copy.data_dir), "--corpus-dir", str(corpus_copy.corpus_dir),
                     "index", "--quiet"])
        err = capsys.readouterr().err
        assert code == 2
        assert err.startswith("error: Another reindex is running (pid ") and err.count("\n") == 1
        assert thread.is_alive(), "the refusals came while the first reindex was still running"
        waited = reindex(corpus_copy, embedder=embedder, wait_seconds=180)
    finally:
        thread.join(timeout=300)
    first_report = result["report"]
    assert first_report.added == added
    assert not waited.swapped and waited.version == first_report.version, "it waited, then found nothing to do"


def test_question_in_flight_during_a_swap_keeps_its_version(corpus_copy, embedder):
    assistant = Assistant(corpus_copy, embedder=embedder)
    in_flight = assistant.snapshot()
    add_kirklees_example(corpus_copy)
    report = reindex(corpus_copy, embedder=embedder)
    hits = Retriever(in_flight, embedder).search("What does mapping information involve?")
    assert hits and hits[0].doc_id == "P3", "the old version still answers after the swap"
    assert assistant.snapshot().version == report.version != in_flight.version


def test_manifest_naming_a_missing_collection_leaves_the_loaded_version_serving(corpus_copy, embedder):
    assistant = Assistant(corpus_copy, embedder=embedder)
    loaded = assistant.snapshot().version
    manifest = json.loads(corpus_copy.manifest_path.read_text(encoding="utf-8"))
    ghost = "framework_20000101000000_ghost0"
    manifest["versions"][ghost] = {**manifest["versions"][loaded], "name": ghost}
    manifest["live"], manifest["previous"] = ghost, loaded
    corpus_copy.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    answer = assistant.ask("What does mapping information involve?")
    assert answer.index_version == loaded and "P3" in answer.cited_ids


def test_server_answers_every_question_through_a_reindex(corpus_copy, embedder):
    add_kirklees_example(corpus_copy)
    assistant = Assistant(corpus_copy, embedder=embedder)
    old = assistant.snapshot().version
    questions = ("What does mapping information involve?", WALL_CHART, "What are the System Enablers?",
                 "What are the four Approaches?")
    summaries: list[dict] = []
    failures: list[BaseException] = []
    reindexing = threading.Event()
    reindexing.set()

    def ask_steadily(client: Client, offset: int) -> None:
        n = offset
        after = 0
        while after < 3:  # keep asking until three questions were answered after the reindex ended
            if not reindexing.is_set():
                after += 1
            try:
                summaries.append(client.predict(questions[n % len(questions)], api_name="/ask")[-1])
            except BaseException as exc:  # noqa: BLE001 - reported in the main thread
                failures.append(exc)
            n += 1

    with chat_page(assistant, corpus_copy) as url:
        askers = [threading.Thread(target=ask_steadily, args=(Client(url, verbose=False), i)) for i in range(2)]
        for t in askers:
            t.start()
        try:
            done = subprocess.run(cli_command(corpus_copy, "index", "--quiet"), cwd=ROOT, capture_output=True,
                                  text=True, timeout=300)
        finally:
            reindexing.clear()
            for t in askers:
                t.join(timeout=120)

    assert done.returncode == 0, done.stderr
    new = IndexStore(corpus_copy).live_version().name
    assert not failures, failures
    assert len(summaries) >= 10
    assert all(s["error"] is None and s["cited_ids"] for s in summaries), [s for s in summaries if s["error"]]
    versions = [s["index_version"] for s in summaries]
    assert versions[0] == old and versions[-1] == new != old and set(versions) == {old, new}
    kirklees = [s for s in summaries if s["index_version"] == new and "Kirklees" in s["text"]]
    assert kirklees, "answers after the swap come from the new version"
