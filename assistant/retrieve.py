"""Hybrid retrieval: dense (Chroma) plus BM25 over the same chunks, fused by reciprocal rank."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from rank_bm25 import BM25Okapi

from .chunking import Chunk
from .elements import ElementMap
from .embeddings import Embedder
from .softmatch import PieceIndex, WordPieces
from .text import acronyms_of, expanded_terms, head_of, terms, words
from .topics import ScopeFile, scope_of

Mode = Literal["hybrid", "dense", "bm25"]
RRF_K = 60
CANDIDATES = 30
BOILERPLATE_SIMILARITY = 0.85  # sentences this alike in three or more documents say nothing document-specific


@dataclass
class Hit:
    """One retrieved chunk and why it came back."""

    chunk: Chunk
    score: float
    dense: float = 0.0
    bm25: float = 0.0
    rank: int = 0

    @property
    def doc_id(self) -> str:
        return self.chunk.doc_id


@dataclass
class Snapshot:
    """One index version loaded for answering: chunks, sentence vectors, BM25 and the element map."""

    version: str
    collection: Any
    chunks: list[Chunk]
    sentences: dict[str, list[tuple[str, np.ndarray]]]
    bm25: BM25Okapi
    vocabulary: Counter
    elements: ElementMap
    raw_words: frozenset[str] = frozenset()
    common_terms: frozenset[str] = frozenset()
    boilerplate: frozenset[str] = frozenset()
    by_id: dict[str, Chunk] = field(default_factory=dict)
    scope: ScopeFile = field(default_factory=ScopeFile)  # scope-file topics no chunk of this version covers
    # every chunk's vector, for the best similarity of a second text (an asking clause) without a second Chroma query
    chunk_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))

    @classmethod
    def load(cls, collection: Any, version: str) -> "Snapshot":
        """Read everything but the dense index into memory (a few hundred chunks)."""
        got = collection.get(include=["documents", "metadatas", "embeddings"])
        chunks: list[Chunk] = []
        sentences: dict[str, list[tuple[str, np.ndarray]]] = {}
        vectors: list[np.ndarray] = []
        for cid, text, meta, emb in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"]):
            if meta.get("type") == "sentence":
                sentences.setdefault(str(meta["chunk_id"]), []).append((cid, np.asarray(emb, dtype=np.float32), text))
            else:
                chunks.append(Chunk.from_metadata(cid, text, meta))
                vectors.append(np.asarray(emb, dtype=np.float32))
        chunks.sort(key=lambda c: (c.doc_id, c.position))
        ordered = {
            k: [(t, e) for _, e, t in sorted(v, key=lambda x: int(x[0].rsplit("~", 1)[1]))]
            for k, v in sentences.items()
        }
        tokenised = [terms(c.embed_text + " " + " ".join(c.aliases)) for c in chunks]
        vocabulary: Counter = Counter()
        for toks in tokenised:
            vocabulary.update(set(toks))
        aliases: dict[str, tuple[str, ...]] = {}
        for c in chunks:
            if c.aliases:
                aliases[c.doc_id] = c.aliases
        recorded = scope_of(getattr(collection, "metadata", None))
        scope = recorded[1] if recorded else ScopeFile()
        return cls(version=version, collection=collection, chunks=chunks, sentences=ordered, scope=scope,
                   bm25=BM25Okapi(tokenised or [[""]]), vocabulary=vocabulary,
                   elements=ElementMap.build(aliases), by_id={c.id: c for c in chunks},
                   raw_words=frozenset(w for c in chunks for w in words(c.embed_text)),
                   common_terms=frozenset(t for t, df in vocabulary.items() if df > 0.12 * len(chunks)),
                   boilerplate=_boilerplate(ordered, {c.id: c.doc_id for c in chunks}),
                   chunk_vectors=np.vstack(vectors) if vectors else np.zeros((0, 0), dtype=np.float32))

    def best_similarity(self, vector: np.ndarray) -> float:
        """The best cosine similarity of a (normalised) vector with any chunk of this version (0.0 with none)."""
        return float(np.max(self.chunk_vectors @ vector)) if self.chunk_vectors.size else 0.0

    @cached_property
    def pieces(self) -> PieceIndex:
        """Every sentence's word pieces under its heading, and their rarity over the passages (for soft matching)."""
        return PieceIndex(WordPieces(), (c.embed_text for c in self.chunks),
                          {cid: [f"{self.by_id[cid].heading}: {t}" if cid in self.by_id else t for t, _ in items]
                           for cid, items in self.sentences.items()})

    @cached_property
    def acronyms(self) -> dict[str, str]:
        """Initials to the capitalised names the corpus spells out ("LGA" -> "Local Government Association")."""
        return acronyms_of(c.embed_text for c in self.chunks)

    @cached_property
    def names(self) -> frozenset[str]:
        """Words the corpus only ever writes with a capital ("rochdale", "feinstein"): names, which keep their
        capital when two sentences are joined into one."""
        capital: set[str] = set()  # capitalised after a lower-case word or a comma: not just opening a sentence
        lower: set[str] = set()
        for chunk in self.chunks:
            capital.update(w.lower() for w in re.findall(r"(?<=[a-z0-9,;] )[A-Z][a-z]+", chunk.text))
            lower.update(w for w in re.findall(r"[A-Za-z]+", chunk.text) if w.islower())
        return frozenset(capital - lower)

    @cached_property
    def plain(self) -> str:
        """Every passage, title and alias as lower-case words between spaces, apostrophes dropped, to look a phrase
        up in."""
        texts = [c.text for c in self.chunks] + [c.title for c in self.chunks] + [a for c in self.chunks for a in c.aliases]
        return " " + " ".join(w for t in texts for w in words(t)).replace("'", "") + " "

    def says_phrase(self, phrase: str) -> bool:
        """Whether the passages use the phrase, its last word perhaps cut short ("North Yorks") or made plural
        ("Information Use Projects"), or its possessives written without the apostrophe ("Childrens Information
        Project")."""
        got = " " + " ".join(words(phrase)).replace("'", "")
        return got.strip() != "" and (got in self.plain or (got.endswith("s") and got[:-1] in self.plain))

    @cached_property
    def defined(self) -> frozenset[str]:
        """Terms some sentence of the index defines ("**Infrastructure:** ...", "An IUP is ...")."""
        return frozenset(t for items in self.heads.values() for _, head_terms, _ in items for t in head_terms)

    @cached_property
    def heading_terms(self) -> tuple[frozenset[str], ...]:
        """The terms of each section heading ("Video series on data governance and ethics")."""
        return tuple({frozenset(terms(c.heading)) for c in self.chunks if c.heading})

    @cached_property
    def heads(self) -> dict[str, list[tuple[int, frozenset[str], str]]]:
        """Per chunk, the sentences that define something: (index, terms of what they define, that head)."""
        out: dict[str, list[tuple[int, frozenset[str], str]]] = {}
        for chunk_id, items in self.sentences.items():
            for i, (text, _) in enumerate(items):
                head = head_of(text)
                if head is not None:
                    out.setdefault(chunk_id, []).append((i, frozenset(terms(head)), head))
        return out

    @cached_property
    def people(self) -> frozenset[str]:
        """Full names of the people the indexed documents name ("Polly Vizard", "Leon Feinstein")."""
        from .allowlist import Allowlist

        return Allowlist.from_texts(c.text for c in self.chunks).people

    @cached_property
    def list_offsets(self) -> dict[str, int]:
        """For a passage that opens in the middle of a list cut by chunking, the bullets of that list in the passages
        before it: the Podcasts list's second bullet is alone in its passage but is still the second."""
        offsets: dict[str, int] = {}
        previous: Chunk | None = None
        for chunk in self.chunks:
            if previous is not None and previous.doc_id == chunk.doc_id and previous.heading == chunk.heading \
                    and _opens_with_a_bullet(chunk.text) and _ends_in_a_list(previous.text):
                offsets[chunk.id] = _counted(previous.text, offsets.get(previous.id, 0))[-1][0]
            previous = chunk
        return offsets

    def bullets_of(self, chunk: Chunk) -> list[tuple[int, str]]:
        """`bullets` of a passage, its first list counted from where an earlier passage began it."""
        return _counted(chunk.text, self.list_offsets.get(chunk.id, 0))

    @cached_property
    def silence_formula(self) -> frozenset[str]:
        """Terms of the corpus's stock wording for what it does not say ("the published material available to
        us does not ..."): in a fifth or more of those sentences, so they say nothing about what is missing."""
        from .selection import says_silence

        found = [set(terms(t)) for items in self.sentences.values() for t, _ in items if says_silence(t)]
        counts = Counter(t for ts in found for t in ts)
        return frozenset(t for t, n in counts.items() if n >= 0.2 * len(found))

    def doc_chunks(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in reading order."""
        return [c for c in self.chunks if c.doc_id == doc_id]


def _kind_matches(kind: str, wanted: str) -> bool:
    """'element' stands for any Approach, Practice or Enabler."""
    return kind == wanted or (wanted == "element" and kind in ("approach", "practice", "enabler"))


def _boilerplate(sentences: dict[str, list[tuple[str, np.ndarray]]], doc_of: dict[str, str]) -> frozenset[str]:
    """Sentences repeated, near enough word for word, across three or more documents."""
    rows = [(doc_of.get(cid, ""), text, emb) for cid, items in sentences.items() for text, emb in items]
    if not rows:
        return frozenset()
    matrix = np.stack([e for _, _, e in rows])
    sims = matrix @ matrix.T
    docs = np.array([d for d, _, _ in rows])
    out = set()
    for i, (doc, text, _) in enumerate(rows):
        close = np.nonzero(sims[i] > BOILERPLATE_SIMILARITY)[0]
        if len(set(docs[close]) - {doc}) >= 2:
            out.add(text)
    return frozenset(out)


class Retriever:
    """Finds the chunks that best answer a question.

    >>> hits = Retriever(snapshot, embedder, k=5).search("What does mapping systems involve?")
    >>> hits[0].doc_id
    'P4'
    """

    def __init__(self, snapshot: Snapshot, embedder: Embedder, k: int = 5, mode: Mode = "hybrid",
                 max_per_doc: int = 2) -> None:
        self.snapshot = snapshot
        self.embedder = embedder
        self.k = k
        self.mode = mode
        self.max_per_doc = max_per_doc

    def dense(self, vector: np.ndarray, n: int = CANDIDATES) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) from Chroma, best first."""
        n = min(n, len(self.snapshot.chunks))
        if n == 0:
            return []
        res = self.snapshot.collection.query(query_embeddings=[vector.tolist()], n_results=n,
                                             where={"type": "chunk"}, include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]

    def sparse(self, query: str, n: int = CANDIDATES) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) for chunks sharing a term with the query, best first."""
        toks = expanded_terms(query)
        if not toks:
            return []
        scores = self.snapshot.bm25.get_scores(toks)
        order = np.argsort(-scores)[:n]
        return [(self.snapshot.chunks[i].id, float(scores[i])) for i in order if scores[i] > 0]

    def search(self, query: str, vector: np.ndarray | None = None, boost: tuple[str, ...] = (),
               k: int | None = None, kind: str | None = None, focus_text: str | None = None,
               item: int = 0, bullet: bool = False) -> list[Hit]:
        """The top chunks, fused and spread over documents; `boost` favours named documents.

        `focus_text` is a follow-up as asked ("which site gave an example of it?"): it picks which
        chunks of a boosted document lead, while `query` (with the earlier topic) finds the document.
        `item` is a list item asked for by number ("what does the 2nd one say?"): a boosted document's chunks
        holding that item's marker lead; with `bullet` ("the two principles?" then "what does the first one mean in
        practice?"), next come its chunks with a bulleted list that long.
        """
        k = k or self.k
        if vector is None:
            vector = self.embedder.embed_query(query)
        dense = self.dense(vector) if self.mode != "bm25" else []
        sparse = self.sparse(query) if self.mode != "dense" else []
        fused: dict[str, float] = {}
        for ranking in (dense, sparse):
            for rank, (cid, _) in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
        if kind:
            # "Which practice ...?": the best document of that layer should lead.
            best = next((cid for cid in sorted(fused, key=lambda c: -fused[c])
                         if cid in self.snapshot.by_id and _kind_matches(self.snapshot.by_id[cid].kind, kind)), None)
            if best:
                fused[best] += 1.0 / RRF_K
        focus_scores: dict[str, float] = {}
        if focus_text and boost and terms(focus_text):
            scores = self.snapshot.bm25.get_scores(terms(focus_text))
            focus_scores = {c.id: float(s) for c, s in zip(self.snapshot.chunks, scores)}
        for i, doc_id in enumerate(boost):
            # Named elements come first, in the order named; their best-matching chunks lead.
            for rank, cid in enumerate(self._best_chunks_of(doc_id, vector, fused, focus_scores, item, bullet)):
                fused[cid] = fused.get(cid, 0.0) + (2.0 - 0.1 * i) / (RRF_K + 1 + rank)
        dense_sim, bm25 = dict(dense), dict(sparse)
        order = sorted(fused, key=lambda c: -fused[c])
        hits: list[Hit] = []
        per_doc: Counter = Counter()
        for cid in order:
            chunk = self.snapshot.by_id.get(cid)
            limit = self.max_per_doc + (1 if chunk is not None and chunk.doc_id in boost else 0)
            if chunk is None or per_doc[chunk.doc_id] >= limit:
                continue
            per_doc[chunk.doc_id] += 1
            hits.append(Hit(chunk=chunk, score=fused[cid], dense=dense_sim.get(cid, 0.0), bm25=bm25.get(cid, 0.0)))
            if len(hits) == k:
                break
        for rank, hit in enumerate(hits, 1):
            hit.rank = rank
        return hits

    def _best_chunks_of(self, doc_id: str, vector: np.ndarray, fused: dict[str, float],
                        focus_scores: dict[str, float], item: int = 0, bullet: bool = False) -> list[str]:
        """A named document's chunks that best match: holding the list item asked for (numbered, else bulleted when
        `bullet`), by the follow-up's own words, fused rank, best sentence."""
        scored = []
        chunks = self.snapshot.doc_chunks(doc_id)
        numbered = {c.id for c in chunks
                    if item and any(is_item_marker(t, item) for t, _ in self.snapshot.sentences.get(c.id, []))}
        for c in chunks:
            sentences = self.snapshot.sentences.get(c.id, [])
            sim = max((float(e @ vector) for _, e in sentences), default=0.0)
            # (a bulleted list only where the document has no numbered one: "the third one" of the key findings)
            holds = c.id in numbered or bool(bullet and not numbered and item
                                             and max((p for p, _ in self.snapshot.bullets_of(c)), default=0) >= item)
            scored.append((holds, focus_scores.get(c.id, 0.0), fused.get(c.id, 0.0), sim, -c.position, c.id))
        return [cid for *_, cid in sorted(scored, reverse=True)[:3]]


def bullets(text: str) -> Iterator[tuple[int, str]]:
    r"""Each bullet line of a passage, without its marker, with its place in its unbroken list (from 1).

    >>> list(bullets("Two principles.\n\n- **Effective:** ...\n- **Ethical:** ...\n\nMore.\n- one"))
    [(1, '**Effective:** ...'), (2, '**Ethical:** ...'), (1, 'one')]
    """
    position = 0
    for line in text.splitlines():
        if _opens_with_a_bullet(line):
            position += 1
            yield position, line.lstrip()[2:].strip()
        elif line.strip():
            position = 0  # a paragraph between two lists starts the count again


def _opens_with_a_bullet(text: str) -> bool:
    return bool(re.match(r"\s*[-*] ", text))


def _ends_in_a_list(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(lines) and _opens_with_a_bullet(lines[-1])


def _counted(text: str, offset: int) -> list[tuple[int, str]]:
    """`bullets`, the places of a list the passage opens with moved on by `offset` (its items in earlier passages)."""
    out: list[tuple[int, str]] = []
    continued = offset > 0 and _opens_with_a_bullet(text)
    for position, line in bullets(text):
        continued = continued and not (position == 1 and out)
        out.append((position + offset if continued else position, line))
    return out


def is_item_marker(text: str, n: int) -> bool:
    """The sentence is the marker of item n of a numbered list ("4."), which chunking keeps as a sentence of its own."""
    return text.strip() == f"{n}."


class FrameworkRetriever(BaseRetriever):
    """The hybrid retriever at the LangChain seam."""

    retriever: Any
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        return [
            LCDocument(page_content=h.chunk.text, id=h.chunk.id,
                       metadata={**h.chunk.metadata(), "score": h.score, "rank": h.rank})
            for h in self.retriever.search(query, k=self.k)
        ]
