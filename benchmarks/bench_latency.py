"""Index build time, embedding throughput and question latency, with a dense-only Chroma reference.

Run: .venv/bin/python benchmarks/bench_latency.py [--questions 240]
Prints figures; nothing is asserted. Builds a fresh index in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.embeddings import Embedder  # noqa: E402
from assistant.indexing import reindex  # noqa: E402
from assistant.service import Assistant  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# A fixed mix, so that adding an eval file does not change what is timed (before stop 24 the first 240 questions of
# the files in name order: these two). `--files` times another mix, e.g. evals/dev10.yaml for scope-heavy traffic.
DEFAULT_FILES = ("evals/dev.yaml", "evals/dev2.yaml")


def questions(n: int, files: list[str] | tuple[str, ...] = DEFAULT_FILES) -> list[tuple[str, list[str]]]:
    cases = []
    for path in (ROOT / f for f in files):
        cases += [(c["question"], c.get("history") or []) for c in yaml.safe_load(path.read_text())]
    out = []
    while len(out) < n:
        out.extend(cases)
    return out[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=240, help="how many timed questions (default 240)")
    parser.add_argument("--files", nargs="+", default=list(DEFAULT_FILES),
                        help="eval files the questions come from, in order (default evals/dev.yaml evals/dev2.yaml)")
    args = parser.parse_args()

    started = time.perf_counter()
    embedder = Embedder()
    print(f"model load: {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(Settings.from_env({}), data_dir=Path(tmp), corpus_dir=ROOT / "corpus")
        report = reindex(settings, embedder=embedder, full=True)
        assert report is not None
        passages = report.embedded
        print(f"full index: {report.documents} documents, {report.chunks} chunks, {passages} passages embedded "
              f"(chunks + sentences) in {report.seconds:.2f} s = {passages / report.seconds:.0f} passages/s; "
              f"swap {report.swap_seconds * 1000:.1f} ms")
        again = reindex(settings, embedder=embedder)
        assert again is not None
        print(f"unchanged reindex: {again.seconds:.2f} s (embedded {again.embedded}, reused {again.reused})")

        assistant = Assistant(settings, embedder=embedder)
        qs = questions(args.questions, args.files)
        for q, h in qs[:20]:
            assistant.ask(q, h)  # warm up
        turn_ms: list[float] = []
        for q, h in qs:
            session = assistant.session(h)  # history replay is not timed
            t0 = time.perf_counter()
            session.ask(q)
            turn_ms.append((time.perf_counter() - t0) * 1000)
        print(f"assistant (hybrid + answer), {len(turn_ms)} questions warm: median {statistics.median(turn_ms):.1f} ms, "
              f"p95 {percentile(turn_ms, 0.95):.1f} ms, max {max(turn_ms):.1f} ms")

        collection = assistant.snapshot().collection
        dense_ms: list[float] = []
        for q, _ in qs:
            t0 = time.perf_counter()
            vector = embedder.embed_query(q)
            collection.query(query_embeddings=[vector.tolist()], n_results=5, where={"type": "chunk"})
            dense_ms.append((time.perf_counter() - t0) * 1000)
        print(f"reference: plain dense Chroma query (embedding included), {len(dense_ms)} questions: "
              f"median {statistics.median(dense_ms):.1f} ms, p95 {percentile(dense_ms, 0.95):.1f} ms")
        from assistant.guard import clean_question

        for label, text in (("2,000 characters", "How do we record voice? " * 84), ("10 MB", "How do we record voice? " * 420_000)):
            t0 = time.perf_counter()
            for _ in range(5):
                clean_question(text)
            print(f"clean_question on {label}: {(time.perf_counter() - t0) / 5 * 1000:.1f} ms")
        try:
            import resource

            print(f"peak memory (RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        except ImportError:
            pass


if __name__ == "__main__":
    main()
