"""Versioned Chroma index: build beside the live version, swap atomically, keep one to roll back to."""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings

from .chunking import Chunk, split_sentences
from .config import Settings
from .corpus import Document, content_hash
from .embeddings import Embedder, PackagedMiniLM
from .errors import AssistantError, IndexMissingError
from .state import IndexState, open_state
from .topics import ScopeChange, ScopeFile, scope_change, scope_metadata, scope_of

ADD_BATCH = 256
Progress = Callable[[str, float], None]


def make_client(settings: Settings) -> Any:
    """A Chroma client: embedded in the data folder, or a server when `chroma_url` is set."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise AssistantError(f"ASSISTANT_CHROMA_URL={settings.chroma_url!r} is not a URL like http://127.0.0.1:8000.")
        try:
            return chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https",
                                       settings=chroma_settings)
        except ValueError as exc:
            raise AssistantError(f"Could not reach the Chroma server at {settings.chroma_url}: start it "
                                 "(`chroma run --path DIR --port PORT`) or unset ASSISTANT_CHROMA_URL.") from exc
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


@dataclass
class IndexVersion:
    """What one index version was built from."""

    name: str
    created: str
    corpus_hash: str
    documents: int
    chunks: int
    sentences: int
    model: str
    doc_hashes: dict[str, str] = field(default_factory=dict)


@dataclass
class IndexReport:
    """What a reindex did, for the person who ran it."""

    version: str
    documents: int
    chunks: int
    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: int
    embedded: int
    reused: int
    seconds: float
    swap_seconds: float
    problems: list[str] = field(default_factory=list)
    swapped: bool = True  # False when nothing changed and the live version stayed
    scope: ScopeChange = field(default_factory=ScopeChange)  # scope-file topics brought in or taken out

    def summary(self) -> str:
        """One paragraph a person can read."""
        if not self.swapped:
            return (f"Nothing changed since the live version {self.version} ({self.documents} documents, "
                    f"{self.chunks} chunks); checked in {self.seconds:.1f} s.")
        return (f"Indexed {self.documents} documents as {self.chunks} chunks in {self.seconds:.1f} s "
                f"(added {len(self.added)}, changed {len(self.changed)}, removed {len(self.removed)}, "
                f"unchanged {self.unchanged}; embedded {self.embedded} passages, reused {self.reused}). "
                f"Live version: {self.version}.")


def sentence_records(chunk: Chunk) -> list[tuple[str, str]]:
    """(id, text) of each sentence of a chunk; sentences are embedded for answer composition."""
    return [(f"{chunk.id}~{i}", s) for i, s in enumerate(split_sentences(chunk.text))]


class IndexStore:
    """Owns the index's state (manifest, lock: files or the shared database) and its Chroma collections.

    >>> store = IndexStore(settings, Embedder())
    >>> report = store.build(chunks, documents)
    >>> collection = store.open_live()
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None, client: Any = None,
                 state: IndexState | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.state = state if state is not None else open_state(settings)
        self.client = client if client is not None else make_client(settings)

    # -- manifest -----------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """The manifest: live and previous version names and their records."""
        return self.state.read()

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        self.state.write(manifest)

    def live_key(self) -> Any:
        """A cheap value that changes when another version goes live (a server checks it per question)."""
        return self.state.live_key()

    def serving(self, version: str) -> None:
        """Tell other processes this one answers from `version`, so no reindex deletes it under us."""
        self.state.serving(version)

    def live_version(self) -> IndexVersion | None:
        """The version questions are answered from, or None before the first index."""
        manifest = self.manifest()
        name = manifest.get("live")
        return IndexVersion(**manifest["versions"][name]) if name else None

    def open_live(self) -> Any:
        """The live collection; raises IndexMissingError when there is none."""
        version = self.live_version()
        if version is None:
            raise IndexMissingError(f"No index in {self.settings.data_dir}: run `assistant index` first.")
        return self.open(version.name)

    def open(self, name: str) -> Any:
        """One collection by name, always with our embedding function."""
        try:
            return self.client.get_collection(name, embedding_function=PackagedMiniLM())
        except Exception as exc:  # chromadb raises NotFoundError or ValueError depending on client
            raise IndexMissingError(
                f"The index version {name} is missing from Chroma: run `assistant index --full`.") from exc

    # -- lock -----------------------------------------------------------------------------
    def lock(self, wait_seconds: float = 0.0) -> Any:
        """Hold the reindex lock (the data folder's, or the shared database's); a second holder waits, then refuses."""
        return self.state.lock(wait_seconds)

    # -- build ----------------------------------------------------------------------------
    def build(self, chunks: list[Chunk], documents: list[Document], *, full: bool = False,
              problems: list[str] | None = None, progress: bool = False,
              on_progress: Progress | None = None, wait_seconds: float = 0.0,
              scope: ScopeFile | None = None) -> IndexReport:
        """Build a new version beside the live one and make it live only when complete."""
        if self.embedder is None:
            raise AssistantError("Building an index needs an embedder.")
        started = time.perf_counter()
        with self.lock(wait_seconds):
            manifest = self.manifest()
            live_name = manifest.get("live")
            old = IndexVersion(**manifest["versions"][live_name]) if live_name else None
            _report(on_progress, "Comparing with the live version", 0.0)
            rebuild = full or old is None or old.model != Embedder.name
            reusable = {} if rebuild else self._embeddings_by_hash(old.name)

            records = self._records(chunks)
            todo = [r for r in records if r["hash"] not in reusable]
            doc_hashes = {d.id: d.hash for d in documents}
            scope = scope or ScopeFile()
            # The scope file is part of what a version was built from: editing it alone makes a new version.
            corpus_hash = content_hash(*sorted(f"{k}={v}" for k, v in doc_hashes.items()),
                                       *([f"scope={scope.signature()}"] if scope.topics else []))
            change = scope_change(scope, chunks, self._scope_of(old.name) if old else None)
            if (old is not None and not rebuild and not todo and old.corpus_hash == corpus_hash
                    and (old.chunks, old.sentences) == (len(chunks), len(records) - len(chunks))):
                # A new copy of the same content would only push the real previous version out.
                _report(on_progress, "Nothing changed", 1.0)
                return IndexReport(
                    version=old.name, documents=len(documents), chunks=len(chunks), added=[], changed=[],
                    removed=[], unchanged=len(documents), embedded=0, reused=len(records),
                    seconds=time.perf_counter() - started, swap_seconds=0.0, problems=list(problems or []),
                    swapped=False, scope=change)
            _report(on_progress, f"Embedding {len(todo)} passages ({len(records) - len(todo)} unchanged)", 0.0)
            vectors = self._embed_batches([r["embed"] for r in todo], progress, on_progress)
            for record, vector in zip(todo, vectors):
                record["vector"] = vector
            for record in records:
                if "vector" not in record:
                    record["vector"] = reusable[record["hash"]]

            name = f"{self.settings.collection_prefix}_{datetime.now(timezone.utc):%Y%m%d%H%M%S}_{uuid.uuid4().hex[:6]}"
            collection = self.client.create_collection(
                name, embedding_function=PackagedMiniLM(),
                metadata={"hnsw:space": "cosine", **scope_metadata(scope, chunks)})
            for start in range(0, len(records), ADD_BATCH):
                batch = records[start:start + ADD_BATCH]
                collection.add(ids=[r["id"] for r in batch], embeddings=[r["vector"] for r in batch],
                               documents=[r["text"] for r in batch], metadatas=[r["meta"] for r in batch])
                _report(on_progress, f"Stored {start + len(batch)} of {len(records)} passages in the new version",
                        0.95 + 0.04 * (start + len(batch)) / len(records))
            _report(on_progress, "Switching to the new version", 0.99)

            version = IndexVersion(
                name=name, created=_now(), corpus_hash=corpus_hash,
                documents=len(documents), chunks=len(chunks), sentences=len(records) - len(chunks),
                model=Embedder.name, doc_hashes=doc_hashes,
            )
            swap_started = time.perf_counter()
            manifest["versions"][name] = asdict(version)
            manifest["previous"], manifest["live"] = live_name, name
            self._write_manifest(manifest)
            swap_seconds = time.perf_counter() - swap_started
            self._clean_up(manifest)

        before = old.doc_hashes if old else {}
        added = sorted(d for d in doc_hashes if d not in before)
        changed = sorted(d for d in doc_hashes if d in before and before[d] != doc_hashes[d])
        removed = sorted(d for d in before if d not in doc_hashes)
        _report(on_progress, "Done", 1.0)
        return IndexReport(
            version=name, documents=len(documents), chunks=len(chunks), added=added, changed=changed,
            removed=removed, unchanged=len(doc_hashes) - len(added) - len(changed),
            embedded=len(todo), reused=len(records) - len(todo),
            seconds=time.perf_counter() - started, swap_seconds=swap_seconds, problems=list(problems or []),
            scope=change,
        )

    def rollback(self) -> IndexVersion:
        """Make the previous version live again."""
        with self.lock():
            manifest = self.manifest()
            previous = manifest.get("previous")
            if not previous:
                raise AssistantError("There is no previous index version to roll back to.")
            self.open(previous)
            manifest["live"], manifest["previous"] = previous, manifest.get("live")
            self._write_manifest(manifest)
            return IndexVersion(**manifest["versions"][previous])

    def _records(self, chunks: list[Chunk]) -> list[dict[str, Any]]:
        records = []
        for chunk in chunks:
            meta = {**chunk.metadata(), "type": "chunk"}
            records.append({"id": chunk.id, "text": chunk.text, "embed": chunk.embed_text, "hash": chunk.hash, "meta": meta})
        for chunk in chunks:
            for sid, sentence in sentence_records(chunk):
                h = content_hash("sentence", sentence)
                records.append({"id": sid, "text": sentence, "embed": sentence, "hash": h,
                                "meta": {"type": "sentence", "chunk_id": chunk.id, "doc_id": chunk.doc_id, "hash": h}})
        return records

    def _embed_batches(self, texts: list[str], progress: bool, on_progress: Progress | None) -> list[list[float]]:
        assert self.embedder is not None
        out: list[list[float]] = [[] for _ in texts]
        # One batch per call: the embedder's lock is free between batches, so a server answering
        # questions in the same process waits for one batch at most. Texts of similar length share a
        # batch, which keeps padding (and time) down as encode's own sorting would in a bigger call.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        step = max(self.settings.batch_size, 1)
        bar = None
        if progress and texts:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), desc="Embedding", unit="passage")
        for start in range(0, len(order), step):
            batch = order[start:start + step]
            for i, vector in zip(batch, self.embedder.embed([texts[i] for i in batch])):
                out[i] = vector.tolist()
            if bar is not None:
                bar.update(len(batch))
            done = start + len(batch)
            _report(on_progress, f"Embedded {done} of {len(texts)} passages", 0.95 * done / len(texts))
        if bar is not None:
            bar.close()
        return out

    def _scope_of(self, name: str) -> tuple[ScopeFile, ScopeFile] | None:
        """A version's scope file and uncovered topics, or None if it recorded none (or is gone)."""
        try:
            return scope_of(self.open(name).metadata)
        except IndexMissingError:
            return None

    def _embeddings_by_hash(self, name: str) -> dict[str, list[float]]:
        try:
            got = self.open(name).get(include=["embeddings", "metadatas"])
        except IndexMissingError:
            return {}
        return {m["hash"]: list(e) for m, e in zip(got["metadatas"], got["embeddings"]) if m and "hash" in m}

    def prune(self) -> list[str]:
        """Delete every collection but the live and previous versions now, grace period or not."""
        with self.lock():
            return self._clean_up(self.manifest(), grace=False)

    def _clean_up(self, manifest: dict[str, Any], grace: bool = True) -> list[str]:
        keep = {manifest.get("live"), manifest.get("previous")}
        for name in list(manifest["versions"]):
            if name not in keep:
                del manifest["versions"][name]
        self._write_manifest(manifest)
        # A replica that has not yet noticed the new version still answers from its old one.
        serving = self.state.in_use() if grace else set()
        prefix = self.settings.collection_prefix + "_"
        deleted = []
        for collection in self.client.list_collections():
            cname = collection if isinstance(collection, str) else collection.name
            if cname.startswith(prefix) and cname not in keep | serving:
                self.client.delete_collection(cname)
                deleted.append(cname)
        return deleted


def _report(callback: Progress | None, message: str, fraction: float) -> None:
    if callback is not None:
        callback(message, fraction)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
