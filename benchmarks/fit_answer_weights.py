"""Fit the sentence-selection weights (`AnswerWeights`) on labelled pairs from the tuning sets only.

Every in-scope tuning case with expected mentions is run through the real pipeline; each candidate
sentence the scorer ranked for its (last) question is labelled 1 when it carries an expected mention,
else 0. Coordinate ascent then moves one weight at a time over a grid to maximise the share of cases
whose top-ranked sentence carries a mention (the eval's `lead`), with ties broken by a pairwise margin.

    python benchmarks/fit_answer_weights.py evals/framework.yaml evals/dev.yaml evals/dev2.yaml

Never pass evals/holdout.yaml: it is the held-out set and is only ever scored, not fitted on.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict, fields, replace
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.config import Settings  # noqa: E402
from assistant.evals import load_cases  # noqa: E402
from assistant.lead import carries_mention  # noqa: E402
from assistant.selection import PENALTIES, AnswerWeights, SentenceScorer  # noqa: E402
from assistant.service import Assistant  # noqa: E402

GRID = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.3, 1.6, 2.0)
FITTED = tuple(f.name for f in fields(AnswerWeights) if f.name not in ("similarity", "distinct", "support_margin", "layer_margin", "gap_margin"))


def capture(paths: list[Path]) -> list[tuple[str, list[str], np.ndarray, np.ndarray, list[str]]]:
    """(case id, feature names, feature matrix, labels, sentences) of the final question of every usable case."""
    if any(p.name == "holdout.yaml" for p in paths):
        sys.exit("refusing to fit on evals/holdout.yaml: it is the held-out set")
    cases = [c for c in load_cases(paths) if c.expect.mention_all and not c.expect.refuse]
    assistant = Assistant(Settings.from_env())
    seen: list[list] = []
    original = SentenceScorer.rank

    def recording(self, question, vector, hits):  # type: ignore[no-untyped-def]
        ranked = original(self, question, vector, hits)
        seen.append(ranked)
        return ranked

    SentenceScorer.rank = recording  # type: ignore[method-assign]
    rows = []
    for case in cases:
        session = assistant.session(list(case.history))
        seen.clear()
        answer = session.ask(case.question)
        if not seen or answer.refused or not seen[-1]:
            continue
        names = list(seen[-1][0].features)
        x = np.array([[c.features[n] for n in names] for c in seen[-1]])
        y = np.array([carries_mention(c.text, case.expect.mention_all) for c in seen[-1]], dtype=float)
        rows.append((case.id, names, x, y, [c.text for c in seen[-1]]))
    SentenceScorer.rank = original  # type: ignore[method-assign]
    return rows


def lead_share(rows, weights: AnswerWeights) -> float:
    """Share of cases (with any labelled-positive candidate) whose best-scored sentence is positive."""
    hits = total = 0
    for _, names, x, y, _texts in rows:
        if not y.any():
            continue
        signs = np.array([-1.0 if n in PENALTIES else 1.0 for n in names])
        w = np.array([getattr(weights, n) for n in names]) * signs
        total += 1
        hits += bool(y[int(np.argmax(x @ w))])
    return hits / max(total, 1)


def fit(rows, start: AnswerWeights, rounds: int = 3) -> AnswerWeights:
    """Coordinate ascent over GRID, one weight at a time; keeps a change only when lead improves."""
    best, best_score = start, lead_share(rows, start)
    for _ in range(rounds):
        improved = False
        for name in FITTED:
            for value in GRID:
                trial = replace(best, **{name: value})
                score = lead_share(rows, trial)
                if score > best_score + 1e-9:
                    best, best_score, improved = trial, score, True
        if not improved:
            break
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="tuning eval files (never holdout.yaml)")
    args = parser.parse_args()
    per_file = {path: capture([path]) for path in args.files}
    rows = [row for got in per_file.values() for row in got]
    usable = sum(bool(row[3].any()) for row in rows)
    start = AnswerWeights()
    print(f"{len(rows)} cases, {usable} with an answering sentence among the candidates")
    print(f"lead of the top candidate with the current weights: {lead_share(rows, start):.3f}")
    if len(per_file) > 1:
        # How well a fit carries over: fit on one file, score on the others.
        for path, got in per_file.items():
            others = [row for p, g in per_file.items() if p != path for row in g]
            alone = fit(got, start)
            print(f"fitted on {path.name} alone: {lead_share(got, alone):.3f} there, {lead_share(others, alone):.3f} "
                  f"on the others (current weights: {lead_share(others, start):.3f})")
    fitted = fit(rows, start)
    print(f"after fitting on all: {lead_share(rows, fitted):.3f}")
    for name, value in asdict(fitted).items():
        mark = "" if value == getattr(start, name) else f"   (was {getattr(start, name)})"
        print(f"  {name} = {value}{mark}")


if __name__ == "__main__":
    main()
