"""The Framework's own map of ids and titles: spotting elements a question names, and structure questions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .corpus import ELEMENTS
from .text import terms

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "last": -1, "final": -1,
}
_NUM = r"(\d|one|two|three|four|five|six|seven|eight|first|second|third|fourth|fifth|sixth|seventh|eighth|last|final)"
_KIND_PREFIX = {"approach": "A", "practice": "P", "enabler": "E"}
KIND_PLURAL = {"approach": "Approaches", "practice": "Practices", "enabler": "System Enabler sets"}
KIND_COUNT = {"approach": 4, "practice": 8, "enabler": 2}

# Names that point at one report document (lower case).
TOPIC_NAMES: dict[str, tuple[str, ...]] = {
    "site-hampshire": ("hampshire",),
    "site-north-yorkshire": ("north yorkshire", "n yorkshire", "yorkshire"),
    "site-oldham": ("oldham",),
    "site-rochdale": ("rochdale",),
    "genai": ("genai", "gen ai", "generative ai", "artificial intelligence", "chatgpt", "copilot"),
    "resources": ("leap", "lambeth", "families first", "podcast", "podcasts", "video series"),
    "findings": ("key findings", "key messages", "ten findings", "10 findings", "ten messages", "10 messages"),
    "next-steps": ("next steps", "call for evidence", "what happens next"),
    "voice": ("voice about information", "voice within information", "voice in data", "voice about data"),
    "principles": ("core principles", "two principles", "ethical and effective information use definition"),
    "project": ("nuffield", "learning network", "rees centre", "who funds", "funding", "funded"),
}


def kind_of(doc_id: str) -> str:
    """The contract kind of an id, or 'document' for a dropped-in file."""
    return ELEMENTS.get(doc_id, ("document", ""))[0]


def title_of(doc_id: str, fallback: str = "") -> str:
    """The contract title of an id."""
    return ELEMENTS.get(doc_id, ("", fallback or doc_id))[1]


def elements_of_kind(kind: str) -> list[str]:
    """Ids of one kind, in Framework order."""
    return [i for i, (k, _) in ELEMENTS.items() if k == kind]


def _number(token: str, kind: str) -> int | None:
    n = int(token) if token.isdigit() else NUMBER_WORDS.get(token)
    if n == -1:
        return KIND_COUNT[kind]
    return n if n and 1 <= n <= KIND_COUNT[kind] else None


@dataclass(frozen=True)
class ElementMap:
    """Finds which Framework elements a text names, by id, number, title or alias.

    >>> ElementMap.build({}).mentioned("What does Practice 3 involve?")
    ['P3']
    """

    patterns: tuple[tuple[str, frozenset[str]], ...]

    @classmethod
    def build(cls, aliases: dict[str, tuple[str, ...]]) -> "ElementMap":
        """Index titles and aliases by their content terms."""
        pats: list[tuple[str, frozenset[str]]] = []
        for doc_id, (kind, title) in ELEMENTS.items():
            if kind in _KIND_PREFIX:
                pats.append((doc_id, frozenset(terms(title))))
        for doc_id, names in aliases.items():
            for name in names:
                t = frozenset(terms(name))
                # A one-word alias counts only when it is a name ("Oldham", "GenAI"), not a common word.
                if len(t) >= 2 or (len(t) == 1 and any(ch.isupper() for ch in name)):
                    pats.append((doc_id, t))
        return cls(tuple(pats))

    def mentioned(self, text: str) -> list[str]:
        """Ids named in the text, in order of first appearance."""
        found: list[tuple[int, str]] = []
        lower = text.lower()
        for m in re.finditer(r"\b([APE])\s?([1-8])\b", text):
            doc_id = m.group(1) + m.group(2)
            if doc_id in ELEMENTS:
                found.append((m.start(), doc_id))
        kinds = r"(approach|practice|enabler)(?:es|s)?(?:\s+set)?"
        for m in re.finditer(kinds + r"\s*(?:number\s*|no\.?\s*)?" + _NUM + r"\b", lower):
            n = _number(m.group(2), m.group(1))
            if n:
                found.append((m.start(), f"{_KIND_PREFIX[m.group(1)]}{n}"))
        for m in re.finditer(r"\b" + _NUM + r"(?:st|nd|rd|th)?\s+" + kinds, lower):
            n = _number(m.group(1), m.group(2))
            if n and m.group(1) not in ("one", "two", "three", "four", "five", "six", "seven", "eight"):
                found.append((m.start(), f"{_KIND_PREFIX[m.group(2)]}{n}"))
        text_terms = terms(text)
        present = set(text_terms)
        for doc_id, needed in self.patterns:
            if needed and needed <= present:
                first = min(text_terms.index(t) for t in needed)
                found.append((10_000 + first, doc_id))
        for doc_id, names in TOPIC_NAMES.items():
            for name in names:
                m = re.search(r"\b" + re.escape(name) + r"\b", lower)
                if m:
                    found.append((m.start(), doc_id))
                    break
        ordered: list[str] = []
        for _, doc_id in sorted(found):
            if doc_id not in ordered:
                ordered.append(doc_id)
        return ordered


_LIST_VERBS = r"(what|which|list|name|tell me|show|give|enumerate|outline|summari[sz]e|how many|overview)"


_STRUCTURE_TERMS = frozenset(terms(
    "approaches practices enablers enabler sets system systems framework frameworks cip four eight two main key core "
    "different list name names called call show enumerate outline summarise summarize many overview all each every the its "
    "are is there what which ethical effective information use children's project in of"))


def kind_hint(question: str) -> str | None:
    """'practice' for "which practice is about ...", and so on; None when no layer is asked for."""
    m = re.search(r"\b(which|what|whichever)\s+(?:\w+\s+)?(approach|practice|enabler)\b", question, re.I)
    if m:
        return m.group(2).lower()
    if re.search(r"\b(which|what) (part|bit|element|section) of the framework\b", question, re.I):
        return "element"
    return None


_OVERVIEW_TERMS = frozenset(terms("parts layers structure components elements made consist overview map"))


def structure_request(question: str) -> str | None:
    """'approach', 'practice', 'enabler' or 'framework' when the question asks for the structure."""
    q = question.lower()
    if re.search(r"\b(approach|practice|enabler)s?\s*(number\s*)?\d", q):
        return None
    plural = re.search(r"\b(approaches|practices|enablers|enabler sets|system enablers)\b", q)
    leftover = set(terms(q)) - _STRUCTURE_TERMS
    if plural and re.search(_LIST_VERBS, q) and not leftover:
        word = plural.group(1)
        if word.startswith("approach"):
            return "approach"
        if word.startswith("practice"):
            return "practice"
        return "enabler"
    if re.search(r"\bframework\b", q) and re.search(
            r"\bhow (?:is|does) (?:it|the (?:cip )?framework) (?:put together|structured|organi[sz]ed|laid out|fit together|hang together)\b", q):
        return "framework"
    if leftover - _OVERVIEW_TERMS:
        return None
    if re.search(r"\b(parts|layers|structure|components|elements|made up of|consist|overview|map)\b", q) \
            and re.search(r"\bframework\b", q):
        return "framework"
    return None
