"""Calibrate the grounding check's floors on paraphrases of corpus sentences against unsupported ones.

    .venv/bin/python benchmarks/calibrate_grounding.py [--data-dir DIR]

Needs a built index (`assistant index`). Each sentence of tests/data/grounding_calibration.yaml is
scored against every passage of the document it cites; the script prints both groups' scores, how
the floors in assistant/grounding.py classify them, and the floors a grid search would pick.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.grounding import MIN_OVERLAP, MIN_SIMILARITY, GroundingCheck  # noqa: E402
from assistant.retrieve import Hit  # noqa: E402
from assistant.service import Assistant  # noqa: E402

CALIBRATION = ROOT / "tests" / "data" / "grounding_calibration.yaml"


def score(check: GroundingCheck, snapshot, doc_id: str, sentence: str) -> tuple[float, float, bool]:  # type: ignore[no-untyped-def]
    """(similarity, weighted key-term overlap, number missing) of one sentence against its cited document."""
    hits = [Hit(chunk=c, score=0.0) for c in snapshot.doc_chunks(doc_id)]
    if not hits:
        raise SystemExit(f"{CALIBRATION}: no document {doc_id!r} in the index")
    record = check.sentence(f"{sentence} [{doc_id}]", hits, snapshot)
    return record.similarity, record.overlap, record.reason.startswith("number")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="data folder holding the index (default data/)")
    args = parser.parse_args()
    settings = Settings.from_env(data_dir=args.data_dir)
    assistant = Assistant(settings)
    snapshot = assistant.snapshot()
    check = GroundingCheck(assistant.embedder)
    data = yaml.safe_load(CALIBRATION.read_text(encoding="utf-8"))
    scored = {group: [(*score(check, snapshot, doc, s), s) for doc, s in data[group]]
              for group in ("supported", "unsupported")}
    for group, rows in scored.items():
        print(f"{group} ({len(rows)}): similarity, weighted key-term overlap")
        for sim, overlap, number, sentence in sorted(rows):
            print(f"  {sim:5.2f} {overlap:5.2f}{' number' if number else '       '}  {sentence[:80]}")

    def accuracy(min_sim: float, min_overlap: float) -> tuple[int, int]:
        kept = sum(sim >= min_sim and overlap >= min_overlap and not number
                   for sim, overlap, number, _ in scored["supported"])
        rejected = sum(not (sim >= min_sim and overlap >= min_overlap and not number)
                       for sim, overlap, number, _ in scored["unsupported"])
        return kept, rejected

    kept, rejected = accuracy(MIN_SIMILARITY, MIN_OVERLAP)
    print(f"\nFloors in use (similarity {MIN_SIMILARITY}, overlap {MIN_OVERLAP}): kept {kept}/{len(scored['supported'])} "
          f"supported, removed {rejected}/{len(scored['unsupported'])} unsupported")
    grid = [(sum(accuracy(s / 100, o / 100)), s / 100, o / 100) for s in range(30, 81, 5) for o in range(20, 91, 5)]
    best = max(total for total, _, _ in grid)
    print(f"Grid search: best total {best}/{sum(len(r) for r in scored.values())} at "
          + ", ".join(f"({s:.2f}, {o:.2f})" for total, s, o in grid if total == best))
    return 0


if __name__ == "__main__":
    sys.exit(main())
