"""The grounding check: every sentence a language model writes must be supported by a passage it cites."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .answer import Citation, citation_for
from .embeddings import Embedder
from .retrieve import Hit, Snapshot
from .text import terms, words

# Calibrated with benchmarks/calibrate_grounding.py on tests/data/grounding_calibration.yaml: 45 fluent
# paraphrases of corpus sentences (supported) against 35 sentences that are invented but on topic,
# unrelated, or true of another document (unsupported), each scored against the document it cites.
# Similarity (cosine with the cited passages' best sentence) alone does not separate them: the
# paraphrases scored 0.57 to 1.00 but invented on-topic claims reached 0.65. Key-term overlap
# weighted by rarity in the corpus does: 44 of 45 paraphrases scored 0.55 or more (one, reworded
# into words the corpus never uses, 0.18), every unsupported sentence 0.41 or less. A grid search
# gives the same best score (79 of 80) for similarity floors 0.30 to 0.55 and overlap floors 0.45
# to 0.55; the floors below sit in the middle of that plateau for overlap, and just under the
# lowest paraphrase for similarity, so a sentence must both mean and say what its passage says.
MIN_SIMILARITY = 0.5
MIN_OVERLAP = 0.5
# Words that describe the source rather than claim something; they need no support.
_FRAMING = frozenset(terms("framework passage passages material published publishes document documents "
                           "according mentions mentioned notes noted states stated highlights suggests suggested "
                           "describes described include includes including also example examples project"))
_CITATION = re.compile(r"\[([^\[\]\n]{1,80})\]")
_ID = re.compile(r"[A-Za-z0-9][\w.-]*")
_SENTENCE = re.compile(r"\S.*?(?:[.!?][\"')]*(?:\s*\[[^\[\]\n]*\])*(?=\s+[A-Z0-9\"'(*]|\s*$)|$)")
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")
_SILENCE = re.compile(r"\b(?:do|does|did)\s+not\b|\b(?:doesn't|don't|didn't)\b|\bnot\s+(?:covered|cover|say|said|"
                      r"mentioned|described|given)\b|\bno\s+(?:information|details?|mention)\b", re.I)
_SOURCE_WORDS = re.compile(r"\b(?:passages?|material|sources?|documents?|framework)\b", re.I)
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
METHOD = (f"cosine similarity with the best sentence of a cited passage >= {MIN_SIMILARITY}; share of the "
          f"sentence's key terms (weighted by rarity) found in the cited passages >= {MIN_OVERLAP}; "
          "every number found in the cited passages")


@dataclass
class SentenceCheck:
    """How one sentence of a generated answer was checked, and whether it stayed."""

    sentence: str
    cited: list[str]
    dropped_ids: list[str]
    kept: bool
    reason: str
    similarity: float = 0.0
    overlap: float = 0.0
    match: str = ""
    chunk_id: str = ""
    matches: dict[str, dict[str, Any]] = field(default_factory=dict)  # per cited id: its best chunk and sentence
    line: int = 0
    bullet: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The record kept in `Answer.grounding`."""
        out = asdict(self)
        out.pop("line")
        out.pop("bullet")
        out["similarity"], out["overlap"] = round(self.similarity, 3), round(self.overlap, 3)
        out["method"] = METHOD
        return out


@dataclass
class Grounded:
    """A generated answer after the check: the kept text, its citations, and every sentence's record."""

    text: str
    citations: list[Citation]
    checks: list[SentenceCheck] = field(default_factory=list)

    @property
    def removed(self) -> list[SentenceCheck]:
        """The sentences taken out."""
        return [c for c in self.checks if not c.kept]

    @property
    def supported(self) -> int:
        """Kept sentences that rest on a cited passage."""
        return sum(1 for c in self.checks if c.kept and c.cited)

    @property
    def dropped_ids(self) -> list[str]:
        """Cited ids that were not among the retrieved passages."""
        return list(dict.fromkeys(i for c in self.checks for i in c.dropped_ids))


def split_generated(text: str) -> list[tuple[int, str, str]]:
    """(line number, bullet, sentence) for each sentence; citations after the full stop, or on a line of their
    own, stay with the sentence before them."""
    out: list[tuple[int, str, str]] = []
    for n, line in enumerate(text.splitlines()):
        bullet = _BULLET.match(line)
        body = line[bullet.end():] if bullet else line
        for m in _SENTENCE.finditer(body.strip()):
            sentence = m.group().strip()
            if not sentence:
                continue
            if out and not _CITATION.sub("", sentence).strip(" .;,"):
                out[-1] = (*out[-1][:2], f"{out[-1][2]} {sentence}")
            else:
                out.append((n, bullet.group().strip() if bullet else "", sentence))
    return out


def parse_citations(sentence: str) -> tuple[str, list[str]]:
    """The sentence without its bracketed citations, and the ids it cites (first word of each part)."""
    ids: list[str] = []
    for m in _CITATION.finditer(sentence):
        for part in re.split(r"[,;]|\band\b", m.group(1)):
            found = _ID.search(part)
            if found:
                ids.append(found.group().rstrip("."))
    bare = _CITATION.sub(" ", sentence).replace("**", "")
    bare = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(bare.split()))
    return bare, list(dict.fromkeys(ids))


def key_term_overlap(sentence: str, source_terms: set[str], snapshot: Snapshot) -> float:
    """The share of the sentence's key terms found in the source, each weighted by its rarity in the corpus.

    A term the corpus never uses weighs most: an invented claim brings in words ("consent form",
    "fined", "cloud") that the passage it cites does not have.
    """
    n = len(snapshot.chunks)
    key = [t for t in dict.fromkeys(terms(sentence)) if t not in _FRAMING]
    weights = {t: math.log((n + 1) / (snapshot.vocabulary.get(t, 0) + 0.5)) for t in key}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in source_terms) / total if total > 0 else 1.0


class GroundingCheck:
    """Keeps the sentences whose cited passages support them.

    >>> GroundingCheck(embedder).check("Mapping information is the third Practice [P3].", hits, snapshot).text
    'Mapping information is the third Practice. [P3 Mapping information]'
    """

    def __init__(self, embedder: Embedder, min_similarity: float = MIN_SIMILARITY,
                 min_overlap: float = MIN_OVERLAP) -> None:
        self.embedder = embedder
        self.min_similarity = min_similarity
        self.min_overlap = min_overlap

    def check(self, text: str, hits: list[Hit], snapshot: Snapshot) -> Grounded:
        """Check every sentence of a generated answer against the passages it cites."""
        pieces = split_generated(text)
        bares = [parse_citations(s)[0] for _, _, s in pieces]
        vectors = self.embedder.embed(bares) if bares else np.zeros((0, 384), dtype=np.float32)
        checks = [self.sentence(s, hits, snapshot, vector=v, line=n, bullet=b)
                  for (n, b, s), v in zip(pieces, vectors)]
        return self.render(checks, hits)

    def sentence(self, raw: str, hits: list[Hit], snapshot: Snapshot, vector: np.ndarray | None = None,
                 line: int = 0, bullet: str = "") -> SentenceCheck:
        """Check one sentence: cited ids must be retrieved, and a cited passage must support it."""
        bare, ids = parse_citations(raw)
        retrieved = {h.doc_id.casefold(): h.doc_id for h in hits}
        cited = list(dict.fromkeys(retrieved[i.casefold()] for i in ids if i.casefold() in retrieved))
        dropped = [i for i in ids if i.casefold() not in retrieved]
        record = SentenceCheck(sentence=bare, cited=cited, dropped_ids=dropped, kept=False, reason="", line=line,
                               bullet=bullet)
        if not bare.strip(" .;,"):
            record.reason = "no text, only a citation"
            return record
        if not cited:
            if _SILENCE.search(bare) and _SOURCE_WORDS.search(bare):
                record.kept, record.reason = True, "says what the passages do not cover"
            else:
                record.reason = "cites no retrieved passage" if dropped else "no citation"
            return record
        chunks = [h.chunk for h in hits if h.doc_id in cited]
        if vector is None:
            vector = self.embedder.embed_query(bare)
        for doc_id in cited:
            pool = [(t, e, c.id) for c in chunks if c.doc_id == doc_id for t, e in snapshot.sentences.get(c.id, [])]
            if pool:
                sims = np.stack([e for _, e, _ in pool]) @ vector
                best = int(np.argmax(sims))
                record.matches[doc_id] = {"chunk_id": pool[best][2], "sentence": pool[best][0],
                                          "similarity": round(float(sims[best]), 3)}
        if record.matches:
            top = max(record.matches.values(), key=lambda m: m["similarity"])
            record.similarity, record.match, record.chunk_id = top["similarity"], top["sentence"], top["chunk_id"]
        source = " ".join(f"{c.title} {c.heading} {c.text}" for c in chunks)
        record.overlap = key_term_overlap(bare, set(terms(source)), snapshot)
        numbers = [n.rstrip(".,") for n in _NUMBER.findall(bare)]
        source_words = set(words(source)) if numbers else set()
        missing_numbers = [n for n in numbers if n not in source_words]
        if missing_numbers:
            record.reason = f"number {missing_numbers[0]} is not in the cited passage"
        elif record.similarity < self.min_similarity:
            record.reason = f"too far in meaning from the cited passage ({record.similarity:.2f} < " \
                            f"{self.min_similarity})"
        elif record.overlap < self.min_overlap:
            record.reason = f"key terms not in the cited passage ({record.overlap:.0%} < {self.min_overlap:.0%})"
        else:
            record.kept, record.reason = True, "supported by the cited passage"
        return record

    def render(self, checks: list[SentenceCheck], hits: list[Hit]) -> Grounded:
        """The kept sentences in the model's own lines, each followed by the labels of its citations."""
        by_chunk = {h.chunk.id: h.chunk for h in hits}
        citations: dict[str, Citation] = {}
        lines: dict[int, list[str]] = {}
        bullets: dict[int, str] = {}
        for c in checks:
            if not c.kept:
                continue
            labels: list[str] = []
            for doc_id in c.cited:
                found = c.matches.get(doc_id, {})
                chunk_id = found.get("chunk_id") or next(h.chunk.id for h in hits if h.doc_id == doc_id)
                cite = citations.get(chunk_id)
                if cite is None:
                    cite = citations[chunk_id] = citation_for(by_chunk[chunk_id])
                # The panel highlights the passage's sentence that supports this one.
                if found and found["similarity"] >= self.min_similarity and found["sentence"] not in cite.sentences:
                    cite.sentences.append(found["sentence"])
                labels.append(cite.label)
            sentence = c.sentence if c.sentence[-1:] in ".!?)\"'" else c.sentence + "."
            lines.setdefault(c.line, []).append(" ".join([sentence, *dict.fromkeys(labels)]))
            bullets.setdefault(c.line, c.bullet)
        text = "\n".join(" ".join(p for p in [bullets[n] and "-", *lines[n]] if p) for n in sorted(lines))
        return Grounded(text=text, citations=list(citations.values()), checks=checks)
