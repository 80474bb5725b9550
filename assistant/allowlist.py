"""What the corpus itself names, so the guard never takes it for a personal detail.

>>> allow = Allowlist.from_corpus(Path("corpus"))
>>> "Leon Feinstein" in allow.people, "hampshire" in allow.words
(True, True)

People are capitalised pairs in the corpus whose first word is a listed first name or follows "Professor" or
"Dr"; words are the capitalised words the corpus uses mid-sentence (sites, bodies, programmes, its people);
numbers are the digit strings it uses (counts, page ids). The scope file's capitalised trigger terms ("Ofsted",
"ILACS") count as words the corpus names. Public figures practitioners cite
(assistant/data/public_people.txt) are allowed by full name only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .wordlists import lines, words

_PAIR = re.compile(r"(?:\b(Professors?|Drs?|Dr\.)[ \t]+)?\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)[ \t]+"
                   r"((?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
# (a title in emphasis or quotes counts too: "In the *Seen, Heard and Understood* material")
_MID_CAPITAL = re.compile(r"(?<=[a-z0-9,;)] )[*_\"“‘']*((?:[A-Z][\w'’-]*[ \t]*)+)")
_NUMBER = re.compile(r"[0-9][0-9,]*")
_LOWER = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")


@dataclass(frozen=True)
class Allowlist:
    """People, words and numbers that the indexed documents (or public_people.txt) name."""

    people: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    numbers: frozenset[str] = field(default_factory=frozenset)
    plain: frozenset[str] = field(default_factory=frozenset)  # words the corpus writes in lower case ("webinar")
    public: frozenset[str] = field(default_factory=lambda: frozenset(lines("public_people.txt")))

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Allowlist:
        """Derive the lists from document texts (titles, aliases and bodies)."""
        first_names = words("first_names.txt")
        people: set[str] = set()
        found: set[str] = set()
        numbers: set[str] = set()
        plain: set[str] = set()
        for text in texts:
            plain.update(_LOWER.findall(text))
            for m in _PAIR.finditer(text):
                if m.group(1) or m.group(2).lower() in first_names:
                    people.add(f"{m.group(2)} {m.group(3)}")
            for m in _MID_CAPITAL.finditer(text):
                found.update(w.lower().removesuffix("'s").removesuffix("’s") for w in m.group(1).split())
            numbers.update(n.replace(",", "") for n in _NUMBER.findall(text))
        person_words = {w.lower() for p in people for w in p.split()}
        return cls(frozenset(people), frozenset(found | person_words), frozenset(numbers), frozenset(plain))

    @classmethod
    def from_corpus(cls, corpus_dir: Path) -> Allowlist:
        """Derive the lists from every readable document in the corpus folder (none there: public people only)."""
        from .corpus import load_corpus
        from .errors import AssistantError
        from .topics import SCOPE_FILE, ScopeFile

        try:
            docs, _ = load_corpus(Path(corpus_dir), skip_broken=True)
        except AssistantError:
            docs = []
        allow = cls.from_texts(t for d in docs for t in (d.title, " ".join(d.aliases), d.text, " ".join(d.sources)))
        # The scope file's capitalised trigger terms name bodies and schemes, not people: "What's North Yorkshire's
        # current Ofsted rating?" keeps "Ofsted" for the scope judge to decline with its signpost.
        try:
            scope = ScopeFile.load(Path(corpus_dir) / SCOPE_FILE)
        except AssistantError:
            return allow
        named = {w.lower() for t in scope.topics for term in t.terms for w in term.split() if w[:1].isupper()}
        return replace(allow, words=allow.words | named)

    @property
    def first_names(self) -> frozenset[str]:
        """Lower-case first names of the people the corpus names."""
        return frozenset(p.split()[0].lower() for p in self.people)

    @property
    def surnames(self) -> frozenset[str]:
        """Lower-case surnames of the people the corpus names."""
        return frozenset(p.split()[-1].lower() for p in self.people)


@lru_cache(maxsize=8)
def corpus_allowlist(corpus_dir: str) -> Allowlist:
    """The allow-list of one corpus folder, derived once per process."""
    return Allowlist.from_corpus(Path(corpus_dir))
