"""Soft word matching: how closely a sentence's word pieces meet the question's, rarest pieces counting most.

Each content word piece of the question (the model's own tokeniser, closed-class words such as "the" or "which"
left out) is matched to the closest piece of the sentence and its heading, closeness being the cosine of the two
pieces' input embeddings in the packaged model (the table the model looks words up in before any context, so no
forward pass is needed). "capture" meets "record" a little, "recording" meets "record" a lot, an unrelated word
hardly at all. The pieces' rarity comes from the live index's passages, so new content re-weighs it.
"""

from __future__ import annotations

import copy
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np

from .text import FUNCTION_WORDS

_PIECE = re.compile(r"^[a-z0-9#]")


class PreparedQuestion(NamedTuple):
    """A question's content pieces as unit vectors, and each piece's share of the weight (rarer counts more)."""

    units: np.ndarray
    weight: np.ndarray


class WordPieces:
    """The packaged model's tokeniser and input embedding table.

    >>> pieces = WordPieces()
    >>> pieces.match(pieces.ids("record a parent's views"), [pieces.ids("Capturing what parents think")], {})[0]
    """

    def __init__(self, model: Any = None) -> None:
        if model is None:
            from .embeddings import _load_model

            model = _load_model()
        # A copy of the tokeniser with a lock of its own: a tokeniser call resets the padding that a batch encode in
        # another thread has just set on the shared one (a ragged batch then fails), and a copy never waits for the
        # model while a reindex embeds every passage.
        from .embeddings import MODEL_LOCK

        with MODEL_LOCK:
            self.tokenizer = copy.deepcopy(model.tokenizer)
        self._lock = threading.Lock()
        # A view of the model's own weights (no copy): vocabulary x 384.
        self.table = model[0].auto_model.embeddings.word_embeddings.weight.detach().numpy()
        vocab = self.tokenizer.get_vocab()
        self._keep = np.zeros(len(vocab), dtype=bool)
        for piece, i in vocab.items():
            self._keep[i] = bool(_PIECE.match(piece)) and len(piece.strip("#")) > 1 and piece not in FUNCTION_WORDS

    def ids(self, text: str) -> np.ndarray:
        """The content word pieces of a text (no special tokens, punctuation, single letters or function words)."""
        with self._lock:
            got = np.asarray(self.tokenizer.encode(text, add_special_tokens=False, truncation=True, max_length=256),
                             dtype=np.int64)
        return got[self._keep[got]] if got.size else got

    def rarity(self, texts: Iterable[str]) -> dict[int, float]:
        """Each piece's inverse document frequency over the texts (the index's passages)."""
        seen: Counter = Counter()
        n = 0
        for text in texts:
            n += 1
            seen.update(set(self.ids(text).tolist()))
        return {piece: math.log(1 + n / (1 + df)) for piece, df in seen.items()} | {-1: math.log(1 + n)}

    def match(self, question: np.ndarray, sentences: list[np.ndarray], rarity: dict[int, float]) -> list[float]:
        """Per sentence, the rarity-weighted mean over the question's pieces of the best cosine to one of its pieces."""
        return self.match_units(question, [self._unit(ids) for ids in sentences], rarity)

    def match_units(self, question: np.ndarray, sentences: list[np.ndarray], rarity: dict[int, float]) -> list[float]:
        """`match` for sentences given as their pieces' unit vectors (computed once per index version)."""
        return self.match_prepared(self.prepare(question, rarity), sentences)

    def prepare(self, question: np.ndarray, rarity: dict[int, float]) -> PreparedQuestion | None:
        """The question's pieces as unit vectors with their rarity weights (None when it has no content piece)."""
        if not question.size:
            return None
        unknown = rarity.get(-1, 1.0)  # a piece no passage uses is as rare as can be
        weight = np.array([rarity.get(int(p), unknown) for p in question])
        return PreparedQuestion(self._unit(question), weight / weight.sum())

    @staticmethod
    def match_prepared(question: PreparedQuestion | None, sentences: list[np.ndarray]) -> list[float]:
        """`match_units` for a question prepared once (a question is matched against many passages)."""
        if question is None:
            return [0.0] * len(sentences)
        return [float((question.units @ units.T).max(axis=1) @ question.weight) if len(units) else 0.0
                for units in sentences]

    def _unit(self, ids: np.ndarray) -> np.ndarray:
        rows = self.table[ids]
        return rows / np.linalg.norm(rows, axis=1, keepdims=True) if len(rows) else rows


class PieceIndex:
    """The word pieces of every indexed sentence (under its heading) and the pieces' rarity, for one index version."""

    def __init__(self, pieces: WordPieces, passages: Iterable[str], sentences: dict[str, list[str]]) -> None:
        self.pieces = pieces
        self.rarity = pieces.rarity(passages)
        # Each sentence's pieces as unit vectors, once per index version (a few MB): a question only multiplies.
        self.units = {cid: [pieces._unit(pieces.ids(text)) for text in texts] for cid, texts in sentences.items()}

    def prepare(self, question: np.ndarray) -> PreparedQuestion | None:
        """The question's pieces ready to be matched against many passages."""
        return self.pieces.prepare(question, self.rarity)

    def scores(self, question: np.ndarray | PreparedQuestion | None, chunk_id: str) -> list[float]:
        """Soft match of the question's pieces (or the question `prepare`d) to each sentence of the passage, in
        passage order."""
        if isinstance(question, np.ndarray):
            question = self.prepare(question)
        return self.pieces.match_prepared(question, self.units.get(chunk_id, []))
