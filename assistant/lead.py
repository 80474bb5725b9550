"""The eval's `lead` metric: does an answer's first sentence carry an expected mention; and its naive baseline."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np

from .chunking import split_sentences

if TYPE_CHECKING:
    from .embeddings import Embedder
    from .evals import Expect

LABEL = re.compile(r"\[[^\[\]\n]*\]")  # a citation label such as [P3 Mapping information]
FIRST_END = re.compile(r"[.?!](?:\s|$)|\n")  # ". ", "? ", "! ", a new line, or the end of the text
UNKNOWN_TYPE = "unknown"


def fold(text: str) -> str:
    """Text as mentions are matched: case-folded, runs of white space made one space."""
    return " ".join(text.casefold().split())


def first_sentence(text: str) -> str:
    """The answer up to its first sentence end, with citation labels in square brackets removed."""
    body = LABEL.sub("", text).strip()
    return " ".join(FIRST_END.split(body, maxsplit=1)[0].split())


def carries_mention(sentence: str, mention_all: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the sentence holds any alternative of any expected mention, case-insensitive."""
    folded = fold(sentence)
    return any(fold(alt) in folded for alts in mention_all for alt in alts)


def lead_of(expect: Expect, sentence: str) -> bool | None:
    """The lead check for one case: None for refusals and cases that expect no mention."""
    if expect.refuse or not expect.mention_all:
        return None
    return carries_mention(sentence, expect.mention_all)


def answer_type(answer: Any) -> str:
    """The pipeline's reading of what the question asks for, or "unknown" where the Answer has none."""
    return getattr(answer, "answer_type", "") or UNKNOWN_TYPE


class NaiveLead:
    """The naive baseline: the retrieved sentence most similar to the question, as if it were the first sentence."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}  # passages repeat across cases: embed each sentence once

    def sentence(self, question: str, passages: list[dict[str, Any]]) -> str:
        """The sentence of the passages closest to the question in the embedding space; "" without passages."""
        sentences = list(dict.fromkeys(s for p in passages for s in split_sentences(str(p.get("text", "")))))
        if not sentences:
            return ""
        new = [s for s in sentences if s not in self._vectors]
        self._vectors.update(zip(new, self.embedder.embed(new)))
        query = self.embedder.embed_query(question)
        scores = np.array([self._vectors[s] for s in sentences]) @ query
        return sentences[int(np.argmax(scores))]
