"""The one pipeline every front end calls: clean, resolve, retrieve, judge, answer."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import asdict
from typing import Any

import numpy as np

from .answer import FRAMEWORK_KINDS, Answer, ExtractiveAnswerer, decline, passages_of
from .elements import kind_of
from .chat import Resolution, Turn, resolve
from .config import Settings
from .elements import kind_hint, structure_request
from .embeddings import Embedder
from .guard import PLACEHOLDERS, clean_question
from .index import IndexStore
from .retrieve import Mode, Retriever, Snapshot
from .scope import ScopeJudge, correct_spelling

POOL = 10
_MORE = re.compile(r"\b(more|about|what is|what's|explain|describe)\b", re.I)
EMPTY_PROMPT = ("Please type a question about the Framework, for example "
                "\"What does mapping information involve?\" or \"What are the four Approaches?\"")


class Assistant:
    """Answers questions from the live index version; picks up a new version without a restart.

    >>> assistant = Assistant(Settings.from_env())
    >>> answer, turn = assistant.answer("What are the four approaches?", [])
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None, store: IndexStore | None = None,
                 mode: Mode = "hybrid", judge: ScopeJudge | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.batch_size)
        self.store = store or IndexStore(settings, self.embedder)
        self.mode = mode
        self.judge = judge or ScopeJudge()
        self._snapshot: Snapshot | None = None
        self._manifest_key: Any = None
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot:
        """The loaded live version, reloaded when the manifest names a new one."""
        path = self.settings.manifest_path
        try:
            stat = path.stat()
            key = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            key = None
        if self._snapshot is not None and key == self._manifest_key:
            return self._snapshot
        with self._lock:
            if self._snapshot is None or key != self._manifest_key:
                version = self.store.live_version()
                if self._snapshot is None or version is None or version.name != self._snapshot.version:
                    collection = self.store.open_live()
                    assert version is not None
                    self._snapshot = Snapshot.load(collection, version.name)
                self._manifest_key = key
        assert self._snapshot is not None
        return self._snapshot

    def answer(self, question: str, history: list[Turn] | None = None) -> tuple[Answer, Turn]:
        """Answer one question in a conversation; returns the answer and the turn to remember."""
        started = time.perf_counter()
        history = history or []
        clean = clean_question(question, self.settings.max_question_chars)
        if clean.empty:
            answer = Answer(text=EMPTY_PROMPT, citations=[], refused=False, confidence="no question",
                            retrieved_ids=[], notices=list(clean.notices))
            return self._finish(answer, started, clean.personal_data), Turn(question="", refused=True)
        snap = self.snapshot()
        retriever = Retriever(snap, self.embedder, k=self.settings.k, mode=self.mode)
        original = _without_placeholders(clean.text)
        query_text = correct_spelling(original, snap.raw_words, snap.vocabulary)
        resolution = resolve(query_text, history, snap.elements)
        vector = self.embedder.embed_query(resolution.query)
        # Answers draw on a deeper pool than the k passages reported as retrieved.
        pool = retriever.search(resolution.query, vector=vector, boost=resolution.boost, kind=kind_hint(query_text),
                                k=max(self.settings.k, POOL))
        hits = pool[: self.settings.k]
        composer = ExtractiveAnswerer(snap)
        kind = structure_request(original) or structure_request(query_text)
        if kind is not None:
            answer = composer.structure(kind, hits)
            listed = [c.id for c in answer.citations if c.id != "framework"]
        else:
            answer, listed = self._answer_from_hits(query_text, resolution, vector, pool, retriever, snap, composer), []
            answer.retrieved_ids = list(dict.fromkeys(h.doc_id for h in hits))
            answer.passages = passages_of(hits)
        answer.query = resolution.query
        answer.index_version = snap.version
        answer.notices = list(clean.notices) + answer.notices
        turn = Turn(question=clean.text, cited=answer.cited_ids, listed=listed or answer.cited_ids,
                    refused=answer.refused)
        return self._finish(answer, started, clean.personal_data), turn

    def _answer_from_hits(self, question: str, resolution: Resolution, vector: Any, hits: list, retriever: Retriever,
                          snap: Snapshot, composer: ExtractiveAnswerer) -> Answer:
        dense_top = max((h.dense for h in hits), default=0.0)
        if retriever.mode == "bm25":
            dense_top = max((s for _, s in Retriever(snap, self.embedder, mode="dense").dense(vector, 1)), default=0.0)
        bm25_top = max((h.bm25 for h in hits), default=0.0)
        named = resolution.boost if resolution.followup else tuple(snap.elements.mentioned(question))
        scope = self.judge.judge(question, snap.vocabulary, snap.raw_words, dense_top, bm25_top, named, len(snap.chunks),
                                  followup=resolution.followup)
        if not scope.in_scope:
            return decline(hits, scope)
        answer = None
        wants_overview = composer.is_definitional(question) if not resolution.followup else bool(_MORE.search(question))
        if len(named) == 1 and kind_of(named[0]) in FRAMEWORK_KINDS and wants_overview:
            answer = composer.overview(named[0], resolution.query, vector, hits, scope)
        if answer is None:
            answer = composer.compose(question, vector, hits, focus=resolution.boost, scope=scope, kind=kind_hint(question))
        answer.scope = asdict(scope)
        return answer

    @staticmethod
    def _finish(answer: Answer, started: float, personal: tuple[str, ...]) -> Answer:
        answer.personal_data = list(personal)
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        return answer

    def ask(self, question: str, history: list[str] | None = None) -> Answer:
        """Answer a question after replaying earlier user turns of the same conversation."""
        return self.session(history).ask(question)

    def session(self, history: list[str] | None = None) -> "Session":
        """A conversation, optionally primed with earlier user turns."""
        session = Session(self)
        for earlier in history or []:
            session.ask(earlier)
        return session


class Session:
    """One user's conversation."""

    def __init__(self, assistant: Assistant, turns: list[Turn] | None = None) -> None:
        self.assistant = assistant
        self.turns: list[Turn] = list(turns or [])

    def ask(self, question: str) -> Answer:
        """Answer and remember the turn."""
        answer, turn = self.assistant.answer(question, self.turns)
        self.turns.append(turn)
        return answer


def _without_placeholders(text: str) -> str:
    for placeholder in PLACEHOLDERS.values():
        text = text.replace(placeholder, " ")
    return " ".join(text.split())
