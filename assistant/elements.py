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
# Ordinals before numbers: "fourth" must not read as "four" + "th".
_NUM = r"(\d|first|second|third|fourth|fifth|sixth|seventh|eighth|last|final|one|two|three|four|five|six|seven|eight)"
_MORE_NUM = r"(?:\s*(?:,|&|\band\b|\bor\b|/)\s*" + _NUM + r"(?:st|nd|rd|th)?)*"  # "3 and 4", "third and fourth"
_CARDINALS = frozenset(("one", "two", "three", "four", "five", "six", "seven", "eight"))
_JOINS = frozenset(("in", "of", "into", "from"))  # words an alias's terms hang on
_KIND_PREFIX = {"approach": "A", "practice": "P", "enabler": "E"}
KIND_PLURAL = {"approach": "Approaches", "practice": "Practices", "enabler": "System Enabler sets"}
KIND_COUNT = {"approach": 4, "practice": 8, "enabler": 2}


def _joins_in(text: str) -> frozenset[str]:
    """The joining words of `text` an alias can hang on: "voice in data" -> {"in"}."""
    return _JOINS.intersection(re.findall(r"[a-z]+", text.lower()))


def kind_of(doc_id: str) -> str:
    """The contract kind of an id, or 'document' for a dropped-in file."""
    return ELEMENTS.get(doc_id, ("document", ""))[0]


def title_of(doc_id: str, fallback: str = "") -> str:
    """The contract title of an id."""
    return ELEMENTS.get(doc_id, ("", fallback or doc_id))[1]


def elements_of_kind(kind: str) -> list[str]:
    """Ids of one kind, in Framework order."""
    return [i for i, (k, _) in ELEMENTS.items() if k == kind]


def _is_ordinal(token: str, suffix: str) -> bool:
    """A position, not a count: "fourth", "last", "4th"; not "four" or a bare "4"."""
    return bool(suffix) if token.isdigit() else token not in _CARDINALS


def _number(token: str, kind: str) -> int | None:
    n = int(token) if token.isdigit() else NUMBER_WORDS.get(token)
    if n == -1:
        return KIND_COUNT[kind]
    return n if n and 1 <= n <= KIND_COUNT[kind] else None


def ids_in(text: str) -> list[tuple[int, str]]:
    """(position, id) of each Approach, Practice or Enabler named by its id ("P5", "p5", "A 2")."""
    found: list[tuple[int, str]] = []
    for m in re.finditer(r"\b([APE])\s?([1-8])\b|\b([ape])([1-8])\b", text):
        doc_id = (m.group(1) or m.group(3)).upper() + (m.group(2) or m.group(4))
        if doc_id in ELEMENTS:
            found.append((m.start(), doc_id))
    return found


@dataclass(frozen=True)
class ElementMap:
    """Finds which Framework elements a text names, by id, number, title or alias.

    >>> ElementMap.build({}).mentioned("What does Practice 3 involve?")
    ['P3']
    """

    patterns: tuple[tuple[str, frozenset[str]], ...]
    titles: int = 0  # the first this many patterns are the elements' titles, the rest aliases

    @classmethod
    def build(cls, aliases: dict[str, tuple[str, ...]]) -> "ElementMap":
        """Index titles and aliases by their content terms."""
        pats: list[tuple[str, frozenset[str]]] = []
        for doc_id, (kind, title) in ELEMENTS.items():
            if kind in _KIND_PREFIX:
                pats.append((doc_id, frozenset(terms(title))))
                # "the broad sources of local info practice": a title named without its opening verb
                verb, _, rest = title.partition(" ")
                if verb.endswith("ing") and len(terms(rest)) >= 3:
                    pats.append((doc_id, frozenset(terms(rest))))
        titles = len(pats)
        for doc_id, names in aliases.items():
            for name in names:
                t = frozenset(terms(name))
                # A one-word alias counts only when it is a name ("Oldham", "GenAI"), not a common word.
                if len(t) >= 2 or (len(t) == 1 and any(ch.isupper() for ch in name)):
                    # ... and the word that joins a two-term alias must be there too: "voice in data" is not "voice and data"
                    joins = _joins_in(name) if len(t) == 2 else frozenset()
                    pats.append((doc_id, t | joins))
        return cls(tuple(pats), titles)

    def named_outright(self, text: str) -> list[str]:
        """Approaches, Practices and Enablers the text names by id, number or title, not by an alias ("what
        information do we hold" is an alias of Practice 3, and a question about subject access requests uses it)."""
        return ElementMap(self.patterns[:self.titles], self.titles).mentioned(text)

    def mentioned(self, text: str) -> list[str]:
        """Ids named in the text, in order of first appearance."""
        found = ids_in(text)
        lower = text.lower()
        kinds = r"(approach|practice|enabler)(?:es|s)?(?:\s+set)?"
        # "practice 3", "practices 3 and 4", "approaches one and two"
        for m in re.finditer(kinds + r"\s*(?:number\s*|no\.?\s*)?(" + _NUM + _MORE_NUM + r")\b", lower):
            for token in re.findall(_NUM, m.group(2)):
                n = _number(token, m.group(1))
                if n:
                    found.append((m.start(), f"{_KIND_PREFIX[m.group(1)]}{n}"))
        # "the fourth practice", "the third and fourth practices", "the second set of system enablers"
        for m in re.finditer(r"\b(" + _NUM + r"(?:st|nd|rd|th)?" + _MORE_NUM + r")\s+(?:set of\s+)?(?:system\s+)?"
                             + kinds.replace("(", "(?P<kind>", 1), lower):
            for token, suffix in re.findall(_NUM + r"(st|nd|rd|th)?", m.group(1)):
                n = _number(token, m.group("kind"))
                if n and _is_ordinal(token, suffix):  # "four practices", "8 practices" count them
                    found.append((m.start(), f"{_KIND_PREFIX[m.group('kind')]}{n}"))
        # "the last of the 4 approaches", "the second of the two enabler sets"
        for m in re.finditer(r"\b" + _NUM + r"(st|nd|rd|th)?(?: one)? of the (?:\d |two |four |eight )?(?:system )?"
                             r"(approach|practice|enabler)(?:es|s| sets)\b", lower):
            n = _number(m.group(1), m.group(3))
            if n and _is_ordinal(m.group(1), m.group(2)):
                found.append((m.start(), f"{_KIND_PREFIX[m.group(3)]}{n}"))
        # "the approaches in order - which one comes first?", "which of the practices comes last?"
        for m in re.finditer(r"(?:\b(approach|practice|enabler)(?:es|s)\b[^?]*?\bwhich (?:one|of (?:them|those|these))"
                             r"|\bwhich of the (approach|practice|enabler)(?:es|s))"
                             r"(?: \w+)? (?:comes?|is|goes|sits?) " + _NUM + r"\b", lower):
            kind = m.group(1) or m.group(2)
            n = _number(m.group(3), kind)
            if n and not m.group(3).isdigit():
                found.append((m.start(), f"{_KIND_PREFIX[kind]}{n}"))
        text_terms = terms(text)
        present = set(text_terms) | _joins_in(text)
        # "info" is short for "information" in a title ("the broad sources of local info practice"); an alias is
        # matched as typed ("info they already hold" is not "what information do we hold")
        short = {"inform"} if "info" in present else set()
        text_terms, titled = text_terms + sorted(short), present | short
        matched = [(doc_id, needed) for n, (doc_id, needed) in enumerate(self.patterns)
                   if needed and needed <= (titled if n < self.titles else present)]
        for doc_id, needed in matched:
            # "the CIP framework" names the Framework, not the project that "CIP" alone would name
            if any(other != doc_id and needed < longer for other, longer in matched):
                continue
            first = min(text_terms.index(t) for t in needed - _JOINS)
            found.append((10_000 + first, doc_id))
        ordered: list[str] = []
        for _, doc_id in sorted(found):
            if doc_id not in ordered:
                ordered.append(doc_id)
        return ordered
