"""Score the retrieved passages' sentences by what the question asks: several soft signals, never a hard filter."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .chunking import Chunk
from .retrieve import Hit, Snapshot, is_item_marker
from .elements import kind_of, title_of
from .text import MONEY, ORDINAL_WORDS, RELATED, head_of, stem, terms, words
from .understand import DEFINITION, EXACT, Question

MEASURES = ("money", "duration", "share")  # what a number question may ask for other than a count of things
TYPES = ("date", "number", "person", "site", "reason", "howto", "comparison", "list")
LEANT_ON = 1.0  # a question's word in the sentence a "This ..." / "Its ..." sentence leans on counts this much (0.5: 4 more
# tuning passes and 2 more leads; 0.75: 5 and 7; 1.0: 5 and 11)
TYPED = frozenset({"date", "number", "person", "site", "definition"})  # one kind of fact asked for
GAP_HEADING = "What the published material does not yet say"
FRAMEWORK_KINDS = ("approach", "practice", "enabler")
DANGLING = re.compile(r"^(It|This|That|They|These|Those|Its|Their|He|She|His|Her|However|But|So|Yet|Also|Both|Such|"
                      r"On (?:that|this) account|The (?:first|second|former|latter|other)|(?:Among|Of) (?:them|these|those)|"
                      r"What (?:it|they|this|that) (?:does|do) (?:say|give))\b")
_TITLES = r"\b(Professor|Dr|Drs|Sir|Dame)\b"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Soft evidence that a sentence is of the kind the question expects.
TYPE_EVIDENCE: dict[str, re.Pattern[str]] = {
    "date": re.compile(rf"\b(19|20)\d\d\b|\b({_MONTHS})\b"),
    "number": re.compile(r"\d|%|£|\b(two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|million|dozen)\b", re.I),
    "money": MONEY,
    "share": re.compile(r"\d\s*%|\bper ?cent\b|\b(?:one|two|three|four|five|six|seven|eight|nine) in (?:two|three|four|five|six|ten)\b", re.I),
    "duration": re.compile(r"\b(years?|months?|weeks?|decades?)\b|\b\w+-year\b|\b(19|20)\d\d\s*(-|–|to)\s*(19|20)?\d\d\b", re.I),
    "person": re.compile(rf"{_TITLES}|(?<!^)\b[A-Z][a-z]+ [A-Z][a-z']+\b"),
    "reason": re.compile(r"\b(because|so that|in order to|matters?|helps?|reasons?|aims?|purposes?|trust|leads? to|wants? to|hopes? to|seeks? to|so)\b", re.I),
    "howto": re.compile(r"\b(by|through|start|begin|steps?|ask|asking|work(ing)? with|bring|set out|map|record)\b", re.I),
    "comparison": re.compile(r"\b(while|whereas|both|unlike|differs?|different|by contrast)\b", re.I),
    # names three or more things in a row: "four local authorities: Hampshire, North Yorkshire, Oldham and Rochdale"
    "list": re.compile(r"(?:\b[A-Z][\w'-]*(?: [A-Z][\w'-]*)*, ){2,}(?:[A-Z][\w'-]*(?: [A-Z][\w'-]*)*,? )?(?:and|or) [A-Z]"),
}
# A remark about the sources rather than about the Framework: kept in passages, led with only on request.
_META = re.compile(r"\b(could (not )?be (found|read)|only the first|first words survive|pages we were able|we do not have|"
                   r"not available to us|were able to read|the sources? (do|does) not|cut off|breaks off)\b", re.I)
# A statement of what the material does not say ("It does not report what families said ...").
_SILENCE = re.compile(r"\b(?:does|do|did) not (?:yet )?(?:name|say|give|report|describe|explain|list|set out|state|"
                      r"show|include|cover|define|publish|mention|offer)\b|\b(?:gives?|contains?|offers?|includes?) no\b|\bwe do not have\b", re.I)
# Wording that gives a reason or a goal outright.
_STRONG_REASON = re.compile(r"\b(because|so that|in order to|so as to|the (?:aim|goal|point|purpose|idea) (?:is|was)|"
                            r"(?:is|are|was|were) meant to|purposes?|after|so|since|due to|as a result of)\b", re.I)
# How two things differ or relate, as what the material does not explain: "does not explain how the two differ"
_HOW_THEY_DIFFER = re.compile(r"\b(?:how|whether|where) (?:the two|they|these|both)\b[^.;]{0,30}\b(?:differ|relate|compare|overlap)", re.I)
# A pointer to another section, not an answer: "See the ...", "Voice: see 'What the project means by voice'".
_CROSS_REFERENCE = re.compile(r"^(?:[^:]{1,40}:[*\s]*)?See\b|(is|are) covered in (a separate|the) document|see the document",
                              re.I)


class SentenceFacts(NamedTuple):
    """What a sentence's own text says about it, whatever the question: worked out once per process."""

    terms: frozenset[str]
    skip: bool  # too short, a lead-in ending in ':', or a pointer elsewhere: never a candidate
    dangling: bool
    bold: bool
    length: float
    meta: bool
    silence: bool
    kin: dict[str, tuple[str, ...]]  # `kin_index` of the terms


@lru_cache(maxsize=1 << 16)
def sentence_facts(text: str) -> SentenceFacts:
    """The question-free features of one sentence (the corpus's sentences are scored again for every question)."""
    own = frozenset(terms(text))
    return SentenceFacts(terms=own,
                         skip=len(text.split()) < 4 or text.endswith(":") or is_cross_reference(text),
                         dangling=bool(DANGLING.match(text)),
                         bold=text.lstrip("- ").startswith("**"),
                         length=min(len(text.split()), 30) / 30,
                         meta=is_meta(text),
                         silence=says_silence(text),
                         kin=kin_index(own))


def says_which(layer: str, text: str) -> bool:
    """The text speaks of "which <layer>" ("it does not say which Approach it supports"); False for no layer."""
    return bool(layer) and re.search(rf"\bwhich (?:{layer})", text, re.I) is not None


def names_as_missing(text: str, term: str, about: set[str]) -> bool:
    """The term is among what a "does not give ..." clause says is missing, anywhere in that clause, with a word of
    what it is about (`about`).

    >>> names_as_missing("It does not give the date, the poll results, or any guidance on GenAI.", "guidanc", {"genai"})
    True
    >>> names_as_missing("It does not give the date. The guidance on GenAI is clear.", "guidanc", {"genai"})
    False
    """
    return any(term in (said := set(terms(m.group(1)))) and said & about for m in _MISSING_CLAUSE.finditer(text))


# "is there an official definition of X?" is answered by "... does not give the official description of X"
_SAME_LACK = {DEFINITION: tuple(terms("definition description")), EXACT: tuple(terms("exact word"))}
# "... does not describe Mapping systems in its own words": the verb is what is missing, and the clause after it says
# of what (`_MISSING_CLAUSE` looks for the missing thing itself in that clause)
_UNDESCRIBED = re.compile(r"\bnot (?:define|describe)\b([^.;:]*)", re.I)
_MISSING_CLAUSE = re.compile(r"\b(?:no|not (?:give|name|list|describe|offer|set out|include|report|say|provide|have))\b([^.;:]*)",
                             re.I)


def _says_what_is_asked_is_unsaid(question: Question, text: str, silence: bool) -> bool:
    """The sentence says the material does not give what the question asks: anything, for a question about gaps;
    which Approach, for "which approach does practice six sit under?"; how two things differ, for "how is mapping
    information different from mapping systems?". (`silence`: `says_silence(text)`, worked out once per sentence.)"""
    if not silence:
        return False
    # what the question is about: its own words, or what a follow-up points at ("is the 2nd one defined anywhere?")
    about = {t for t, w in question.focus if w} | ({t for i in question.elements for t in terms(title_of(i))}
                                                   if question.followup else set())
    return (question.about_gaps
            or says_which(question.pairing, text)
            # "Does CIP have guidance on whether ...?" -> "... does not give ..., or any guidance or policy from the project"
            # (and of what the question is about: "is there an actual definition [of governance]?" is not answered by
            # "it gives no definition of behaviours and culture")
            or (bool(question.lacking) and any(names_as_missing(text, lacking, about - {lacking})
                                               for lacking in _SAME_LACK.get(question.lacking, (question.lacking,))))
            # "is there a definition of mapping systems?" -> "... does not describe Mapping systems in its own words"
            or (question.lacking == DEFINITION and any(set(terms(m.group(1))) & about for m in _UNDESCRIBED.finditer(text)))
            or (question.answer_type == "comparison" and bool(_HOW_THEY_DIFFER.search(text))))


def _no_fact_of_the_kind(question: Question, text: str, silence: bool, sterms: frozenset[str], share: float) -> bool:
    """The sentence says the material gives no fact of the kind asked (a date, a number, a person) for a thing the
    question names: "when's the conference?" and "... gives no dates for ... the closing conference". (`share`:
    `AnswerWeights.unsaid_share`.)"""
    kind = _UNSAID_KIND.get(question.answer_type)
    if not (silence and kind is not None and kind.search(text)):
        return False
    # (most of what the question names: "when did the project start?" is not answered by "... does not say exactly when
    # the full report was published ... in the project document")
    total = sum(w for _, w in question.focus)
    return total > 0 and sum(w for t, w in question.focus if t in sterms) >= share * total


# A sentence saying the material gives no fact of the kind asked: a date ("gives no dates for", "does not say exactly
# when", "no timeline"), a number or sum, a person
_UNSAID_KIND = {
    "date": re.compile(r"\bno (?:dates?|timeline|timetable)\b|\b(?:say|says|state|states|give|gives)(?: exactly)? when\b", re.I),
    "number": re.compile(r"\bno (?:figures?|numbers?|sums?|amounts?|counts?)\b|\b(?:say|says|give|gives) how (?:many|much)\b", re.I),
    "person": re.compile(r"\b(?:say|says|name|names) who\b|\bno names?\b", re.I),
}


def is_cross_reference(text: str) -> bool:
    """A pointer to another section ("Voice: see 'What the project means by voice'"), never an answer point."""
    return bool(_CROSS_REFERENCE.search(text))


@dataclass(frozen=True)
class AnswerWeights:
    """Every weight of sentence selection, set on the tuning sets only (evals/framework.yaml and evals/dev.yaml to
    evals/dev7.yaml), never on evals/holdout.yaml (nor evals/dev8.yaml, kept unread as a check in stop 23).

    The scored weights from `focus` to `gap` are fitted by `benchmarks/fit_answer_weights.py`: a pairwise logistic
    fit (each answering sentence against the best-scored others of its question), signs kept (a penalty only counts
    against a sentence). First fitted on 2026-12-03 on five sets (dev5's lead, written fresh and not fitted on, rose
    from 0.406 to 0.521); refitted on the eight tuning sets in stop 23 when `soft` (soft word matching) was added:
    fitted on seven sets and scored on the one left out, the top sentence carried an expected mention more often
    on seven of the eight and less often on none. The rule weights (`KEPT` in the script: `item`, `subject`,
    `relation`, `unsaid`, `layer`, `element`, `elsewhere`) and the margins are set by hand.
    """

    similarity: float = 1.0  # cosine of sentence and query embeddings: the base signal (fixed, the scale)
    focus: float = 1.382  # share of the question's own terms, weighted by rarity, that the sentence uses
    subject: float = 0.7  # a definition question's subject leads the sentence ("X: ...", "**X**", "X is")
    subject_in: float = 0.212  # ... or at least appears in it
    relation: float = 0.8  # the verb of a "who" question ("who funded ...?") is in the sentence
    item: float = 2.0  # "and the fourth?": the fourth item of a numbered list ("4. ...")
    type_date: float = 0.475  # a date for "when"
    type_number: float = 0.652  # a number for "how many"
    type_person: float = 0.546  # a person the index names for "who" (another proper name counts half)
    type_site: float = 1.099  # a partner site for "which council" or "where"
    type_reason: float = 0.486  # "because", "so that", "helps" for "why"
    reason_similarity: float = 0.5  # reason evidence counts in full at this similarity to the question, less below
    # it: scaling every type's evidence so lost 13 date, number and person leads (short facts embed far from questions)
    strong_reason: float = 1.0  # ... counted this much more when the sentence gives the reason outright ("so that",
    # "the goal is"): 1.0 doubles it; 2.0 gained one lead and lost two passes on the tuning sets
    type_howto: float = 0.186  # a method verb for "how do we"
    type_comparison: float = 0.237  # "whereas", "unlike" for a comparison
    type_list: float = 0.6  # three or more names in a row for "what are the ...?" (set by hand)
    novel: float = 0.23  # share of the sentence's words that the question does not already hold: it adds a fact
    soft: float = 1.361  # the question's word pieces meet the sentence's and its heading's (softmatch.py)
    passage: float = 0.371  # the dense similarity of the sentence's whole passage to the query
    length: float = 0.227  # longer sentences (up to 30 words) carry more than labels and fragments
    heading_first: float = 0.0  # the first sentence under a heading says what the section is about
    bold: float = 0.0  # a bold term introduces a definition or list item
    rank: float = 0.878  # the passage's retrieval rank, best first
    element: float = 0.3  # the sentence's document is what the question is about
    layer: float = 0.4  # "which practice ...?" is answered by a Practice
    dangling: float = 0.0  # leans on the sentence before it
    generic: float = 0.16  # restates the title in the corpus's commonest words
    boilerplate: float = 0.0  # said near word for word in three or more documents
    meta: float = 0.0  # a remark about the sources, not about the Framework
    gap: float = 0.049  # a "not covered" sentence, unless the question asks what is missing
    elsewhere: float = 1.0  # the question names an Approach, Practice or Enabler and the sentence says what
    # another one's material does not say ("any pitfalls for mapping information?" is not answered by P8's silence)
    # a follow-up: the sentence led the answer it follows ("so what are they doing about it?") (set by hand)
    repeated: float = 0.5
    unsaid: float = 0.6  # "what don't they tell us?": a sentence saying what the material does not say
    # "when's the conference?": a sentence saying the material gives no date (number, name) for what the question
    # names holds this share of the question's focus weight at least (set by hand in stop 48)
    unsaid_share: float = 0.35
    # the element weight of an Approach, Practice or Enabler named only by an alias, beside a report document the
    # question names (set by hand in stop 48: 0.5 gained one pass on the tuning sets, 0 two)
    alias_only: float = 0.0
    layer_margin: float = 0.6  # "which practice?": a sentence of that layer leads if it scores within this of the best
    item_margin: float = 1.0  # "key finding 7": the sentence giving item 7 (or the run of items holding it) leads if within this of the best
    typed_margin: float = 0.8  # "when"/"how many"/"who": a sentence holding that kind of fact leads if within this of the best
    list_intro_margin: float = 1.1  # "the two principles - what are they?": the sentence introducing a list of them, in
    # the lead's document and using as much of the question's words, leads if within this of the best (set by hand)
    generic_margin: float = 0.3  # a definition question: a sentence saying something leads over one naming the element, within this
    definer_margin: float = 1.5  # "what is meant by X?": the sentence defining exactly X leads if it scores within this of the best
    gap_margin: float = 0.05  # a "not covered" sentence this close to the lead's similarity closes the answer
    silence_fit: float = 0.2  # a "does not say" sentence holding this share of the question's unanswered terms closes it
    silence_kind: float = 0.2  # ... plus this when it says the kind of answer asked for is missing ("no method")
    silence_lead: float = 0.35  # ... and leads the answer when it holds this share
    silence_echo: float = 0.35  # ... plus this when it asks the question's own "which X" / "what ... X" of the same thing
    parallel_margin: float = 1.0  # comparing two sites: the second side's sentence most like the first side's, from
    # those scoring within this of that side's best
    neighbour_margin: float = 1.0  # a sentence next to the lead in its passage, among the NEIGHBOUR_REACH best
    # others and scoring within this of the lead, is read with it as one sentence (within JOIN_WORDS)
    distinct: float = 0.85  # two sentences this similar say the same thing: keep one
    support_margin: float = 2.0  # a supporting point scores within this of the lead (rewordings and sentences
    # leaning on another passage stay out)
    # ... or within this, when it holds the kind of fact the question asks for (a person for "who", a date for "when")
    # (stop 55: 2.5 for every point gained 7 passes on the 5103 tuning cases but padded short answers: "who pays for
    # the project?" gained the project's aims)
    typed_support_margin: float = 2.5
    close_margin: float = 0.7  # ... and beyond this, only from the lead's document and using some of the question's words


@dataclass
class Candidate:
    """One sentence of a retrieved passage, with its score."""

    text: str
    chunk: Chunk
    score: float
    vector: np.ndarray
    index: int  # position of the sentence in its passage
    rank: int  # retrieval rank of its passage
    before: str = ""
    extra: str = ""
    leans: bool = False  # `before` is the passage's sentence that this one leans on ("It ...", "These ...")
    features: dict[str, float] = field(default_factory=dict)


def is_gap(chunk: Chunk) -> bool:
    """The passage that says what the published material does not cover."""
    return chunk.heading.endswith(GAP_HEADING)


def says_silence(text: str) -> bool:
    """A sentence saying what the published material does not say, wherever it stands."""
    return bool(_SILENCE.search(text))


def is_meta(text: str) -> bool:
    """A remark about which sources could be read (an editors' illustration caveat is not one)."""
    return bool(_META.search(text)) and "illustration" not in text.lower()


# "X is the third of the Framework's eight Practices": a sentence giving an element's place in a list
_PLACE = re.compile(rf"\bis the (?:{ORDINAL_WORDS})(?: and last)? of\b", re.I)
# "North Yorkshire is one of the four partner local authorities ...": a member, said so
_ONE_OF = re.compile(r"\b(?:is|was|are|were) (?:one|part) of the\b", re.I)
# An ordinal and the noun it counts: "first step", "second idea"
_ORDINAL_NOUN = re.compile(rf"\b(?:{ORDINAL_WORDS}) [a-z]+\b", re.I)


class SentenceScorer:
    """Ranks candidate sentences for one question.

    >>> SentenceScorer(snapshot).rank(question, vector, hits)[0].text
    """

    def __init__(self, snapshot: Snapshot, weights: AnswerWeights = AnswerWeights()) -> None:
        self.snapshot = snapshot
        self.w = weights
        # each weight with its sign (a penalty counts against a sentence), looked up once, not once per sentence
        self._signed = {f.name: getattr(weights, f.name) * (-1 if f.name in PENALTIES else 1) for f in fields(weights)}
        # The partner sites' short labels, from the index (report documents with a site- id).
        self.site_names = tuple(dict.fromkeys(c.citation_label for c in snapshot.chunks if c.doc_id.startswith("site-")))

    def rank(self, question: Question, vector: np.ndarray, hits: list[Hit]) -> list[Candidate]:
        """Every usable sentence of the hits, best first."""
        out: list[Candidate] = []
        n = max(len(hits), 1)
        focus = dict(question.focus)
        total = sum(focus.values()) or 1.0
        asked = set(focus) | {t for i in question.elements for t in terms(title_of(i))}
        relation = {question.relation} | RELATED.get(question.relation, set()) if question.relation else set()
        named = any(kind_of(i) in FRAMEWORK_KINDS for i in question.elements)
        pieces = self.snapshot.pieces
        asked_pieces = pieces.prepare(pieces.pieces.ids(question.query))
        # A quoted term the passages use word for word is that term, not another with the same content words:
        # "what is 'Voice AS Information'?" is not defined by "Voice within information: ...".
        phrase = question.phrase if question.phrase and any(_has_phrase(h.chunk.text, question.phrase) for h in hits) else ""
        lists = _lists_asked(question, hits, self.snapshot) if question.item else None
        # "the first one" in a follow-up may be a bullet of the conversation's own list; "the first round" is not
        # ("what was their second idea?" too, unless a passage names that very thing: "the first step was ...")
        named_item = _ORDINAL_NOUN.search(question.words) if not question.bare_ordinal else None
        bullets = bool(question.item and question.followup) and not (named_item and any(
            named_item.group(0).lower() in h.chunk.text.lower() for h in hits))
        reports = any(kind_of(i) not in FRAMEWORK_KINDS for i in question.elements)
        outright = any(kind_of(i) in FRAMEWORK_KINDS for i in question.named_outright)
        alias_only = set(question.aliased) if (reports or outright) and not question.followup else set()
        for hit in hits:
            sentences = self.snapshot.sentences.get(hit.chunk.id, [])
            soft = pieces.scores(asked_pieces, hit.chunk.id)
            # a report document the question names is what each of its sentences is about: the name's words go without
            # saying there ("In the Bright Spots survey, close to 40% ..." in North Yorkshire's own document; an
            # Approach's, Practice's or Enabler's title is what tells its defining sentences from the rest)
            implied = frozenset(terms(f"{hit.chunk.citation_label} {hit.chunk.title}")) \
                if hit.doc_id in question.elements and hit.chunk.kind not in FRAMEWORK_KINDS else frozenset()
            listed = self.snapshot.bullets_of(hit.chunk) if bullets and hit.doc_id in question.elements else []
            for i, (text, emb) in enumerate(sentences):
                facts = sentence_facts(text)
                if facts.skip:
                    continue
                sterms = facts.terms
                similarity = float(emb @ vector)
                near = similarity
                if i > 0 and facts.dangling:
                    near = max(near, float(sentences[i - 1][1] @ vector))
                evidence = max(self.type_evidence(question.answer_type, text, question.measure),
                               # (saying there is no such fact answers too: "... gives no dates for the closing conference")
                               float(_no_fact_of_the_kind(question, text, facts.silence, facts.terms, self.w.unsaid_share)),
                               heading_evidence(question.answer_type, hit.chunk.heading),
                               # "which council ...?": a site's own sentence names it once the answer says whose it is
                               float(question.answer_type == "site" and hit.chunk.citation_label in self.site_names),
                               # ... and so does a sentence of a list item a site's name heads ("- **North Yorkshire:**
                               # a survey found ... Here, what young people said is leading to action.")
                               float(question.answer_type == "site"
                                     and item_label(hit.chunk.text, text) in self.site_names))
                # ("Its DfE returns often record ...": a sentence leaning on the one before it is about what that one
                # names, and comes with it) (without the corpus's commonest words: 5 passes and 2 leads fewer)
                before = sentence_facts(sentences[i - 1][0]).terms if i > 0 and facts.dangling else frozenset()
                f = {
                    "similarity": similarity,
                    "focus": sum(wt if t in sterms or t in implied or _kin_in(t, facts.kin)
                                 else LEANT_ON * wt if t in before else 0.0 for t, wt in focus.items()) / total,
                    # "is X one of the practices?": the sentence giving X's place in the Framework defines it for that question
                    "subject": (1.0 if question.membership and (_PLACE.search(text) or _ONE_OF.search(text))
                                else self._subject(text, question, hit.chunk, phrase)),
                    "subject_in": float(bool(question.subject) and set(question.subject) <= sterms),
                    # (the verb with a named doer before it counts half again: "The Nuffield Foundation funds the
                    # project" answers "who pays?" better than "the 2021 funding announcement")
                    "relation": (1.0 + 0.5 * _done_by_a_name(text, relation)) if relation & sterms else 0.0,
                    # asked directly ("the seventh key finding"), of the list of the document the question names
                    # (of the list the conversation asked for, when a document has two: "the 10 key findings")
                    # (an item of the other list counts below a run of the asked list's items: "the fourth key
                    # message" is in "Messages 3 to 10 could not be read", not in the fourth key finding)
                    # (an unnumbered list's bullet counts in the document the conversation is about)
                    # ("why did they move away from the first one?" asks for a reason, which the item does not give)
                    "item": (max(_is_item(sentences, i, question.item),
                                 _bullet_item(listed, text, question.item) if listed else 0.0)
                             * (1.0 if lists is None or hit.chunk.heading in lists else 0.25)
                             if question.item and question.answer_type != "reason"
                             and (question.followup or not question.elements or hit.doc_id in question.elements)
                             else 0.0),
                    # (a reason in full only in a sentence near the question, or leaning on one ("It is meant to
                    # ..."): a "so" elsewhere gives no reason for it)
                    **{f"type_{t}": float(evidence) * (min(1.0, max(0.0, near) / self.w.reason_similarity)
                                                       if t == "reason" else 1.0)
                       if t == question.answer_type else 0.0 for t in TYPES},
                    "soft": soft[i],
                    "novel": len(sterms - asked - self.snapshot.common_terms) / max(len(sterms), 1),
                    "passage": hit.dense,
                    "length": facts.length,
                    "heading_first": float(i == 0),
                    "bold": float(facts.bold),
                    "rank": (n - hit.rank + 1) / n,
                    # (an Approach, Practice or Enabler named only by an alias does not count beside a report document the
                    # question names: "why did north yorkshire think their DfE returns weren't telling the full story?"
                    # asks about North Yorkshire, not Practice 8)
                    "element": (self.w.alias_only if hit.doc_id in alias_only else 1.0) if hit.doc_id in question.elements else 0.0,
                    "layer": float(layer_matches(hit.chunk.kind, question.layer)),
                    "dangling": float(facts.dangling),
                    "generic": float(self._is_generic(sterms, hit.chunk) and not question.membership),
                    "boilerplate": float(text in self.snapshot.boilerplate),
                    "meta": float(facts.meta and not question.about_gaps),
                    "gap": float(is_gap(hit.chunk) and not question.about_gaps),
                    "unsaid": float(_says_what_is_asked_is_unsaid(question, text, facts.silence)),
                    # (a follow-up does not ask again for what the answer it follows led with, unless it holds a word
                    # the follow-up asks with, "what did she talk about?", the follow-up picks an item of a list, or it
                    # asks for one kind of fact the lead may have held: "when was it on?", "who opened it?")
                    "repeated": float(bool(question.said) and text.rstrip(".!?") in question.said and not question.item
                                      and question.answer_type not in TYPED
                                      and not any(t in sterms for t in focus)),
                    "elsewhere": float(named and hit.chunk.kind in FRAMEWORK_KINDS and hit.doc_id not in question.elements
                                       and facts.silence),
                }
                score = sum(self._signed[k] * v for k, v in f.items())
                out.append(Candidate(text=text, chunk=hit.chunk, score=score, vector=emb, index=i, rank=hit.rank,
                                     features=f))
        out.sort(key=lambda c: -c.score)
        return out

    def has_type_evidence(self, question: Question, text: str) -> bool:
        """Whether the sentence is of the kind the question expects (a date for "when", a reason for "why")."""
        return self.type_evidence(question.answer_type, text, question.measure) > 0

    def type_evidence(self, answer_type: str, text: str, measure: str = "") -> float:
        """Soft evidence that the sentence is of the kind the question (or a part of it) expects (1 strong, 0.5
        weaker)."""
        if answer_type == "site":
            return float(any(name in text for name in self.site_names))
        if answer_type == "list" and sum(name in text for name in self.site_names) >= 3:
            return 1.0  # "Hampshire works on ...; North Yorkshire on ...; Oldham on ...; Rochdale on ..."
        if answer_type == "person":
            # A person the index names, or a title, is a "who" answer; another proper name (a body) half of one.
            if _TITLE.search(text) or any(name in text for name in self.snapshot.people) or _BODY.search(text) \
                    or sum(bool(_NAME_IN_PART.search(part)) for part in text.split(";")) >= NAMED_PARTS:
                # (a named body answers "which universities ...?", "who pays?": "the Nuffield Foundation"; so does a
                # list of names, one to a part: "Rochdale works with: the Local Government Association, ...; the
                # Innovation Unit, ...; Dingley's Promise, ...")
                return 1.0
            # (so are the groups of people a "who did they speak to?" asks about: "The staff came from midwifery ...")
            return 0.5 if TYPE_EVIDENCE["person"].search(text) or _PEOPLE.search(text) else 0.0
        if answer_type == "reason" and _STRONG_REASON.search(text):
            return 1.0 + self.w.strong_reason  # "so that", "the goal is", "because": the reason itself, not a word near one
        rx = TYPE_EVIDENCE.get(measure if answer_type == "number" and measure in MEASURES else answer_type)
        if answer_type == "number" and measure not in MEASURES:
            text = _NOT_A_COUNT.sub(" ", text)  # "Practice 7", "the seventh of eight", a year: not what "how many" asks
        return float(bool(rx and rx.search(text)))

    def _subject(self, text: str, question: Question, chunk: Chunk, phrase: str) -> float:
        """A definition's subject leads the sentence; when the question quotes a term the passages use (`phrase`),
        only a sentence using it word for word counts, and at least half."""
        if not phrase:
            return self._defines(text, question, chunk)
        return max(0.5, self._defines(text, question, chunk)) if _has_phrase(text, phrase) else 0.0

    def _defines(self, text: str, question: Question, chunk: Chunk) -> float:
        """`_leads_with_subject`, or less for a sentence opening by spelling out the initials asked about ("The
        Lambeth Early Action Partnership (LEAP) passed on ..." says what LEAP stands for)."""
        led = self._leads_with_subject(text, question, chunk, self.snapshot.common_terms)
        if led < SPELT_OUT and question.answer_type == "definition" and _spells_out(text, set(question.subject)):
            return SPELT_OUT
        return led

    @staticmethod
    def _leads_with_subject(text: str, question: Question, chunk: Chunk, common: frozenset[str] = frozenset()) -> float:
        """'X: ...', '**X** ...', 'X means ...', 'X is ...' with the question's subject (or element) as X.

        The corpus's commonest words in the subject may go unsaid in X: "information use being effective" is defined by
        "**Effective:** ..." (`common`)."""
        wanted = set(question.subject)
        if wanted and question.answer_type in ("other", "howto", "person") and (opening := _THE_NOUN_WERE.match(text)) \
                and set(terms(opening.group(1))) <= wanted:
            return 1.0  # "what benefits did the webinar name?": "The benefits named were ..."
        if wanted and question.answer_type == "definition" and _glossed(text, wanted):
            return 1.0  # "... its data architecture (how its data is organised) ..." says what it means
        if wanted and question.answer_type == "definition" and _quotes(text, wanted):
            return 1.0  # 'The University of Sussex team uses "voice" as a broad metaphor' speaks of the word itself
        labelled = _DEFINITION_LABEL.search(text)
        if wanted and question.answer_type == "definition" and labelled \
                and wanted <= set(terms(" ".join(text[labelled.end():].split()[:6]))):
            return 1.0  # "The webinar's working definition: generative AI (GenAI) is ..." defines generative AI
        head = head_of(text)
        if head is None:
            return False
        if not wanted and question.answer_type in ("definition", "overview") and chunk.doc_id in question.elements \
                and not question.item:  # "and the third?" of the key findings asks for the item, not the document
            wanted = set(terms(chunk.title))
        acronym = _ACRONYM_HEAD.match(head.strip())
        if acronym and "".join(w[0] for w in acronym.group(1).split()).lower() == acronym.group(2).lower() in wanted:
            return 1.0  # "Information Use Project (IUP): ..." defines IUP
        head_terms = set(terms(head))
        if not wanted or not wanted <= head_terms | set(terms(text.split(".")[0])) or not wanted & head_terms:
            return 0.0
        # "**Ethical:** ..." defines ethical; "Rochdale's Information Use Project (IUP) is ..." is about Rochdale.
        # (only a term's own label, "**Effective:**", not "Oldham is one of the four partner local authorities")
        core = wanted - common if text.lstrip().startswith("**") or text.lstrip().startswith(f"{head.strip()}:") else set()
        fit = len(core & head_terms) / len(head_terms | core) if core and core <= head_terms else 0.0
        return max(fit, len(wanted & head_terms) / len(head_terms | wanted))

    def _is_generic(self, sterms: set[str], chunk: Chunk) -> bool:
        own = sterms - self.snapshot.common_terms - set(terms(chunk.title))
        return len(own) < 0.3 * max(len(sterms), 1)


_NOT_A_COUNT = re.compile(r"\b(?:(?:Practices?|Approach(?:es)?|Enabler set|sets?|[PAE])\s*\d\b|(?:19|20)\d\d\b|"
                         r"(?:two|four|eight) (?:core principles|principles|Approaches|Practices|sets of System Enablers)\b|"
                         rf"\d{{1,2}} (?:{_MONTHS}))", re.I)
_TITLE = re.compile(_TITLES)
_NAME_IN_PART = re.compile(r"(?<=\s)[A-Z][\w'’]+ [A-Z][\w'’]+")  # two capitalised words, not opening the part
NAMED_PARTS = 3  # a sentence naming someone in this many of its ';' parts is a list of who (the timeline's two are not)
_PEOPLE = re.compile(r"\b(?:staff|practitioners|professionals|leaders|managers|advisers|workers|officers|attendees|"
                     r"participants|supervisors)\b", re.I)
_BODY = re.compile(r"\bUniversit(?:y|ies) of [A-Z]|\b[A-Z][a-z]+ (?:Foundation|University|Bureau|Centre|School)\b")
_THE_NOUN_WERE = re.compile(r"\W*(?:The|Its|Their) ([a-z]+)(?: (?:named|given|listed|used|mentioned))? "
                            r"(?:were|are|included|include|came from|were drawn from)\b")


def group_spelt_out(text: str) -> str | None:
    """The group of people a sentence says who was in ("The staff came from midwifery, ...": "staff"), or None."""
    opening = _THE_NOUN_WERE.match(text)
    return opening.group(1) if opening and _PEOPLE.fullmatch(opening.group(1)) else None


_DEFINITION_LABEL = re.compile(r"\b(?:definition|defined as|definition of [^:.]{1,40}):[*\s]*", re.I)
_ACRONYM_HEAD = re.compile(r"^\**([A-Za-z][\w' ]+?)\s*\(([A-Z]{2,6})\)\**$")
PENALTIES = frozenset({"dangling", "generic", "boilerplate", "meta", "gap", "elsewhere", "repeated"})


# A section whose heading asks the same question: "Why it matters" answers "why", "Who runs ..." answers "who".
TYPE_HEADING: dict[str, re.Pattern[str]] = {
    "reason": re.compile(r"(^|> )Why\b|\bmatters\b", re.I),
    "date": re.compile(r"(^|> )When\b|\btimeline\b", re.I),
    "howto": re.compile(r"(^|> )How\b(?! it connects)|\bmethods?\b", re.I),
}


def _glossed(text: str, wanted: set[str]) -> bool:
    """The term is followed by a gloss in brackets: "data architecture (how its data is organised)"."""
    return any(wanted <= glossed for glossed in _glosses(text))


@lru_cache(maxsize=1 << 16)
def _glosses(text: str) -> tuple[frozenset[str], ...]:
    """The terms of each run of words a bracketed gloss follows, once per sentence."""
    return tuple(frozenset(terms(m.group(1)))
                 for m in re.finditer(r"((?:[\w'-]+\s+){0,3}[\w'-]+)\s+\((?!editors)[a-z][^)]{3,80}\)", text))


# "The Lambeth Early Action Partnership (LEAP) ...": a sentence opening with a capitalised name and its initials in
# brackets (not "Every partner site carried out its own Information Use Project (IUP), ...", which is about the sites)
SPELT_OUT = 0.75  # the subject evidence of a sentence spelling out the initials asked about (set by hand)
_SPELT_OUT = re.compile(r"\W*(?:The\s+)?((?:[A-Z][\w'-]*\s+(?:(?:of|for|and|the|in|on)\s+)?){2,7})\(([A-Z]{2,8})\)")


def _spells_out(text: str, wanted: set[str]) -> bool:
    """The sentence spells out the initials asked about: "The Lambeth Early Action Partnership (LEAP) ..." for LEAP.

    >>> _spells_out("The Lambeth Early Action Partnership (LEAP) passed on its learning.", {"leap"})
    True
    >>> _spells_out("LEAP says it reached 15,374 families.", {"leap"})
    False
    >>> _spells_out("Every partner site carried out its own Information Use Project (IUP).", {"iup"})
    False
    >>> _spells_out("Hampshire's Information Use Project (IUP) looks at Early Help.", {"iup"})
    False
    """
    m = _SPELT_OUT.match(text)
    if m is None:
        return False
    initials = "".join(w[0] for w in m.group(1).split() if w[0].isupper())
    return wanted == {stem(m.group(2).lower())} and initials.lower() == m.group(2).lower()


def _quotes(text: str, wanted: set[str]) -> bool:
    """The term stands in quotation marks on its own: 'uses "voice" as a broad metaphor'."""
    return any(set(terms(m.group(1))) == wanted for m in re.finditer(r'["“]([^"”]{2,60})["”]', text))


def _has_phrase(text: str, phrase: str) -> bool:
    """The words of the phrase stand together in the text, whatever the case and markup.

    >>> _has_phrase('talks about "Voice AS Information" and', "voice as information"), _has_phrase("Voice within information", "voice as information")
    (True, False)
    """
    return bool(phrase) and f" {phrase} " in f" {' '.join(words(text))} "


_RANGE = re.compile(r"\b[A-Z][a-z]+ (\d{1,2}) to (\d{1,2})\b")


def _lists_asked(question: Question, hits: list[Hit], snapshot: Snapshot) -> set[str] | None:
    """The headings of the lists holding item n (or a run of items with it) that share the most words with what was asked (the documents' own
    titles left out: "Key findings and key messages" names both lists), or None when no heading is preferred."""
    asked = question.query
    for i in question.elements:
        asked = asked.replace(title_of(i), " ")
    asked_terms = set(terms(asked))
    shared: dict[str, int] = {}
    for hit in hits:
        # a list holding item n, or saying that a run of items holding n could not be read ("Messages 3 to 10 ...")
        # (or, for "the second one" of a follow-up, a bulleted list with an n-th bullet: "the second one" after the
        # podcasts is the Podcasts list's, not the video series')
        if any(is_item_marker(t, question.item) or _is_item([(t, None)], 0, question.item)
               for t, _ in snapshot.sentences.get(hit.chunk.id, [])) \
                or (question.followup and question.bare_ordinal
                    and any(position == question.item for position, _ in snapshot.bullets_of(hit.chunk))):
            shared[hit.chunk.heading] = len(set(terms(hit.chunk.heading)) & asked_terms)
    best = max(shared.values(), default=0)
    preferred = {h for h, n in shared.items() if n == best}
    return preferred if best and len(preferred) < len(shared) else None


_DOER = re.compile(r"\b(?!(?:The|A|An|This|That|These|Those|It|Its|Their|Each|Every)\b)[A-Z][\w'’-]*\)?,? "
                   r"(?:also |now |already )?([a-z]+)\b")


def _done_by_a_name(text: str, verbs: set[str]) -> bool:
    """A verb asked about comes right after a capitalised word, its doer ("The Rees Centre leads ...").

    >>> _done_by_a_name("The Nuffield Foundation funds it.", {"fund"}), _done_by_a_name("The grant is 2.8", {"grant"})
    (True, False)
    """
    return not verbs.isdisjoint(_doers_verbs(text))


@lru_cache(maxsize=65536)
def _doers_verbs(text: str) -> frozenset[str]:
    """The first term of each word right after a capitalised word (`_DOER`), once per sentence."""
    return frozenset(t[0] for t in (terms(m.group(1)) for m in _DOER.finditer(text)) if t)


KIN_PREFIX = 5  # a stem this long that starts another word is of its family ("attend", "attende" for attendees)


def _kin_in(term: str, index: Mapping[str, tuple[str, ...]]) -> bool:
    """A word of the sentence of the same family as the question's term when the stemmer parts them: "attended"
    (attend) and "attendees" (attende). `index`: the sentence's terms as a `kin_index`.

    >>> _kin_in("attend", kin_index({"webinar", "drew", "attende"})), _kin_in("card", kin_index({"cardiff"}))
    (True, False)
    """
    if len(term) < KIN_PREFIX:
        return False
    return any((w.startswith(term) or term.startswith(w)) and abs(len(w) - len(term)) <= 2
               for w in index.get(term[:KIN_PREFIX], ()))


def kin_index(sterms: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The words long enough to have kin, by their first KIN_PREFIX letters (kin share at least those)."""
    out: dict[str, list[str]] = {}
    for w in sterms:
        if len(w) >= KIN_PREFIX:
            out.setdefault(w[:KIN_PREFIX], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


def _bullet_item(items: list[tuple[int, str]], sentence: str, n: int) -> float:
    """1 when the sentence opens the n-th bullet of a list in its passage (`Snapshot.bullets_of`: "the two
    principles" then "what does the first one mean?": "- **Effective:** ..."), else 0. Only the lines of one
    unbroken list count."""
    return next((float(position == n) for position, line in items if line.startswith(sentence[:40])), 0.0)


def _is_item(sentences: list, index: int, n: int) -> float:
    """1 when the sentence opens item n of a numbered list (its marker "4." stands before it as a sentence), half that
    when it speaks of a run of items holding it ("Findings 5 to 10 could not be read ..."), else 0."""
    if index > 0 and is_item_marker(sentences[index - 1][0], n):
        return 1.0
    run = _RANGE.search(sentences[index][0])
    return 0.5 if run and int(run.group(1)) <= n <= int(run.group(2)) else 0.0


def heading_evidence(answer_type: str, heading: str) -> float:
    rx = TYPE_HEADING.get(answer_type)
    return float(bool(rx and rx.search(heading)))


def layer_matches(kind: str, layer: str | None) -> bool:
    return bool(layer) and (kind == layer or (layer == "element" and kind in FRAMEWORK_KINDS))


_ITEM_LABEL = re.compile(r"[ \t]*- \*\*([^*:]+):\*\*")


def item_label(chunk_text: str, sentence: str) -> str:
    """The bold label heading the list item a sentence of the passage stands in ("North Yorkshire"), else "".

    >>> item_label("Intro.\\n- **Oldham:** a plan. Then more.\\n- Plain.", "Then more.")
    'Oldham'
    >>> item_label("Intro.\\n- **Oldham:** a plan. Then more.\\n- Plain.", "Plain.")
    ''
    """
    at = chunk_text.find(sentence[:40])
    if at < 0:
        return ""
    m = _ITEM_LABEL.match(chunk_text, chunk_text.rfind("\n", 0, at) + 1)
    return m.group(1) if m else ""
