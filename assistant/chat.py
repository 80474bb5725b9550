"""Conversation state: what each turn of a conversation remembers (follow-ups are read in understand.py)."""

from __future__ import annotations

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

    @property
    def focus(self) -> str | None:
        """The element the answer was mainly about."""
        return self.cited[0] if self.cited else None
