"""Conversational answers from a language model, kept to what the cited passages support."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser

from .answer import Answer, passages_of
from .chat import Turn
from .config import Settings
from .elements import title_of
from .embeddings import Embedder
from .errors import BackendError
from .grounding import GroundingCheck, SentenceCheck, split_generated
from .guard import search_text
from .llm import build_chat_model, load_prompt
from .retrieve import Hit, Snapshot

log = logging.getLogger(__name__)
HISTORY_TURNS = 4
MAX_CONDENSED_CHARS = 400
LLM_UNAVAILABLE = "The language model was not available, so this answer is composed from the Framework's own sentences."
LLM_UNGROUNDED = ("The language model's answer could not be matched to the Framework's passages, so this answer is "
                  "composed from the Framework's own sentences.")


def format_passages(hits: list[Hit]) -> str:
    """The retrieved passages as the model sees them: `[id] title > heading`, then the text."""
    blocks = []
    for h in hits:
        heading = f" > {h.chunk.heading}" if h.chunk.heading else ""
        blocks.append(f"[{h.doc_id}] {title_of(h.doc_id, h.chunk.title)}{heading}\n{h.chunk.text.strip()}")
    return "\n\n".join(blocks)


def format_history(history: list[Turn]) -> str:
    """Earlier questions (already redacted) and what their answers drew on; answers themselves are not kept."""
    lines = []
    for turn in history[-HISTORY_TURNS:]:
        if turn.question:
            drew = f" (answered from {', '.join(title_of(i) for i in turn.cited[:3])})" if turn.cited else ""
            # Instructions typed in an earlier turn are not passed on to the model either.
            lines.append(f"User: {search_text(turn.question) or '(no question)'}{drew}")
    return "\n".join(lines) or "(no earlier messages)"


class LLMAnswerer:
    """Writes an answer with a chat model from the retrieved passages, then keeps only what they support.

    >>> answerer = LLMAnswerer(model, GroundingCheck(embedder), settings.prompts_dir)
    >>> answer = answerer.answer("What does mapping information involve?", hits, snapshot)
    """

    def __init__(self, model: BaseChatModel, check: GroundingCheck, prompts_dir: Path, name: str = "") -> None:
        self.model = model
        self.check = check
        self.name = name or type(model).__name__
        self.chain = load_prompt(prompts_dir, "answer", ("passages", "question")) | model | StrOutputParser()
        self.condenser = load_prompt(prompts_dir, "condense", ("history", "question")) | model | StrOutputParser()

    def condense(self, question: str, history: list[Turn]) -> str:
        """A follow-up rewritten as a standalone question for retrieval."""
        try:
            text = self.condenser.invoke({"history": format_history(history), "question": question})
        except Exception as exc:  # noqa: BLE001 - any failure of the server or client means "no model"
            raise _unavailable(exc) from exc
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        condensed = lines[0].removeprefix("Standalone question:").strip().strip("\"'") if lines else ""
        if not condensed or len(condensed) > MAX_CONDENSED_CHARS:
            raise BackendError("The language model's standalone question was empty or too long to use.")
        return condensed

    def stream(self, question: str, hits: list[Hit]) -> Iterator[str]:
        """The model's answer as it arrives, token by token, before any check."""
        try:
            yield from self.chain.stream({"passages": format_passages(hits), "question": question})
        except Exception as exc:  # noqa: BLE001 - a server that is down, slow or talks nonsense
            raise _unavailable(exc) from exc

    def answer(self, question: str, hits: list[Hit], snapshot: Snapshot,
               on_text: Callable[[str], None] | None = None) -> Answer:
        """The model's answer after the grounding check; `on_text` sees the checked text so far as it grows.

        While streaming, a sentence is shown as it arrives and checked as soon as the next one starts,
        so an unsupported sentence disappears from the page when it is complete.
        """
        buffer = ""
        cache: dict[tuple[int, str, str], SentenceCheck] = {}
        for token in self.stream(question, hits):
            buffer += token
            if on_text is not None and token:
                on_text(self._progress(split_generated(buffer), hits, snapshot, cache))
        if not buffer.strip():
            raise BackendError("The language model returned an empty answer.")
        pieces = split_generated(buffer)
        if on_text is None:
            grounded = self.check.check(buffer, hits, snapshot)
        else:
            grounded = self.check.render(self._checked(pieces, hits, snapshot, cache), hits)
            if grounded.supported:
                on_text(grounded.text)  # the last sentence, checked now that the stream has ended
        removed = len(grounded.removed)
        notices = [f"Left out {removed} sentence(s) of the language model's answer that the passages they cite "
                   "do not support."] if removed and grounded.supported else []
        return Answer(text=grounded.text if grounded.supported else "", citations=grounded.citations, refused=False,
                      confidence="", retrieved_ids=list(dict.fromkeys(h.doc_id for h in hits)),
                      notices=notices, passages=passages_of(hits),
                      grounding=[c.to_dict() for c in grounded.checks])

    def _progress(self, pieces: list[tuple[int, str, str]], hits: list[Hit], snapshot: Snapshot,
                  cache: dict[tuple[int, str, str], SentenceCheck]) -> str:
        """The checked sentences so far, then the sentence still arriving, on its own line or after its line."""
        if not pieces:
            return ""
        done = self._checked(pieces[:-1], hits, snapshot, cache)
        shown = self.check.render(done, hits).text
        line, bullet, pending = pieces[-1]
        same_line = any(c.kept and c.line == line for c in done)
        if same_line:
            return f"{shown} {pending}"
        arriving = f"{bullet} {pending}" if bullet else pending
        return f"{shown}\n{arriving}" if shown else arriving

    def _checked(self, pieces: list[tuple[int, str, str]], hits: list[Hit], snapshot: Snapshot,
                 cache: dict[tuple[int, str, str], SentenceCheck]) -> list[SentenceCheck]:
        for piece in pieces:
            if piece not in cache:
                n, bullet, sentence = piece
                cache[piece] = self.check.sentence(sentence, hits, snapshot, line=n, bullet=bullet)
        return [cache[p] for p in pieces]


def _unavailable(exc: Exception) -> BackendError:
    # The type names the failure (connection refused, timeout, bad response) without quoting the server,
    # whose error text could echo the question.
    log.warning("Language model unavailable: %s", type(exc).__name__)
    return BackendError(f"The language model did not answer ({type(exc).__name__}).")


def build_generator(settings: Settings, embedder: Embedder) -> LLMAnswerer | None:
    """The answerer for `settings.llm`, or None when answers are composed without a model."""
    model = build_chat_model(settings)
    if model is None:
        return None
    name = f"{settings.llm} {settings.llm_model}"
    return LLMAnswerer(model, GroundingCheck(embedder), settings.prompts_dir, name=name)
