"""Conversation state: what each turn of a conversation remembers (follow-ups are read in understand.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Turn:
    """What the conversation remembers of one exchange (the question is already redacted)."""

    question: str
    cited: list[str] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)
    refused: bool = False
    # The question that set this turn's topic: its own, or for a follow-up the one it followed ("what are the ten key
    # findings?" stays the topic through "what does the third one say?" and "and the fourth?").
    topic: str = ""
    # The one element (Approach, Practice, Enabler or report document) the question named, or a follow-up was read
    # as being about: "what is Hampshire's project about?", "how did it change direction?" stays on Hampshire when
    # that answer cites the Approach Hampshire is an example of first.
    about: str = ""
    # The item of a list inside a document the question asked for ("what's the second one?" of the ten key findings),
    # so that "and the one after that?" asks for the third.
    item: int = 0
    # The answer's first line calls the element asked about by its label, though it cites another: "North Yorkshire:
    # compared its own survey evidence ... [A3 ...]" is still about North Yorkshire.
    about_said: bool = False
    # The answer's first line without its citation labels (corpus text only, never the question): a follow-up asks
    # for more than what it already led with ("what did North Yorkshire find?", then "so what are they doing about it?")
    lead: str = ""

    @property
    def focus(self) -> str | None:
        """The element the exchange was mainly about: the one asked about when the answer cites it or names it, else
        the answer's first citation."""
        if self.about and (self.about in self.cited or self.about_said):
            return self.about
        return self.cited[0] if self.cited else None

    @property
    def topic_question(self) -> str:
        """The question a follow-up of this turn carries into its search."""
        return self.topic or self.question


def last_answered(history: Sequence[Turn]) -> Turn | None:
    """The latest turn that was answered with citations: the one a follow-up follows."""
    return next((t for t in reversed(history) if not t.refused and t.cited), None)
