"""Reindexing as one call: load the corpus, chunk it, build a new version, swap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .chunking import Chunker
from .config import Settings
from .corpus import corpus_files, load_corpus, load_file
from .embeddings import Embedder
from .errors import CorpusError
from .index import IndexReport, IndexStore, IndexVersion, Progress
from .topics import SCOPE_FILE, ScopeFile


def reindex(settings: Settings, *, full: bool = False, if_missing: bool = False, progress: bool = False,
            on_progress: Progress | None = None, wait_seconds: float = 0.0,
            embedder: Embedder | None = None, store: IndexStore | None = None) -> IndexReport | None:
    """Index the corpus folder; broken files are reported in the result and left out."""
    store = store or IndexStore(settings, embedder)
    if if_missing and store.live_version() is not None:
        return None
    scope = ScopeFile.load(settings.corpus_dir / SCOPE_FILE)  # a broken scope file stops here, before any swap
    if store.embedder is None:
        store.embedder = embedder or Embedder(settings.batch_size)
    if on_progress is not None:
        on_progress("Reading the corpus", 0.0)
    documents, problems = load_corpus(settings.corpus_dir, skip_broken=True)
    chunks = Chunker(settings.chunk_chars, settings.chunk_overlap).split_all(documents)
    return store.build(chunks, documents, full=full, problems=problems, progress=progress,
                       on_progress=on_progress, wait_seconds=wait_seconds, scope=scope)


def rollback(settings: Settings) -> IndexVersion:
    """Make the previous version live again."""
    return IndexStore(settings).rollback()


@dataclass(frozen=True)
class CorpusEntry:
    """One corpus file, or one indexed document whose file is gone, as an admin sees it."""

    id: str
    title: str
    path: str
    changed: str  # the file's last change, local time; empty when the file is gone
    status: str


def corpus_listing(settings: Settings, store: IndexStore | None = None) -> list[CorpusEntry]:
    """Every corpus file with its id and last change, and what the next reindex will do with it."""
    live = (store or IndexStore(settings)).live_version()
    indexed = live.doc_hashes if live else {}
    root = settings.corpus_dir
    entries: list[CorpusEntry] = []
    seen: set[str] = set()
    for path in corpus_files(root):
        changed = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        name = path.relative_to(root).as_posix()
        try:
            doc = load_file(path, root)
        except CorpusError as exc:
            entries.append(CorpusEntry("", "", name, changed, f"cannot be read: {exc}"))
            continue
        seen.add(doc.id)
        if doc.id not in indexed:
            status = "new: the next reindex adds it"
        elif indexed[doc.id] != doc.hash:
            status = "changed: the next reindex updates it"
        else:
            status = "indexed"
        entries.append(CorpusEntry(doc.id, doc.title, name, changed, status))
    entries += [CorpusEntry(doc_id, "", "", "", "file removed: the next reindex drops it")
                for doc_id in sorted(set(indexed) - seen)]
    return entries
