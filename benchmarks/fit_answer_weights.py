"""Fit the sentence-selection weights (`AnswerWeights`) on labelled pairs from the tuning sets only.

Every in-scope tuning case with expected mentions is run through the real pipeline; each candidate
sentence the scorer ranked for its (last) question is labelled 1 when it carries an expected mention,
else 0. A pairwise logistic model (each answering sentence against the best-scored non-answering ones
of the same question) is fitted with a small L2 penalty; penalty features (`PENALTIES`) may only count
against a sentence and the others only for it. `similarity` (the scale) and the weights of the reader's
explicit rules (`KEPT`) keep their hand-set values.

    python benchmarks/fit_answer_weights.py evals/framework.yaml evals/dev.yaml evals/dev2.yaml \
        evals/dev3.yaml evals/dev4.yaml evals/dev5.yaml evals/dev6.yaml evals/dev7.yaml

It first prints how a fit carries over: fitted on all files but one, scored on the one left out,
next to the current weights. Never pass evals/holdout.yaml: it is only ever scored, not fitted on.
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


def signed(weights: AnswerWeights, names: list[str]) -> np.ndarray:
    """The weights in feature order, as the scorer applies them: penalties count against a sentence."""
    return np.array([getattr(weights, n) * (-1.0 if n in PENALTIES else 1.0) for n in names])


def lead_share(rows, weights: AnswerWeights) -> float:
    """Share of cases (with any labelled-positive candidate) whose best-scored sentence is positive."""
    hits = total = 0
    w = signed(weights, rows[0][1]) if rows else None
    for _, _names, x, y, _texts in rows:
        if not y.any():
            continue
        total += 1
        hits += bool(y[int(np.argmax(x @ w))])
    return hits / max(total, 1)


# Weights of the reader's explicit rules (an ordinal's list item, a definition's subject, a "who funded" verb, a "what
# don't they say" question, a "which practice" layer, the element the question names, another element's silence) are set
# by hand and kept: too few questions use each for the fit to weigh them, and shrinking them toward 0 undoes the rule.
KEPT = ("similarity", "item", "subject", "relation", "unsaid", "layer", "element", "elsewhere")
SCORED = tuple(f.name for f in fields(AnswerWeights) if not f.name.endswith("_margin") and f.name not in (
    "distinct", "silence_fit", "silence_kind", "silence_lead", "silence_echo", "strong_reason", "unsaid_share", "alias_only"))


def fit(rows, l2: float = 0.001, negatives: int = 30) -> AnswerWeights:
    """Pairwise logistic fit of the scored weights, signs constrained; the margins and thresholds keep their values."""
    from scipy.optimize import minimize

    names = rows[0][1]
    start = AnswerWeights()
    current = signed(start, names)
    diffs = []
    for _, _names, x, y, _texts in rows:
        if not y.any() or y.all():
            continue
        negative = np.where(y == 0)[0]
        negative = negative[np.argsort(-(x[negative] @ current))[:negatives]]  # the hardest non-answers
        for p in x[y == 1][:5]:
            diffs.extend(p - x[negative])
    d = np.array(diffs)
    # The kept weights move with `similarity`, in their current ratio to it: the fit then sets the scale freely
    # and the result is divided by `similarity`, so the kept rules weigh what they weighed against it.
    sim = names.index("similarity")
    kept = [names.index(n) for n in KEPT]
    free = [i for i in range(len(names)) if i not in kept or i == sim]
    d_free = d[:, free].copy()
    d_free[:, free.index(sim)] = d[:, kept] @ (current[kept] / current[sim])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = d_free @ w
        grad = -(d_free * (1.0 / (1.0 + np.exp(z)))[:, None]).mean(0) + 2 * l2 * w
        return float(np.logaddexp(0, -z).mean() + l2 * (w @ w)), grad

    bounds = [(None, 0.0) if names[i] in PENALTIES else (0.0, None) for i in free]
    bounds[free.index(sim)] = (1e-3, None)
    got = minimize(loss, current[free], jac=True, method="L-BFGS-B", bounds=bounds).x
    w = current / current[sim]
    w[free] = got / got[free.index(sim)]
    return replace(start, **{n: round(abs(float(v)), 3) for n, v in zip(names, w) if n in SCORED})


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
        # How well a fit carries over: fitted on all files but one, scored on the one left out.
        for path, got in per_file.items():
            others = [row for p, g in per_file.items() if p != path for row in g]
            print(f"left out {path.name}: {lead_share(got, fit(others)):.3f} with the fit on the others, "
                  f"{lead_share(got, start):.3f} with the current weights")
    fitted = fit(rows)
    print(f"after fitting on all: {lead_share(rows, fitted):.3f}")
    for name, value in asdict(fitted).items():
        mark = "" if value == getattr(start, name) else f"   (was {getattr(start, name)})"
        print(f"  {name} = {value}{mark}")


if __name__ == "__main__":
    main()
