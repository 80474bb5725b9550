"""The one pipeline every front end calls: clean, resolve, retrieve, judge, answer."""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from dataclasses import asdict, replace
from typing import Any, Callable, Iterator

import numpy as np


from .answer import Answer, ExtractiveAnswerer, behind, decline
from .chat import Turn, last_answered
from .config import Settings
from .elements import kind_of
from .embeddings import Embedder
from .errors import AssistantError, BackendError
from .generate import LLM_UNAVAILABLE, LLM_UNGROUNDED, LLMAnswerer, build_generator
from .guard import CleanQuestion, Guard, clean_question, search_text
from .index import IndexStore
from .lead import LABEL
from .logs import QuestionLog
from .retrieve import Mode, Retriever, Snapshot
from .scope import ScopeJudge
from .selection import FRAMEWORK_KINDS
from .understand import Question, QuestionReader

log = logging.getLogger(__name__)
POOL = 12
POOL_PER_DOC = 4  # passages one document may bring to the answer pool
# A follow-up's sentences are judged on its own words this many times as much as on the conversation's topic:
# retrieval already keeps to the topic, and the new turn says what is asked ("how many came to that?").
FOLLOW_UP_OWN_WEIGHT = 2.0
SMALL_TALK = "Hello! I answer questions about the Children's Information Project Framework, citing the passage each answer rests on."
EMPTY_PROMPT = ("Please type a question about the Framework, for example "
                "\"What does mapping information involve?\" or \"What are the four Approaches?\"")


class Assistant:
    """Answers questions from the live index version; picks up a new version without a restart.

    >>> assistant = Assistant(Settings.from_env())
    >>> answer, turn = assistant.answer("What are the four approaches?", [])
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None, store: IndexStore | None = None,
                 mode: Mode = "hybrid", judge: ScopeJudge | None = None, log: QuestionLog | None = None,
                 generator: LLMAnswerer | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.batch_size)
        self.store = store or IndexStore(settings, self.embedder)
        self.mode = mode
        self.judge = judge or ScopeJudge()
        self.log = log or QuestionLog.from_settings(settings)
        # Out-of-scope questions are declined before a model is asked; None composes answers without one.
        self.generator = generator or build_generator(settings, self.embedder)
        self.english = self.embedder.known_words()
        # People, places and bodies the corpus names are not personal details.
        self.guard = Guard.for_corpus(settings.corpus_dir)
        self._snapshot: Snapshot | None = None
        self._manifest_key: Any = None
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot:
        """The loaded live version, reloaded when the store's live key says another version went live.

        While one thread loads a new version the others keep answering from the loaded one, and
        a new version that cannot be opened (or a database that is down) leaves the loaded one serving.
        """
        key = self.store.live_key()
        loaded = self._snapshot
        if loaded is not None and key == self._manifest_key:
            return loaded
        if not self._lock.acquire(blocking=loaded is None):
            assert loaded is not None
            return loaded
        try:
            if self._snapshot is None or key != self._manifest_key:
                self._reload(key)
        finally:
            self._lock.release()
        assert self._snapshot is not None
        return self._snapshot

    def _reload(self, key: Any) -> None:
        try:
            version = self.store.live_version()
            if self._snapshot is None or version is None or version.name != self._snapshot.version:
                collection = self.store.open_live()
                assert version is not None
                self._snapshot = Snapshot.load(collection, version.name)
                self.store.serving(version.name)
        except AssistantError as exc:
            if self._snapshot is None:
                raise
            # Keep answering from the loaded version; the manifest is read again on the next question.
            log.warning("Still serving index version %s: %s", self._snapshot.version, exc)
            return
        self._manifest_key = key

    def answer(self, question: str, history: list[Turn] | None = None,
               on_text: Callable[[str], None] | None = None) -> tuple[Answer, Turn]:
        """Answer one question in a conversation; returns the answer and the turn to remember.

        Only the cleaned, redacted question goes on to retrieval, the answer, the turn and the question log.
        """
        started = time.perf_counter()
        try:
            answer, turn = self._answer(question, history or [], started, on_text)
        except Exception as exc:
            # The type only: an exception's message could quote the question.
            self.log.failure(type(exc).__name__, _elapsed_ms(started))
            raise
        self.log.record(answer)
        return answer, turn

    def _answer(self, question: str, history: list[Turn], started: float,
                on_text: Callable[[str], None] | None = None) -> tuple[Answer, Turn]:
        """guard -> read -> retrieve -> judge -> compose (-> a language model, when configured)."""
        clean = clean_question(question, self.settings.max_question_chars, guard=self.guard)
        if clean.empty:
            answer = Answer(text=EMPTY_PROMPT, citations=[], refused=False, confidence="no question",
                            retrieved_ids=[])
            return self._finish(answer, started, clean), Turn(question="", refused=True)
        words_only = search_text(clean.text)  # placeholders such as [PHONE] count neither for nor against scope
        snap = self.snapshot()
        if not any(c.isalnum() for c in words_only):  # only placeholders, markup or instructions to the assistant
            return self._finish(decline([], None, snap), started, clean), Turn(question=clean.text, refused=True)
        q = QuestionReader(snap, self.english).read(words_only, history)
        generator, notices = self.generator, []
        if generator is not None and q.followup:
            try:
                q = replace(q, query=generator.condense(q.words, history))
            except BackendError:
                generator, notices = None, [LLM_UNAVAILABLE]  # down or slow: do not wait for it twice
        retriever = Retriever(snap, self.embedder, k=self.settings.k, mode=self.mode, max_per_doc=POOL_PER_DOC)
        # What this turn asks, when retrieval searches something wider, embedded in the same batch as the query:
        # a follow-up's own words weigh twice when sentences are chosen, the asking sentence of a story once.
        own_text, own_weight = (q.words, FOLLOW_UP_OWN_WEIGHT) if q.followup and q.query != q.words else (q.asks, 1.0)
        if own_text:
            vector, own = self.embedder.embed([q.query, own_text])
            embedded = {q.query: vector, own_text: own}
            own = own_weight * own
        else:
            vector, own = self.embedder.embed_query(q.query), None
            embedded = {q.query: vector}
        # Answers draw on a deeper pool than the k passages reported as retrieved.
        pool = retriever.search(q.query, vector=vector, boost=q.elements, kind=q.layer,
                                focus_text=q.words if q.followup else None, k=max(self.settings.k, POOL),
                                item=max(q.item, 0), bullet=q.followup and q.bare_ordinal)
        hits = pool[: self.settings.k]
        composer = ExtractiveAnswerer(snap)
        listed: list[str] = []
        if q.structure is not None:
            answer = composer.structure(q.structure, hits)
            listed = [c.id for c in answer.citations if c.id != "framework"]
        else:
            answer = self._compose(q, vector, own, pool, retriever, snap, composer, embedded)
            if generator is not None and not answer.refused:
                answer = self._generate(generator, q.query if q.followup else q.words, hits, snap, answer, on_text)
            behind(answer, hits, snap.by_id)
            if q.answer_type == "comparison" or len(q.elements) > 1:
                listed = [i for i in q.elements if i in answer.cited_ids]
            elif q.answer_type == "list" and not answer.refused:
                # "The four partner sites are local authorities: Hampshire, North Yorkshire, Oldham and Rochdale.":
                # the elements of one kind its first line names, in its order, are what "the last one" picks from
                named = [i for i in snap.elements.mentioned(answer.text.split("\n")[0])
                         if i.startswith("site-") or kind_of(i) in FRAMEWORK_KINDS]
                if len(named) > 1 and len({"site" if i.startswith("site-") else kind_of(i) for i in named}) == 1:
                    listed = named
        answer.notices += notices
        answer.query = q.query
        answer.answer_type = q.answer_type
        answer.index_version = snap.version
        previous = last_answered(history)
        topic = previous.topic_question if q.followup and previous is not None else clean.text
        about = _asked_about(q, snap)
        turn = Turn(question=clean.text, cited=answer.cited_ids, listed=listed, refused=answer.refused, topic=topic,
                    about=about, item=max(q.item, 0),
                    about_said=bool(about) and _labelled(about, answer.text.split("\n")[0], snap),
                    lead="" if answer.refused else LABEL.sub("", answer.text.split("\n")[0]).strip())
        return self._finish(answer, started, clean), turn

    def _compose(self, q: Question, vector: Any, own: Any, hits: list, retriever: Retriever, snap: Snapshot,
                 composer: ExtractiveAnswerer, embedded: dict[str, Any] | None = None) -> Answer:
        def dense_of(text: str) -> float:
            # (the chunk vectors held in memory: the same cosine as a one-result Chroma query, without a second query;
            # a text embedded already with the query, such as the asking clause, is not embedded again)
            known = (embedded or {}).get(text)
            return snap.best_similarity(known if known is not None else self.embedder.embed_query(text))

        dense_top = snap.best_similarity(vector) if retriever.mode == "bm25" else max((h.dense for h in hits), default=0.0)
        bm25_top = max((h.bm25 for h in hits), default=0.0)
        # For a money question, the passages a sum would come from: the documents it names, else those retrieval found
        passages = tuple(c.text for d in (q.elements or dict.fromkeys(h.doc_id for h in hits))
                         for c in snap.doc_chunks(d)) if q.measure == "money" else ()
        scope = self.judge.judge(q, snap, dense_top, bm25_top, dense_of, passages)
        if not scope.in_scope:
            reason = SMALL_TALK if scope.smalltalk else None
            return decline(hits, scope, snap, reason, scope.signpost)
        answer = composer.overview(q.elements[0], q.query, vector, hits, scope, meaning=q.answer_type == "definition") \
            if q.wants_overview else None
        if answer is None:
            if own is not None:
                # Retrieval searched the conversation's topic (or a whole story); sentences are judged on what this
                # turn asks too.
                blend = own + vector
                vector = blend / (np.linalg.norm(blend) or 1.0)
            answer = composer.compose(q, vector, hits, scope=scope)
        answer.scope = asdict(scope)
        return answer

    @staticmethod
    def _generate(generator: LLMAnswerer, question: str, hits: list, snap: Snapshot, extractive: Answer,
                  on_text: Callable[[str], None] | None) -> Answer:
        """The model's checked answer, or the extractive one with a notice when the model fails or nothing holds."""
        try:
            generated = generator.answer(question, hits, snap, on_text=on_text)
        except BackendError:
            extractive.notices.append(LLM_UNAVAILABLE)
            return extractive
        if not generated.text:
            extractive.notices.append(LLM_UNGROUNDED)
            extractive.grounding = generated.grounding
            return extractive
        generated.confidence, generated.scope = extractive.confidence, extractive.scope
        return generated

    @staticmethod
    def _finish(answer: Answer, started: float, clean: CleanQuestion) -> Answer:
        answer.question = clean.text
        answer.personal_data = list(clean.personal_data)
        answer.notices = list(clean.notices) + answer.notices
        answer.latency_ms = _elapsed_ms(started)
        return answer

    def stream(self, question: str, history: list[Turn] | None = None) -> Iterator[str | tuple[Answer, Turn]]:
        """The answer's text as a language model writes it, checked sentence by sentence, then (answer, turn).

        Without a language model it yields (answer, turn) alone.
        """
        if self.generator is None:
            yield self.answer(question, history)
            return
        updates: queue.Queue[tuple[str, Any]] = queue.Queue()

        def run() -> None:
            try:
                updates.put(("done", self.answer(question, history, on_text=lambda text: updates.put(("text", text)))))
            except Exception as exc:  # noqa: BLE001 - raised again in the caller's thread below
                updates.put(("error", exc))

        threading.Thread(target=run, name="answer-stream", daemon=True).start()
        while True:
            kind, value = updates.get()
            if kind == "error":
                raise value
            yield value
            if kind == "done":
                return

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


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _asked_about(q: Question, snap: Snapshot) -> str:
    """The one element the question named by id, title or label ("Hampshire"), or a follow-up was read as being
    about; "" when it was found only by an alias ("whose voices count according to cip?" is not about the project)."""
    if len(q.elements) == 1 and (q.followup or q.elements[0] in q.named_outright):
        return q.elements[0]
    # "What did North Yorkshire find when they compared the Bright Spots survey with their DfE returns?" is about
    # North Yorkshire, the one element it calls by its label, though an alias brings in another
    labelled = [e for e in q.elements if _labelled(e, q.text, snap)]
    return labelled[0] if len(labelled) == 1 and (len(q.elements) == 1 or not q.followup) else ""


def _labelled(element: str, text: str, snap: Snapshot) -> bool:
    """The text calls the element by its citation label ("Hampshire", "Project overview")."""
    label = next((c.citation_label for c in snap.doc_chunks(element)), "")
    return bool(label) and bool(re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text, re.I))
