"""Conversation state and follow-ups: the conversation, not only the last question, decides retrieval."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .elements import NUMBER_WORDS, ElementMap, title_of
from .text import terms

_ORDINAL = (r"(first|second|third|fourth|fifth|sixth|seventh|eighth|last|final|1st|2nd|3rd|4th|5th|6th|7th|8th"
            r"|one|two|three|four|five|six|seven|eight|\d)")
ORDINAL_REF = re.compile(
    r"\b(?:the\s+)?" + _ORDINAL + r"\s+(?:one|item|point|set|bullet|on the list|of (?:them|those|these|the \w+))\b"
    r"|\b(?:number|no\.?|item)\s*" + _ORDINAL + r"\b", re.I)
PRONOUN_REF = re.compile(
    r"\b(it|its|it's|they|them|their|these|those|this one|that one|there|"
    r"the (?:two|three|four|both) (?:kinds|types|sets|dimensions|lists|ones|parts)|"
    r"(?:this|that|the same) (?:practice|approach|enabler|set|one|site|project|area|element|report|finding))\b", re.I)
CONTINUATION = re.compile(
    r"^\s*(and\b|also\b|what about|how about|tell me more|more\b|go on|why\b|how so|such as|for example|"
    r"any examples?|examples?\b|what else|anything else|and what)", re.I)


OTHER_REF = re.compile(r"\b(the other|other one|another one|the second set|the other set)\b", re.I)


def _other_of(doc_id: str | None) -> str | None:
    """The sibling of a two-member layer (the other System Enabler set)."""
    pair = {"E1": "E2", "E2": "E1"}
    return pair.get(doc_id or "")


@dataclass
class Turn:
    """What the conversation remembers of one exchange (the question is already redacted)."""

    question: str
    cited: list[str] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)
    refused: bool = False

    @property
    def focus(self) -> str | None:
        """The element the answer was mainly about."""
        return self.cited[0] if self.cited else None


@dataclass(frozen=True)
class Resolution:
    """The question as retrieval should see it."""

    query: str
    boost: tuple[str, ...]
    followup: bool
    only_short: bool = False  # taken as a follow-up for being short, with no word pointing back


def _ordinal_value(token: str) -> int | None:
    token = token.lower()
    if token[:1].isdigit():
        return int(re.match(r"\d+", token).group())  # type: ignore[union-attr]
    return NUMBER_WORDS.get(token)


def resolve(question: str, history: list[Turn], elements: ElementMap) -> Resolution:
    """Rewrite a follow-up into a standalone retrieval query using earlier turns."""
    named = tuple(elements.mentioned(question))
    previous = next((t for t in reversed(history) if not t.refused and t.cited), None)
    if previous is None:
        return Resolution(question, named, False)
    ordinal = ORDINAL_REF.search(question)
    if ordinal and previous.listed and not re.search(r"\b(approach|practice|enabler)\b", question, re.I):
        n = _ordinal_value(next(g for g in ordinal.groups() if g))
        if n is not None:
            items = previous.listed
            target = items[-1] if n == -1 else (items[n - 1] if 0 < n <= len(items) else None)
            if target:
                return Resolution(f"{question} {title_of(target)}", (target,), True)
    numbers = [int(n) for n in re.findall(r"\b([1-8])\b", question)]
    if numbers and previous.listed and not named and all(n <= len(previous.listed) for n in numbers):
        targets = tuple(previous.listed[n - 1] for n in numbers)
        return Resolution(f"{question} {' '.join(title_of(t) for t in targets)}", targets, True)
    if named:
        return Resolution(question, named, False)
    other = _other_of(previous.focus) if OTHER_REF.search(question) else None
    if other:
        return Resolution(f"{question} {title_of(other)}", (other,), True)
    pointing = bool(PRONOUN_REF.search(question) or CONTINUATION.search(question))
    if pointing or len(terms(question)) <= 3:
        focus = previous.focus
        if focus:
            # The earlier question carries the topic that "it" or "they" points back to.
            return Resolution(f"{question} {previous.question} {title_of(focus)}", (focus,), True,
                              only_short=not pointing)
    return Resolution(question, (), False)
