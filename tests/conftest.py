"""Shared fixtures: one real index of the shipped corpus per test session."""

from __future__ import annotations

import os

# Before any library import: no hub, no telemetry, no analytics.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def embedder():
    """The real packaged embedding model, loaded once."""
    from assistant.embeddings import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory):
    """Settings pointing at the shipped corpus and a fresh data folder."""
    from assistant.config import Settings

    data = tmp_path_factory.mktemp("data")
    return replace(Settings.from_env({}), data_dir=data, corpus_dir=CORPUS)


@pytest.fixture(scope="session")
def built_index(settings, embedder):
    """The real index of the shipped corpus, built once and shared (read-only for tests)."""
    from assistant.indexing import reindex

    report = reindex(settings, embedder=embedder)
    assert report is not None and not report.problems
    return report


@pytest.fixture(scope="session")
def assistant(settings, embedder, built_index):
    """The assistant answering from the shared index."""
    from assistant.service import Assistant

    return Assistant(settings, embedder=embedder)


_command_server = None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the command server as soon as the tests are known, when any of them will use it: it imports the
    libraries (~10 s) while the first tests run instead of when the first command waits for it."""
    global _command_server
    if any("commands" in getattr(item, "fixturenames", ()) for item in session.items):
        from .services import CommandServer

        _command_server = CommandServer()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _command_server is not None:
        _command_server.close()


@pytest.fixture(scope="session")
def commands():
    """Runs `assistant` commands each in a fresh process of its own, forked from one process that imported the
    libraries once (tests/services.py), so a command costs its own work, not ~10 s of imports first."""
    from .services import CommandServer

    server = _command_server or CommandServer()
    yield server
    server.close()


def copy_live_index(source, target) -> None:
    """Make ``target``'s live version a copy of ``source``'s: the same vectors, documents and collection metadata
    (which carries the version's scope file, assistant/topics.py), added with Chroma's API to ``target``'s Chroma
    (embedded or a server) and named live in ``target``'s state (files or the database). A reindex there then
    embeds only what a test changed, instead of the whole corpus again."""
    from dataclasses import asdict

    from assistant.embeddings import PackagedMiniLM
    from assistant.index import ADD_BATCH, IndexStore

    shared = IndexStore(source)
    live = shared.live_version()
    origin = shared.open(live.name)
    got = origin.get(include=["documents", "metadatas", "embeddings"])
    store = IndexStore(target)
    copy = store.client.create_collection(live.name, embedding_function=PackagedMiniLM(),
                                          metadata=origin.metadata or {"hnsw:space": "cosine"})
    for start in range(0, len(got["ids"]), ADD_BATCH):
        end = start + ADD_BATCH
        copy.add(ids=got["ids"][start:end], embeddings=got["embeddings"][start:end],
                 documents=got["documents"][start:end], metadatas=got["metadatas"][start:end])
    with store.lock():
        store.state.write({"live": live.name, "previous": None, "versions": {live.name: asdict(live)}})


@pytest.fixture
def corpus_copy(tmp_path, settings, built_index):
    """Settings for a private copy of the corpus and data folder, whose live index starts as a copy of the
    shared one (same vectors, added with Chroma's API), so a test's first reindex only embeds what it changed."""
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    own = replace(settings, data_dir=tmp_path / "data", corpus_dir=corpus)
    copy_live_index(settings, own)
    return own
