"""Deciding whether the corpus can answer a question, from several signals at once."""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .text import STOPWORDS, content_words, stem, words


# Social-work law, procedure and inspection: close to the corpus in wording, never its subject.
OFF_TOPIC = frozenset("""
section s17 s20 s31 s47 ofsted inspection inspections inspector court courts legal law laws legislation
lado mash plo pre-proceedings proceedings tribunal ehcp sendist deprivation liberty caseload caseloads salary
pay payslip leave rota timesheet recipe weather football poem joke song capital tomorrow pirate
cin cpp lac pep iro
""".split())
OFF_TOPIC_PHRASES = (
    "child protection", "protection plan", "working together", "strategy discussion", "strategy meeting",
    "children act", "parental responsibility", "care order", "own knowledge", "system prompt",
    "your instructions", "previous instructions", "section 17", "section 20", "section 47",
    "child in need", "core group", "pathway plan", "looked after review",
)
_OFF_TOPIC_STEMS = tuple(" ".join(stem(w) for w in p.split()) for p in OFF_TOPIC_PHRASES)


@dataclass(frozen=True)
class ScopeSignals:
    """The evidence behind an answer-or-decline decision."""

    coverage: float
    unknown_terms: tuple[str, ...]
    dense: float
    bm25: float
    named: tuple[str, ...]
    in_scope: bool
    reason: str


@dataclass(frozen=True)
class ScopeJudge:
    """Combines key-term coverage, dense similarity, BM25 and the element map.

    No single similarity threshold separates loosely phrased real questions from nearby
    social-work topics the Framework does not cover, so terms the corpus never uses weigh
    heavily, and a named element or a strong dense match carries a question over.
    """

    min_coverage: float = 0.7
    min_dense: float = 0.25
    named_min_coverage: float = 0.34
    strong_dense: float = 0.62

    def judge(self, question: str, vocabulary: Counter, dense: float, bm25: float,
              named: tuple[str, ...], n_chunks: int, followup: bool = False) -> ScopeSignals:
        """Weigh a question's terms against the corpus vocabulary and the retrieval scores."""
        qterms = list(dict.fromkeys(content_words(question)))
        stemmed = " ".join(stem(w) for w in words(question))
        qterms += [p.replace(" ", "_") for p in _OFF_TOPIC_STEMS if re.search(rf"\b{p}\b", stemmed)]
        covered_weight = total_weight = 0.0
        unknown: list[str] = []
        for term in qterms:
            # Unknown terms weigh most: they are what a question is about when it strays. A procedure
            # or body the Framework never covers counts as unknown even if one of its words recurs.
            if term in OFF_TOPIC or "_" in term:
                df, weight = 0, 3.0
            else:
                df = vocabulary.get(stem(term), 0)  # typos were corrected before this point
                weight = ((2.0 if len(term) >= 5 or term.isdigit() else 1.0) if not df
                          else 1.0 + math.log(1 + n_chunks / df) / 4)
            total_weight += weight
            if df:
                covered_weight += weight
            else:
                unknown.append(term)
        coverage = covered_weight / total_weight if total_weight else 0.0
        off_topic = any(t in OFF_TOPIC or "_" in t for t in qterms)
        if not qterms:
            ok, why = bool(named), "named element" if named else "no content words"
        elif followup and named and not off_topic and coverage >= self.named_min_coverage:
            ok, why = True, f"follow-up on {', '.join(named)}"
        elif named and coverage >= self.named_min_coverage:
            ok, why = True, f"names {', '.join(named)}"
        elif dense >= self.strong_dense and coverage >= self.named_min_coverage and not off_topic:
            ok, why = True, "strong dense match"
        elif coverage >= self.min_coverage and dense >= self.min_dense:
            ok, why = True, "terms covered"
        else:
            ok, why = False, f"coverage {coverage:.2f}, dense {dense:.2f}"
        return ScopeSignals(coverage=round(coverage, 3), unknown_terms=tuple(unknown), dense=round(dense, 3),
                            bm25=round(bm25, 3), named=named, in_scope=ok, reason=why)


def correct_spelling(text: str, vocabulary: frozenset[str], stems: Counter,
                     english: frozenset[str] = frozenset()) -> str:
    """Replace words the corpus never uses with a corpus word one typo away.

    A real English word ("consent") is not a typo of a corpus word ("content"), so words in
    `english` are left alone, except American spellings of a corpus word ("behaviors").
    """
    def fix(match: "re.Match[str]") -> str:
        word = match.group(0)
        lower = word.lower()
        if lower in vocabulary or lower in STOPWORDS or stem(lower) in stems or lower in OFF_TOPIC:
            return word
        closest = _closest(lower, vocabulary)
        if closest is None or (lower in english and _american(closest) != lower):
            return word
        return closest
    return re.sub(r"[A-Za-z]{4,}", fix, text)


def _american(word: str) -> str:
    """The American spelling of a British word: behaviour -> behavior, organise -> organize."""
    return re.sub(r"our\b|ours\b", lambda m: m.group(0).replace("our", "or"), re.sub(r"is(e|es|ed|ing|ation)\b", r"iz\1", word))


def _closest(term: str, vocabulary: frozenset[str]) -> str | None:
    """A corpus word one typo away, so 'informaton' still counts as covered."""
    if len(term) < 4 or term.isdigit():
        return None
    return _closest_cached(term, vocabulary)


@lru_cache(maxsize=4096)
def _closest_cached(term: str, vocabulary: frozenset[str]) -> str | None:
    candidates = [w for w in vocabulary if abs(len(w) - len(term)) <= 2 and w[0] == term[0]]
    match = difflib.get_close_matches(term, candidates, n=1, cutoff=0.8)
    return match[0] if match else None
