"""The guard on a held-out set written before tuning (tests/data/guard_holdout.yaml): recall and false positives."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.guard import PLACEHOLDERS, redact

HOLDOUT = yaml.safe_load((Path(__file__).parent / "data" / "guard_holdout.yaml").read_text(encoding="utf-8"))
POSITIVES = [(p["text"], p["kind"], p["detail"]) for p in HOLDOUT["positives"]]
NEGATIVES: list[str] = HOLDOUT["negatives"]


def caught(text: str, kind: str, detail: str) -> bool:
    """True when ``kind`` is reported and ``detail`` (in any case) is gone from the redacted text."""
    result = redact(text)
    return kind in result.kinds and detail.lower() not in result.text.lower()


def test_holdout_is_big_enough_and_covers_every_kind() -> None:
    assert len(POSITIVES) >= 80 and len(NEGATIVES) >= 80
    assert {kind for _, kind, _ in POSITIVES} == set(PLACEHOLDERS)


def test_holdout_recall_and_false_positive_rate() -> None:
    missed = [p for p in POSITIVES if not caught(*p)]
    flagged = [(n, redact(n).text) for n in NEGATIVES if redact(n).kinds]
    recall = 1 - len(missed) / len(POSITIVES)
    false_positive = len(flagged) / len(NEGATIVES)
    print(f"\nholdout recall {recall:.3f} over {len(POSITIVES)}; false-positive rate {false_positive:.3f} "
          f"over {len(NEGATIVES)}\nmissed: {missed}\nflagged: {flagged}")
    assert recall >= 0.98, missed
    assert false_positive <= 0.03, flagged


@pytest.mark.parametrize(("text", "kind", "detail"), POSITIVES, ids=[f"{p[1]}:{p[2]}" for p in POSITIVES])
def test_holdout_positive(text: str, kind: str, detail: str) -> None:
    result = redact(text)
    assert kind in result.kinds and detail.lower() not in result.text.lower(), result.text
