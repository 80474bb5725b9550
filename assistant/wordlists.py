"""Read the word lists in assistant/data/: plain lines, or "[section]" lists of whitespace-separated words."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    """The file's lines without comments and blanks."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


@lru_cache(maxsize=None)
def lines(name: str) -> tuple[str, ...]:
    """One entry a line (a full name, a two-word cue)."""
    return tuple(_lines(name))


@lru_cache(maxsize=None)
def sections(name: str) -> dict[str, frozenset[str]]:
    """Each "[section]" of the file as a set of words."""
    found: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in _lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = found.setdefault(line[1:-1], set())
        elif current is None:
            raise ValueError(f"{DATA / name}: words before the first [section]")
        else:
            current.update(line.split())
    return {key: frozenset(words) for key, words in found.items()}


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """Every whitespace-separated word of the file, lower case."""
    return frozenset(w.lower() for line in _lines(name) for w in line.split())
