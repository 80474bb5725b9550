"""Compose short, cited answers from the corpus's own sentences; no language model needed."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np

from .chunking import Chunk
from .elements import KIND_PLURAL, NUMBER_WORDS, elements_of_kind, kind_of, title_of
from .retrieve import BOILERPLATE_SIMILARITY, Hit, Snapshot
from .scope import ScopeSignals
from .selection import (GAP_HEADING, DANGLING, FRAMEWORK_KINDS, SPELT_OUT, TYPES, AnswerWeights, Candidate,
                        SentenceScorer, group_spelt_out, heading_evidence, is_cross_reference, is_gap, is_meta, layer_matches,
                        names_as_missing, says_silence, says_which)
from .text import MONEY, STOPWORDS, stem, terms, words
from .topics import help_topics
from .understand import (ANY_OF, COUNTED, DEFINITION, PRODUCED_BY, WHETHER, Question, asking_sentences, says_goal,
                         sentences_of)

MAX_POINTS = 3
SECTION_TYPES = ("list", "other", "overview", "person")  # the types a "what are the <heading>?" question reads as
# "what podcasts ...", "list the methods", "which findings ...": a question asking for a set of things
# "quick summary of the main findings from the report pls": the request's own words say nothing about which set
# ("key findings of the report - quick overview pls": the request for an overview may come last)
_TRAILING_SUMMARY = r"[-\u2013:,]\s*(?:(?:a|quick|short|brief)\s+)*(?:summary|rundown|run ?through|overview)\b"
_SUMMARY_OF = re.compile(r"^\W*(?:(?:a|quick|short|brief|give me|can i have)\s+)*(?:summary|rundown|run ?through|overview) of\b"
                         r"|\b(?:from|in|of) the (?:report|project)\b|\b(?:pls|please|thanks|ta)\W*$|" + _TRAILING_SUMMARY)
# "what did the report find?", "what does it recommend?": the verb names the set ("findings", "recommendations")
_WHAT_IT_DID = re.compile(r"^\W*what (?:did|does|do) (?:the (?:full |final )?report|it|they|cip|the project) "
                          r"(find|recommend|conclude)\W*$")
_SET_NOUN = re.compile(r"^\W*(?:what|which) ([a-z]+s)\b(?! (?:is|was)\b)")
_ASKERS_PURPOSE = re.compile(r"\b(?:that |which )?(?:i|we|u|you) (?:could|can|might|would|should|need to|want to|have to)\b.*$", re.I)
_ASKS_FOR_SET = re.compile(r"^\W*(?:(?:can|could) (?:you|u) )?(?:what|which|list|name|give|tell me|show|who)\b|" + ANY_OF
                           + r"|^\W*(?:(?:a|quick|short|brief)\s+)*(?:summary|rundown|run ?through|tl;? ?dr|gist) of\b|" + _TRAILING_SUMMARY, re.I)
# a sentence giving a reason in so many words: "part of the reason", "because" (not a goal: "so that")
_SAYS_REASON = re.compile(r"\b(?:the|a|one|part of the|main) reasons?\b|\bbecause\b|\bdue to\b|\bas a result of\b", re.I)
SHORT_CLOSE = 8  # a sentence this short, on the lead's own line, finishes the lead's thought
SECTION_REACH = 3  # a section heading among the first passages retrieved
_LIST_LINE = re.compile(r"(?m)^\s*(?:[-*]|\d+\.)\s+(.+)$")  # an item line of a list: "- ...", "1. ..."
_EXAMPLE_AHEAD = re.compile(r"\bgives? (?:an|one) example\b", re.I)  # "Rochdale's work gives an example."
# a sentence announcing a list: it ends in a colon or counts what follows ("describes voice in two dimensions.")
_COUNTS_AHEAD = re.compile(r":\s*$|\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+|several|following)\b", re.I)
ASKED_LEAD_FOCUS = 0.5  # a lead with at least this share of the question's focus is on what it asks about ...
ASKED_MISSING = 0.1  # ... and lacks this share of it, which the next sentence of its paragraph may have
UNASKED_TYPES = frozenset({"date", "number", "person", "site", "definition", "list", "comparison"})  # the type says what
PREMISE_NEW = 0.4  # a lead with at most this share of words the message's story before its question did not hold says it again
_COUNT_WORD = re.compile(r"\b(two|three|four|five|six)\b", re.I)
_ITEM_LABEL = re.compile(r"^\*\*([^*]{2,60}?):?\*\*")  # "**Voice within information:** ..." -> its label
_ANNOUNCES = re.compile(r"\b(two|three|four|several|these|following)\b[^.]{0,40}\b(sites|examples|ways|points|areas|steps|kinds|parts|strands|methods|stages|phases)\b",
                        re.I)
MAX_WORDS = 170
SAID_WORDS = 12  # an element's sentence this long at least can say what it means ("Related findings point the same way." cannot)
NEW_FACT_TERMS = 3  # a sentence close to a point in meaning still adds a fact when this many of its words are new
JOIN_WORDS = 60  # a leaning sentence and the one before it, joined into one, stay this short
NEIGHBOUR_REACH = 3  # the lead's neighbour in its passage is read with it when it is one of this many best others
ON_TO_FOCUS = 0.5  # a lead holding this share of the question's terms is on its point
SIBLING_REACH = 3  # a list item's siblings stand this close to it, in sentences
ITEM_REST_WORDS = 30  # an item's second sentence this long at most comes with it
ASKED_REACH = 8  # a question word governs the content words this close after it
_SAYS_WHAT = re.compile(r"\b(says|explains|gives|sets out|lists|describes|names)\b[^.]{0,20}\b(why|how|what|reasons?|the following)\b",
                        re.I)
TITLE_RUN = 3  # a run of this many of the question's words, in order, in a sentence gives a title whole
MAX_DEFINERS = 3  # passages outside the retrieved pool that define a definition question's subject
_BULLET_LABEL = re.compile(r"^(?:- )?\*\*([^*:]+):\*\*")
KIND_SINGULAR = {"approach": "Approach", "practice": "Practice", "enabler": "System Enabler set"}
LAYER_NAMES = {"enabler": "sets of System Enablers"}  # how the Framework names its third layer in prose


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
    short: str = ""  # the document's short label (front matter `label`, else "<id> <title>")

    @property
    def label(self) -> str:
        """How the citation reads in the answer, e.g. `[P3 Mapping information]` or `[Project overview]`."""
        page = f", p. {self.page}" if self.page else ""
        return f"[{self.short or f'{self.id} {self.title}'}{page}]"


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
    answer_type: str = ""  # what the question asked for, as read (definition, date, comparison, ...)
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
                    sentences=list(sentences or []), short=chunk.citation_label)


def _passage(chunk: Chunk, hit: Hit | None = None) -> dict[str, Any]:
    """One passage for reports and the eval; one cited from beyond the retrieved ones has no rank or scores."""
    return {"id": chunk.doc_id, "chunk_id": chunk.id, "heading": chunk.heading, "rank": hit.rank if hit else None,
            "score": round(hit.score, 4) if hit else None, "dense": round(hit.dense, 3) if hit else None,
            "text": chunk.text}


def passages_of(hits: list[Hit]) -> list[dict[str, Any]]:
    """The retrieved passages, for reports and the eval."""
    return [_passage(h.chunk, h) for h in hits]


def behind(answer: Answer, hits: list[Hit], by_id: dict[str, Chunk]) -> None:
    """Report the passages an answer rests on: the k retrieved, then any passage it cites from beyond them (the
    composer reaches a named document's sections and headings the question names), so every cited passage is in
    the report and the eval's retrieval check sees what the answer used."""
    shown = {h.chunk.id for h in hits}
    reached = list({c.chunk_id: by_id[c.chunk_id] for c in answer.citations
                    if c.chunk_id not in shown and c.chunk_id in by_id}.values())  # each once, in citation order
    answer.retrieved_ids = list(dict.fromkeys([h.doc_id for h in hits] + [c.doc_id for c in reached]))
    answer.passages = passages_of(hits) + [_passage(c) for c in reached]


_LABELLED = re.compile(r"^\*\*[A-Z][\w' ]{1,40}:\*\*\s")
_UNDEFINED = re.compile(r"\b(?:does not|doesn't|do not) define\b|\bno (?:official )?definition\b", re.I)
_DEFINITION_WORD = re.compile(r"\bdefin(?:e|ed|es|ition|itions)\b", re.I)
_CONTENT_ASKED = re.compile(rf"{_DEFINITION_WORD.pattern}|\b(?:cover|covers|include|includes|mean|means)\b", re.I)


TYPED_FACTS = ("date", "number", "person")  # the answer is a fact of a kind a sentence visibly holds


class ExtractiveAnswerer:
    """Leads with the sentence that answers the question, then at most three points that add to it.

    >>> ExtractiveAnswerer(snapshot).compose(question, vector, hits)
    """

    def __init__(self, snapshot: Snapshot, weights: AnswerWeights = AnswerWeights()) -> None:
        self.snapshot = snapshot
        self.weights = weights
        self.scorer = SentenceScorer(snapshot, weights)

    def compose(self, question: Question, vector: np.ndarray, hits: list[Hit],
                scope: ScopeSignals | None = None) -> Answer:
        """A direct first sentence, up to three cited supporting points, and any gap said once at the end."""
        extra = self._definers(question, hits)
        candidates = self.scorer.rank(question, vector, hits + extra + self._gaps_asked(question, hits + extra))
        if not candidates:
            return decline(hits, scope, self.snapshot,
                           "Nothing in the Framework material matches that question closely enough to answer it.")
        sides = [i for i in question.elements if self.snapshot.doc_chunks(i)]
        defined = [d for d in (self._definer_of(side, hits, vector) for side in question.sides) if d is not None]
        # Two Approaches, Practices or Enablers, or two partner sites, are compared as wholes, not by a term each.
        named_sides = len(sides) >= 2 and (all(kind_of(i) in FRAMEWORK_KINDS for i in sides[:2])
                                           or all(i.startswith("site-") for i in sides[:2]))
        # "a one liner on each partner council's project": three or more sites, each as its own opening says.
        rundown = question.answer_type == "comparison" and len(sides) >= 3 and all(i.startswith("site-") for i in sides)
        # ... or two, compared as wholes: "how do hampshire's and north yorkshire's projects differ?" asks nothing in
        # particular of them (no term beyond their names, the corpus's commonest words and the words of comparing)
        rundown = rundown or (question.answer_type == "comparison" and named_sides and len(sides) == 2
                              and all(i.startswith("site-") for i in sides) and not self._aspect(question, sides))
        sectioned = False  # the answer is the list of the section the question asks for, which a gap never displaces
        section_tail: Candidate | None = None  # that section's own remark on what could not be read, closing it
        unsaid_lead = False  # the lead says what the material does not explain: the gap is said once, there
        if question.answer_type == "comparison" and not named_sides and len(defined) == 2 \
                and defined[0].text != defined[1].text:
            # Two terms side by side, each as the index defines it ("**Effective:** ...", "**Ethical:** ..."): in one
            # sentence when one passage defines both and the two stay short ("Effective: ...; ethical: ...")
            lead, points = defined[0], defined[1:]
            same_section = (lead.chunk.doc_id, lead.chunk.heading) == (points[0].chunk.doc_id, points[0].chunk.heading)
            if same_section and len(f"{lead.text} {points[0].text}".split()) <= JOIN_WORDS:
                # (then what each definition goes on to say, under its term: "Voice within information: that means ...")
                lead, points = replace(lead, extra=points[0].text), [*self._definitions_read_on(defined[:2]), *points[1:]]
        elif rundown:
            lead, *points = self._openings(sides[:MAX_POINTS + 1], candidates[0])
        elif question.answer_type == "comparison" and len(sides) >= 2 \
                and (named_sides or all(i in question.named_outright for i in sides[:2])):
            # Each side in its own words: what it is, as the passage that introduces it says. (Not a site and an
            # element only an everyday word points to: "North Yorks ... DfE returns vs the Bright Spots survey" compares
            # two figures, not North Yorkshire with Practice 8.)
            lead = self._side_sentence(sides[0], candidates, sides) or candidates[0]
            points = [c for c in (self._side_sentence(i, candidates, sides, lead) for i in sides[1:MAX_POINTS + 1]) if c]
            unsaid = next((c for c in candidates if c.features.get("unsaid") and c.chunk.doc_id in sides), None)
            if unsaid is not None:  # "The published material does not explain how the two Practices differ ...", then each side
                # (read with the sentence naming "the two": "Mapping information sits next to Practice 4, Mapping systems")
                unsaid = self._with_antecedent(unsaid, [], leans=bool(_THE_TWO.search(unsaid.text)))
                lead, points = unsaid, [c for c in [lead, *points] if c.text not in (unsaid.text, unsaid.before)][:MAX_POINTS]
                unsaid_lead = True
        elif (section := self._section_asked(question, hits)) is not None:
            # "what podcasts has CIP done?": the section headed "Podcasts", one point per item of its list
            (lead, *points), section_tail = section
            sectioned = True
            if lead.text.rstrip().endswith(":") and points:  # "The series ... includes: Elaine Sharland ..."
                lead, points = replace(points[0], before=lead.text), points[1:]
            points = points[:MAX_POINTS]
        else:
            # Each rule may move a close candidate of the kind the question asks for to the front, in this order.
            ordered = self._material_first(_aside_later(candidates))
            for rule in (self._named_site_own, self._untyped_silence_later, self._definer_first, self._means_first,
                         self._uses_first, self._item_first, self._typed_first):
                ordered = rule(question, ordered)
            lead = self._with_continuation(self._site_named(question, self._layer_lead(question, ordered)))
            lead = self._past_announcement(lead)
            lead = self._item_answer(question, lead)
            lead = self._past_the_premise(question, lead)
            lead = self._on_to_the_answer(question, lead)
            lead = self._with_neighbour(question, lead, candidates)
            lead = self._on_to_the_asked(question, lead)
            lead = self._group_spelt_out(question, lead, candidates)
            if question.answer_type == "list":
                lead = self._list_intro(question, lead, candidates)
            points = self._support(question, lead, [c for c in candidates if c is not lead])
            # (a list asked for may start a sentence later: "Hampshire's IUP shifted its focus more than once. The source
            # says ... part of the reason." then the three stages)
            announced = self._announced_items(lead, points, reach=2 if question.answer_type == "list" else 1,
                                              about=lead.chunk.doc_id in question.elements)
            if announced:
                points, lead = announced, self._naming_items(lead)
            points = self._second_part(question, lead, points, candidates)
            if question.answer_type in ("howto", "list"):
                points = self._with_siblings(lead, points)
            elif question.answer_type == "site":
                points = self._other_sites(lead, points)
            elif question.answer_type == "reason":
                points = self._with_reason(lead, self._with_bullets(lead, points), candidates)
        lead = self._with_antecedent(lead, [lead])  # the lead reads on its own, even if its antecedent was a point
        # a sentence already given with the lead or another point, as its antecedent or its rest, is not a point again
        said = {t for c in [lead, *points] for t in (c.extra, c.before) if t}
        points = [p for p in points if not any(p.text in t for t in said)]
        # "... two uses in 2026." when a point says the same words and goes on to name them: the fuller one leads
        fuller = next((p for p in points if not lead.extra and len(p.text) > len(lead.text)
                       and p.text.startswith(lead.text.rstrip(". "))), None)
        if fuller is not None:
            lead, points = replace(fuller, before=lead.before), [p for p in points if p is not fuller]
        chosen = _read_on([lead, *(self._with_antecedent(c, [lead, *points]) for c in points)])
        gap = None if rundown or unsaid_lead else section_tail or self._gap_sentence(question, chosen, candidates)
        if gap is not None:
            # "It does not say which Approach ..." comes with the sentence it leans on, wherever it stands.
            leaning = self._with_antecedent(gap, [])
            if leaning.before and leaning.before != chosen[0].text:
                gap, chosen = leaning, [c for c in chosen if c.text != leaning.before]
            chosen = [c for c in chosen if c.text != gap.text]  # a point that says what is missing moves to the end
            if not gap.extra:
                gap = self._with_continuation(gap)  # "... beyond the project's general aim. That aim is ..."
        if gap is not None and not sectioned and gap.features.get("silence_fit", 0.0) >= self.weights.silence_lead \
                and (gap.chunk.doc_id == lead.chunk.doc_id or gap.chunk.doc_id in question.about or not question.elements) \
                and not chosen[0].features.get("unsaid"):
            # Most of what was asked is what the material does not say: say that first (unless the lead says so already).
            chosen, gap = [gap, *chosen[:MAX_POINTS]], None
        text, citations = _render(chosen, gap, self.snapshot.names)
        strong = candidates[0].features["similarity"] >= 0.55 and (scope is None or scope.coverage >= 0.75)
        return Answer(text=text, citations=citations, refused=False,
                      confidence="strong match" if strong else "partial match",
                      retrieved_ids=list(dict.fromkeys(h.doc_id for h in hits)), passages=passages_of(hits))

    def _second_part(self, question: Question, lead: Candidate, points: list[Candidate],
                     candidates: list[Candidate]) -> list[Candidate]:
        """"who funds the CIP and how much did they get?": when neither the lead nor a point holds the kind of fact
        the second part asks for, the best sentence of the lead's document that does becomes the first point."""
        if not question.also:
            return points
        kind, measure = question.also

        def holds(c: Candidate) -> bool:
            return self.scorer.type_evidence(kind, f"{c.before} {c.text} {c.extra}", measure) > 0

        if any(holds(c) for c in [lead, *points]):
            return points
        found = next((c for c in candidates if c.chunk.doc_id == lead.chunk.doc_id and c.text != lead.text
                      and holds(c)), None)
        return [found, *points][:MAX_POINTS] if found is not None else points

    def _section_asked(self, question: Question, hits: list[Hit]) -> tuple[list[Candidate], Candidate | None] | None:
        """The items of a list whose section heading is what the question asks for, in their order ("what are the
        key findings?" -> "## The 10 key findings": 1., 2., ...), or None. The question must ask for little beyond
        the heading's words and the document's own names, and the section must hold a list of two or more items."""
        said = (question.asks or question.words).lower()
        if question.answer_type not in SECTION_TYPES or question.item or question.followup:
            return None
        # the whole request, or its first clause asking for a set when the rest only says why ("give me the main
        # findings from the CIP report please, I've got a management meeting in 10 mins")
        clauses = [c.strip() for c in re.split(r"[,;]|\s[-\u2013\u2014]\s", said) if c.strip()]
        for asking in [said] + [c for c in clauses[:1] if len(clauses) > 1]:
            if _ASKS_FOR_SET.search(asking):
                found = self._section_of(question, hits, asking)
                if found is not None:
                    return found
        return None

    def _section_of(self, question: Question, hits: list[Hit], said: str) -> tuple[list[Candidate], Candidate | None] | None:
        """`_section_asked` for one reading of the request."""
        # (what the asker means to do with them says nothing about which set: "... podcasts i could send round my team")
        # (nor who made them: "what podcasts has the project put out?")
        kept = set(terms(_ASKERS_PURPOSE.sub(" ", _SUMMARY_OF.sub(" ", re.sub(PRODUCED_BY, " ", said)))))
        asked = {t for t, _ in question.focus if t in kept}
        # the set is named in the plural ("podcasts", "key findings", "methods"), not as one thing ("effective")
        plurals = {stem(w) for w in re.findall(r"[a-z]+s\b", said) if not w.endswith("ss")}
        noun = _SET_NOUN.match(said)
        if noun and noun.group(1) not in STOPWORDS:
            plurals = {stem(noun.group(1))}  # "what values did the ... workshop and video series deal with": values
        did = _WHAT_IT_DID.match(said)
        if did:
            plurals |= {stem(did.group(1))}  # "what did the report find?" asks for its findings
        # the first passages retrieved, the sections of a document the question names, then any whose heading has a
        # word the question asks for in the plural
        reach = [h.chunk for h in hits[:SECTION_REACH]] + [c for d in question.named for c in self.snapshot.doc_chunks(d)] \
            + [c for c in self.snapshot.chunks if set(terms(c.heading)) & asked & plurals]
        counts = _numbers_in(said)
        for chunk in {c.id: c for c in reach}.values():  # each passage once, in first-reached order
            own = set(terms(" ".join((chunk.title, chunk.label, *chunk.aliases))))
            parts = [{t for t in terms(p) if not t.isdigit()}  # "The 10 key findings (January 2026)": key findings
                     for p in re.split(r"\band\b|[:,;]", re.sub(r"\([^)]*\)", " ", chunk.heading))]
            # ("the two starting principles" names what "the 2 core principles" asks for: with the count the question
            # gives, one word of its own may differ; "The 10 key findings" is what "the main findings" asks for in a
            # document called "Key findings": the heading's other words are the document's own name)
            heading_counts = _numbers_in(chunk.heading)
            counted = bool(counts) and counts <= heading_counts
            named = next((p for p in parts if p & plurals & asked and (p - asked <= own or counted and len(p - asked - own) <= 1)),
                         None)
            if named is None or len(asked - set().union(*parts) - own) > 1:
                continue
            if counts - heading_counts:
                return None  # "what are key findings 5 to 10?" asks for some of them, not the list
            items, tail = self._items_of(chunk.doc_id, chunk.heading, frozenset(named & asked))
            if len([p for p in parts if p]) > 1:
                # "what methods did they use?" of "## Methods and timeline": the item that names the part asked for
                # leads, the rest follow in their order ("The methods were: ...", not "Summer 2023: a workshop ...")
                naming = [i for i in items if named & asked & set(terms(f"{i.text} {i.extra}"))]
                if naming and naming[0] is not items[0]:
                    items = [naming[0], *(i for i in items if i is not naming[0])]
            if len(items) >= 2:
                return items, tail
        return None

    def _announced_items(self, lead: Candidate, support: list[Candidate], reach: int = 1,
                         about: bool = False) -> list[Candidate]:
        """"The report summary describes voice in two dimensions.": a lead standing just before a list is followed by
        the list's items, one point each, instead of the best-scored sentences (the support). The lead must count
        what follows, or the support must stay in the lead's document anyway ("North Yorkshire's work gives an
        example ..." then the example's facts); a support from elsewhere ("who pays?": the funder) is kept."""
        if lead.before or not _LIST_LINE.search(lead.chunk.text):
            return []  # the list must start in the lead's own passage: no need to read the section
        if lead.extra:
            # "Different partners use different labels; the LSE team talks about ...": the lead took the list's first
            # item with it, and the other items follow ("Research in Practice talks about ...")
            listed = self._items_of(lead.chunk.doc_id, lead.chunk.heading)[0]
            texts = [c.text for c in listed]
            if lead.extra in texts and texts.index(lead.extra) + 1 < len(texts) and lead.text not in texts:
                rest = [self._rest_of_item(c) for c in listed[texts.index(lead.extra) + 1:]]
                others = [p for p in support if p.text not in texts]
                # (a short lead only announces the list: its items come first; a longer one says something itself)
                # (and the one item left of a pair finishes what the lead began: "... beside its statutory data; its
                # DfE returns often record over 90% ..." then "In the Bright Spots survey, close to 40% ...")
                return (rest + others if len(lead.text.split()) <= SHORT_CLOSE or len(rest) == 1
                        else others + rest)[:MAX_POINTS]
            return []
        # (or, in the document of the element asked about, it announces an example: "Rochdale's work gives an example
        # (...)." then the example's items)
        if not _COUNTS_AHEAD.search(lead.text) and not (about and _EXAMPLE_AHEAD.search(lead.text)) \
                and any(p.chunk.doc_id != lead.chunk.doc_id for p in support):
            return []
        listed = self._items_of(lead.chunk.doc_id, lead.chunk.heading)[0]
        if any(c.text == lead.text and not c.text.rstrip().endswith(":") for c in listed):
            return []  # the lead is an item itself: its siblings are not what was asked
        items = [c for c in listed if c.text != lead.text]
        if len(items) < 2 or items[0].chunk.id != lead.chunk.id or not 0 < items[0].index - lead.index <= reach:
            return []
        if items[0].text.rstrip().endswith(":"):
            items = items[1:]  # "In short, the next steps are ...": then the items, not the line that introduces them
        return [self._rest_of_item(c) for c in items[:MAX_POINTS]]

    def _naming_items(self, lead: Candidate) -> Candidate:
        """"The report summary describes voice in two dimensions." before two labelled items ("**Voice within
        information:** ..."): the lead names them, in the list's order, so it answers "what are they?" itself
        ("... in two dimensions: Voice within information and Voice about information."). Only when the lead counts
        exactly the items that follow and each item opens with a bold label the lead does not already use."""
        counted = _COUNT_WORD.search(lead.text)
        if counted is None or lead.before or lead.extra or not lead.text.rstrip().endswith((".", ".)")):
            return lead
        items = [c for c in self._items_of(lead.chunk.doc_id, lead.chunk.heading)[0] if c.text != lead.text]
        labels = [_ITEM_LABEL.match(c.text) for c in items]
        if len(items) != NUMBER_WORDS.get(counted.group(1).lower()) or not all(labels) \
                or items[0].chunk.id != lead.chunk.id or items[0].index <= lead.index:
            return lead
        names = [m.group(1).strip() for m in labels if m is not None]
        if any(n.lower() in lead.text.lower() for n in names):
            return lead  # "... two principles ..., effective and ethical." names them already
        series = ", ".join(names[:-1]) + " and " + names[-1]
        body = lead.text.rstrip()
        # (an editors' remark in brackets closes the sentence: the names go before it)
        aside = re.search(r"\s*\((?:[^()]*)\)\.?$", body)
        head, tail = (body[:aside.start()], body[aside.start():].rstrip(".")) if aside else (body.rstrip("."), "")
        return replace(lead, text=f"{head}: {series}{tail}.")

    def _list_intro(self, question: Question, lead: Candidate, candidates: list[Candidate]) -> Candidate:
        """"The two principles the project started from - what are they?": not "The project began from these two
        principles.", but the sentence of the same document that introduces the list of them, its items to follow."""
        counted = COUNTED.search(question.words)
        if counted is None or lead.before or self._announced_items(replace(lead, extra=""), []):
            return lead
        # (it counts the same things the question counts: "two principles")
        wanted = re.compile(rf"\b{counted.group(1)} (?:\w+ )?{re.escape(counted.group(2)[:-1])}", re.I)
        for c in candidates:
            if c.score < lead.score - self.weights.list_intro_margin:
                break
            if c is not lead and c.chunk.doc_id == lead.chunk.doc_id and wanted.search(c.text) \
                    and self._announced_items(c, []):
                return c
        return lead

    def _items_of(self, doc_id: str, heading: str, asked: frozenset[str] = frozenset()) -> tuple[list[Candidate], Candidate | None]:
        """The first sentence of each item of the list under a heading ("- ..." or "1. ..."), in order (after the
        sentence introducing it, if it ends with a colon), and the remark after the list about what could not be read.

        An item's later sentence naming what the question asks for (`asked`, the heading's words it used) comes with
        it: "what methods did they use?" of "Second half of 2023: ... first round of data collection. The methods
        were: ..." needs the second sentence."""
        items: list[Candidate] = []
        intro: Candidate | None = None
        tail: Candidate | None = None
        for chunk in self.snapshot.doc_chunks(doc_id):
            if chunk.heading != heading:
                continue
            starts = {m.group(1)[:40] for m in _LIST_LINE.finditer(chunk.text)}
            sentences = self.snapshot.sentences.get(chunk.id, [])
            for i, (text, emb) in enumerate(sentences):
                numbered = i > 0 and re.fullmatch(r"\d+\.", sentences[i - 1][0].strip())
                if numbered or any(text[:40].lstrip("*_") == st.lstrip("*_")[: len(text[:40].lstrip("*_"))] for st in starts):
                    items.append(_sentence(chunk, i, text, emb, rank=0, similarity=1.0))
                elif items and not items[-1].extra and items[-1].index == i - 1 and asked & set(terms(text)) \
                        and not asked & set(terms(items[-1].text)) and not text.rstrip().endswith(":") \
                        and _on_one_line(chunk.text, items[-1].text, text):
                    items[-1] = replace(items[-1], extra=text)  # the same item's next sentence, on the line it ends
                elif not items and intro is None and text.rstrip().endswith(":"):
                    intro = _sentence(chunk, i, text, emb, rank=0, similarity=1.0)  # "The series ... includes:"
                elif items and tail is None and is_meta(text) and re.search(r"(?m)^" + re.escape(text[:30]), chunk.text):
                    # (a paragraph of its own after the list, not the end of an item: "The remainder of this finding ...")
                    tail = _sentence(chunk, i, text, emb, rank=0, similarity=1.0)  # "Findings 5 to 10 could not be read"
        return ([intro, *items] if intro is not None and len(items) >= 2 else items), tail

    def _past_announcement(self, lead: Candidate) -> Candidate:
        """"The project also says why this matters now." says nothing itself: the sentence it announces leads."""
        if lead.before or not _says_nothing(lead.text):
            return lead
        following = self._sentence_after(lead)
        if following is None or (lead.extra and following[0] != lead.extra):
            return lead
        text, emb = following
        return replace(lead, text=text, vector=emb, index=lead.index + 1, extra="")

    def _past_the_premise(self, question: Question, lead: Candidate) -> Candidate:
        """"Hampshire had an embedded analyst build a data model in 2023. What was it looking at?": a lead that only
        says again what the message told before its question ("... a data analyst embedded in the project led the
        building of a data model.") is read with the next sentence of its paragraph, which goes on from it ("Drawing on
        ..., it looked at how children in middle childhood come to be referred ...")."""
        parts = sentences_of(question.words)
        if len(parts) < 2 or not parts[-1].rstrip().endswith("?") or lead.before or lead.extra:
            return lead
        told = set(terms(" ".join(parts[:-1]))) - set(terms(parts[-1]))
        said = set(terms(lead.text)) - self.snapshot.common_terms
        if not said or len(said - told) / len(said) > PREMISE_NEW:
            return lead
        following = self._next_in_paragraph(lead)
        return lead if following is None else replace(lead, extra=following)

    def _item_answer(self, question: Question, lead: Candidate) -> Candidate:
        """"what questions does the second one leave you with?": of a list item given whole, the sentence answering what
        is asked of the item leads ("The April 2024 podcast leaves listeners with two questions: ..."), not the item's
        opening ("*How we can work with ...* (23 April 2024) looks at ...")."""
        if not question.item or not lead.features.get("item") or not lead.extra or lead.before:
            return lead
        following = self._sentence_after(lead)
        if following is None or following[0] != lead.extra or _asked_gain(question, lead.text, lead.extra) < ASKED_MISSING:
            return lead
        text, emb = following
        return replace(lead, text=text, vector=emb, index=lead.index + 1, extra="")

    def _on_to_the_asked(self, question: Question, lead: Candidate) -> Candidate:
        """A lead on what the question is about that lacks what it asks of it ("During the second half of 2023, a data
        analyst embedded in the project led the building of a data model." for "what did the embedded data analyst
        look at?") is read with the next sentence of its paragraph when that one has it ("..., it looked at how ...")."""
        if lead.before or lead.extra or lead.features.get("focus", 0.0) < ASKED_LEAD_FOCUS \
                or question.answer_type in UNASKED_TYPES:
            return lead
        following = self._next_in_paragraph(lead)
        if following is None or _asked_gain(question, lead.text, following, self.snapshot.common_terms) < ASKED_MISSING:
            return lead
        return replace(lead, extra=following)

    def _on_to_the_answer(self, question: Question, lead: Candidate) -> Candidate:
        """A lead on the point of the question but without the kind of answer it asks for ("Oldham wants better
        information about ..." for "why?") is read with the next sentence when that one has it ("The aim is to ...")."""
        kind = f"type_{question.answer_type}"
        if kind not in lead.features or lead.features[kind] or lead.before or lead.features.get("focus", 0.0) < ON_TO_FOCUS:
            return lead
        following = self._sentence_after(lead)
        if following is None or following[0].lstrip().startswith("- ") or is_meta(following[0]) \
                or not self.scorer.has_type_evidence(question, following[0]):
            return lead
        text, emb = following
        return replace(lead, text=text, vector=emb, index=lead.index + 1, before=lead.text, leans=True,
                       extra="" if lead.extra == text else lead.extra)

    def _with_neighbour(self, question: Question, lead: Candidate, candidates: list[Candidate]) -> Candidate:
        """A sentence next to the lead in its passage that scores nearly as well is read with it, in the passage's
        order, as one sentence: the two together are the answer more often than either alone."""
        if lead.before or lead.extra:
            return lead
        others = [c for c in candidates if c.text != lead.text][:NEIGHBOUR_REACH]
        for c in others:
            if not _joins(lead, c) or c.score < lead.score - self.weights.neighbour_margin:
                continue
            if c.index > lead.index:
                return replace(lead, extra=c.text)
            # The sentence before goes first only when it reads on its own and the lead lacks the kind of answer
            # asked for: "why ...?" keeps leading with "The goal is ...".
            if not DANGLING.match(c.text) and not (question.answer_type in TYPES and self.scorer.has_type_evidence(
                    question, lead.text)):
                return replace(lead, before=c.text, leans=True)
        # "What ideas did North Yorkshire come up with ...?": the lead says what the group is looking at, the sentence
        # right after it names the ideas ("Video doorbells are one of the ideas."): the thing asked for, read with it
        if question.subject and not lead.features.get("subject_in"):
            after = next((c for c in candidates if c.index == lead.index + 1 and _joins(lead, c)), None)
            if after is not None and after.features.get("subject_in"):
                return replace(lead, extra=after.text)
        return lead

    def _group_spelt_out(self, question: Question, lead: Candidate, candidates: list[Candidate]) -> Candidate:
        """"who did Oldham talk to?": a lead naming only a group ("... with families and staff") gives way to the
        sentence of its document that says who the group were ("The staff came from midwifery, health visiting ..."),
        read with the sentence before it, which names the group too."""
        if question.answer_type != "person" or lead.features.get("type_person", 0.0) >= 1.0:
            return lead
        said = f"{lead.before} {lead.text} {lead.extra}".lower()
        for c in candidates:
            group = group_spelt_out(c.text) if c.chunk.doc_id == lead.chunk.doc_id and c.index > 0 else None
            if group and re.search(rf"\b{group}\b", said):
                before = self.snapshot.sentences[c.chunk.id][c.index - 1][0]
                return replace(c, before=before, leans=True) if re.search(rf"\b{group}\b", before.lower()) else c
        return lead

    def _next_in_paragraph(self, lead: Candidate) -> str | None:
        """The sentence after the lead on the same line of its passage, unless it opens a bullet or is a remark about
        the sources."""
        following = self._sentence_after(lead)
        if following is None or following[0].lstrip().startswith(("- ", "*")) or is_meta(following[0]) \
                or not _on_one_line(lead.chunk.text, lead.text, following[0]):
            return None
        return following[0]

    def _sentence_after(self, cand: Candidate) -> tuple[str, np.ndarray] | None:
        sents = self.snapshot.sentences.get(cand.chunk.id, [])
        return sents[cand.index + 1] if cand.index + 1 < len(sents) else None

    def _definers(self, question: Question, hits: list[Hit]) -> list[Hit]:
        """Passages anywhere in the index with a sentence that defines the question's subject ("**X:** ...")."""
        if question.answer_type != "definition" or not question.subject:
            return []
        have = {h.chunk.id for h in hits}
        found: list[Hit] = []
        wanted = set(question.subject)
        for chunk in self.snapshot.chunks:
            if chunk.id in have:
                continue
            if any(wanted <= head_terms for _, head_terms, _ in self.snapshot.heads.get(chunk.id, ())):
                found.append(Hit(chunk=chunk, score=0.0, rank=len(hits) + len(found) + 1))
                if len(found) == MAX_DEFINERS:
                    break
        return found

    def _material_first(self, candidates: list[Candidate]) -> list[Candidate]:
        """"what are feinstein's four phrases?": the material's own sentence ("... has named four core principles ...:
        "hearing children's voices", ...") leads over the editors' reading of it ("The editors read the four phrases
        as ...") when it scores close."""
        if not candidates or not _EDITORS_SAY.match(candidates[0].text):
            return candidates
        return _close_one_first(candidates, self.weights.generic_margin,
                                lambda c: not _EDITORS_SAY.match(c.text) and not _aside(c.text))

    def _gaps_asked(self, question: Question, hits: list[Hit]) -> list[Hit]:
        """Asked whether the material has a thing ("Does CIP say whether we should use Copilot ...?"), the passage of
        the named document that says what the material does not give, retrieved or not: it may say it does not."""
        if not question.lacking:
            return []
        have = {h.chunk.id for h in hits}
        return [Hit(chunk=chunk, score=0.0, rank=len(hits) + n) for n, chunk in enumerate(
            (c for i in question.elements for c in self.snapshot.doc_chunks(i) if is_gap(c) and c.id not in have), 1)]

    def _definer_of(self, side: tuple[str, ...], hits: list[Hit], vector: np.ndarray) -> Candidate | None:
        """The sentence that defines one side of a comparison, from the retrieved passages first."""
        have = [h.chunk for h in hits]
        seen = {c.id for c in have}
        chunks = have + [c for c in self.snapshot.chunks if c.id not in seen]
        best, fit = None, 0.0
        wanted = set(side)
        for rank, chunk in enumerate(chunks, 1):
            sents = self.snapshot.sentences.get(chunk.id, [])
            for i, head_terms, head in self.snapshot.heads.get(chunk.id, ()):
                text, emb = sents[i]
                if not wanted <= head_terms or re.search(r"\d", head) or len(text.split()) - len(head.split()) < 4:
                    continue  # "Approach 3: ..." names an item, not a term
                overlap = len(wanted) / len(head_terms | wanted)  # "Voice within information:" fits its side best
                if overlap > fit:
                    best, fit = _sentence(chunk, i, text, emb, rank, float(emb @ vector)), overlap
        return best

    def _definitions_read_on(self, defined: list[Candidate]) -> list[Candidate]:
        """The sentence after each definition on its line, under the term it defines ("Voice within information: that
        means what life is like for them ...", in lower case after the term when rendered)."""
        out: list[Candidate] = []
        for d in defined:
            following = self._next_in_paragraph(d)
            head = next((h for i, _, h in self.snapshot.heads.get(d.chunk.id, ()) if i == d.index), "")
            if following is not None and head:
                emb = self.snapshot.sentences[d.chunk.id][d.index + 1][1]
                term = head.strip("*_ :")
                out.append(replace(_sentence(d.chunk, d.index + 1, following, emb, d.rank), before=f"{term}:"))
        return out

    def _uses_first(self, question: Question, candidates: list[Candidate]) -> list[Candidate]:
        """"What is GenAI mostly being used for in social work?": a close sentence of the top one's document saying
        what it is used for ("social work uses GenAI for case notes, letters ...") leads."""
        top = candidates[0]
        if not question.uses or _USES.search(top.text):
            return candidates
        return _close_one_first(candidates, self.weights.typed_margin, lambda c: (
            c.chunk.doc_id == top.chunk.doc_id and bool(_USES.search(c.text)) and not says_silence(c.text)
            and not _aside(c.text)))

    def _means_first(self, question: Question, candidates: list[Candidate]) -> list[Candidate]:
        """"How did Oldham go about finding out what's recorded?": a top sentence saying that they set out to find out
        is the premise; a close sentence of another section of its document saying how ("## Methods"), without
        restating the end, leads."""
        top = candidates[0]
        if not question.goal or not says_goal(question.goal, top.text):
            return candidates
        return _close_one_first(candidates, self.weights.typed_margin, lambda c: (
            c.chunk.doc_id == top.chunk.doc_id and c.chunk.id != top.chunk.id and bool(c.features.get("type_howto"))
            and not says_goal(question.goal, c.text) and not says_silence(c.text) and not _aside(c.text)))

    def _definer_first(self, question: Question, candidates: list[Candidate]) -> list[Candidate]:
        """"What is meant by X?": the sentence that defines exactly X ("**X:** ...") leads if it scores close to the best."""
        # ("which staff did Oldham involve?": "The staff came from midwifery, ..." says which, as a definition would)
        named_noun = question.answer_type in ("other", "howto", "yesno", "person") and bool(question.subject)
        if question.lacking == DEFINITION:
            # "is there an official definition of X?" asks whether there is one: "... does not give the official
            # description of X" answers it, when it scores close
            def silent(c: Candidate) -> bool:
                return bool(c.features.get("unsaid")) and (not question.elements or c.chunk.doc_id in question.elements)
            return candidates if silent(candidates[0]) else _close_one_first(candidates, self.weights.definer_margin, silent)
        if question.answer_type != "definition" and not named_noun:
            return candidates
        if not question.subject:
            # "what does approach 3 mean in practice?": "Making best use ... is the third Approach" names it, and says
            # nothing of what it means; a sentence close behind that says something leads
            if not candidates[0].features.get("generic"):
                return candidates
            return _close_one_first(candidates, self.weights.generic_margin,
                                    lambda c: not c.features.get("generic") and not says_silence(c.text))
        # (for a named noun, in the document the question is about: Oldham's staff, not North Yorkshire's methods; nor
        # does another document's "X is ..." displace a lead from the document named: "What is Hampshire's information
        # use project about?" is not answered by P2's "Hampshire's Information Use Project is the source-stated example")
        own_top = bool(question.elements) and candidates[0].chunk.doc_id in question.elements
        # (a sentence spelling out the initials asked about defines them too: "What's LEAP and how does it connect to
        # the project?" -> "The Lambeth Early Action Partnership (LEAP) passed on ...")
        definer = next((c for c in candidates if c.features.get("subject", 0.0) >= SPELT_OUT
                        and not ((named_noun or own_top) and question.elements
                                 and c.chunk.doc_id not in question.elements)), None)
        if definer is None or definer is candidates[0] or definer.score < candidates[0].score - self.weights.definer_margin:
            return candidates
        return [definer, *(c for c in candidates if c is not definer)]

    def _untyped_silence_later(self, question: Question, candidates: list[Candidate]) -> list[Candidate]:
        """"What's the call for evidence going to be about?" is not answered by "... gives no dates for the call for
        evidence": a sentence saying which dates, names or figures are missing does not lead a question that asks for
        none of them, when a sentence that says something scores close."""
        top = candidates[0]
        if question.about_gaps or not says_silence(top.text):
            return candidates
        kinds = [_NO_KIND[m.group(1).lower().rstrip("s")] for m in _NO_KIND_SAID.finditer(top.text)] + [
            _NOT_SAID_WH[m.group(1).lower()] for m in _NOT_SAID_WHEN.finditer(top.text)]  # "... does not say when ..."
        if not kinds or question.answer_type in kinds:
            return candidates
        said = next((c for c in candidates[1:4] if not says_silence(c.text)
                     and c.score >= top.score - self.weights.typed_margin), None)
        return candidates if said is None else [said, *(c for c in candidates if c is not said)]

    def _named_site_own(self, question: Question, candidates: list[Candidate]) -> list[Candidate]:
        """"Tell me about Oldham's project", then "what methods did they use for it?": the question is about the one
        partner site it or the conversation names, so another site's own sentence that does not name it ("The methods
        were: ..." of North Yorkshire) does not lead; the best sentence that is not another site's does. (Not when the
        question looks beyond the site: "did any other council do that?")"""
        sites = [i for i in question.elements if i.startswith("site-")]
        if len(sites) != 1 or question.answer_type == "site" or not candidates or _BEYOND.search(question.words):
            return candidates
        chunks = self.snapshot.doc_chunks(sites[0])
        label = chunks[0].citation_label if chunks else ""

        def elsewhere(c: Candidate) -> bool:
            return c.chunk.doc_id.startswith("site-") and c.chunk.doc_id != sites[0] and label not in c.text

        # (named, or the conversation's: not found by an alias, "what families know about their data")
        if not label or not elsewhere(candidates[0]) \
                or not (question.followup or label.lower() in question.words.lower()):
            return candidates
        first = next((c for c in candidates if not elsewhere(c)), None)
        return candidates if first is None else [first, *(c for c in candidates if c is not first)]

    def _item_first(self, question: Question, candidates: list[Candidate]) -> list[Candidate]:
        """"What does key finding 7 say?": the sentence giving item 7, or saying that items 5 to 10 could not be
        read, leads over a better-scored sentence about the list as a whole, if it scores close."""
        top = candidates[0]
        best = max((c.features.get("item", 0.0) for c in candidates), default=0.0)
        if not question.item or top.features.get("item", 0.0) >= best:
            return candidates
        item = next((c for c in candidates if c.features.get("item", 0.0) == best
                     and c.score >= top.score - self.weights.item_margin), None)
        return candidates if item is None else [item, *(c for c in candidates if c is not item)]

    def _typed_first(self, question: Question, candidates: list[Candidate]) -> list[Candidate]:
        """"How many went to the webinar?": a sentence with the kind of fact asked for (a number, a date, a person)
        leads over a better-scored one without it, if it scores close and uses some of the question's words."""
        kind = f"type_{question.answer_type}"
        missing = _MISSING_KIND.get(question.answer_type)
        # "Who was on the LEAP podcast ...?": a title's capitals are weaker evidence than a close sentence naming people
        weak = question.answer_type == "person" and 0.0 < candidates[0].features.get(kind, 0.0) < 1.0
        # The top sentence's own words must hold the fact: a heading ("Timeline") types every sentence under it.
        if question.answer_type not in TYPED_FACTS \
                or (self.scorer.has_type_evidence(question, candidates[0].text) and not weak) \
                or (says_silence(candidates[0].text) and missing is not None and missing.search(candidates[0].text)):
            # "the speakers' names are not given" answers "who spoke?" better than another name; it does not
            # answer "how many came?"
            return candidates
        top = candidates[0]

        def fits(c: Candidate) -> bool:
            # It uses the question's words and stays in the lead's document, or it is simply closer to the question
            # ("how many people came to that?": "The webinar drew 361 attendees." over a sentence about a video)
            closer = c.features["similarity"] > top.features["similarity"]
            return closer or (bool(c.features.get("focus")) and c.chunk.doc_id == top.chunk.doc_id)

        # A "not given" sentence that does not say the kind asked for is missing sets no bar: "how many people went to
        # the webinar?" -> "The webinar drew 361 attendees." over "... does not give the speakers' names, the date ..."
        bar = next((c for c in candidates if not says_silence(c.text)), top) if says_silence(top.text) else top
        # "when did Seen, Heard and Understood come out?": a title the question gives word for word, dated anywhere in
        # the index (a timeline line is mostly dates and titles: it embeds far from the question, and retrieval misses it)
        runs = _title_runs(question.words) if question.answer_type == "date" else []
        typed = next((_sentence(chunk, i, text, emb, rank=0, similarity=top.features["similarity"])
                      for chunk in self.snapshot.chunks for i, (text, emb) in enumerate(self.snapshot.sentences.get(chunk.id, []))
                      if not _aside(text) and self.scorer.has_type_evidence(question, text)
                      and any(r in f" {' '.join(words(text))} " for r in runs)), None) if runs else None
        # (strong evidence first; else weaker evidence, which the top lacks altogether: "who went?" -> "The webinar drew
        # 361 attendees." over the webinar's definition of GenAI)
        typed = typed or next((c for strength in ((1.0,) if weak else (1.0, 0.5)) for c in candidates
                               if c.features.get(kind, 0.0) >= strength and not _aside(c.text)
                               and self.scorer.has_type_evidence(question, c.text)
                               and c.score >= bar.score - self.weights.typed_margin and fits(c)), None)
        if typed is None:
            # no sentence gives the kind of fact asked for, and one says the material has none for what the question
            # names: "when's the conference then?" -> "... gives no dates for ... the closing conference"
            typed = next((c for c in candidates if c.features.get(kind, 0.0) >= 1.0 and says_silence(c.text)
                          and not _aside(c.text) and c.score >= bar.score - self.weights.typed_margin), None)
        if typed is None and question.answer_type == "number" and question.measure == "money":
            # "how much money did they get for the project?": the named document's sum, when retrieval missed its
            # passage (the scope judge looked for one there too)
            typed = next((_sentence(chunk, i, text, emb, rank=0, similarity=top.features["similarity"])
                          for chunk, i, text, emb in self._doc_sentences(question.elements) if MONEY.search(text)), None)
        if typed is None:
            return candidates
        # ... and a sentence scoring above it that says the kind asked for is missing answers first: "when's the
        # closing conference?" -> "... gives no dates for ... the closing conference", not a 2026 plan
        silent = next((c for c in candidates if c.score > typed.score and says_silence(c.text)
                       and missing.search(c.text)), None) if missing is not None else None
        if silent is not None:
            return [silent, *(c for c in candidates if c is not silent)]
        return [typed, *(c for c in candidates if c is not typed)]

    def _layer_lead(self, question: Question, candidates: list[Candidate]) -> Candidate:
        """For "which practice ...?", the best sentence of that layer, saying first which element it is."""
        best = candidates[0]
        if question.layer is None or question.answer_type == "comparison":
            return best
        # "which practice is hampshire's project tied to?": the named document's own list of the elements it shows,
        # first as written (the one the source states comes before the editors' readings)
        kind = KIND_SINGULAR.get(question.layer)
        stated = [c for c in candidates if kind and c.chunk.doc_id in question.elements
                  and c.chunk.kind not in FRAMEWORK_KINDS and re.match(rf"\W*{kind} [1-8]\b", c.text)]
        if kind and not stated:  # (that list's passage may not be among the retrieved ones)
            stated = [_sentence(chunk, i, text, emb, rank=0, similarity=best.features["similarity"])
                      for chunk, i, text, emb in self._doc_sentences(
                          [d for d in question.elements if kind_of(d) not in FRAMEWORK_KINDS])
                      if re.match(rf"\W*{kind} [1-8]\b", text)]
        if stated:
            return min(stated, key=lambda c: (c.chunk.position, c.index))
        close = [c for c in candidates if layer_matches(c.chunk.kind, question.layer)
                 and c.score >= best.score - self.weights.layer_margin]
        if not close:
            return best
        # The question asks for an element, so the element whose passage retrieval ranked best answers it; its
        # best-scored sentence speaks for it.
        of_layer = max(close, key=lambda c: c.features["rank"])  # the first of equals, as ranked
        title = title_of(of_layer.chunk.doc_id)
        if title.lower() in of_layer.text.lower():
            return of_layer
        kind = KIND_SINGULAR.get(of_layer.chunk.kind if question.layer == "element" else question.layer)
        if question.followup and of_layer.chunk.doc_id in question.elements:
            # "which one of those is the DfE returns one": the list's item the question names, not a nearest one
            return replace(of_layer, before=f"That is {of_layer.chunk.doc_id}, {title}.", leans=True)
        # (read as one sentence with what it says: "The nearest Practice is P3, Mapping information; it gives no ...")
        return replace(of_layer, before=f"The nearest {kind} is {of_layer.chunk.doc_id}, {title}.", leans=True)

    def _doc_sentences(self, doc_ids: Iterable[str]) -> Iterator[tuple[Chunk, int, str, np.ndarray]]:
        """(passage, index, text, vector) of every sentence of the documents, in document order."""
        for doc_id in doc_ids:
            for chunk in self.snapshot.doc_chunks(doc_id):
                for i, (text, emb) in enumerate(self.snapshot.sentences.get(chunk.id, [])):
                    yield chunk, i, text, emb

    def _site_named(self, question: Question, lead: Candidate) -> Candidate:
        """"Which council did ...?": a sentence from a site's own document answers it only with the site named. So does
        "who tried a 'single view of the child' dashboard?" when the sentence names nobody."""
        if lead.before or not (question.answer_type == "site"
                               or question.answer_type == "person" and lead.features.get("type_person", 0.0) < 1.0):
            return lead
        label = lead.chunk.citation_label if lead.chunk.citation_label in self.scorer.site_names else self._bullet_label(lead)
        if label not in self.scorer.site_names or label.lower() in lead.text.lower():
            return lead
        texts = [t for t, _ in self.snapshot.sentences.get(lead.chunk.id, [])]
        start = self._bullet_start(lead)
        if start is not None and start < lead.index and label in texts[start] \
                and all(_on_one_line(lead.chunk.text, a, b) for a, b in zip(texts[start:lead.index], texts[start + 1:lead.index + 1])):
            # "Here, what young people said is leading to action.", the end of North Yorkshire's list item: the item whole
            return replace(lead, before=" ".join(texts[start:lead.index]), leans=True)
        # "North Yorkshire: In the Bright Spots survey, close to 40% ...": one sentence, the site first (the
        # sentence keeps its own words, which the passage panel highlights)
        return replace(lead, before=f"{label}:")

    def _bullet_label(self, cand: Candidate) -> str:
        """The bold label ("- **North Yorkshire:** ...") of the list item a sentence belongs to, if any."""
        start = self._bullet_start(cand)
        m = _BULLET_LABEL.match(self.snapshot.sentences[cand.chunk.id][start][0]) if start is not None else None
        return m.group(1) if m else ""

    def _bullet_start(self, cand: Candidate) -> int | None:
        """The index of the sentence opening, with its bold label, the list item a sentence belongs to, if any."""
        texts = [t for t, _ in self.snapshot.sentences.get(cand.chunk.id, [])]
        for i in range(min(cand.index, len(texts) - 1), -1, -1):
            if _BULLET_LABEL.match(texts[i]):
                return i
            if texts[i].startswith("- "):
                break
        return None

    def _support(self, question: Question, lead: Candidate, rest: list[Candidate]) -> list[Candidate]:
        """Different facts close to the lead in score, in the order they appear in their passages."""
        w = self.weights
        chosen = [lead]
        for cand in rest:
            if len(chosen) > MAX_POINTS or cand.score < lead.score - w.typed_support_margin:
                break
            if cand.score < lead.score - w.support_margin and cand.features.get(f"type_{question.answer_type}", 0.0) < 1.0:
                continue  # ("who leads the project?": the Rees Centre, then its Principal Investigator, a person)
            # (or go on in the section the lead opens: "What was the Nuffield roundtable about?" -> its opening
            # presentation and its backdrop)
            goes_on = cand.chunk.id == lead.chunk.id and lead.index == 0 and lead.features.get("heading_first")
            if cand.score < lead.score - w.close_margin and not goes_on and (not cand.features.get("focus")
                                                                             or cand.chunk.doc_id != lead.chunk.doc_id):
                continue  # further from the lead, a point must use some of the question's words, in the lead's document
            new_terms = set(terms(cand.text)) - {t for c in chosen for t in terms(c.text + " " + c.extra)}
            if cand.text in (lead.extra, lead.before) or (len(new_terms) < NEW_FACT_TERMS and any(
                    float(cand.vector @ c.vector) > w.distinct for c in chosen)):
                continue  # close to a chosen point in meaning and adding few words of its own: a rewording
            if _says_nothing(cand.text):
                continue  # "The project also says why this matters now." only announces
            if cand.features["meta"] or (DANGLING.match(cand.text) and not self._follows(cand, chosen)
                                         and cand.index == 0):
                continue  # a pronoun borrowed from another passage would point at the wrong person or thing
            # (one leaning on a sentence of its own passage comes with that sentence: see _with_antecedent)
            if len(new_terms) < 2:
                continue  # a rewording adds nothing
            chosen.append(cand)
        return sorted(chosen[1:], key=lambda c: (c.rank, c.index))

    def _with_siblings(self, lead: Candidate, points: list[Candidate]) -> list[Candidate]:
        """A method or list item given as a point brings the other items of its list ("**Looking through
        datasets** ..." and "**Talking with ...**"), in place of points from other documents."""
        first = next((c for c in points if c.text.lstrip().startswith("**") and c.chunk.doc_id == lead.chunk.doc_id),
                     None)
        if first is None:
            return points
        points = [self._rest_of_item(c) if c.chunk.doc_id == lead.chunk.doc_id and c.text.lstrip().startswith("**")
                  else c for c in points]
        have = {(c.chunk.id, c.index) for c in [lead, *points]}
        # The items of the same list: bold-led sentences near it (an item may run to a second, plain sentence).
        siblings = [_sentence(first.chunk, i, text, emb, rank=first.rank)
                    for i, (text, emb) in enumerate(self.snapshot.sentences.get(first.chunk.id, []))
                    if text.lstrip().startswith("**") and (first.chunk.id, i) not in have and not is_cross_reference(text)
                    and abs(i - first.index) <= SIBLING_REACH]
        if not siblings:
            return points
        keep = [c for c in points if c.chunk.doc_id == lead.chunk.doc_id]
        siblings = [self._rest_of_item(c) for c in siblings]
        others = [c for c in points if c.chunk.doc_id != lead.chunk.doc_id]
        merged = (keep + siblings)[:MAX_POINTS]
        merged += others[:MAX_POINTS - len(merged)]
        return sorted(merged, key=lambda c: (c.rank, c.chunk.id, c.index))

    def _other_sites(self, lead: Candidate, points: list[Candidate]) -> list[Candidate]:
        """A partner site's list item that leads an answer asking for examples brings the other sites' items of the same
        list first ("**Hampshire:** ..." then "**North Yorkshire:** ...")."""
        own = self._site_label(lead)
        if not own:
            return points
        # (an item already among the points moves up, as it is)
        given = {(c.chunk.id, c.index): c for c in points}
        siblings = [given.get((lead.chunk.id, i))
                    or self._rest_of_item(_sentence(lead.chunk, i, text, emb, rank=lead.rank))
                    for i, (text, emb) in enumerate(self.snapshot.sentences.get(lead.chunk.id, []))
                    if i != lead.index and abs(i - lead.index) <= SIBLING_REACH]
        siblings = [c for c in siblings if self._site_label(c) not in ("", own)][:MAX_POINTS]
        if not siblings:
            return points
        said = {c.text for c in siblings}
        return siblings + [c for c in points if c.text not in said][:MAX_POINTS - len(siblings)]

    def _site_label(self, cand: Candidate) -> str:
        """The partner site's name a list item opens with as its bold label ("**Hampshire:** ..."), or ""."""
        m = _BULLET_LABEL.match(cand.text)
        return m.group(1) if m and m.group(1) in self.scorer.site_names else ""

    def _rest_of_item(self, item: Candidate) -> Candidate:
        """A list item with the plain sentence that ends its line: "**Talking with ...** families and staff. The staff
        came from midwifery, health visiting, ..." (not a new item, nor a remark about what could not be read)."""
        sentences = self.snapshot.sentences.get(item.chunk.id, [])
        if item.extra or item.index + 1 >= len(sentences):
            return item
        text = sentences[item.index + 1][0]
        if text.lstrip().startswith("**") or is_meta(text) or len(text.split()) > ITEM_REST_WORDS \
                or not _on_one_line(item.chunk.text, item.text, text):
            return item
        return replace(item, extra=text)

    def _with_bullets(self, lead: Candidate, points: list[Candidate]) -> list[Candidate]:
        """A reason from a section whose heading gives reasons ("Why it matters": an opening and three bullets) brings
        the section's other bullets, in place of points from other documents: the reasons the passage gives, not one."""
        sentences = self.snapshot.sentences.get(lead.chunk.id, [])
        bullets = _bullet_starts(lead.chunk.text, sentences)
        if not bullets or not heading_evidence("reason", lead.chunk.heading):
            return points
        have = {(c.chunk.id, c.index) for c in [lead, *points]} | {
            (lead.chunk.id, i) for i, (text, _) in enumerate(sentences) if text in (lead.extra, lead.before)}
        siblings = [_sentence(lead.chunk, i, text, emb, rank=lead.rank)
                    for i, (text, emb) in enumerate(sentences)
                    if i in bullets and (lead.chunk.id, i) not in have and not is_cross_reference(text)]
        if not siblings:
            return points
        # the section's own sentences first, then the rest of its document, then other documents
        merged = ([c for c in points if c.chunk.id == lead.chunk.id] + siblings
                  + [c for c in points if c.chunk.id != lead.chunk.id and c.chunk.doc_id == lead.chunk.doc_id]
                  + [c for c in points if c.chunk.doc_id != lead.chunk.doc_id])[:MAX_POINTS]
        return sorted(merged, key=lambda c: (c.rank, c.chunk.id, c.index))

    def _with_reason(self, lead: Candidate, points: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
        """"Why did they move away from that?": when neither the lead nor a point gives a reason outright, the sentence
        of the lead's document that does ("The source says theory-of-change practice was part of the reason.") is a
        point, in place of the last one."""
        chosen = [lead, *points]
        if any(_SAYS_REASON.search(f"{c.before} {c.text} {c.extra}") for c in chosen):
            return points
        said = {t for c in chosen for t in (c.text, c.extra, c.before) if t}
        reason = next((c for c in candidates if c.chunk.doc_id == lead.chunk.doc_id and c.text not in said
                       and _SAYS_REASON.search(c.text) and not c.features.get("meta")
                       and c.score >= lead.score - self.weights.support_margin), None)
        if reason is None:
            return points
        return sorted([*points[:MAX_POINTS - 1], reason], key=lambda c: (c.rank, c.chunk.id, c.index))

    def _aspect(self, question: Question, sides: list[str]) -> set[str]:
        """The terms of a comparison that say what it compares, beyond the sides' names and the corpus's commonest words."""
        names = {t for i in sides for c in self.snapshot.doc_chunks(i)[:1] for t in terms(c.citation_label)}
        return {t for t, _ in question.focus} - names - self.snapshot.common_terms - _COMPARING

    def _side_sentence(self, doc_id: str, candidates: list[Candidate], others: list[str],
                       like: Candidate | None = None) -> Candidate | None:
        """One side of a comparison: an Approach, Practice or Enabler as its first sentence says what it is; a
        report document (a partner site) by its best sentence that says something of its own, not of the others."""
        if kind_of(doc_id) in FRAMEWORK_KINDS:
            return self._first_sentence_of(doc_id, like or candidates[0])
        names = [self.snapshot.doc_chunks(o)[0].citation_label.lower() for o in others if o != doc_id and self.snapshot.doc_chunks(o)]
        own = [c for c in candidates if c.chunk.doc_id == doc_id and not c.features.get("generic")
               and not any(n and n in c.text.lower() for n in names)
               and not c.features.get("boilerplate") and not c.features.get("gap") and not DANGLING.match(c.text)]
        if own and like is not None:
            # The other side says the same kind of thing: "Hampshire's IUP looks at Early Help ..." is set beside
            # "North Yorkshire's IUP is about care leavers ...", not beside whatever else scores best for it.
            near = [c for c in own if c.score >= own[0].score - self.weights.parallel_margin]
            return max(near, key=lambda c: float(c.vector @ like.vector))
        return own[0] if own else self._first_sentence_of(doc_id, like or candidates[0])

    def _first_sentence_of(self, doc_id: str, like: Candidate, at: int = 0) -> Candidate | None:
        chunks = self.snapshot.doc_chunks(doc_id)
        sents = self.snapshot.sentences.get(chunks[0].id, []) if chunks else []
        if len(sents) <= at:
            return None
        text, emb = sents[at]
        return Candidate(text=text, chunk=chunks[0], score=like.score, vector=emb, index=at, rank=len(chunks),
                         features=dict(like.features))

    def _openings(self, doc_ids: list[str], like: Candidate) -> list[Candidate]:
        """Each document's first sentence of its own: one said of each alike, but for the name ("Oldham is one
        of the four partner local authorities ..."), is passed over."""
        firsts = {i: chunks[0] for i in doc_ids if (chunks := self.snapshot.doc_chunks(i))}
        # Each opening sentence with the document's own name taken out, so sentences said of each alike match.
        shapes = {i: [t.replace(c.citation_label, "X") for t, _ in self.snapshot.sentences.get(c.id, [])]
                  for i, c in firsts.items()}
        shared = Counter(s for texts in shapes.values() for s in set(texts))
        out = []
        for i, texts in shapes.items():
            at = next((n for n, s in enumerate(texts) if shared[s] < 2), 0)
            cand = self._first_sentence_of(i, like, at)
            if cand is not None:
                out.append(cand)
        return out

    @staticmethod
    def _follows(cand: Candidate, chosen: list[Candidate]) -> bool:
        return any(c.chunk.id == cand.chunk.id and c.index == cand.index - 1 for c in chosen)

    def overview(self, doc_id: str, question: str, vector: np.ndarray, hits: list[Hit],
                 scope: ScopeSignals | None = None, meaning: bool = False) -> Answer | None:
        """What one Approach, Practice or Enabler is, why it matters, an example, and what is not said.

        Asked what it means (`meaning`: "what does Integrating voice mean in practice?"), the closest its own section
        comes to saying so takes the reason's place."""
        plan = (("What it is", 1), ("Why it matters", 1), ("Examples from partner sites", 2), (GAP_HEADING, 1))
        chosen: list[Candidate] = []
        said_undefined = skip_reason = False
        for heading, take in plan:
            # (what is not said may lean on the sentence before it: "It does not name which national datasets are
            # meant, ...", read with that sentence)
            leaning = heading == GAP_HEADING
            pool = [Candidate(text=t, chunk=c, score=float(e @ vector) - (0.2 if DANGLING.match(t) and not (leaning and i) else 0.0),
                              vector=e, index=i, rank=c.position)
                    for c in self.snapshot.doc_chunks(doc_id) if c.heading.split(" > ")[0] == heading
                    for i, (t, e) in enumerate(self.snapshot.sentences.get(c.id, [])) if len(t.split()) >= 4
                    and not is_meta(t)]
            if heading == "What it is" and pool:
                # the sentence that names the element and its layer; but asked for a definition the material does not
                # give ("what's the official definition of behaviours and culture?"), the sentence saying so leads,
                # and the gap is not said again at the end
                undefined = next((c for c in pool if _UNDEFINED.search(c.text)), None) \
                    if _DEFINITION_WORD.search(question) else None
                chosen.append(undefined or pool[0])
                said_undefined = undefined is not None
                # the source's own labelled definitions of the element's parts ("**Infrastructure:** the technical
                # foundations ...") are what it is
                # (each with the rest of its item when that leans on it: "... analyse information. This covers its data
                # architecture ...")
                labelled = [self._with_continuation(c) for c in pool if _LABELLED.match(c.text) and c is not chosen[-1]]
                if labelled and undefined is None and _CONTENT_ASKED.search(question):
                    # ("how is the first one defined?", "what does it cover?": the definitions answer it, the element's
                    # place follows)
                    chosen[-1:] = [*labelled, chosen[-1]]
                else:
                    chosen.extend(labelled)
                # without them, and asked what it means, the closest the section comes to saying so takes the
                # reason's place, read with the sentence it leans on ("On that account, voice belongs in two places")
                said: list[Candidate] = []
                if meaning and not labelled:
                    # (not a sentence another element of the layer says near word for word: "The System Enablers are
                    # the conditions that ..." describes the layer, not this element)
                    layer = self._layer_sentences(doc_id, len(vector))
                    said = [c for c in pool[1:] if c.text not in self.snapshot.boilerplate
                            and len(c.text.split()) >= SAID_WORDS and not says_silence(c.text)
                            and not _UNDEFINED.search(c.text) and not _ANNOUNCES.search(c.text)
                            and not (layer @ c.vector > BOILERPLATE_SIMILARITY).any()]
                if said:
                    closest = self._with_antecedent(max(said, key=lambda c: float(c.vector @ vector)), chosen)
                    whole = _joined(closest.before, closest.text) if closest.before else closest.text
                    if not said_undefined and len(f"{chosen[0].text} {whole}".split()) <= JOIN_WORDS:
                        # (read on from the element's place, as one sentence: what it is, then what it comes closest to
                        # meaning: "Integrating voice is the first ...; the closest material is ...: voice belongs in
                        # two places ...")
                        chosen[0] = replace(chosen[0], extra=whole)
                    else:
                        chosen.append(closest)
                    skip_reason = True
                continue
            if heading == "Why it matters" and skip_reason:
                continue
            if heading == GAP_HEADING and said_undefined:
                continue
            if heading == "Examples from partner sites":
                picked = pool[:take]  # the labelled lead sentence, then the first example
            else:
                # (a sentence leaning on the one before it comes with it: "It says that strategic decisions ...")
                picked = [self._with_antecedent(c, chosen) for c in sorted(pool, key=lambda c: -c.score)[:take]]
            chosen.extend(c for c in picked if all(float(c.vector @ o.vector) < 0.88 for o in chosen))
        if len(chosen) < 2:
            return None
        gap = next((c for c in chosen if is_gap(c.chunk)), None)
        points = [c for c in chosen if c is not gap][:1 + MAX_POINTS]  # the lead and at most three points
        text, citations = _render(points, gap, self.snapshot.names)
        return Answer(text=text, citations=citations, refused=False, confidence="strong match",
                      retrieved_ids=list(dict.fromkeys(h.doc_id for h in hits)), passages=passages_of(hits))

    def _layer_sentences(self, doc_id: str, dim: int) -> np.ndarray:
        """The sentence vectors of the other elements of an element's layer, one row each."""
        rows = [e for i in elements_of_kind(kind_of(doc_id)) if i != doc_id for c in self.snapshot.doc_chunks(i)
                for _, e in self.snapshot.sentences.get(c.id, [])]
        return np.stack(rows) if rows else np.zeros((0, dim))

    def structure(self, kind: str, hits: list[Hit]) -> Answer:
        """Name every element of one layer (or all layers) from the corpus's own map."""
        kinds = FRAMEWORK_KINDS if kind == "framework" else (kind,)
        lines: list[str] = []
        citations: list[Citation] = []
        layers = {k: [i for i in elements_of_kind(k) if self.snapshot.doc_chunks(i)] for k in kinds}
        if kind == "framework":
            counts = [f"{_number_word(len(ids))} {LAYER_NAMES.get(k, KIND_PLURAL[k])}" for k, ids in layers.items() if ids]
            lines.append(f"The Framework has {_number_word(len(counts))} layers: {_join(counts)}.")
        # The count and the names come from the Framework overview's map: it is cited on the first line, whatever
        # the layer ("how many practices are there?" rests on the overview, not on Practice 1).
        overview = self.snapshot.doc_chunks("framework")
        for k, ids in layers.items():
            if kind != "framework":
                names = _join([title_of(i) for i in ids])
                lines.append(f"The Framework has {_number_word(len(ids))} {KIND_PLURAL[k]}: {names}.")
            if len(lines) == 1 and overview:
                citations.append(citation_for(overview[0]))
                lines[0] += f" {citations[-1].label}"
            if kind == "framework":
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

    def _with_continuation(self, lead: Candidate) -> Candidate:
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
        if is_meta(following) or following.lstrip().startswith("- "):
            return lead
        # A list item asked for by number ("and the fourth?") is given whole, up to the next item's marker.
        item = bool(lead.features.get("item")) and not re.fullmatch(r"\d+\.", following.strip())
        # ("Oldham planned two kinds of work for this first step: going through ... and observing ..." gives them itself)
        announced = _ANNOUNCES.search(lead.text)
        announces = announced is not None and not re.search(r":\s*\w", lead.text[announced.end():])
        # (a short sentence closing the lead's paragraph finishes it too: "... feel safe in their homes. Video doorbells
        # are one of the ideas.")
        closing = len(following.split()) <= SHORT_CLOSE and _on_one_line(lead.chunk.text, lead.text, following) \
            and not following.rstrip().endswith(":")
        if announces or item or closing or (DANGLING.match(following) and len(following.split()) <= 25):
            return replace(lead, extra=following)
        # a list item's lead is given whole: "Second half of 2023: ... first complete round of data collection. The
        # methods were: ..."
        return self._rest_of_item(lead) if lead.text.lstrip().startswith("**") else lead

    def _with_antecedent(self, cand: Candidate, chosen: list[Candidate], leans: bool | None = None) -> Candidate:
        """Put back the sentence a "These were..." or "It..." sentence leans on (`leans`: whether it leans, when the
        caller knows from more than its opening words: "... does not explain how the two differ")."""
        if not (DANGLING.match(cand.text) if leans is None else leans) or cand.index == 0 or cand.before:
            return cand
        texts = [t for t, _ in self.snapshot.sentences.get(cand.chunk.id, [])]
        previous = texts[cand.index - 1] if 0 < cand.index <= len(texts) else ""
        if not previous or any(previous in (c.text, c.extra) for c in chosen):
            return cand
        return replace(cand, before=previous, leans=True)

    def _gap_sentence(self, question: Question, chosen: list[Candidate], candidates: list[Candidate]) -> Candidate | None:
        """Said once, at the end: what the published material does not cover about the element asked about."""
        docs = {c.chunk.doc_id for c in chosen} | set(question.about)  # what the answer draws on or names
        # What the lead's document or a named one does not say; a supporting point's document's silence is off the
        # point ("why were video doorbells talked about?" is not asking why A4 matters).
        silence = self._silence(question, chosen, {chosen[0].chunk.doc_id} | set(question.about))
        if silence is not None:
            return silence
        if any(is_gap(c.chunk) or is_meta(c.text) for c in chosen):
            return None  # the answer already says what is missing
        # the answer's closest sentence: a lead chosen for its type ("the project wants to change ...") may be
        # less like the question's words than a stock remark that shares one of them ("theory of change")
        closest = max(c.features.get("similarity", 0.0) for c in chosen)
        lead = chosen[0].features.get("similarity", 0.0)
        said = {c.text for c in chosen}
        # A gap of those documents, or one closer to the question than the answer itself: another document's
        # stock remark would be off the point.
        # A remark about sources that could not be read closes an answer only to a question about what is missing.
        gaps = [c for c in candidates if (is_gap(c.chunk) or (is_meta(c.text) and question.about_gaps)) and c.text not in said
                and (c.chunk.doc_id in docs or (c.features["similarity"] >= closest and not c.features["boilerplate"]))]
        best = max(gaps, key=lambda c: c.features["similarity"] + c.features["focus"], default=None)
        # A "not covered" sentence as close to the question as the answer itself says what is missing from it.
        if best is not None and (question.about_gaps or best.features["similarity"] >= lead - self.weights.gap_margin):
            return best
        # Else the gap of the element asked about, whichever document the lead came from.
        own = self._element_gaps(question)
        return own[0] if own else None

    def _element_gaps(self, question: Question) -> list[Candidate]:
        """The sentences of the "not yet said" section of the Approach, Practice or Enabler asked about."""
        doc_id = next((i for i in question.about if kind_of(i) in FRAMEWORK_KINDS), "")
        return [_sentence(chunk, i, text, emb, rank=99)
                for chunk in (self.snapshot.doc_chunks(doc_id) if doc_id else []) if is_gap(chunk)
                for i, (text, emb) in enumerate(self.snapshot.sentences.get(chunk.id, []))]

    def _silence(self, question: Question, chosen: list[Candidate], docs: set[str]) -> Candidate | None:
        """What the question asks that the answer does not say, when a "does not say" sentence of the same
        documents names those very words ("any pitfalls?" -> "It gives no ... pitfalls for this Practice")."""
        # (an editors' aside says what the editors read into the material, not what it says)
        answered = {t for c in chosen if not says_silence(c.text) and not _aside(c.text)
                    for t in terms(f"{c.before} {c.text} {c.extra}")}
        focus = dict(question.focus)
        unsaid = {t: w for t, w in focus.items() if t not in answered and t not in self.snapshot.silence_formula}
        if not unsaid and not _asked(question.words):
            return None
        # Every "does not say" sentence of those documents, retrieved or not.
        pool = [_sentence(chunk, i, text, emb, rank=chunk.position)
                for chunk, i, text, emb in self._doc_sentences(sorted(docs)) if says_silence(text) and text != chosen[0].text]
        total = sum(focus.values()) or 1.0
        # "It does not say how to build ..." answers a how-to question the answer found no method for.
        kind = _MISSING_KIND.get(question.answer_type)
        # A lead of the kind asked for answers it, unless it comes from another document than the one named
        # ("when did Oldham's project start?" is not answered by North Yorkshire's dates).
        lead_typed = chosen[0].features.get(f"type_{question.answer_type}", 0.0) > 0 and (
            not question.elements or chosen[0].chunk.doc_id in question.elements)
        bonus = self.weights.silence_kind if kind is not None and not lead_typed else 0.0
        # "which datasets did Oldham go through?" -> "It does not report ... which datasets were reviewed": the
        # sentence asks the question's own question of the same thing, even when the answer used the word.
        formula = self.snapshot.silence_formula
        own = {chosen[0].chunk.doc_id, *question.elements}  # the lead's document or the one named, not a point's
        # (of the sentences that ask: "We'd like care leavers to help shape what we record about them." asks nothing)
        asked = set() if lead_typed else {(w, t) for w, t in _asked(_asking_part(question.words)) if t not in formula}
        # "is there an actual method for ...?" -> "It gives no official method for ...".
        lacking = question.lacking
        # "8 domains - what are they called?" -> "It does not name the eight domains": the names asked for are unsaid
        named_things = {t for t in focus if t not in formula and not t.isdigit()}
        # the answer already says it does not say which
        # (a point that is itself such a sentence is the gap, moved to where a gap goes)
        pairing_said = any(says_which(question.pairing, f"{c.before} {c.text} {c.extra}")
                           for i, c in enumerate(chosen) if i == 0 or not says_silence(c.text))
        fits = [(sum(w for t, w in unsaid.items() if t in set(terms(c.text))) / total
                 + (bonus if kind is not None and kind.search(c.text) else 0.0)
                 + (self.weights.silence_echo if (c.chunk.doc_id in own and asked & _asked(c.text, None, formula)
                                                  and not _which_differs(question.words, c.text))
                    or (lacking and _lacks(c.text, lacking))
                    # "Does CIP say whether ...?" -> "... does not give the speakers' names, ..., or any guidance ... on
                    # whether or how to use GenAI in case recording": the view asked for may come anywhere in the clause
                    or (lacking == WHETHER and names_as_missing(c.text, lacking, set(focus) - {lacking}))
                    # "which approach does P5 sit under?" -> "it does not say which Approach it supports"
                    or (c.chunk.doc_id in own and not pairing_said and says_which(question.pairing, c.text))
                    or (question.effect and c.chunk.doc_id in own and _UNREPORTED_OUTCOME.search(c.text))
                    or (question.names_wanted and c.chunk.doc_id in own and _NOT_NAMED.search(c.text)
                        and named_things & set(terms(c.text))) else 0.0),
                 -c.rank, c)
                for c in pool]
        fit, _, best = max(fits, key=lambda f: f[:2], default=(0.0, 0, None))
        if best is None or fit < self.weights.silence_fit:
            return None
        best.features["silence_fit"] = fit
        return self._with_antecedent(best, chosen)


def _close_one_first(candidates: list[Candidate], margin: float, ok: Callable[[Candidate], bool]) -> list[Candidate]:
    """The best of the other candidates that is `ok` leads, if it scores within `margin` of the top one."""
    top = candidates[0]
    said = next((c for c in candidates[1:] if c.score >= top.score - margin and ok(c)), None)
    return candidates if said is None else [said, *(c for c in candidates if c is not said)]


_USES = re.compile(r"\bus(?:e|es|ed|ing)\b[^.;:]{0,40}?\bfor\b", re.I)  # "uses GenAI for case notes"
_THE_TWO = re.compile(r"\bthe two\b", re.I)  # leans on the sentence before it, which names them
_COMPARING = frozenset(terms("differ different difference differences compare compared comparison versus vs between"))
_EDITORS_SAY = re.compile(r"\W*The editors\b")  # a sentence in the editors' voice: their reading, not the material


def _title_runs(question: str, run: int = TITLE_RUN) -> list[str]:
    """Each run of `run` words of the question, two of them content words, spaced so that a sentence's words joined
    the same way hold it when they give the title whole ("heard and understood").

    >>> _title_runs("when did Seen, Heard and Understood come out")
    [' did seen heard ', ' seen heard and ', ' heard and understood ', ' and understood come ', ' understood come out ']
    """
    asked = words(question)
    return [f" {' '.join(gram)} " for gram in zip(*(asked[k:] for k in range(run)))
            if len([w for w in gram if stem(w) not in STOPWORDS]) >= 2]


def _aside_later(candidates: list[Candidate]) -> list[Candidate]:
    """An editors' aside wholly in brackets does not open an answer: it is said beside the material, and a reader
    meets "(Editors' illustration: ...)" first with nothing it comments on. The sentence it comments on leads, or else
    the best sentence of the material."""
    if not candidates or not _aside(candidates[0].text):
        return candidates
    top = candidates[0]
    # the sentence it comments on, when that one was retrieved too, else the best sentence that is no aside (past a
    # remark about the source between them: "... before moving away from predictive analytics. The text breaks off
    # there. (Editors' illustration: ...)")
    before = {c.index: c for c in candidates if c.chunk.id == top.chunk.id and c.index < top.index}
    back = top.index - 1
    while back in before and _only_a_remark(before[back].text) and back > top.index - 3:
        back -= 1
    said = before.get(back)
    if said is None or _aside(said.text) or _only_a_remark(said.text):
        said = next((c for c in candidates if not _aside(c.text)), None)
    return candidates if said is None else [said, *(c for c in candidates if c is not said)]


def _only_a_remark(text: str) -> bool:
    """A short remark about the source and nothing else: "The text breaks off there." (not "An earlier edition
    mentions a review ..., but the page is cut off", which says something of the material too)."""
    return is_meta(text) and len(text.split()) < SHORT_CLOSE


def _aside(text: str) -> bool:
    """A sentence wholly in brackets: an editors' reading set beside the material ("(Editors' illustration, not stated as
    recommendations: ...)")."""
    text = text.strip()
    # (the sentence splitter may leave the closing bracket after the full stop: "(... outright." then ")")
    return text.startswith("(") and (text.endswith(")") or ")" not in text)


# A sentence saying the material does not name things a question asks the names of.
_NOT_NAMED = re.compile(r"\b(?:does|do|did) not (?:name|list)\b|\bnot named\b", re.I)
# "It does not report ... the outcome of the Care Champions work": what came of it is not said.
_UNREPORTED_OUTCOME = re.compile(r"\b(?:does|do|did) not (?:yet )?(?:report|say|give|describe)\b[^.;]*?"
                                 r"\b(?:outcomes?|results?|impact|what (?:\w+ ){0,6}(?:found|achieved|changed))\b", re.I)


def _asked_gain(question: Question, lead: str, following: str, common: frozenset[str] = frozenset()) -> float:
    """The share of the question's focus weight that the following sentence has and the lead lacks (leaving out the
    corpus's commonest words, `common`)."""
    focus = {t: w for t, w in question.focus if w}
    had = set(terms(lead))
    gained = {t for t in focus if t not in had and t not in common} & set(terms(following))
    return sum(focus[t] for t in gained) / (sum(focus.values()) or 1.0)


_ITEM_RUN = re.compile(r":[^;]+;")  # a sentence listing its items after a colon, separated by semicolons


def _joins(lead: Candidate, c: Candidate) -> bool:
    """`c` is the sentence right before or after the lead in its passage and can be read with it as one sentence:
    it says something, is no bullet or remark about the sources, and the first of the two ends a sentence (so the two
    join with a semicolon) within JOIN_WORDS."""
    first = lead if c.index > lead.index else c
    return (c.chunk.id == lead.chunk.id and abs(c.index - lead.index) == 1 and not c.before
            and not c.features.get("meta") and not _says_nothing(c.text) and not c.text.lstrip().startswith("- ")
            and len(f"{c.text} {lead.text}".split()) <= JOIN_WORDS
            and first.text.rstrip().endswith(".")
            # ("... three themes: defining and measuring need; voice and co-production; and data access and analysis."
            # would read the next sentence as a fourth theme)
            and not _ITEM_RUN.search(first.text))


def _lacks(text: str, term: str) -> bool:
    """A "does not say" sentence says there is no such thing ("gives no official method", "does not give the
    definition")."""
    m = re.search(r"\b(?:no|not (?:give|name|list|describe|offer|set out|include))\b((?:\s+\w+){1,4})", text, re.I)
    return bool(m) and term in terms(m.group(1))


# "does not name the eight domains" says which things are not given, as "which" would ask for them.
_WH = re.compile(r"\b(which|what|who|whose|when|where)\b|\b(?:not|no) (?:name|list|identify)(?!\s+(?:which|what|who))\b", re.I)
# Where a question word's clause ends: punctuation, ", or" / ", and", or the next question word.
_CLAUSE_END = re.compile(r"[.;:?!()]|,\s+(?:or|and)\b|\b(?:which|what|who|whose|when|where)\b", re.I)


def _asking_part(text: str) -> str:
    """The sentences of a message that end in "?", or the whole message when none does.

    >>> _asking_part("We'd like to shape what we record. Which practice is that?")
    'Which practice is that?'
    """
    asking = asking_sentences(text)
    return " ".join(asking) if asking else text


@lru_cache(maxsize=4096)
def _asked(text: str, reach: int | None = ASKED_REACH, skip_heads: frozenset[str] = frozenset()) -> frozenset[tuple[str, str]]:
    """(question word, term) pairs: the content words after which/what/who/whose/when/where, up to the next
    question word, the next ", or" or the end of the clause, at most `reach` words ("which datasets were reviewed" -> ("which",
    "dataset")). A clause whose first term is in `skip_heads` is passed over."""
    pairs: set[tuple[str, str]] = set()
    for m in _WH.finditer(text):
        clause = _CLAUSE_END.split(text[m.end():], maxsplit=1)[0]
        found = terms(" ".join(clause.split()[:reach]))
        if found and found[0] not in skip_heads:
            if m.group(1):
                pairs.update((m.group(1).lower(), t) for t in found)
            elif text.rfind("(", 0, m.start()) <= text.rfind(")", 0, m.start()):
                # "does not name the eight domains" answers "what were the domains?" and "which domains ...?"; an
                # editors' aside "(... he does not name this enabler)" is no statement of what the material lacks
                pairs.update((wh, t) for wh in ("what", "which") for t in found)
    return frozenset(pairs)


_WHICH_HEAD = re.compile(r"\bwhich\s+(?:(?:one|ones)\s+)?(?:of\s+)?(?:the\s+|these\s+|those\s+|its\s+|their\s+)?"
                         r"(?:(?:\d+|two|three|four|eight|ten)\s+)?((?:[\w'-]+\s*){1,2})", re.I)


def _which_differs(question: str, text: str) -> bool:
    """The question asks "which <things>" and the sentence says "which <other things>": "which partner sites ...?" is
    not answered by "... does not say which of the eight Practices support ..."."""
    asked, said = _WHICH_HEAD.search(question), _WHICH_HEAD.search(text)
    if asked is None or said is None:
        return False
    asked_heads, said_heads = set(terms(asked.group(1))), set(terms(said.group(1)))
    return bool(asked_heads) and bool(said_heads) and not asked_heads & said_heads \
        and not asked_heads & set(terms(text))


# "did any other council ...?", "anyone else?": a question that looks beyond the site it names
_BEYOND = re.compile(r"\b(?:other|others|else|another|any (?:council|site|local authority|authority)s?)\b", re.I)
# "gives no dates for the call for evidence ...": the kind of fact missing, said outright
_NO_KIND_SAID = re.compile(r"\b(?:gives?|has|have|with) no (dates?|names?|figures?|numbers?)\b", re.I)
_NO_KIND = {"date": "date", "name": "person", "figure": "number", "number": "number"}
_NOT_SAID_WHEN = re.compile(r"\b(?:does|do|did) not (?:say|state|give|report)(?: exactly| precisely)? (when|who|how many|how much)\b",
                            re.I)
_NOT_SAID_WH = {"when": "date", "who": "person", "how many": "number", "how much": "number"}
# What a "does not say" sentence says is missing, by the kind of answer a question expects.
_MISSING_KIND = {
    "howto": re.compile(r"\b(how to|how|method|steps?)\b", re.I),
    "date": re.compile(r"\b(dates?|when|timeline)\b", re.I),
    "person": re.compile(r"\b(names?|who|speakers?)\b", re.I),
    "number": re.compile(r"\b(numbers?|figures?|how many|how much|counts?|totals?|attendance)\b", re.I),
    "reason": re.compile(r"\b(rationale|why|reasons?)\b", re.I),
    "site": re.compile(r"\b(examples?|partner-sites?)\b", re.I),
}


def _sentence(chunk: Chunk, index: int, text: str, vector: np.ndarray, rank: int, similarity: float = 0.0) -> Candidate:
    """A sentence of the index taken outside the ranked candidates (a definer, a gap, a "does not say")."""
    return Candidate(text=text, chunk=chunk, score=0.0, vector=vector, index=index, rank=rank,
                     features={"similarity": similarity, "meta": 0.0})


def _on_one_line(chunk_text: str, first: str, second: str) -> bool:
    """The second sentence follows the first on the same line of the passage (the same list item)."""
    return re.search(re.escape(first[-30:]) + r"[ \t]+" + re.escape(second[:30]), chunk_text) is not None


def _bullet_starts(chunk_text: str, sentences: list) -> set[int]:
    r"""The sentences of a passage that open a bullet ("- ..."), by index.

    >>> sorted(_bullet_starts("Reasons:\n- One thing. More.\n- Two things.", [("Reasons:", 0), ("One thing.", 0), ("More.", 0), ("Two things.", 0)]))
    [1, 3]
    """
    lines = [re.sub(r"^[-*]\s+|\*\*", "", line.strip()).strip() for line in chunk_text.splitlines()
             if re.match(r"\s*[-*]\s+\S", line)]
    return {i for i, (text, _) in enumerate(sentences)
            if any(line.startswith(re.sub(r"\*\*", "", text)[:40].strip()) for line in lines if line)}


def _numbers_in(text: str) -> set[int]:
    """The counts a text names, in digits or words: "the 2 core principles" and "the two starting principles" -> {2}."""
    return {int(n) if n.isdigit() else _CARDINALS.index(n.lower()) + 1
            for n in re.findall(rf"\d+|\b(?:{'|'.join(_CARDINALS)})\b", text, re.I)}


_CARDINALS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _says_nothing(text: str) -> bool:
    """A short sentence that only announces what comes next ("The project also says why this matters now.")."""
    return bool(_SAYS_WHAT.search(text)) and len(text.split()) <= 12


def _render(chosen: list[Candidate], gap: Candidate | None = None,
            names: frozenset[str] = frozenset()) -> tuple[str, list[Citation]]:
    """The lead, bullets for the supporting points, and the gap as a plain closing sentence."""
    citations: dict[str, Citation] = {}
    parts: list[str] = []
    words = 0
    for i, cand in enumerate(chosen + ([gap] if gap else [])):
        cite = citations.get(cand.chunk.id)
        if cite is None:
            cite = citations[cand.chunk.id] = citation_for(cand.chunk)
        cite.sentences.extend(s for s in (cand.before, cand.text, cand.extra) if s)
        lead_in = _joined(cand.before, cand.text, names) if cand.leans \
            else f"{cand.before} {_after_label(cand.before, cand.text)}".strip()
        # The sentence read on with it ("The first means ...", "Her guests were ...") joins it the same way.
        sentence = _tidy(_joined(lead_in, cand.extra, names) if cand.extra else lead_in)
        words += len(sentence.split())
        if i > 0 and words > MAX_WORDS:
            break
        plain = i == 0 or (gap is not None and cand is gap)
        parts.append(f"{sentence} {cite.label}" if plain else f"- {sentence} {cite.label}")
    return "\n".join(parts), list(citations.values())


def _after_label(label: str, text: str) -> str:
    """A sentence after a label such as "North Yorkshire:" goes on in lower case when it opens with a common word.

    >>> _after_label("Effective:", "It should help."), _after_label("Oldham:", "Oldham began."), _after_label("", "It is.")
    ('it should help.', 'Oldham began.', 'It is.')
    """
    first = re.match(r"[A-Z][a-z]*\b", text)
    if not label.endswith(":") or first is None or first.group(0).lower() not in STOPWORDS:
        return text
    return text[0].lower() + text[1:]


def _read_on(chosen: list[Candidate]) -> list[Candidate]:
    """A point that leans on the sentence just before it ("It is meant to ...", "They talked about ...") joins
    that sentence's point instead of standing alone under its own bullet."""
    out: list[Candidate] = []
    for cand in chosen:
        prev = out[-1] if out else None
        if prev is not None and not prev.extra and not cand.before and prev.chunk.id == cand.chunk.id \
                and cand.index == prev.index + 1 and DANGLING.match(cand.text):
            out[-1] = replace(prev, extra=cand.text)
            continue
        out.append(cand)
    return out


def _joined(before: str, text: str, names: frozenset[str] = frozenset()) -> str:
    """A sentence leaning on the one before it is read with it, as one sentence: "The project covers Children's
    Social Care and Early Years; it focuses on ..." (the corpus's words, joined by a semicolon). A name keeps its
    capital: "...; Rochdale's project ...", "...; North Yorkshire ...".

    >>> _joined("Oldham has a focus.", "Since the pandemic, services are stretched.", frozenset({"oldham"}))
    'Oldham has a focus; since the pandemic, services are stretched.'
    >>> _joined("It is a council.", "Rochdale's project is in early years.", frozenset({"rochdale"}))
    "It is a council; Rochdale's project is in early years."
    >>> _joined("**Effective:** it works.", "**Ethical:** it is fair.")
    '**Effective:** it works; **ethical:** it is fair.'
    >>> _joined("It led to action.", "A survey found this.")
    'It led to action; a survey found this.'
    >>> _joined("A survey found this. The group took it forward.", "Here, it led to action.")
    'A survey found this; the group took it forward; here, it led to action.'
    """
    if before.endswith(".") and len(f"{before} {text}".split()) <= JOIN_WORDS:
        # (a lead-in of two sentences is joined the same way: "North Yorkshire: a survey found ...; the Care Champions
        # group is taking this forward ...; here, what young people said is leading to action.")
        out, *rest = [*_LEAD_IN_BREAK.split(before), text]
        for part in rest:
            first = re.match(r"([*_]*)([A-Za-z]+)\W*([A-Za-z0-9]*)", part)  # (after any bold: "**Ethical:** ...")
            at, word, following = (len(first.group(1)), first.group(2), first.group(3)) if first else (0, "", "")
            lower = word[:1].isupper() and (word[1:].islower() or word == "A") and (word.lower() in STOPWORDS or (
                word.lower() not in names and not following[:1].isupper() and not following[:1].isdigit()))
            # ("North Yorkshire", "Professor Leon", "Practice 3" stay)
            if not out.endswith("."):
                out = f"{out} {part}"
                continue
            out = f"{out[:-1]}; {part[:at]}{part[at].lower()}{part[at + 1:]}" if lower else f"{out[:-1]}; {part}"
        return out
    return f"{before} {text}".strip()


_LEAD_IN_BREAK = re.compile(r"(?<=[a-z)]\.)\s+(?=[A-Z])")  # where one sentence of a lead-in ends and the next begins


def _number_word(n: int) -> str:
    return ("zero one two three four five six seven eight nine ten".split() + [str(n)] * 100)[n] if n <= 10 else str(n)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _tidy(sentence: str) -> str:
    sentence = re.sub(r"\s+", " ", sentence.replace("**", "")).strip().rstrip(";,")
    sentence = sentence if sentence[-1:] in ".!?)\"'" else sentence + "."
    if sentence[:1].islower():
        sentence = sentence[0].upper() + sentence[1:]  # a list item quoted on its own reads as a sentence
    # A sentence cut from a bracketed remark of several sentences keeps its brackets balanced.
    opened, closed = sentence.count("("), sentence.count(")")
    if opened > closed:
        sentence += ")" * (opened - closed)
    elif closed > opened and sentence.endswith(")"):
        sentence = sentence[: -(closed - opened)]
    return sentence


def decline(hits: list[Hit], scope: ScopeSignals | None, snapshot: Snapshot | None = None, reason: str | None = None,
            signpost: str = "") -> Answer:
    """A refusal: one sentence that the material does not cover it, the signpost, and what it can help with."""
    text = reason or "The Framework material I have does not cover that."
    if signpost:
        text += " " + signpost
    helps = help_topics(snapshot) if snapshot is not None else []
    if helps:
        text += " I can help with: " + "; ".join(helps) + "."
    return Answer(text=text, citations=[], refused=True, confidence="no match",
                  retrieved_ids=list(dict.fromkeys(h.doc_id for h in hits)),
                  scope=asdict(scope) if scope else {}, passages=passages_of(hits))
