"""Word-level text helpers shared by BM25, scope checks and answer composition."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from .wordlists import lines

# Closed-class words (articles, pronouns, auxiliaries, common prepositions, question words): no content at all.
# Soft matching (softmatch.py) skips only these; quantifiers, negations and verbs such as "use" or "mean" can be
# what a sentence is chosen for there.
FUNCTION_WORDS = frozenset("""
the a an of to and or in on for is are was what how do does we our i my it this that with be by as at can from
about any which who when why there they their you your me
""".split())

STOPWORDS = FUNCTION_WORDS | frozenset("""
a about above after again against all also am an and any are aren as at be because been before being
below between both but by can cannot could did do does doing don down during each few for from further
had has have having he her here hers herself him himself his how i if in into is isn it its itself just
let me more most my myself no nor not of off on once only or other our ours ourselves out over own same
she should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with would
you your yours yourself yourselves us tell say says said give gives explain describe please thanks thank
know want wants like get got one ones thing things kind sort sorts way ways much many really bit lot
mean means use used using does doing something anything everything someone anywhere somewhere everywhere etc
stuff else properly actual done bother reckon seems seem bits supposed told instead vs versus ok okay yes
basically basical essentially literally honestly generally roughly simply another moment random total altogether
arent isnt dont doesnt didnt cant wont wasnt werent havent hasnt shouldnt couldnt wouldnt im ive youre theyre
""".split())  # (hedges: "is it basically about being legal?"; the last line: contractions typed without the apostrophe)

CONTRACTION = re.compile(r"(n't|'ll|'ve|'re|'d|'m)$")  # "don't", "we're"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def stem(word: str) -> str:
    """A light suffix stripper: 'mapping'/'maps'/'mapped' -> 'map', 'sites' -> 'sit', 'readiness' -> 'ready'."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix in ("ations", "ation", "nesses", "ness", "ings", "ing", "ies", "ied", "ers", "ed", "es", "er", "ly", "s"):
        if suffix == "s" and word.endswith(("us", "ss", "is")):
            continue  # "focus", "process", "analysis" are not plurals ("focusing" -> "focus" must meet "focus")
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            elif suffix in ("ness", "nesses") and base.endswith("i"):
                base = base[:-1] + "y"  # "readiness" is "ready" plus ness
            elif suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
                base = word[:-1]  # "sites" is "site" plus s, not "sit" plus es
            elif suffix in ("ing", "ed", "ings") and len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls":
                base = base[:-1]
            word = base
            break
    # A final e goes either way ("share"/"shared", "example"/"examples"), so drop it.
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def words(text: str) -> list[str]:
    """Lower-case word tokens, stop words kept."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def content_words(text: str) -> list[str]:
    """Lower-case words that carry meaning (no stop words, no contractions such as "don't" or "when's", no single
    letters).

    >>> content_words("when's the conference? what's it about? Rochdale's plans")
    ['conference', "rochdale's", 'plans']
    """
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1 and not CONTRACTION.search(w)
            and not (w.endswith("'s") and w[:-2] in STOPWORDS)]


def terms(text: str) -> list[str]:
    """Stemmed content words: what BM25 and coverage checks compare."""
    return list(_terms(text))


@lru_cache(maxsize=1 << 16)
def _terms(text: str) -> tuple[str, ...]:
    # The corpus's sentences are scored again for every question: stem each one once per process.
    return tuple(stem(w) for w in content_words(text))


def _load_related() -> dict[str, frozenset[str]]:
    """Everyday words a practitioner uses for what the Framework says another way (assistant/data/related.txt)."""
    out: dict[str, frozenset[str]] = {}
    for line in lines("related.txt"):
        if ":" in line:
            word, related = line.split(":", 1)
            out[stem(word.strip())] = frozenset(stem(w) for w in related.split())
    return out


RELATED = _load_related()


def expanded_terms(text: str) -> list[str]:
    """Content terms plus the Framework's words for the same thing ("pays" also finds "funder")."""
    out = terms(text)
    return out + [r for t in out for r in sorted(RELATED.get(t, ())) if r not in out]


_HEAD_SPLIT = re.compile(r":|\bmeans?\b|\bis\b|\bare\b|\brefers? to\b|\b(?:looks|focuses|centres) on\b|\blooks at\b")


@lru_cache(maxsize=1 << 16)
def head_of(text: str) -> str | None:
    """What a sentence defines: the words before its first ':', 'means', 'is' or 'refers to', if few enough."""
    body = text.lstrip("-* ")
    head = _HEAD_SPLIT.split(body, maxsplit=1)[0]
    return None if len(head.split()) > 8 or head == body else head


# An item's place in a list, in words ("the third of the eight Practices", "the third one")
MONEY = re.compile(r"£|\b(million|thousand|pounds?)\b", re.I)  # a sum of money, as a passage gives one

ORDINAL_WORDS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
# "the third", "the 3rd", "no. 3": which item of a list, never what a question is about
ORDINAL = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|last|final|1st|2nd|3rd|4th|5th|6th"
                     r"|7th|8th|number [1-8]|no\.? ?[1-8]|item [1-8])\b", re.I)


# A capitalised name of two to five words, small joining words allowed inside ("Research in Practice")
_PROPER = re.compile(r"\b[A-Z][a-z]+(?:(?:\s+(?:of|and|for|in|on|the))?\s+[A-Z][a-z]+){1,4}\b")
_SHORT = re.compile(r"\b([A-Z][A-Za-z]{1,4}?)(s?)\b")


def acronyms_of(texts: Iterable[str]) -> dict[str, str]:
    """Initials of the capitalised names the texts use, to the commonest name with them: "LGA" -> "Local
    Government Association", "RIP" and "RP" -> "Research in Practice"."""
    counts: dict[str, Counter] = {}
    for text in texts:
        for m in _PROPER.finditer(text):
            name = m.group()
            capitals = "".join(w[0] for w in name.split() if w[0].isupper())
            every = "".join(w[0] for w in name.split()).upper()
            for key in {capitals, every}:
                counts.setdefault(key, Counter())[name] += 1
    return {k: c.most_common(1)[0][0] for k, c in counts.items()}


def expand_acronyms(text: str, acronyms: dict[str, str], known: Callable[[str], bool]) -> str:
    """Spell out initials the texts never use but whose name they do: "what's the LGA one for?" -> "what's the LGA
    (Local Government Association) one for?". Only words written with two capitals or more, and only when `known`
    says the corpus does not use the word itself."""
    def spell(m: "re.Match[str]") -> str:
        token = m.group(1)  # without a plural "s" ("HVs")
        key = token.upper()
        if sum(ch.isupper() for ch in token) < 2 or key not in acronyms or known(m.group()):
            return m.group()
        return f"{m.group()} ({acronyms[key]})"
    return _SHORT.sub(spell, text)
