"""The guard's cost per question, with and without the name recogniser, and its recall on both example sets.

Run from the repository root: `.venv/bin/python benchmarks/bench_guard.py [--repeat 3]`.
Prints figures; it asserts nothing. Questions: the eval sets' questions, the guard tests' examples and the
holdout set (tests/data/guard_holdout.yaml), each cleaned with `Guard.clean` as the assistant does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.allowlist import Allowlist  # noqa: E402
from assistant.guard import Guard  # noqa: E402


def questions() -> list[str]:
    """Every question of the eval sets and both guard example sets."""
    found: list[str] = []
    for path in sorted((ROOT / "evals").glob("*.yaml")):
        found += [case["question"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
    holdout = yaml.safe_load((ROOT / "tests" / "data" / "guard_holdout.yaml").read_text(encoding="utf-8"))
    found += [p["text"] for p in holdout["positives"]] + holdout["negatives"]
    sys.path.insert(0, str(ROOT / "tests"))
    from test_guard import NEGATIVES, POSITIVES

    return found + [p[0] for p in POSITIVES] + NEGATIVES


def timings(guard: Guard, texts: list[str], repeat: int) -> list[float]:
    """Milliseconds per `clean` call, every text ``repeat`` times."""
    out = []
    for _ in range(repeat):
        for text in texts:
            started = time.perf_counter()
            guard.clean(text)
            out.append((time.perf_counter() - started) * 1000)
    return out


def scores(guard: Guard) -> str:
    """Recall and false-positive rate on the holdout and the existing guard examples."""
    from test_guard import NEGATIVES, POSITIVES

    holdout = yaml.safe_load((ROOT / "tests" / "data" / "guard_holdout.yaml").read_text(encoding="utf-8"))
    blind = yaml.safe_load((ROOT / "tests" / "data" / "guard_blind.yaml").read_text(encoding="utf-8"))
    sets = {"holdout": ([(p["text"], p["kind"], p["detail"]) for p in holdout["positives"]], holdout["negatives"]),
            "blind (never tuned on)": ([(p["text"], p["kind"], p["detail"]) for p in blind["positives"]],
                                       blind["negatives"]),
            "existing": (POSITIVES, NEGATIVES)}
    lines = []
    for name, (pos, neg) in sets.items():
        def caught(text: str, kind: str, detail: str) -> bool:
            result = guard.redact(text)
            return kind in result.kinds and detail.lower() not in result.text.lower()

        recall = sum(caught(*p) for p in pos) / len(pos)
        false_positive = sum(bool(guard.redact(n).kinds) for n in neg) / len(neg)
        lines.append(f"  {name}: recall {recall:.3f} over {len(pos)}, false positives {false_positive:.3f} "
                     f"over {len(neg)}")
        if name.startswith("blind"):
            lines += [f"    missed: {p[0]!r}" for p in pos if not caught(*p)]
            lines += [f"    flagged: {guard.redact(n).text!r}" for n in neg if guard.redact(n).kinds]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="times each question is cleaned (default 3)")
    args = parser.parse_args()
    texts = questions()
    started = time.perf_counter()
    allow = Allowlist.from_corpus(ROOT / "corpus")
    print(f"allow-list from the corpus: {(time.perf_counter() - started) * 1000:.0f} ms "
          f"({len(allow.people)} people, {len(allow.words)} words, {len(allow.numbers)} numbers)")
    for label, ner in (("before (patterns and rules)", False), ("after (with spaCy NER)", True)):
        guard = Guard(allow, ner=ner)
        started = time.perf_counter()
        guard.clean("my client kayleigh brandreth asked what mapping information involves")
        first = (time.perf_counter() - started) * 1000
        ms = sorted(timings(guard, texts, args.repeat))
        p95 = ms[int(0.95 * (len(ms) - 1))]
        loads = " (loads spaCy and the model)" if ner else ""
        print(f"{label}: {len(texts)} questions x {args.repeat}; first call {first:.0f} ms{loads}; "
              f"median {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms, max {ms[-1]:.2f} ms")
        print(scores(guard))


if __name__ == "__main__":
    main()
