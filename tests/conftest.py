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


@pytest.fixture
def corpus_copy(tmp_path, settings, built_index):
    """Settings for a private copy of the corpus and data folder, whose live index starts as a copy of the
    shared one (same vectors, added with Chroma's API), so a test's first reindex only embeds what it changed."""
    import json
    import shutil
    from dataclasses import asdict

    from assistant.embeddings import PackagedMiniLM
    from assistant.index import ADD_BATCH, IndexStore

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    own = replace(settings, data_dir=tmp_path / "data", corpus_dir=corpus)
    shared = IndexStore(settings)
    live = shared.live_version()
    source = shared.open(live.name)
    got = source.get(include=["documents", "metadatas", "embeddings"])
    # The collection's metadata carries the version's scope file (assistant/topics.py).
    target = IndexStore(own).client.create_collection(
        live.name, embedding_function=PackagedMiniLM(), metadata=source.metadata or {"hnsw:space": "cosine"})
    for start in range(0, len(got["ids"]), ADD_BATCH):
        end = start + ADD_BATCH
        target.add(ids=got["ids"][start:end], embeddings=got["embeddings"][start:end],
                   documents=got["documents"][start:end], metadatas=got["metadatas"][start:end])
    manifest = {"live": live.name, "previous": None, "versions": {live.name: asdict(live)}}
    own.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return own
