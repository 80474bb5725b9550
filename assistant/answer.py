"""Compose short, cited answers from the corpus's own sentences; no language model needed."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from .chunking import Chunk
from .elements import KIND_PLURAL, elements_of_kind, kind_of, title_of
from .retrieve import Hit, Snapshot
from .scope import ScopeSignals
from .text import expanded_terms, terms

MAX_POINTS = 4
_SITE_CUES = frozenset(terms("site sites authority authorities council where example examples"))
_SITE_NAME = re.compile(r"\b(Hampshire|North Yorkshire|Oldham|Rochdale)\b")
_CROSS_REFERENCE = re.compile(r"^See the |(is|are) covered in (a separate|the) document|see the document", re.I)
_ANNOUNCES = re.compile(r"\b(two|three|four|several|these|following)\b[^.]{0,40}\b(sites|examples|ways|points|areas|steps)\b",
                        re.I)
_DANGLING = re.compile(r"^(It|This|That|They|These|Those|Its|Their|He|She)\b")
_DEFINITIONAL = re.compile(
    r"\b(what is|what's|what are|what does|involve|mean|tell me about|explain|describe|definition|overview)\b", re.I)
MAX_WORDS = 170
GAP_HEADING = "What the published material does not yet say"
FRAMEWORK_KINDS = ("approach", "practice", "enabler")


@dataclass
class Citation:
    """A cited passage, one click away from the answer."""

    id: str
    title: str
    heading: str
    passage: str
    source_url: str
    chunk_id: str
    page: int | None = None
    sentences: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How the citation reads in the answer, e.g. `[P3 Mapping information]`."""
        page = f", p. {self.page}" if self.page else ""
        return f"[{self.id} {self.title}{page}]"


@dataclass
class Answer:
    """What every front end shows and the evaluation measures."""

    text: str
    citations: list[Citation]
    refused: bool
    confidence: str
    retrieved_ids: list[str]
    personal_data: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    question: str = ""  # the question as answered: redacted, tidied and cut, never the raw input
    query: str = ""
    index_version: str = ""
    latency_ms: float = 0.0
    scope: dict[str, Any] = field(default_factory=dict)
    passages: list[dict[str, Any]] = field(default_factory=list)
    grounding: list[dict[str, Any]] = field(default_factory=list)  # per sentence of a model's answer: checked how

    @property
    def cited_ids(self) -> list[str]:
        """Cited ids in order, without repeats."""
        return list(dict.fromkeys(c.id for c in self.citations))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        out = asdict(self)
        out["cited_ids"] = self.cited_ids
        return out


def citation_for(chunk: Chunk, sentences: list[str] | None = None) -> Citation:
    """A citation of one chunk."""
    return Citation(id=chunk.doc_id, title=title_of(chunk.doc_id, chunk.title), heading=chunk.heading,
                    passage=chunk.text, source_url=chunk.source_url, chunk_id=chunk.id, page=chunk.page,
                    sentences=list(sentences or []))


def passages_of(hits: list[Hit]) -> list[dict[str, Any]]:
    """The retrieved passages, for reports and the eval."""
    return [{"id": h.doc_id, "chunk_id": h.chunk.id, "heading": h.chunk.heading, "rank": h.rank,
             "score": round(h.score, 4), "dense": round(h.dense, 3), "text": h.chunk.text} for h in hits]


@dataclass
class _Candidate:
    text: str
    chunk: Chunk
    score: float
    vector: np.ndarray
    extra: str = ""
    before: str = ""


class ExtractiveAnswerer:
    """Picks the best-matching sentences of the retrieved chunks and cites each one.

    >>> ExtractiveAnswerer(snapshot).compose(question, vector, hits, focus=("P3",))
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def compose(self, question: str, vector: np.ndarray, hits: list[Hit], focus: tuple[str, ...] = (),
                scope: ScopeSignals | None = None, kind: str | None = None) -> Answer:
        """A direct first sentence and up to four cited supporting points."""
        qterms = set(expanded_terms(question))
        definitional = bool(_DEFINITIONAL.search(question))
        candidates = self._candidates(hits, vector, qterms, focus, definitional, kind)
        if not candidates:
            return decline(hits, scope, "Nothing in the Framework material matches that question closely enough to answer it.")
        chosen: list[_Candidate] = [candidates[0]]
        floor = candidates[0].score - 0.3
        per_chunk: dict[str, int] = {candidates[0].chunk.id: 1}
        for cand in candidates[1:]:
            if len(chosen) > MAX_POINTS or cand.score < floor - (0.15 if len(chosen) < 3 else 0.0):
                break
            if per_chunk.get(cand.chunk.id, 0) >= 2:
                continue
            if any(float(cand.vector @ c.vector) > 0.88 for c in chosen):
                continue
            chosen.append(cand)
            per_chunk[cand.chunk.id] = per_chunk.get(cand.chunk.id, 0) + 1
        chosen = chosen[: MAX_POINTS + 1]
        chosen[0] = self._with_continuation(chosen[0], chosen[1:])
        chosen = [self._with_antecedent(c, chosen) for c in chosen]
        gap = self._gap_sentence(chosen[0].chunk.doc_id, chosen, vector)
        if gap is not None:
            chosen = chosen[:MAX_POINTS] + [gap]
        text, citations = _render(chosen)
        best = candidates[0].score
        strong = best >= 0.55 and (scope is None or scope.coverage >= 0.75)
        return Answer(text=text, citations=citations, refused=False,
                      confidence="strong match" if strong else "partial match",
                      retrieved_ids=list(dict.fromkeys(h.doc_id for h in hits)), passages=passages_of(hits))

    @staticmethod
    def is_definitional(question: str) -> bool:
        """True for 'what is X', 'what does X involve', 'tell me about X'."""
        return bool(_DEFINITIONAL.search(question)) or len(terms(question)) <= 4

    def overview(self, doc_id: str, question: str, vector: np.ndarray, hits: list[Hit],
                 scope: ScopeSignals | None = None) -> Answer | None:
        """What one Approach, Practice or Enabler is, why it matters, an example, and what is not said."""
        plan = (("What it is", 1), ("Why it matters", 1), ("Examples from partner sites", 2), (GAP_HEADING, 1))
        chosen: list[_Candidate] = []
        for heading, take in plan:
            pool = [_Candidate(text=t, chunk=c, score=float(e @ vector) - (0.2 if _DANGLING.match(t) else 0.0), vector=e)
                    for c in self.snapshot.doc_chunks(doc_id) if c.heading.split(" > ")[0] == heading
                    for t, e in self.snapshot.sentences.get(c.id, []) if len(t.split()) >= 4]
            if heading == "What it is" and pool:
                chosen.append(pool[0])  # the sentence that names the element and its layer
                continue
            if heading == "Examples from partner sites":
                picked = pool[:take]  # the labelled lead sentence, then the first example
            else:
                picked = sorted(pool, key=lambda c: -c.score)[:take]
            chosen.extend(c for c in picked if all(float(c.vector @ o.vector) < 0.88 for o in chosen))
        if len(chosen) < 2:
            return None
        text, citations = _render(chosen)
        return Answer(text=text, citations=citations, refused=False, confidence="strong match",
                      retrieved_ids=list(dict.fromkeys(h.doc_id for h in hits)), passages=passages_of(hits))

    def structure(self, kind: str, hits: list[Hit]) -> Answer:
        """Name every element of one layer (or all layers) from the corpus's own map."""
        kinds = FRAMEWORK_KINDS if kind == "framework" else (kind,)
        lines: list[str] = []
        citations: list[Citation] = []
        if kind == "framework":
            lines.append("The Framework has three layers: four Approaches, eight Practices and two sets of System Enablers.")
            fw = self.snapshot.doc_chunks("framework")
            if fw:
                citations.append(citation_for(fw[0]))
                lines[0] += f" {citations[-1].label}"
        for k in kinds:
            ids = [i for i in elements_of_kind(k) if self.snapshot.doc_chunks(i)]
            if kind != "framework":
                lines.append(f"The Framework has {len(ids)} {KIND_PLURAL[k]}:")
            else:
                lines.append(f"{KIND_PLURAL[k]}:")
            for n, doc_id in enumerate(ids, 1):
                first = self.snapshot.doc_chunks(doc_id)[0]
                cite = citation_for(first)
                citations.append(cite)
                lines.append(f"{n}. {title_of(doc_id)} {cite.label}")
        lines.append("Ask about any of them by name or number for what the published material says.")
        return Answer(text="\n".join(lines), citations=citations, refused=False, confidence="strong match",
                      retrieved_ids=list(dict.fromkeys([c.id for c in citations] + [h.doc_id for h in hits])),
                      passages=passages_of(hits))

    def _candidates(self, hits: list[Hit], vector: np.ndarray, qterms: set[str],
                    focus: tuple[str, ...], definitional: bool, kind: str | None = None) -> list[_Candidate]:
        out: list[_Candidate] = []
        n = max(len(hits), 1)
        site_cue = bool(qterms & _SITE_CUES)
        for hit in hits:
            for text, emb in self.snapshot.sentences.get(hit.chunk.id, []):
                if len(text.split()) < 4 or text.endswith(":") or _CROSS_REFERENCE.search(text):
                    continue
                sim = float(emb @ vector)
                sterms = set(terms(text))
                overlap = len(qterms & sterms) / len(qterms) if qterms else 0.0
                score = sim + 0.25 * overlap + 0.06 * (n - hit.rank + 1) / n
                if _DANGLING.match(text):
                    score -= 0.08  # a sentence leaning on the one before reads badly on its own
                if hit.doc_id in focus:
                    score += 0.12
                    if definitional and hit.chunk.position == 0 and kind_of(hit.doc_id) in FRAMEWORK_KINDS:
                        score += 0.1
                if self._is_generic(sterms, hit.chunk) or text in self.snapshot.boilerplate:
                    score -= 0.12
                if kind and (hit.chunk.kind == kind or (kind == "element" and hit.chunk.kind in FRAMEWORK_KINDS)):
                    score += 0.2  # "which practice ...?" is answered by a Practice
                if site_cue and _SITE_NAME.search(text):
                    score += 0.15
                out.append(_Candidate(text=text, chunk=hit.chunk, score=score, vector=emb))
        out.sort(key=lambda c: -c.score)
        return out

    def _with_continuation(self, lead: _Candidate, others: list[_Candidate]) -> _Candidate:
        """Add the next sentence of the same passage when it finishes the lead's thought."""
        texts = [t for t, _ in self.snapshot.sentences.get(lead.chunk.id, [])]
        following_chunk = self.snapshot.by_id.get(f"{lead.chunk.doc_id}#{lead.chunk.position + 1}")
        if following_chunk is not None and following_chunk.heading == lead.chunk.heading:
            texts += [t for t, _ in self.snapshot.sentences.get(following_chunk.id, [])]
        if lead.text not in texts:
            return lead
        at = texts.index(lead.text)
        if at + 1 >= len(texts):
            return lead
        following = texts[at + 1]
        if any(o.text == following for o in others):
            return lead
        if len(following.split()) <= 14 or _DANGLING.match(following) or _ANNOUNCES.search(lead.text):
            return _Candidate(text=lead.text, chunk=lead.chunk, score=lead.score, vector=lead.vector, extra=following)
        return lead

    def _with_antecedent(self, cand: _Candidate, chosen: list[_Candidate]) -> _Candidate:
        """Put back the sentence a "These were..." or "It..." sentence leans on."""
        if not _DANGLING.match(cand.text):
            return cand
        texts = [t for t, _ in self.snapshot.sentences.get(cand.chunk.id, [])]
        at = texts.index(cand.text) if cand.text in texts else 0
        previous = texts[at - 1] if at > 0 else ""
        if not previous or any(previous in (c.text, c.extra) for c in chosen):
            return cand
        return replace(cand, before=previous)

    def _is_generic(self, sterms: set[str], chunk: Chunk) -> bool:
        """A sentence that only restates the title in the corpus's commonest words says little."""
        common = self.snapshot.common_terms
        own = sterms - common - set(terms(chunk.title))
        return len(own) < 0.3 * max(len(sterms), 1)

    def _gap_sentence(self, doc_id: str, chosen: list[_Candidate], vector: np.ndarray) -> _Candidate | None:
        """For an Approach, Practice or Enabler, say what the published material does not cover."""
        if kind_of(doc_id) not in FRAMEWORK_KINDS or any(c.chunk.heading.endswith(GAP_HEADING) for c in chosen):
            return None
        for chunk in self.snapshot.doc_chunks(doc_id):
            if chunk.heading.endswith(GAP_HEADING):
                sents = self.snapshot.sentences.get(chunk.id, [])
                if sents:
                    text, emb = max(sents, key=lambda s: float(s[1] @ vector) - (0.2 if _DANGLING.match(s[0]) else 0))
                    return _Candidate(text=text, chunk=chunk, score=0.0, vector=emb)
        return None


def _render(chosen: list[_Candidate]) -> tuple[str, list[Citation]]:
    citations: dict[str, Citation] = {}
    parts: list[str] = []
    words = 0
    for i, cand in enumerate(chosen):
        cite = citations.get(cand.chunk.id)
        if cite is None:
            cite = citations[cand.chunk.id] = citation_for(cand.chunk)
        cite.sentences.extend(s for s in (cand.before, cand.text, cand.extra) if s)
        sentence = _tidy(f"{cand.before} {cand.text} {cand.extra}".strip())
        words += len(sentence.split())
        if i > 0 and words > MAX_WORDS:
            break
        parts.append(f"{sentence} {cite.label}" if i == 0 else f"- {sentence} {cite.label}")
    return "\n".join(parts), list(citations.values())


def _tidy(sentence: str) -> str:
    sentence = re.sub(r"\s+", " ", sentence.replace("**", "")).strip()
    return sentence if sentence[-1:] in ".!?)\"'" else sentence + "."


HELP_TOPICS = (
    "the four Approaches, the eight Practices and the two sets of System Enablers",
    "what the project means by voice, and the two core principles",
    "the partner sites' projects (Hampshire, North Yorkshire, Oldham, Rochdale)",
    "the key findings, next steps, GenAI in case recording and other learning resources",
)


def decline(hits: list[Hit], scope: ScopeSignals | None, reason: str | None = None) -> Answer:
    """A one-sentence refusal that says what the assistant can help with and cites nothing."""
    text = (reason or "I can only answer questions about the Children's Information Project Framework, "
            "and the material I have does not cover that.") + " I can help with: " + "; ".join(HELP_TOPICS) + "."
    return Answer(text=text, citations=[], refused=True, confidence="no match",
                  retrieved_ids=list(dict.fromkeys(h.doc_id for h in hits)),
                  scope=asdict(scope) if scope else {}, passages=passages_of(hits))
