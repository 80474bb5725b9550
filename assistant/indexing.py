"""Reindexing as one call: load the corpus, chunk it, build a new version, swap."""

from __future__ import annotations

from .chunking import Chunker
from .config import Settings
from .corpus import load_corpus
from .embeddings import Embedder
from .index import IndexReport, IndexStore, IndexVersion, Progress


def reindex(settings: Settings, *, full: bool = False, if_missing: bool = False, progress: bool = False,
            on_progress: Progress | None = None, wait_seconds: float = 0.0,
            embedder: Embedder | None = None, store: IndexStore | None = None) -> IndexReport | None:
    """Index the corpus folder; broken files are reported in the result and left out."""
    store = store or IndexStore(settings, embedder)
    if if_missing and store.live_version() is not None:
        return None
    if store.embedder is None:
        store.embedder = embedder or Embedder(settings.batch_size)
    documents, problems = load_corpus(settings.corpus_dir, skip_broken=True)
    chunks = Chunker(settings.chunk_chars, settings.chunk_overlap).split_all(documents)
    return store.build(chunks, documents, full=full, problems=problems, progress=progress,
                       on_progress=on_progress, wait_seconds=wait_seconds)


def rollback(settings: Settings) -> IndexVersion:
    """Make the previous version live again."""
    return IndexStore(settings).rollback()
